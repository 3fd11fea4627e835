import pytest
from django.urls import reverse

from proposals.models import Level, Notification, Proposal, State, TransitionLog
from teams.models import Campus


@pytest.fixture
def form_data(db):
    return {
        "proposer_name": "Fran Acker",
        "proposer_email": "fran@maine.edu",
        "campus": Campus.objects.get(short_name="UMF").pk,
        "title": "  Outdoor   Leadership  ",
        "credential_type": "pathway",
        "pathway_type": "workforce",
        "description": "Guides learn risk management and group leadership outdoors.",
        "target_audience": "Maine guides",
        "seeking_collaborators": "on",
    }


def test_campuses_are_the_system_universities_and_the_law_school(db):
    assert Campus.objects.count() == 8
    assert Campus.objects.filter(short_name="Maine Law").exists()


def test_the_form_is_prefilled_with_the_signed_in_users_details(client, proposer):
    client.force_login(proposer)
    response = client.get(reverse("proposals:new"))
    assert response.context["form"].initial["proposer_email"] == proposer.email


def test_submitting_creates_a_proposal_logs_it_and_tells_staff(
    client, proposer, staff, form_data, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(proposer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("proposals:new"), form_data)
    proposal = Proposal.objects.get()
    assert response.url == proposal.get_absolute_url()
    assert proposal.state == State.SUBMITTED
    assert proposal.proposer == proposer
    assert proposal.title == "Outdoor Leadership"
    assert proposal.intended_levels == list(Level.values)
    entry = TransitionLog.objects.get()
    assert (entry.source, entry.target, entry.actor) == ("", State.SUBMITTED, proposer)
    assert Notification.objects.get().recipient == staff
    assert [m.to for m in mailoutbox] == [[staff.email]]
    assert "Outdoor Leadership" in mailoutbox[0].subject


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required"),
        ({"proposer_email": "not-an-email"}, "proposer_email", "valid email"),
        ({"campus": "9999"}, "campus", "Select a valid choice"),
        ({"pathway_type": "hobby"}, "pathway_type", "Select a valid choice"),
        (
            {"credential_type": "standalone", "intended_levels": ["macro"]},
            "intended_levels",
            "macro-badge stacks",
        ),
        ({"credential_type": "standalone"}, "intended_levels", "at least one level"),
        ({"unique_to_campus": "on"}, "uniqueness_reason", "unique to your campus"),
        ({"title": "x" * 201}, "title", "at most 200"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(
    client, proposer, form_data, changes, field, message
):
    client.force_login(proposer)
    response = client.post(reverse("proposals:new"), {**form_data, **changes})
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert form["description"].value() == form_data["description"]
    assert form_data["description"] in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_standalone_badge_keeps_its_levels_in_order(client, proposer, form_data):
    client.force_login(proposer)
    client.post(
        reverse("proposals:new"),
        {**form_data, "credential_type": "standalone", "intended_levels": ["2", "1"]},
    )
    assert Proposal.objects.get().intended_levels == ["1", "2"]


def test_retired_campuses_are_not_offered(client, proposer):
    Campus.objects.filter(short_name="UMM").update(is_active=False)
    client.force_login(proposer)
    response = client.get(reverse("proposals:new"))
    assert "University of Maine at Machias" not in response.content.decode()

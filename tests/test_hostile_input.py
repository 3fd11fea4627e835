"""Hostile input on every form and endpoint: HTML and script, SQL fragments, NUL bytes,
1 MB strings, unicode edge cases, lists where one value is expected. No request may
fail with a server error; a refused request shows why and changes nothing already
saved; accepted text is shown back escaped."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from approvals import services as workflow
from metadata_templates import services as template_services
from proposals.models import State
from teams.models import CollaboratorCall, JoinRequest, Membership, Role
from teams.services import form_team
from tests.factories import (
    ProposalFactory,
    UserFactory,
    campus,
    complete_draft,
    log_meetings,
)

SCRIPT = "<script>alert(1)</script>"
HOSTILE = st.one_of(
    st.sampled_from(
        [
            SCRIPT,
            '<img src=x onerror="alert(1)">',
            "'; DROP TABLE proposals_proposal; --",
            "' OR '1'='1",
            "\x00",
            "a\x00b",
            "\u202eevil\u202c",
            "😀" * 60,
            "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
            "\ufeff",
            "",
            " ",
            "-1",
            "99999999999999999999999",
            "1e309",
            "NaN",
            "2026-02-30",
            "../../etc/passwd",
            "{{ request }}{% debug %}",
            "%s%n%x",
            "line\r\nSet-Cookie: x=1",
            "javascript:alert(1)",
            "https://example.com/" + "a" * 3000,
        ]
    ),
    st.text(max_size=120),
    st.just("x" * 1_000_000),
    st.lists(st.sampled_from([SCRIPT, "1", ""]), min_size=2, max_size=3),
)
OK_STATUSES = {200, 302, 400, 403, 404, 405}
# Markup of a refusal the user can read.
ERROR_MARKS = (
    "is-invalid",
    "errorlist",
    "alert-danger",
    "invalid-feedback",
    "alert-warning",
)
# Rows a refused request may still add: the records of throttled attempts.
VOLATILE = {"accounts.signinfailure", "accounts.passwordresetrequest"}


def _snapshot() -> dict:
    state = {}
    for app in ("accounts", "proposals", "teams", "metadata_templates", "approvals"):
        for model in apps.get_app_config(app).get_models():
            if model._meta.label_lower not in VOLATILE:
                state[model._meta.label_lower] = list(
                    model.objects.order_by("pk").values()
                )
    state["users"] = list(
        apps.get_model("auth", "User")
        .objects.order_by("pk")
        .values("pk", "username", "email", "password", "first_name")
    )
    return state


@pytest.fixture
def world(personas, proposer, staff, member, chair, outsider):
    mate = UserFactory(username="dana")
    drafting = ProposalFactory(proposer=proposer, state=State.TEAM_FORMING)
    team = form_team(drafting)
    Membership.objects.create(
        team=team, user=mate, role=Role.DESIGNER, campus=campus("UMA")
    )
    log_meetings(team)
    workflow.perform(drafting, "start_development", user=staff)
    key = template_services.latest(drafting).content["badges"][0]["key"]

    review = ProposalFactory(proposer=proposer, state=State.DRAFTING)
    review_team = form_team(review)
    log_meetings(review_team)
    complete_draft(review)
    workflow.perform(review, "submit_draft", user=proposer)

    committee = ProposalFactory(state=State.UNDER_REVIEW)
    complete_draft(committee)
    workflow.perform(committee, "forward_to_committee", user=staff)
    round_ = committee.rounds.get()

    forming = ProposalFactory(state=State.TEAM_FORMING)
    call = CollaboratorCall.objects.create(
        team=form_team(forming), sought="A designer", opened_by=staff
    )
    join = JoinRequest.objects.create(call=call, user=outsider, campus=campus("USM"))
    return {
        "join": join,
        "meeting": team.meetings.first(),
        "users": {**personas, "anonymous": None, "lead": proposer},
        "drafting": drafting,
        "key": key,
        "review": review,
        "round": round_,
        "forming": forming,
        "call": call,
        "campus": campus("UMF").pk,
        "members": [m.pk for m in team.memberships.all()],
    }


def _editor(w):
    key = w["key"]
    return {
        "based_on": template_services.latest(w["drafting"]).number,
        "c-title": "Welding",
        "c-summary": "Safe welding.",
        f"b-{key}-name": "Level one",
        f"b-{key}-level": "1",
        f"b-{key}-hours": "10",
        f"b-{key}-activities": ["workshop"],
        f"b-{key}-al-new-url": "",
    }


def _round(action):
    return lambda w: reverse("committee:action", args=[w["round"].pk, action])


YESTERDAY = (date.today() - timedelta(days=1)).isoformat()
# name: (persona, method, url, valid data)
ENDPOINTS = {
    "interest form": (
        "proposer",
        "post",
        lambda w: reverse("proposals:new"),
        lambda w: {
            "proposer_name": "Fran",
            "proposer_email": "fran@example.edu",
            "campus": w["campus"],
            "title": "Outdoor Leadership",
            "credential_type": "pathway",
            "pathway_type": "workforce",
            "description": "Guides learn leadership.",
            "target_audience": "Guides",
            "intended_levels": ["1", "2", "3", "macro"],
            "seeking_collaborators": "on",
        },
    ),
    "sign up": (
        "anonymous",
        "post",
        lambda w: reverse("signup"),
        lambda w: {
            "username": "newcomer",
            "first_name": "New",
            "last_name": "Comer",
            "email": "new@example.edu",
            "password1": "Quiet-River-2026",
            "password2": "Quiet-River-2026",
        },
    ),
    "sign in": (
        "anonymous",
        "post",
        lambda w: reverse("login"),
        lambda w: {"username": "fran", "password": "pw"},
    ),
    "password change": (
        "proposer",
        "post",
        lambda w: reverse("password_change"),
        lambda w: {
            "old_password": "pw",
            "new_password1": "Quiet-River-2026",
            "new_password2": "Quiet-River-2026",
        },
    ),
    "transition": (
        "staff",
        "post",
        lambda w: reverse(
            "proposals:transition", args=[w["review"].pk, "request_revisions"]
        ),
        lambda w: {"note": "Please revise.", "expected_state": "under_review"},
    ),
    "password reset": (
        "anonymous",
        "post",
        lambda w: reverse("password_reset"),
        lambda w: {"email": "fran@example.edu"},
    ),
    "decide join request": (
        "staff",
        "post",
        lambda w: reverse(
            "teams:decide_request", args=[w["forming"].pk, w["join"].pk, "accept"]
        ),
        lambda w: {"role": "designer"},
    ),
    "meeting edit": (
        "lead",
        "post",
        lambda w: reverse(
            "teams:meeting_edit", args=[w["drafting"].pk, w["meeting"].pk]
        ),
        lambda w: {"held_on": YESTERDAY, "attendees": w["members"], "agenda": "Plan"},
    ),
    "invite": (
        "staff",
        "post",
        lambda w: reverse("teams:invite", args=[w["drafting"].pk]),
        lambda w: {
            "email": "new@example.edu",
            "role": "designer",
            "campus": w["campus"],
            "message": "Join us.",
        },
    ),
    "meeting": (
        "lead",
        "post",
        lambda w: reverse("teams:meeting_new", args=[w["drafting"].pk]),
        lambda w: {"held_on": YESTERDAY, "attendees": w["members"], "agenda": "Plan"},
    ),
    "employer input": (
        "lead",
        "post",
        lambda w: reverse("teams:employer_input_new", args=[w["drafting"].pk]),
        lambda w: {
            "person": "Pat",
            "organisation": "Bath Iron Works",
            "given_on": YESTERDAY,
            "summary": "Needs welders.",
        },
    ),
    "open call": (
        "staff",
        "post",
        lambda w: reverse("teams:open_call", args=[w["forming"].pk]),
        lambda w: {"sought": "A designer"},
    ),
    "join call": (
        "outsider",
        "post",
        lambda w: reverse("teams:join", args=[w["call"].pk]),
        lambda w: {"campus": w["campus"], "message": "Count me in."},
    ),
    "editor save": (
        "lead",
        "post",
        lambda w: reverse("drafts:editor", args=[w["drafting"].pk]),
        _editor,
    ),
    "live check": (
        "lead",
        "post",
        lambda w: reverse("drafts:check", args=[w["drafting"].pk]),
        _editor,
    ),
    "add badge": (
        "lead",
        "post",
        lambda w: reverse("drafts:add_badge", args=[w["drafting"].pk]),
        lambda w: {
            "level": "2",
            "based_on": template_services.latest(w["drafting"]).number,
        },
    ),
    "review comment": (
        "staff",
        "post",
        lambda w: reverse("drafts:comment", args=[w["review"].pk, 1]),
        lambda w: {"field": "title", "badge": "", "body": "Shorter?"},
    ),
    "vote": (
        "member",
        "post",
        _round("vote"),
        lambda w: {"choice": "approve", "comment": ""},
    ),
    "round comment": (
        "member",
        "post",
        _round("comment"),
        lambda w: {"body": "Agreed."},
    ),
    "recuse": ("member", "post", _round("recuse"), lambda w: {"reason": "Conflict."}),
    "extend": (
        "chair",
        "post",
        _round("extend"),
        lambda w: {"deadline": (date.today() + timedelta(days=9)).isoformat()},
    ),
    "close": ("chair", "post", _round("close"), lambda w: {"note": "Decided."}),
    "catalog search": (
        "anonymous",
        "get",
        lambda w: reverse("catalog:list"),
        lambda w: {
            "q": "weld",
            "level": "1",
            "category": "",
            "issuer": "",
            "page": "1",
        },
    ),
    "staff queue": (
        "staff",
        "get",
        lambda w: reverse("proposals:queue"),
        lambda w: {"q": "x", "state": "drafting", "campus": "", "page": "2"},
    ),
    "similar": (
        "proposer",
        "get",
        lambda w: reverse("proposals:similar"),
        lambda w: {"title": "Welding", "description": "Safe", "exclude": "1"},
    ),
    "compare": (
        "lead",
        "get",
        lambda w: reverse("drafts:compare", args=[w["drafting"].pk]),
        lambda w: {"a": "1", "b": "2"},
    ),
}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_hostile_values_never_break_anything(client, world, endpoint):
    persona, method, url_for, valid = ENDPOINTS[endpoint]
    user = world["users"][persona]

    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(data=st.data())
    def attempt(data):
        baseline = valid(world)
        fields = data.draw(
            st.lists(
                st.sampled_from(sorted(baseline)), min_size=1, max_size=3, unique=True
            )
        )
        values = {**baseline, **{field: data.draw(HOSTILE) for field in fields}}
        if user is not None:
            client.force_login(user)
        before = _snapshot()
        response = getattr(client, method)(url_for(world), values)
        assert response.status_code in OK_STATUSES, (endpoint, values.keys())
        body = response.content.decode(errors="replace")
        assert SCRIPT not in body
        if method == "post" and response.status_code != 302:
            assert _snapshot() == before, endpoint
            if response.status_code == 200 and endpoint != "live check":
                assert any(mark in body for mark in ERROR_MARKS), endpoint
        if response.status_code == 302 and response.url.startswith("/"):
            shown = client.get(response.url)
            assert shown.status_code in OK_STATUSES
            assert SCRIPT not in shown.content.decode(errors="replace")

    attempt()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    segment=st.text(
        alphabet=st.characters(
            blacklist_characters="/?#%", blacklist_categories=["Cs"]
        ),
        min_size=1,
        max_size=300,
    )
)
def test_hostile_path_segments_are_not_found(client, world, segment):
    client.force_login(world["users"]["staff"])
    pk, round_pk = world["drafting"].pk, world["round"].pk
    for url in (
        f"/catalog/{pk}/badges/{segment}/image.svg",
        f"/catalog/{pk}/badges/x/{segment}",
        f"/catalog/issuers/ums/{segment}",
        f"/team-invitations/{segment}/",
        f"/proposals/{pk}/transition/{segment}/",
        f"/committee/rounds/{round_pk}/{segment}/",
    ):
        response = client.get(url)
        assert response.status_code in OK_STATUSES, url


@pytest.mark.parametrize("value", ["99999999999999999999999", "-1", "1.5", SCRIPT])
def test_impossible_attendee_ids_are_refused_with_a_message(client, world, value):
    client.force_login(world["users"]["lead"])
    before = _snapshot()
    response = client.post(
        reverse("teams:meeting_new", args=[world["drafting"].pk]),
        {
            "held_on": YESTERDAY,
            "attendees": [world["members"][0], value],
            "agenda": "x",
        },
    )
    assert response.status_code == 200
    assert "is not a valid value" in response.content.decode()
    assert _snapshot() == before

from django.urls import reverse

from approvals import services
from proposals.models import Notification, State
from tests.factories import (
    ProposalFactory,
    complete_draft,
    ready_for_review,
    staff_user,
)


def test_each_transition_notifies_the_people_it_concerns_not_the_actor(
    proposal,
    proposer,
    staff,
    member,
    chair,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.perform(proposal, "triage", user=staff)
    assert [n.recipient for n in Notification.objects.all()] == [proposer]
    assert [m.to for m in mailoutbox] == [[proposer.email]]
    assert mailoutbox[0].subject == (
        f"{staff.get_full_name()} started the triage of your proposal "
        f"“{proposal.title}”"
    )
    assert proposal.reference in mailoutbox[0].body


def test_forwarding_tells_the_committee_and_the_proposer(
    proposer, staff, member, chair, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(proposer=proposer, state=State.UNDER_REVIEW)
    complete_draft(proposal)
    with django_capture_on_commit_callbacks(execute=True):
        services.perform(proposal, "forward_to_committee", user=staff, note="Ready.")
    recipients = {n.recipient for n in Notification.objects.all()}
    assert recipients == {proposer, member, chair}
    assert sorted(address for m in mailoutbox for address in m.to) == sorted(
        [proposer.email, member.email, chair.email]
    )
    assert all("Ready." in m.body for m in mailoutbox)


def test_email_goes_out_only_after_commit(
    proposal, staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.perform(proposal, "triage", user=staff)
    assert mailoutbox == []
    assert len(callbacks) == 1


def test_a_mail_server_failure_does_not_break_the_step(
    proposal, staff, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    with django_capture_on_commit_callbacks(execute=True):
        services.perform(proposal, "triage", user=staff)
    proposal.refresh_from_db()
    assert proposal.state == State.IN_TRIAGE
    assert Notification.objects.count() == 1


def test_unread_count_list_and_mark_read(client, proposal, proposer, staff):
    services.perform(proposal, "triage", user=staff)
    client.force_login(proposer)
    response = client.get(reverse("proposals:notifications"))
    assert response.context["unread_notifications"]() == 1
    assert "started the triage of your proposal" in response.content.decode()
    client.post(reverse("proposals:notifications_read"))
    assert not Notification.objects.unread().exists()


def test_opening_the_proposal_marks_its_notifications_read(
    client, proposal, proposer, staff
):
    services.perform(proposal, "triage", user=staff)
    client.force_login(proposer)
    client.get(proposal.get_absolute_url())
    assert not Notification.objects.unread().exists()


def test_a_new_interest_form_reaches_active_staff_only(proposer, staff, db):
    retired = staff_user(username="gone", is_active=False)
    proposal = ProposalFactory.build(proposer=proposer)
    services.submit_interest_form(proposal, user=proposer)
    assert [n.recipient for n in Notification.objects.all()] == [staff]
    assert retired not in {n.recipient for n in Notification.objects.all()}


def test_the_team_hears_about_review_outcomes(
    proposer, staff, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(proposer=proposer, state=State.UNDER_REVIEW)
    team = ready_for_review(proposal)
    with django_capture_on_commit_callbacks(execute=True):
        services.perform(
            proposal, "request_revisions", user=staff, note="Add evidence."
        )
    members = {m.user for m in team.memberships.all()}
    assert {n.recipient for n in Notification.objects.all()} == members
    assert len(mailoutbox) == len(members)


def test_accepting_asks_the_proposer_to_invite_and_tells_the_committee(
    proposal, staff, member, mailoutbox, django_capture_on_commit_callbacks
):
    staff.first_name, staff.last_name = "Sam", "Taylor"
    staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.perform_steps(proposal, ("triage", "accept"), user=staff)
    told = {n.recipient: n for n in Notification.objects.all()}
    mine = told[proposal.proposer]
    assert mine.message == (
        f"Sam Taylor accepted your proposal “{proposal.title}”; the team is "
        "forming — invite collaborators"
    )
    assert mine.get_absolute_url() == reverse("teams:detail", args=[proposal.pk])
    theirs = told[member]
    assert theirs.message == (
        f"Sam Taylor accepted {proposal.reference} “{proposal.title}”; the team is "
        "forming"
    )
    assert theirs.get_absolute_url() == proposal.get_absolute_url()
    by_address = {m.to[0]: m for m in mailoutbox}
    assert "http://127.0.0.1:8000" + reverse("teams:detail", args=[proposal.pk]) in (
        by_address[proposal.proposer.email].body
    )


def test_each_asked_step_links_to_the_place_to_act(
    proposer, staff, member, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(proposer=proposer, state=State.DRAFTING)
    ready_for_review(proposal)
    services.perform(proposal, "submit_draft", user=proposer)
    review = Notification.objects.get(recipient=staff)
    assert review.message.endswith("for review — review it")
    assert review.get_absolute_url() == reverse("drafts:draft", args=[proposal.pk, 1])
    services.perform(proposal, "forward_to_committee", user=staff)
    vote = Notification.objects.get(
        recipient=member, event__transition="forward_to_committee"
    )
    assert vote.message.endswith("to the Steering Committee — vote")
    assert vote.get_absolute_url() == reverse(
        "committee:round", args=[proposal.rounds.get().pk]
    )
    told = Notification.objects.get(
        recipient=proposer, event__transition="forward_to_committee"
    )
    assert told.get_absolute_url() == proposal.get_absolute_url()

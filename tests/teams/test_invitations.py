import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.verification import require_verification
from approvals import services as workflow
from proposals.models import Notification, State
from teams import services
from teams.models import Invitation, Membership, Role
from tests.factories import ProposalFactory, UserFactory, campus


def _invite(team, by, email="ivy@example.edu", role=Role.FACULTY):
    return services.invite(team, by=by, email=email, role=role, campus=campus("UMF"))


def test_accepting_the_proposal_forms_a_team_led_by_the_proposer(proposer, staff):
    proposal = ProposalFactory(proposer=proposer, state=State.IN_TRIAGE)
    workflow.perform(proposal, "accept", user=staff)
    membership = proposal.team.memberships.get()
    assert (membership.user, membership.role) == (proposer, Role.LEAD)
    assert membership.campus == proposal.campus


def test_invitation_email_carries_a_single_use_link_and_only_a_hash_is_kept(
    team, staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = _invite(team, staff)
    assert token not in invitation.token_hash
    assert mailoutbox[0].to == ["ivy@example.edu"]
    assert reverse("teams:invitation", args=[token]) in mailoutbox[0].body
    assert invitation.expires_at > timezone.now() + timedelta(days=13)


def test_accept_adds_the_member_and_the_link_cannot_be_used_again(
    client, team, staff, invitee
):
    invitation, token = _invite(team, staff)
    client.force_login(invitee)
    url = reverse("teams:invitation", args=[token])
    response = client.post(url, {"answer": "accept"})
    assert response.url == reverse("teams:detail", args=[team.proposal_id])
    membership = Membership.objects.get(team=team, user=invitee)
    assert (membership.role, membership.campus.short_name) == (Role.FACULTY, "UMF")
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == invitee
    assert Notification.objects.filter(recipient=team.proposal.proposer).exists()

    response = client.post(url, {"answer": "accept"})
    assert "can no longer be used: accepted" in response.content.decode()
    assert Membership.objects.filter(team=team, user=invitee).count() == 1


def test_decline_is_recorded(client, team, staff, invitee):
    invitation, token = _invite(team, staff)
    client.force_login(invitee)
    client.post(reverse("teams:invitation", args=[token]), {"answer": "decline"})
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert invitation.responded_at is not None
    assert not Membership.objects.filter(user=invitee).exists()


def test_an_expired_invitation_is_recorded_and_refused(client, team, staff, invitee):
    invitation, token = _invite(team, staff)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(invitee)
    response = client.post(
        reverse("teams:invitation", args=[token]), {"answer": "accept"}
    )
    assert "can no longer be used: expired" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.EXPIRED
    assert not Membership.objects.filter(user=invitee).exists()


def test_the_team_page_records_overdue_invitations_as_expired(client, team, staff):
    invitation, _token = _invite(team, staff)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    client.force_login(staff)
    client.get(reverse("teams:detail", args=[team.proposal_id]))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.EXPIRED


def test_a_revoked_invitation_no_longer_works(client, team, staff, invitee):
    invitation, token = _invite(team, staff)
    client.force_login(staff)
    client.post(reverse("teams:revoke", args=[team.proposal_id, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    client.force_login(invitee)
    response = client.post(
        reverse("teams:invitation", args=[token]), {"answer": "accept"}
    )
    assert "can no longer be used: revoked" in response.content.decode()
    assert not Membership.objects.filter(user=invitee).exists()


def test_only_a_waiting_invitation_can_be_revoked(team, staff, invitee):
    invitation, _token = _invite(team, staff)
    services.accept_invitation(invitation, invitee)
    with pytest.raises(ValidationError):
        services.revoke_invitation(invitation)


def test_the_wrong_user_cannot_accept(client, team, staff, outsider):
    invitation, token = _invite(team, staff)
    client.force_login(outsider)
    response = client.post(
        reverse("teams:invitation", args=[token]), {"answer": "accept"}
    )
    assert "was sent to ivy@example.edu" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert not Membership.objects.filter(user=outsider, team=team).exists()


def test_an_unknown_token_is_404(client, invitee):
    client.force_login(invitee)
    assert client.get(reverse("teams:invitation", args=["nope"])).status_code == 404


def test_someone_without_an_account_is_led_through_sign_up_and_verification(
    client, team, staff, mailoutbox, django_capture_on_commit_callbacks
):
    _invitation, token = _invite(team, staff, email="new.person@maine.edu")
    url = reverse("teams:invitation", args=[token])
    page = client.get(url).content.decode()
    signup = (
        re.search(r'href="(/accounts/signup/[^"]+)"', page)
        .group(1)
        .replace("&amp;", "&")
    )
    form = client.get(signup).context["form"]
    assert form.initial["email"] == "new.person@maine.edu"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            signup,
            {
                "first_name": "New",
                "last_name": "Person",
                "email": "new.person@maine.edu",
                "username": "newperson",
                "password1": "a-long-unusual-passphrase",
                "password2": "a-long-unusual-passphrase",
            },
        )
    assert response.url == reverse("dashboard")
    # Unverified, the account cannot take the invitation, nor hear of it in the app.
    assert client.post(url, {"answer": "accept"}).url == reverse("dashboard")
    assert not Membership.objects.filter(team=team, user__username="newperson").exists()
    assert not Notification.objects.filter(recipient__username="newperson").exists()
    link = re.search(r"http\S+/accounts/verify/\S+", mailoutbox[-1].body).group(0)
    confirm = link.removeprefix(settings.SITE_URL)
    assert client.post(confirm).url == url
    client.post(url, {"answer": "accept"})
    assert Membership.objects.filter(team=team, user__username="newperson").exists()


def test_an_unverified_account_with_the_invited_address_cannot_accept(
    team, staff, outsider
):
    """The reproduction: a sign-up with the invited address, never verified, took
    the invitation (and was told of it in the app)."""
    require_verification(outsider)
    invitation, _token = _invite(team, staff, email=outsider.email)
    assert not Notification.objects.filter(recipient=outsider).exists()
    with pytest.raises(ValidationError, match="Confirm your email"):
        services.accept_invitation(invitation, outsider)
    assert not Membership.objects.filter(team=team, user=outsider).exists()


def test_an_unverified_account_cannot_ask_to_join(team, staff, outsider):
    call = services.open_call(team, by=staff, sought="Faculty")
    require_verification(outsider)
    with pytest.raises(ValidationError, match="Confirm your email"):
        services.request_to_join(
            call, outsider, campus=campus("UMM"), organisation="", message="Me"
        )


def test_an_existing_account_is_notified_in_the_app(team, staff, invitee):
    _invite(team, staff)
    assert Notification.objects.get(recipient=invitee).link.startswith(
        "/team-invitations/"
    )


def test_invitation_form_refuses_members_and_duplicates(client, team, staff, teammate):
    client.force_login(staff)
    url = reverse("teams:invite", args=[team.proposal_id])
    data = {"email": teammate.email, "role": Role.FACULTY, "campus": campus("UMF").pk}
    response = client.post(url, data)
    assert "already a member" in response.content.decode()
    client.post(url, {**data, "email": "ivy@example.edu"})
    response = client.post(url, {**data, "email": "IVY@example.edu"})
    assert "still waiting for an answer" in response.content.decode()
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "missing", "message"),
    [
        (Role.EMPLOYER, "organisation", "Name the employer"),
        (Role.FACULTY, "campus", "Choose the campus"),
    ],
)
def test_invitation_needs_a_campus_or_an_employer(
    client, team, staff, role, missing, message
):
    client.force_login(staff)
    data = {"email": "x@example.edu", "role": role, "message": "Please join us"}
    response = client.post(reverse("teams:invite", args=[team.proposal_id]), data)
    assert message in response.content.decode()
    assert response.context["form"]["message"].value() == "Please join us"
    assert not Invitation.objects.exists()


def test_the_lead_may_invite_but_a_plain_member_may_not(
    client, team, proposer, teammate
):
    url = reverse("teams:invite", args=[team.proposal_id])
    client.force_login(proposer)
    assert client.get(url).status_code == 200
    client.force_login(teammate)
    assert client.get(url).status_code == 403


def test_make_lead_and_remove(client, team, staff, proposer, teammate):
    client.force_login(staff)
    mate = Membership.objects.get(user=teammate)
    client.post(reverse("teams:make_lead", args=[team.proposal_id, mate.pk]))
    assert Membership.objects.get(user=teammate).role == Role.LEAD
    assert Membership.objects.get(user=proposer).role == Role.FACULTY
    response = client.post(
        reverse("teams:remove_member", args=[team.proposal_id, mate.pk]), follow=True
    )
    assert "Hand the lead to someone else" in response.content.decode()
    old_lead = Membership.objects.get(user=proposer)
    client.post(reverse("teams:remove_member", args=[team.proposal_id, old_lead.pk]))
    assert not Membership.objects.filter(user=proposer).exists()


def test_a_second_account_with_the_same_email_cannot_double_join(team, staff, invitee):
    invitation, _token = _invite(team, staff)
    services.accept_invitation(invitation, invitee)
    again, _token = _invite(team, staff, email="other@example.edu")
    other = UserFactory(username="other", email="other@example.edu")
    Membership.objects.create(team=team, user=other, role=Role.FACULTY)
    with pytest.raises(ValidationError, match="already on this team"):
        services.accept_invitation(again, other)


def test_a_mail_server_failure_does_not_lose_the_invitation(
    client, team, staff, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("teams:invite", args=[team.proposal_id]),
            {
                "email": "ivy@example.edu",
                "role": Role.FACULTY,
                "campus": campus("UMF").pk,
            },
        )
    assert response.status_code == 302
    assert Invitation.objects.filter(email="ivy@example.edu").exists()

"""Email verification of self-registered accounts: a signed, expiring link; until it
comes back the account sees only its own dashboard."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from accounts import verification
from accounts.models import PendingVerification
from tests.factories import ProposalFactory, UserFactory

SIGNUP = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@maine.edu",
    "username": "ada",
    "password1": "an-unusual-passphrase-42",
    "password2": "an-unusual-passphrase-42",
}


def _signup(client, capture):
    with capture(execute=True):
        client.post(reverse("signup"), SIGNUP)
    return User.objects.get(username="ada")


def _link(mail) -> str:
    url = re.search(r"http\S+/accounts/verify/\S+", mail.body).group(0)
    return url.removeprefix(settings.SITE_URL)


def test_signup_emails_a_link_and_the_account_sees_only_its_dashboard(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    user = _signup(client, django_capture_on_commit_callbacks)
    assert not verification.is_verified(user)
    assert mailoutbox[0].to == ["ada@maine.edu"]
    dashboard = client.get(reverse("dashboard"))
    assert "Confirm your email address" in dashboard.content.decode()
    for blocked in [
        reverse("proposals:new"),
        reverse("proposals:notifications"),
        reverse("proposals:mine"),
        reverse("proposals:similar") + "?title=x",
    ]:
        assert client.get(blocked).url == reverse("dashboard"), blocked
    assert client.get(reverse("catalog:list")).status_code == 200


def test_the_link_verifies_and_opens_the_site(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    user = _signup(client, django_capture_on_commit_callbacks)
    link = _link(mailoutbox[0])
    # GET only asks (mail scanners follow links); POST confirms.
    assert client.get(link).status_code == 200
    assert PendingVerification.objects.filter(user=user).exists()
    assert client.post(link).url == reverse("dashboard")
    assert not PendingVerification.objects.filter(user=user).exists()
    assert verification.is_verified(User.objects.get(pk=user.pk))
    assert client.get(reverse("proposals:new")).status_code == 200


def test_verifying_in_another_browser_opens_the_first_session(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    _signup(client, django_capture_on_commit_callbacks)
    other = type(client)()
    assert other.post(_link(mailoutbox[0])).url == reverse("login")
    assert client.get(reverse("proposals:new")).status_code == 200


def test_a_later_sign_in_is_still_gated(client, db, django_capture_on_commit_callbacks):
    user = _signup(client, django_capture_on_commit_callbacks)
    client.logout()
    client.force_login(user)
    assert client.get(reverse("proposals:new")).url == reverse("dashboard")


@pytest.mark.parametrize("tamper", ["forged", "expired", "address changed"])
def test_a_forged_expired_or_outdated_link_verifies_nothing(
    client, db, mailoutbox, django_capture_on_commit_callbacks, monkeypatch, tamper
):
    user = _signup(client, django_capture_on_commit_callbacks)
    link = _link(mailoutbox[0])
    if tamper == "forged":
        token = signing.dumps({"user": user.pk, "email": user.email}, salt="other")
        link = reverse("verify_email", args=[token])
    elif tamper == "expired":
        monkeypatch.setattr(verification, "MAX_AGE", timedelta(seconds=-1))
    else:
        User.objects.filter(pk=user.pk).update(email="someone.else@maine.edu")
    response = client.post(link, follow=True)
    assert "invalid or has expired" in response.content.decode()
    assert PendingVerification.objects.filter(user=user).exists()


def test_resend_sends_at_most_one_link_a_minute(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    user = _signup(client, django_capture_on_commit_callbacks)
    resend = reverse("verify_email_resend")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(resend)
    assert len(mailoutbox) == 1
    PendingVerification.objects.filter(user=user).update(
        sent_at=timezone.now() - timedelta(minutes=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(resend)
    assert len(mailoutbox) == 2
    assert _link(mailoutbox[1])


def test_accounts_not_made_by_sign_up_count_as_verified(client, db):
    """Admin-created, demo and pre-existing accounts have no pending row."""
    user = UserFactory()
    assert verification.is_verified(user)
    client.force_login(user)
    assert client.get(reverse("proposals:new")).status_code == 200


def test_an_unverified_proposer_is_not_shown_their_proposal_page(
    client, db, django_capture_on_commit_callbacks
):
    user = _signup(client, django_capture_on_commit_callbacks)
    proposal = ProposalFactory(proposer=user)
    assert client.get(proposal.get_absolute_url()).url == reverse("dashboard")


def test_a_password_reset_proves_the_address(client, db, mailoutbox):
    user = UserFactory(username="newcomer", email="newcomer@maine.edu")
    verification.require_verification(user)
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"http://\S+/accounts/reset/\S+/", mailoutbox[-1].body).group(0)
    form = client.get(link, follow=True)
    new = "Quiet-River-2026"
    passwords = {"new_password1": new, "new_password2": new}
    client.post(form.redirect_chain[-1][0], passwords)
    assert verification.is_verified(User.objects.get(pk=user.pk))

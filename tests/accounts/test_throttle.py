"""Sign-in throttling by (username, address) and by address, counted before the
password is checked; a password reset lifts the lock; reset emails are rate-limited
without telling which emails have accounts."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import PasswordResetRequest, SignInFailure
from tests.factories import UserFactory

ATTACKER = "203.0.113.9"
OWNER = "192.0.2.44"


def _sign_in(client, username, password, address=OWNER):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def _lock_out(client, username, address=ATTACKER):
    for _ in range(5):
        assert "correct username" in _sign_in(client, username, "wrong", address).text
    assert "Too many failed" in _sign_in(client, username, "pw", address).text


def test_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out(client, db):
    UserFactory(username="member4")
    _lock_out(client, "member4")
    assert _sign_in(Client(), "member4", "pw", OWNER).status_code == 302


def test_refused_attempts_are_not_counted_and_do_not_prolong_the_lock(client, db):
    UserFactory(username="member4")
    _lock_out(client, "member4")
    for _ in range(3):
        _sign_in(client, "member4", "wrong", ATTACKER)
    assert SignInFailure.objects.filter(username="member4").count() == 5


def test_an_incomplete_form_is_not_a_failure(client, db):
    client.post(reverse("login"), {"username": "member4"})
    assert not SignInFailure.objects.exists()


def _reset_link(client, mailoutbox, email, address=OWNER) -> str:
    response = client.post(
        reverse("password_reset"), {"email": email}, REMOTE_ADDR=address
    )
    assert response.status_code == 302
    return re.search(r"http://\S+/accounts/reset/\S+/", mailoutbox[-1].body).group(0)


def test_a_password_reset_lifts_the_lock(client, db, mailoutbox):
    UserFactory(username="member4", email="member4@maine.edu")
    _lock_out(client, "member4", OWNER)
    link = _reset_link(client, mailoutbox, "member4@maine.edu")
    form = client.get(link, follow=True)
    new = "Quiet-River-2026"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.url == reverse("password_reset_complete")
    assert _sign_in(client, "member4", new, OWNER).status_code == 302


def _request_reset(client, email, address=OWNER):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_reset_emails_are_limited_per_email_alike_for_unknown_emails(
    client, db, mailoutbox
):
    UserFactory(username="member4", email="member4@maine.edu")
    for n in range(3):
        assert (
            _request_reset(client, "member4@maine.edu", f"198.51.100.{n}").status_code
            == 302
        )
        assert (
            _request_reset(client, "nobody@maine.edu", f"198.51.100.{n}").status_code
            == 302
        )
    assert len(mailoutbox) == 3
    known = _request_reset(client, "Member4@maine.edu", "198.51.100.9")
    unknown = _request_reset(client, "nobody@maine.edu", "198.51.100.9")
    assert len(mailoutbox) == 3
    for response in (known, unknown):
        assert response.status_code == 200
        assert "Too many password reset requests" in response.text
    assert known.context["form"].errors == unknown.context["form"].errors


def test_reset_emails_are_limited_per_address(client, db, mailoutbox):
    for n in range(10):
        UserFactory(username=f"user{n}", email=f"user{n}@maine.edu")
        assert _request_reset(client, f"user{n}@maine.edu").status_code == 302
    response = _request_reset(client, "user0@maine.edu")
    assert "Too many password reset requests" in response.text
    assert len(mailoutbox) == 10
    assert PasswordResetRequest.objects.count() == 10


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent PostgreSQL connections"
)
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_guesses_get_five_tries():
    UserFactory(username="member4")
    barrier = threading.Barrier(20)
    answers = [None] * 20

    def guess(index):
        try:
            client = Client()
            barrier.wait(timeout=10)
            answers[index] = _sign_in(client, "member4", f"guess{index}", ATTACKER).text
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    checked = [a for a in answers if "correct username and password" in a]
    refused = [a for a in answers if "Too many failed sign-ins" in a]
    assert (len(checked), len(refused)) == (5, 15)
    assert SignInFailure.objects.filter(username="member4").count() == 5

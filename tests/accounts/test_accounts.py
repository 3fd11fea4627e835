import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from accounts.permissions import is_chair, is_committee_member, is_mc_staff, role_labels

SIGNUP = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "Ada@Maine.edu",
    "username": "ada",
    "password1": "an-unusual-passphrase-42",
    "password2": "an-unusual-passphrase-42",
}


def test_signup_creates_a_proposer_and_signs_them_in(client, db):
    response = client.post(reverse("signup"), SIGNUP)
    assert response.url == reverse("dashboard")
    user = User.objects.get(username="ada")
    assert user.email == "ada@maine.edu"
    assert not user.groups.exists()
    assert client.get(reverse("dashboard")).status_code == 200


def test_signup_keeps_a_safe_next_page_only_for_after_verification(client, db):
    response = client.post(reverse("signup") + "?next=/proposals/new/", SIGNUP)
    assert response.url == reverse("dashboard")
    assert client.session["after_verification"] == "/proposals/new/"
    client.logout()
    data = {**SIGNUP, "username": "ada2", "email": "ada2@maine.edu"}
    client.post(reverse("signup") + "?next=https://evil.example/", data)
    assert "after_verification" not in client.session


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"password2": "different-passphrase-42"}, "password2"),
        ({"email": "nope"}, "email"),
        ({"first_name": ""}, "first_name"),
        ({"password1": "123", "password2": "123"}, "password2"),
    ],
)
def test_signup_errors_keep_what_was_typed(client, db, changes, field):
    response = client.post(reverse("signup"), {**SIGNUP, **changes})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["form"]["last_name"].value() == "Lovelace"
    assert not User.objects.exists()


def test_an_email_can_only_have_one_account(client, proposer):
    response = client.post(
        reverse("signup"), {**SIGNUP, "email": proposer.email.upper()}
    )
    assert "already uses this email" in response.content.decode()


def test_sign_in_and_sign_out(client, proposer):
    response = client.post(reverse("login"), {"username": "fran", "password": "pw"})
    assert response.url == reverse("dashboard")
    response = client.post(reverse("logout"))
    assert response.url == reverse("home")
    assert client.get(reverse("dashboard")).status_code == 302


def test_wrong_password_is_explained(client, proposer):
    response = client.post(reverse("login"), {"username": "fran", "password": "no"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_password_change(client, proposer):
    client.force_login(proposer)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw",
            "new_password1": "another-long-passphrase-7",
            "new_password2": "another-long-passphrase-7",
        },
    )
    assert response.url == reverse("password_change_done")
    proposer.refresh_from_db()
    assert proposer.check_password("another-long-passphrase-7")


def test_roles(personas):
    assert is_mc_staff(personas["staff"]) and is_mc_staff(personas["admin"])
    assert not is_mc_staff(personas["chair"])
    assert is_committee_member(personas["chair"]) and is_chair(personas["chair"])
    assert is_committee_member(personas["member"]) and not is_chair(personas["member"])
    assert role_labels(personas["proposer"]) == ["Proposer"]
    assert role_labels(personas["chair"]) == ["Committee chair", "Proposer"]


def test_password_reset_by_email(client, proposer, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": proposer.email})
    assert response.url == reverse("password_reset_done")
    link = next(line for line in mailoutbox[0].body.splitlines() if "/reset/" in line)
    response = client.get(link.strip(), follow=True)
    response = client.post(
        response.request["PATH_INFO"],
        {
            "new_password1": "fresh-passphrase-93",
            "new_password2": "fresh-passphrase-93",
        },
    )
    assert response.url == reverse("password_reset_complete")
    proposer.refresh_from_db()
    assert proposer.check_password("fresh-passphrase-93")

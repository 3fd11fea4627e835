"""SAML 2.0 campus sign-in against a real IdP (saml-idp): signed requests, signed and
encrypted assertions, just-in-time accounts, linking, refusals and sign-out."""

import base64
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import User
from django.urls import reverse
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from accounts.models import PendingVerification, Profile
from accounts.permissions import STAFF_GROUP
from tests.factories import UserFactory
from tests.sso.providers import (
    SAML_SLUG,
    make_key_pair,
    post_to_acs,
    saml_person,
    saml_response,
)

REFUSED = "Campus sign-in refused"


def sign_in(client, idp, **person):
    return post_to_acs(client, saml_response(client, idp.url, saml_person(**person)))


def test_request_is_signed_and_the_assertion_arrives_encrypted(
    client, saml_app, saml_idp
):
    start = client.get(reverse("sso_start", args=[SAML_SLUG]))
    query = parse_qs(urlsplit(start["Location"]).query)
    assert {"SAMLRequest", "Signature", "SigAlg"} <= query.keys()

    answer = saml_response(client, saml_idp.url, saml_person())
    assert b"EncryptedAssertion" in base64.b64decode(answer["SAMLResponse"])


def test_first_sign_in_creates_the_account_with_campus_and_department(
    client, saml_app, saml_idp
):
    response = sign_in(client, saml_idp)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    user = User.objects.get(email="ada@maine.edu")
    assert (user.first_name, user.last_name) == ("Ada", "Byron")
    assert not user.has_usable_password()
    profile = Profile.objects.get(user=user)
    assert (profile.campus.short_name, profile.department) == ("UMaine", "Nursing")
    assert client.get(reverse("dashboard")).context["user"] == user


def test_second_sign_in_reuses_the_account_and_refreshes_the_department(
    client, saml_app, saml_idp
):
    sign_in(client, saml_idp)
    client.post(reverse("logout"))
    sign_in(client, saml_idp, ou="Nursing Education")

    user = User.objects.get()
    assert SocialAccount.objects.get().user == user
    assert user.profile.department == "Nursing Education"


def test_existing_confirmed_account_with_the_email_is_linked_not_duplicated(
    client, saml_app, saml_idp
):
    local = UserFactory(email="ada@maine.edu", password="local password 1")

    sign_in(client, saml_idp)

    assert User.objects.get() == local
    assert SocialAccount.objects.get().user == local
    local.refresh_from_db()
    assert local.check_password("local password 1")


def test_unconfirmed_account_with_the_email_is_not_taken_over(
    client, saml_app, saml_idp
):
    squatter = UserFactory(email="ada@maine.edu")
    PendingVerification.objects.create(user=squatter)

    response = sign_in(client, saml_idp)

    assert response.status_code == 403
    assert REFUSED in response.text
    assert not SocialAccount.objects.exists()
    assert "_auth_user_id" not in client.session


def test_tampered_response_is_refused(client, saml_app, saml_idp):
    answer = saml_response(client, saml_idp.url, saml_person())
    xml = base64.b64decode(answer["SAMLResponse"])
    tampered = xml.replace(b'Version="2.0"', b'Version="2.0" Consent="urn:x"', 1)
    answer["SAMLResponse"] = base64.b64encode(tampered).decode()

    response = post_to_acs(client, answer)

    assert response.status_code == 403
    assert REFUSED in response.text
    assert not User.objects.exists()


def test_expired_assertion_is_refused(client, saml_app, saml_idp, monkeypatch):
    answer = saml_response(client, saml_idp.url, saml_person())
    # Posted two hours later: past the assertion's one-hour NotOnOrAfter.
    later = int(time.time()) + 2 * 3600
    monkeypatch.setattr(OneLogin_Saml2_Utils, "now", staticmethod(lambda: later))

    response = post_to_acs(client, answer)

    assert response.status_code == 403
    assert not User.objects.exists()


def test_replayed_response_is_refused(client, saml_app, saml_idp):
    answer = saml_response(client, saml_idp.url, saml_person())
    post_to_acs(client, answer)
    client.post(reverse("logout"))

    response = post_to_acs(client, answer)

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_answer_from_an_idp_the_site_does_not_trust_is_refused(
    client, saml_app, saml_idp
):
    saml_app.settings["idp"] = {
        "entity_id": "urn:mc-tests:umaine-idp",
        "sso_url": f"{saml_idp.url}/saml/sso",
        "x509cert": make_key_pair("another identity provider").cert_body,
    }
    saml_app.save()

    response = sign_in(client, saml_idp)

    assert response.status_code == 403
    assert not User.objects.exists()


def test_unknown_campus_is_refused(client, saml_app):
    assert client.get(reverse("sso_start", args=["nowhere"])).status_code == 404
    acs = client.post(reverse("saml_acs", args=["nowhere"]), {"SAMLResponse": "x"})
    assert client.get(acs["Location"]).status_code == 404


@pytest.mark.parametrize(("groups", "is_staff"), [("mc-office", True), ("x", False)])
def test_directory_group_grants_and_withdraws_the_staff_group(
    client, saml_app, saml_idp, groups, is_staff
):
    user = UserFactory(email="ada@maine.edu", groups=[STAFF_GROUP])

    sign_in(client, saml_idp, groups=groups)

    assert user.groups.filter(name=STAFF_GROUP).exists() is is_staff


def test_sign_out_ends_the_site_session(client, saml_app, saml_idp):
    sign_in(client, saml_idp)

    client.post(reverse("logout"))

    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("login"))


def test_administrators_see_the_campus_and_department(
    client, saml_app, saml_idp, site_admin
):
    sign_in(client, saml_idp)
    user = User.objects.get(email="ada@maine.edu")

    client.force_login(site_admin)
    page = client.get(reverse("admin:auth_user_change", args=[user.pk]))

    assert "University of Maine" in page.text
    assert "Nursing" in page.text


def test_names_and_department_longer_than_the_account_holds_are_cut(
    client, saml_app, saml_idp
):
    sign_in(client, saml_idp, given="G" * 400, surname="S" * 400, ou="D" * 400)

    user = User.objects.get(email="ada@maine.edu")
    assert (len(user.first_name), len(user.last_name)) == (150, 150)
    assert len(user.profile.department) == 200

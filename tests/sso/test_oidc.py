"""OpenID Connect campus sign-in against a real provider (oidc-provider): PKCE, state
and nonce, just-in-time accounts, linking and refusals."""

import re
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import User
from django.urls import reverse

from accounts.permissions import STAFF_GROUP
from tests.factories import UserFactory
from tests.sso.providers import OIDC_SLUG, browse_until_site, oidc_sign_in

REFUSED = "Campus sign-in refused"


def _replace_param(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    return parts._replace(query=urlencode({**query, name: value})).geturl()


def test_request_uses_pkce_and_a_nonce(client, oidc_app):
    start = client.get(reverse("sso_start", args=[OIDC_SLUG]))

    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert {"code_challenge", "nonce", "state"} <= query.keys()


def test_first_sign_in_creates_the_account_with_campus_and_department(
    client, oidc_app, oidc_op
):
    response = oidc_sign_in(client, oidc_op.url, "grace")

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    user = User.objects.get(email="grace@maine.edu")
    assert (user.first_name, user.last_name) == ("Grace", "Hopper")
    assert (user.profile.campus.short_name, user.profile.department) == (
        "USM",
        "Computer Science",
    )


def test_second_sign_in_reuses_the_account(client, oidc_app, oidc_op):
    oidc_sign_in(client, oidc_op.url, "grace")
    client.post(reverse("logout"))
    response = oidc_sign_in(client, oidc_op.url, "grace")

    assert response.status_code == 302
    assert User.objects.count() == SocialAccount.objects.count() == 1


def test_wrong_state_is_refused(client, oidc_app, oidc_op):
    def forge(step, url):
        return _replace_param(url, "state", "forged") if step == "callback" else url

    response = oidc_sign_in(client, oidc_op.url, "grace", alter=forge)

    assert response.status_code == 403
    assert REFUSED in response.text
    assert not User.objects.exists()


def test_wrong_nonce_is_refused(client, oidc_app, oidc_op):
    def forge(step, url):
        return _replace_param(url, "nonce", "forged") if step == "authorize" else url

    response = oidc_sign_in(client, oidc_op.url, "grace", alter=forge)

    assert response.status_code == 403
    assert "did not match this sign-in" in response.text
    assert not User.objects.exists()


def test_existing_confirmed_account_is_linked_when_the_provider_verified_the_email(
    client, oidc_app, oidc_op
):
    local = UserFactory(email="ada@maine.edu")

    oidc_sign_in(client, oidc_op.url, "ada")

    assert User.objects.get() == local
    assert SocialAccount.objects.get().user == local


def test_existing_account_is_not_linked_to_an_unverified_email(
    client, oidc_app, oidc_op
):
    UserFactory(email="una@maine.edu")

    response = oidc_sign_in(client, oidc_op.url, "unverified")

    assert response.status_code == 403
    assert not SocialAccount.objects.exists()


def test_directory_group_grants_the_staff_group(client, oidc_app, oidc_op):
    oidc_sign_in(client, oidc_op.url, "office")

    user = User.objects.get(email="olive@maine.edu")
    assert user.groups.filter(name=STAFF_GROUP).exists()


def test_sign_out_offers_the_campus_sign_out_which_the_provider_honours(
    client, oidc_app, oidc_op
):
    with requests.Session() as browser:
        oidc_sign_in(client, oidc_op.url, "grace", browser=browser)
        page = client.post(reverse("logout"))
        assert "_auth_user_id" not in client.session
        link = re.search(r'href="([^"]*/session/end[^"]*)"', page.text)
        assert "Sign out of University of Southern Maine too" in page.text

        back = browse_until_site(browser, unescape(link.group(1)))
        assert back == "http://testserver/"
        # The provider's session ended: the next sign-in asks for the login again.
        start = client.get(reverse("sso_start", args=[OIDC_SLUG]))
        login_page = browser.get(start["Location"], timeout=10)
        assert 'name="login"' in login_page.text

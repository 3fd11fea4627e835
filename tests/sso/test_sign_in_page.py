"""The sign-in page: a button per campus, the campus found from an email address,
and local accounts that a deployment may switch off."""

from django.urls import reverse

from tests.factories import UserFactory
from tests.sso.providers import OIDC_SLUG, SAML_SLUG


def test_page_offers_each_campus_and_lets_the_browser_go_there(client, offline_apps):
    response = client.get(reverse("login") + "?next=/proposals/")

    for slug in (SAML_SLUG, OIDC_SLUG):
        assert f"{reverse('sso_start', args=[slug])}?next=/proposals/" in response.text
    policy = response["Content-Security-Policy"]
    assert "form-action 'self' https://idp.maine.edu https://login.usm.maine.edu" in (
        policy
    )


def test_page_without_campuses_keeps_the_site_policy(client, db, settings):
    response = client.get(reverse("login"))

    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert "With your campus account" not in response.text


def test_email_finds_the_campus_of_its_domain(client, offline_apps):
    response = client.get(reverse("sso_find"), {"email": "Ada@Maine.edu"})

    assert response.status_code == 302
    assert response["Location"].startswith("https://idp.maine.edu/sso?SAMLRequest=")


def test_provider_that_does_not_answer_gets_a_clear_page(client, offline_apps):
    # The offline OIDC campus's discovery address does not resolve.
    response = client.get(reverse("sso_find"), {"email": "sam@usm.maine.edu"})

    assert response.status_code == 503
    assert "sign-in service did not answer" in response.text


def test_idp_metadata_that_cannot_be_fetched_gets_a_clear_page(client, saml_app):
    saml_app.settings["idp"]["metadata_url"] = "http://127.0.0.1:9/metadata"
    saml_app.save()

    response = client.get(reverse("saml_metadata", args=[SAML_SLUG]))

    assert response.status_code == 503


def test_email_of_no_campus_comes_back_with_what_was_typed(client, offline_apps):
    response = client.get(
        reverse("sso_find"), {"email": "pat@employer.com", "next": "/x/"}, follow=True
    )

    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert 'value="pat@employer.com"' in response.text
    assert "No campus sign-in is set up for that address" in response.text


def test_local_accounts_switched_off(client, offline_apps, settings):
    settings.LOCAL_ACCOUNTS = False
    UserFactory(username="pat", password="a local password 1")

    page = client.get(reverse("login"))
    assert 'name="password"' not in page.text
    assert "Create an account" not in page.text
    post = client.post(
        reverse("login"), {"username": "pat", "password": "a local password 1"}
    )
    assert post.status_code == 404
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("signup")).status_code == 404
    assert client.get(reverse("password_reset")).status_code == 404


def test_local_accounts_stay_by_default(client, offline_apps):
    UserFactory(username="pat", password="a local password 1")

    response = client.post(
        reverse("login"), {"username": "pat", "password": "a local password 1"}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_campus_configured_in_settings_instead_of_the_admin(client, db, settings):
    # What SSO_CONFIG_FILE holds: allauth's SOCIALACCOUNT_PROVIDERS.
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "umf",
                    "name": "University of Maine at Farmington",
                    "client_id": "mc",
                    "secret": "s",
                    "settings": {"server_url": "https://login.umf.maine.edu"},
                }
            ]
        }
    }

    page = client.get(reverse("login"))

    assert "Sign in with University of Maine at Farmington" in page.text
    assert reverse("sso_start", args=["umf"]) in page.text

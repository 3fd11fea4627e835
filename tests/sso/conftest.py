"""Campus identity providers as the site knows them (allauth SocialApps)."""

import pytest
from allauth.socialaccount.models import SocialApp

from tests.factories import campus
from tests.sso.providers import (
    IDP_ENTITY_ID,
    OIDC_SLUG,
    SAML_SLUG,
    SP_ENTITY_ID,
    register_oidc_campus,
)


@pytest.fixture
def saml_app(db, saml_idp, sp_keys) -> SocialApp:
    """The University of Maine's IdP, as a campus registers it in the admin."""
    campus("UMaine")
    return SocialApp.objects.create(
        provider="saml",
        provider_id=SAML_SLUG,
        client_id=SAML_SLUG,
        name="University of Maine",
        settings={
            "campus": "UMaine",
            "email_domains": ["maine.edu"],
            "group_map": {"mc-office": "Micro-credential staff"},
            "idp": {
                "entity_id": IDP_ENTITY_ID,
                "metadata_url": f"{saml_idp.url}/metadata",
            },
            "sp": {"entity_id": SP_ENTITY_ID},
            "advanced": {
                "x509cert": sp_keys.cert_body,
                "private_key": sp_keys.key,
                "authn_request_signed": True,
                "want_assertion_encrypted": True,
                "want_assertion_signed": True,
                "want_message_signed": True,
                # The test client's host, "testserver", has no dot.
                "allow_single_label_domains": True,
            },
        },
    )


@pytest.fixture
def oidc_app(db, oidc_op) -> SocialApp:
    """The University of Southern Maine's OpenID provider (Entra ID there)."""
    return register_oidc_campus(oidc_op)


@pytest.fixture
def offline_apps(db, sp_keys) -> None:
    """A SAML and an OIDC campus whose providers are never reached (pages and
    refusals that need no answer from them)."""
    SocialApp.objects.create(
        provider="saml",
        provider_id=SAML_SLUG,
        client_id=SAML_SLUG,
        name="University of Maine",
        settings={
            "email_domains": ["maine.edu"],
            "idp": {
                "entity_id": "urn:offline",
                "sso_url": "https://idp.maine.edu/sso",
                "x509cert": sp_keys.cert_body,
            },
            "advanced": {"allow_single_label_domains": True},
        },
    )
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id=OIDC_SLUG,
        client_id="mc",
        name="University of Southern Maine",
        settings={
            "server_url": "https://login.usm.maine.edu",
            "email_domains": ["usm.maine.edu"],
        },
    )


@pytest.fixture
def client(client):
    """A browser sends Host; python3-saml builds addresses from it."""
    client.defaults["HTTP_HOST"] = "testserver"
    return client

"""Role × action matrix over the campus sign-in addresses. They belong to no role:
every persona, signed in or not, gets the same answer, and none of them needs a
provider to answer (the refusals are the site's own)."""

import pytest
from django.urls import reverse

from tests.matrix import cases, check

PERSONAS = ["anonymous", "outsider", "staff", "admin"]


def _all(status: int) -> dict:
    return dict.fromkeys(PERSONAS, status)


MATRIX = [
    (
        "campus found by email",
        "get",
        lambda p: reverse("sso_find") + "?email=ada@maine.edu",
        _all(302),
    ),
    (
        "campus by email, none",
        "get",
        lambda p: reverse("sso_find") + "?email=x",
        _all(302),
    ),
    (
        "start a campus sign-in",
        "get",
        lambda p: reverse("sso_start", args=["umaine"]),
        _all(302),
    ),
    (
        "start an unknown campus",
        "get",
        lambda p: reverse("sso_start", args=["nope"]),
        _all(404),
    ),
    (
        "SAML metadata",
        "get",
        lambda p: reverse("saml_metadata", args=["umaine"]),
        _all(200),
    ),
    (
        "SAML metadata, unknown campus",
        "get",
        lambda p: reverse("saml_metadata", args=["nope"]),
        _all(404),
    ),
    ("SAML ACS", "post", lambda p: reverse("saml_acs", args=["umaine"]), _all(302)),
    (
        "SAML ACS finish without an answer",
        "get",
        lambda p: reverse("saml_finish_acs", args=["umaine"]),
        _all(403),
    ),
    (
        "SAML single logout without a message",
        "get",
        lambda p: reverse("saml_sls", args=["umaine"]),
        _all(400),
    ),
    (
        "OIDC callback without state",
        "get",
        lambda p: reverse("openid_connect_callback", args=["usm"]) + "?code=x",
        _all(403),
    ),
    (
        "OIDC callback, unknown campus",
        "get",
        lambda p: reverse("openid_connect_callback", args=["nope"]) + "?code=x",
        _all(404),
    ),
]


@pytest.mark.parametrize(
    ("name", "method", "url", "persona", "expected"), cases(MATRIX, PERSONAS)
)
def test_campus_sign_in_matrix(
    client,
    offline_apps,
    outsider,
    staff,
    site_admin,
    name,
    method,
    url,
    persona,
    expected,
):
    client.defaults["HTTP_HOST"] = "testserver"
    user = {"anonymous": None, "outsider": outsider, "staff": staff}.get(
        persona, site_admin
    )
    check(client, user, method, url(None), expected)

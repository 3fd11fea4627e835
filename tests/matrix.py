"""Shared pieces of the role × action permission matrices."""

import pytest
from django.urls import reverse

LOGIN = "login"


def cases(matrix, personas):
    """One test case per (row, persona): name, method, url builder, expected."""
    return [
        pytest.param(
            name, method, url, persona, expected[persona], id=f"{name}-{persona}"
        )
        for name, method, url, expected in matrix
        for persona in personas
    ]


def check(client, user, method: str, url: str, expected, data=None) -> None:
    """Request `url` as `user` (None: anonymous) and compare with the expectation:
    a status code, or LOGIN for a redirect to the sign-in page."""
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected


# The personas of the team and template matrices: a proposal's lead and another team
# member beside the site-wide roles.
TEAM_PERSONAS = [
    "anonymous",
    "outsider",
    "lead",
    "teammate",
    "staff",
    "member",
    "chair",
    "admin",
]


def expect(allowed: set[str], ok: int, personas=TEAM_PERSONAS) -> dict:
    """`ok` for the allowed personas, 403 for the other signed-in ones, 404 for an
    outsider (unless allowed) and the sign-in page for anonymous visitors."""
    expected = {p: (ok if p in allowed else 403) for p in personas}
    expected["anonymous"] = LOGIN
    expected["outsider"] = ok if "outsider" in allowed else 404
    return expected

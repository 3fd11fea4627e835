"""Role × action matrix over every view: anonymous → sign-in page, outsider → 404,
wrong role → 403, wrong method → 405."""

import pytest
from django.urls import reverse

from proposals.models import State
from tests.factories import ProposalFactory
from tests.matrix import LOGIN, cases, check

PERSONAS = ["anonymous", "outsider", "proposer", "staff", "member", "chair", "admin"]


def _expect(**overrides):
    """Expected status per persona; signed-in users get 200 unless overridden."""
    expected = dict.fromkeys(PERSONAS, 200)
    expected["anonymous"] = LOGIN
    expected.update(overrides)
    return expected


# Pages for visitors send a signed-in user on to the dashboard.
PUBLIC_SIGNED_IN_REDIRECT = {"anonymous": 200, **dict.fromkeys(PERSONAS[1:], 302)}
STAFF_ONLY = {"outsider": 403, "proposer": 403, "member": 403, "chair": 403}
STAFF_ONLY_ON_PROPOSAL = {**STAFF_ONLY, "outsider": 404}

# (name, method, url builder, expected per persona)
MATRIX = [
    ("dashboard", "get", lambda p: reverse("dashboard"), _expect()),
    ("new", "get", lambda p: reverse("proposals:new"), _expect()),
    ("similar", "get", lambda p: reverse("proposals:similar") + "?title=x", _expect()),
    ("mine", "get", lambda p: reverse("proposals:mine"), _expect()),
    ("notifications", "get", lambda p: reverse("proposals:notifications"), _expect()),
    (
        "notifications_read",
        "post",
        lambda p: reverse("proposals:notifications_read"),
        _expect(**dict.fromkeys(PERSONAS[1:], 302)),
    ),
    ("queue", "get", lambda p: reverse("proposals:queue"), _expect(**STAFF_ONLY)),
    (
        "committee",
        "get",
        lambda p: reverse("proposals:committee"),
        _expect(outsider=403, proposer=403),
    ),
    ("detail", "get", lambda p: p.get_absolute_url(), _expect(outsider=404)),
    (
        "transition triage (confirm)",
        "get",
        lambda p: reverse("proposals:transition", args=[p.pk, "triage"]),
        _expect(**STAFF_ONLY_ON_PROPOSAL),
    ),
    (
        "transition triage",
        "post",
        lambda p: reverse("proposals:transition", args=[p.pk, "triage"]),
        _expect(**{**STAFF_ONLY_ON_PROPOSAL, "staff": 302, "admin": 302}),
    ),
    (
        "edit interest form",
        "get",
        lambda p: reverse("proposals:edit", args=[p.pk]),
        _expect(outsider=404, staff=403, member=403, chair=403, admin=403),
    ),
    (
        "triage and accept (confirm)",
        "get",
        lambda p: reverse("proposals:transition", args=[p.pk, "triage_and_accept"]),
        _expect(**STAFF_ONLY_ON_PROPOSAL),
    ),
    (
        "triage and accept",
        "post",
        lambda p: reverse("proposals:transition", args=[p.pk, "triage_and_accept"]),
        _expect(**{**STAFF_ONLY_ON_PROPOSAL, "staff": 302, "admin": 302}),
    ),
    (
        "transition withdraw (confirm)",
        "get",
        lambda p: reverse("proposals:transition", args=[p.pk, "withdraw"]),
        _expect(outsider=404, member=403, chair=403),
    ),
    (
        "transition approve (confirm)",
        "get",
        lambda p: reverse("proposals:transition", args=[p.pk, "approve"]),
        # Permission is checked before the state: the chair is told it is not now.
        _expect(
            outsider=404, proposer=403, staff=403, member=403, admin=403, chair=302
        ),
    ),
    (
        "password change",
        "get",
        lambda p: reverse("password_change"),
        _expect(),
    ),
    ("home", "get", lambda p: reverse("home"), _expect(**PUBLIC_SIGNED_IN_REDIRECT)),
    (
        "signup",
        "get",
        lambda p: reverse("signup"),
        _expect(**PUBLIC_SIGNED_IN_REDIRECT),
    ),
    ("login", "get", lambda p: reverse("login"), _expect(anonymous=200)),
    (
        "password reset",
        "get",
        lambda p: reverse("password_reset"),
        _expect(anonymous=200),
    ),
    ("healthz", "get", lambda p: reverse("healthz"), _expect(anonymous=200)),
    (
        "summary pdf",
        "get",
        lambda p: reverse("proposals:summary_pdf", args=[p.pk]),
        _expect(outsider=404),
    ),
    (
        "password change done",
        "get",
        lambda p: reverse("password_change_done"),
        _expect(),
    ),
    (
        "password reset done",
        "get",
        lambda p: reverse("password_reset_done"),
        _expect(anonymous=200),
    ),
    (
        "password reset confirm (bad link)",
        "get",
        lambda p: reverse("password_reset_confirm", args=["MQ", "set-password"]),
        _expect(anonymous=200),
    ),
    (
        "password reset complete",
        "get",
        lambda p: reverse("password_reset_complete"),
        _expect(anonymous=200),
    ),
    (
        "verify email (bad link)",
        "get",
        lambda p: reverse("verify_email", args=["not-a-token"]),
        _expect(anonymous=200),
    ),
    (
        "verify email resend",
        "post",
        lambda p: reverse("verify_email_resend"),
        _expect(**dict.fromkeys(PERSONAS[1:], 302)),
    ),
    (
        "sign out",
        "post",
        lambda p: reverse("logout"),
        _expect(**dict.fromkeys(PERSONAS, 302)),
    ),
]
CASES = cases(MATRIX, PERSONAS)


@pytest.mark.parametrize(("name", "method", "url", "persona", "expected"), CASES)
def test_permission_matrix(
    client, personas, proposer, name, method, url, persona, expected
):
    proposal = ProposalFactory(proposer=proposer, state=State.SUBMITTED)
    user = None if persona == "anonymous" else personas[persona]
    data = {"expected_state": State.SUBMITTED, "note": ""} if method == "post" else None
    check(client, user, method, url(proposal), expected, data)


def test_published_proposals_record_is_not_open_to_every_signed_in_user(
    client, outsider, proposer
):
    """The public reads the catalog; the record stays with those who have a part."""
    proposal = ProposalFactory(proposer=proposer, state=State.PUBLISHED)
    client.force_login(outsider)
    assert client.get(proposal.get_absolute_url()).status_code == 404


def test_unknown_transition_is_404(client, staff, proposal):
    client.force_login(staff)
    url = reverse("proposals:transition", args=[proposal.pk, "delete"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("url_name", "method", "args"),
    [
        ("proposals:transition", "put", "transition"),
        ("proposals:notifications_read", "get", None),
        ("proposals:detail", "post", "detail"),
        ("healthz", "post", None),
    ],
)
def test_wrong_methods_get_405(client, staff, proposal, url_name, method, args):
    client.force_login(staff)
    if args == "transition":
        url = reverse(url_name, args=[proposal.pk, "triage"])
    elif args == "detail":
        url = reverse(url_name, args=[proposal.pk])
    else:
        url = reverse(url_name)
    assert getattr(client, method)(url).status_code == 405


def test_anonymous_home_is_the_landing_page_and_signed_in_users_go_to_dashboard(
    client, proposer
):
    assert client.get(reverse("home")).status_code == 200
    client.force_login(proposer)
    assert client.get(reverse("home")).url == reverse("dashboard")


def test_healthz_answers_without_signing_in(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}

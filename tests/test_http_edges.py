"""HTTP edges every address shares: HEAD answers wherever GET does, a refusal logs one
line, and an id beyond the database's range is a 404."""

import io
import logging

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.middleware import OneLineForbidden
from proposals.models import State
from tests.factories import (
    ProposalFactory,
    complete_draft,
    confirmed_team,
    published_credential,
)

HUGE = 2**63


def _addresses(patterns, prefix=""):
    """Every address of the URLconf with its parameters filled in."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _addresses(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _fill(route: str, number: int) -> str:
    for converter, value in {"int": str(number), "slug": "x", "str": "x"}.items():
        while f"<{converter}:" in route:
            start = route.index(f"<{converter}:")
            route = route[:start] + value + route[route.index(">", start) + 1 :]
    return "/" + route.lstrip("^").rstrip("$")


ADDRESSES = sorted(
    {
        _fill(route, 1)
        for route in _addresses(get_resolver().url_patterns)
        if not route.startswith("admin/")
    }
)


def test_healthz_and_public_badge_files_answer_head(client, db):
    proposal = published_credential()
    key = proposal.catalog_badges.first().key
    for url in [
        reverse("healthz"),
        reverse("catalog:export", args=[proposal.pk, key, "image.png"]),
        reverse("catalog:export", args=[proposal.pk, key, "achievement.json"]),
        reverse("catalog:summary", args=[proposal.pk]),
        reverse("catalog:list"),
    ]:
        get, head = client.get(url), client.head(url)
        assert head.status_code == get.status_code == 200, url
        assert head["Content-Type"] == get["Content-Type"]
        assert head.content == b""


def test_head_on_a_signed_in_page_answers_like_get(client, staff):
    client.force_login(staff)
    head = client.head(reverse("dashboard"))
    assert head.status_code == 200
    assert head.content == b""
    assert int(head["Content-Length"]) > 0


@pytest.mark.parametrize("url", ADDRESSES)
def test_head_is_refused_only_where_get_is(client, db, url):
    assert client.head(url).status_code == client.get(url).status_code


def test_head_runs_no_post_only_action(client, staff):
    client.force_login(staff)
    response = client.head(reverse("proposals:notifications_read"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"


@pytest.mark.parametrize("debug", [False, True])
def test_a_refusal_is_logged_in_one_line(client, proposer, settings, debug):
    # With DEBUG (make run) Django's own console handler would add a traceback.
    settings.DEBUG = debug
    consoles = [h for h in logging.getLogger("django").handlers if h.name == "console"]
    assert consoles and all(
        any(isinstance(f, OneLineForbidden) for f in h.filters) for h in consoles
    )
    console = next(h for h in logging.getLogger().handlers if h.name == "console")
    stream = io.StringIO()
    previous = console.setStream(stream)
    client.force_login(proposer)
    try:
        assert client.get(reverse("proposals:queue")).status_code == 403
    finally:
        console.setStream(previous)
    logged = stream.getvalue()
    assert "Forbidden (Permission denied): /proposals/queue/" in logged
    assert "Traceback" not in logged
    assert len(logged.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "url", sorted({_fill(u, HUGE) for u in ADDRESSES if "1" in u} - set(ADDRESSES))
)
def test_ids_beyond_64_bits_are_not_found(client, staff, url):
    client.force_login(staff)
    assert client.get(url).status_code == 404


def test_the_reported_huge_badge_image_is_not_found(client, db):
    published_credential()
    url = f"/catalog/{HUGE}/badges/x/image.png"
    assert client.get(url).status_code == 404


def test_a_superscript_digit_is_not_a_revision_number(client, proposer):
    proposal = ProposalFactory(proposer=proposer, state=State.DRAFTING)
    confirmed_team(proposal)
    complete_draft(proposal)
    client.force_login(proposer)
    url = reverse("drafts:compare", args=[proposal.pk])
    assert client.get(url, {"a": "²", "b": "1"}).status_code == 200


@pytest.mark.parametrize("number", ["¹", "²³", str(HUGE) * 2, "٣"])
def test_a_number_in_a_query_that_int_refuses_is_ignored(client, proposer, number):
    """ "¹" passes str.isdigit() but not int(); digits beyond 64 bits overflow."""
    client.force_login(proposer)
    url = reverse("proposals:similar")
    response = client.get(url, {"title": "Welding", "exclude": number})
    assert response.status_code == 200

"""Approved mappings on the public side, through the catalog hook: the badge's public
page, the catalog's cards and filter, the public PDF and the Open Badges criteria
narrative show where to earn the badge; other states never do, and a retired
mapping disappears from all of them."""

import json
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from credentials.openbadges import ob2_problems, ob3_problems
from proposals.models import Proposal
from proposals.models import State as ProposalState
from tests.factories import UserFactory, campus, course_mapping

EARN = "ENG 101 College Composition, University of Maine at Augusta, from Fall 2027"


@pytest.fixture
def uma(db):
    place = campus("UMA")
    place.name = "University of Maine at Augusta"
    place.save()
    return place


def _page(client, credential) -> str:
    return client.get(
        reverse("catalog:credential", args=[credential.pk])
    ).content.decode()


def _narratives(client, badge) -> list[str]:
    ob3 = json.loads(client.get(badge.export_url("achievement.json")).content)
    ob2 = json.loads(client.get(badge.export_url("badgeclass.json")).content)
    assert ob3_problems(ob3) == [] and ob2_problems(ob2) == []
    return [ob3["criteria"]["narrative"], ob2["criteria"]["narrative"]]


@pytest.mark.parametrize("state", ["draft", "submitted", "changes_requested"])
def test_only_approved_mappings_are_public(client, mapping_in, credential, uma, state):
    mapping_in(state, campus=uma)
    assert "Earn it in" not in _page(client, credential)


def test_an_approved_mapping_shows_everywhere_until_retired(
    client, mapping_in, credential, badge, uma, staff
):
    # Seen once before the approval: the cached exports must not keep the old text.
    assert all("Earn it in" not in text for text in _narratives(client, badge))
    mapping = mapping_in("submitted", campus=uma)
    services.perform(mapping, "approve", user=staff)
    assert EARN in _page(client, credential)
    for text in _narratives(client, badge):
        assert f"Earn it in: {EARN}" in text
    catalog = client.get(reverse("catalog:list"), {"offered": "UMA"}).content.decode()
    assert badge.name in catalog and EARN in catalog
    pdf = client.get(reverse("catalog:summary", args=[credential.pk])).content
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "ENG 101 College Composition" in text

    services.perform(mapping, "retire", user=staff, note="Course redesigned.")
    assert "Earn it in" not in _page(client, credential)
    assert all("Earn it in" not in text for text in _narratives(client, badge))
    assert mapping.steps.filter(target="approved").exists()


def test_the_catalog_filter_lists_only_badges_offered_at_the_campus(
    client, mapping_in, credential, badge, uma
):
    mapping_in("approved", campus=uma)
    other = credential.catalog_badges.exclude(pk=badge.pk).first()
    page = client.get(reverse("catalog:list"), {"offered": "UMA"}).content.decode()
    assert badge.name in page and other.name not in page
    assert "University of Maine at Augusta" in page
    unknown = client.get(reverse("catalog:list"), {"offered": "Nowhere"})
    assert unknown.status_code == 200


def test_a_retired_credential_takes_its_campuses_out_of_the_filter(
    client, mapping_in, credential, uma
):
    mapping_in("approved", campus=uma)
    option = '<option value="UMA">UMA · University of Maine at Augusta</option>'
    assert option in client.get(reverse("catalog:list")).content.decode()
    Proposal.objects.filter(pk=credential.pk).update(state=ProposalState.RETIRED)
    assert option not in client.get(reverse("catalog:list")).content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_catalog_queries_do_not_grow_with_mappings(client, credential, badge, uma):
    course_mapping(UserFactory(), state="approved", badge=badge, campus=uma)
    pages = [
        reverse("catalog:list"),
        reverse("catalog:credential", args=[credential.pk]),
    ]
    before = [_queries(client, url) for url in pages]
    for n, other in enumerate(credential.catalog_badges.all()):
        course_mapping(
            UserFactory(), state="approved", badge=other, course_code=f"BIO {n}"
        )
    assert [_queries(client, url) for url in pages] == before

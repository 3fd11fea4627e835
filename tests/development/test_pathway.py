"""The development pathway is a published credential of the catalog, seeded once."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from credentials.catalog import publication_problems
from credentials.openbadges import export_problems
from development import pathway
from development.models import PathwayBadge
from proposals.models import Proposal, State


def test_the_pathway_is_published_with_seed_003s_four_badges(loaded):
    assert list(loaded) == ["1", "2", "3", "macro"]
    proposal = loaded["1"].proposal
    assert proposal.state == State.PUBLISHED
    assert proposal.title == "UMS Micro-Credential Development"
    level1 = proposal.drafts.get().revision.content["badges"][0]
    assert "80 %" in level1["passing_threshold"]
    macro = loaded["macro"]
    assert [b.level for b in macro.prerequisites.all()] == ["3"]


def test_its_exports_pass_the_open_badges_checks(loaded):
    proposal = loaded["1"].proposal
    assert publication_problems(proposal) == []
    for entry in loaded.values():
        assert export_problems(entry) == [], entry


def test_it_shows_in_the_public_catalog(client, loaded):
    response = client.get(reverse("catalog:list") + "?q=Micro-Credential+Development")
    assert "Micro-Credential Development Level 1" in response.text
    page = client.get(reverse("catalog:credential", args=[loaded["1"].proposal_id]))
    assert page.status_code == 200
    assert "80 % or higher" in page.text


def test_loading_twice_adds_nothing(loaded, site_admin):
    assert pathway.ensure(site_admin) is None
    assert Proposal.objects.filter(title=pathway.TITLE).count() == 1
    assert PathwayBadge.objects.count() == 4


def test_the_command_needs_an_account_and_is_idempotent(db, site_admin):
    out = io.StringIO()
    call_command("load_development_pathway", stdout=out)
    assert "Published UMS Micro-Credential Development" in out.getvalue()
    call_command("load_development_pathway", stdout=out)
    assert "already in the catalog" in out.getvalue()
    with pytest.raises(CommandError, match="No account"):
        call_command("load_development_pathway", by="nobody")


def test_the_command_without_a_superuser_says_what_to_do(db):
    with pytest.raises(CommandError, match="createsuperuser"):
        call_command("load_development_pathway")

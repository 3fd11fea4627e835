import io

from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from awards.models import Award, Source
from development import pathway, progress
from development.models import Evidence, LaunchChecklist
from proposals.models import Proposal


def _held(username: str) -> list[str]:
    mine = progress.for_person(User.objects.get(username=username))
    return [level.level for level in mine.levels if level.held]


def test_the_demo_holds_the_pathway_and_the_badges_its_record_earns(client, db):
    call_command("load_demo", stdout=io.StringIO())
    assert len(pathway.badges()) == 4
    assert _held("faculty") == ["1", "2", "3", "macro"]
    assert _held("designer") == ["1", "2"]
    assert _held("proposer2") == ["1"]
    assert _held("partner") == []
    revoked = Award.objects.get(revoked_at__isnull=False, source=Source.DEVELOPMENT)
    assert revoked.recipient.username == "proposer2" and revoked.revocation_reason
    counts = (
        Evidence.objects.count(),
        LaunchChecklist.objects.count(),
        Award.objects.count(),
    )
    call_command("load_demo", stdout=io.StringIO())
    assert counts == (
        Evidence.objects.count(),
        LaunchChecklist.objects.count(),
        Award.objects.count(),
    )
    assert Proposal.objects.filter(title=pathway.TITLE).count() == 1
    client.force_login(User.objects.get(username="staff"))
    page = client.get(reverse("development:staff") + "?ready=2")
    assert "Avery Martin" in page.text and "Pat Moreau" not in page.text

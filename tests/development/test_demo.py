import io

from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from development import pathway, progress
from development.models import Evidence, LaunchChecklist
from proposals.models import Proposal


def test_the_demo_holds_the_pathway_and_people_ready_for_it(client, db):
    call_command("load_demo", stdout=io.StringIO())
    assert len(pathway.badges()) == 4
    people = {user.username: user for user in _demo_people()}
    faculty = progress.for_person(people["faculty"])
    assert [faculty.level(level).ready for level in ("1", "2", "3")] == [True] * 3
    partner = progress.for_person(people["partner"])
    assert not partner.level("1").ready and partner.level("2").requirements[1].met
    counts = (Evidence.objects.count(), LaunchChecklist.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Evidence.objects.count(), LaunchChecklist.objects.count()) == counts
    assert Proposal.objects.filter(title=pathway.TITLE).count() == 1
    client.force_login(User.objects.get(username="staff"))
    page = client.get(reverse("development:staff") + "?ready=3")
    assert "Fran Acker" in page.text and "Pat Moreau" not in page.text


def _demo_people():
    return User.objects.filter(
        username__in=["faculty", "partner", "staff", "designer", "proposer2"]
    )

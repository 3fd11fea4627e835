"""Staff verify and award the pathway's badges: only what the record earns, each
person and badge once, all or nothing, the macro-badge with the third level."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from awards import services as awards
from awards.models import Award, Source
from credentials.proofs.dataintegrity import proof_problems
from development import awarding, progress
from development.models import LaunchChecklist
from proposals.models import State
from tests.development.conftest import (
    ALL_EVIDENCE,
    CHECKLIST,
    LEVEL1,
    evidence,
    person_on_team,
)
from tests.factories import UserFactory


@pytest.fixture
def ready(db, loaded):
    """Someone whose record earns Levels 1, 2 and 3."""
    person, proposal = person_on_team(State.APPROVED)
    LaunchChecklist.objects.create(proposal=proposal, **CHECKLIST)
    evidence(person, ALL_EVIDENCE)
    return person


def _post(client, staff, *values, follow=True):
    client.force_login(staff)
    return client.post(reverse("development:award"), {"award": values}, follow=follow)


def test_the_confirmation_lists_the_evidence(client, staff, ready):
    client.force_login(staff)
    page = client.get(reverse("development:award") + f"?award={ready.pk}:1")
    assert "Level 1 quiz: 80 % or higher" in page.text
    assert "Score 85 %" in page.text
    assert "Confirm: award" in page.text


def test_a_level_is_awarded_signed_to_its_person(
    client, staff, ready, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, staff, f"{ready.pk}:1")
    assert "1 badge awarded" in response.text
    award = Award.objects.get()
    assert (award.recipient, award.source) == (ready, Source.DEVELOPMENT)
    assert award.badge == progress.for_person(ready).level("1").badge
    assert "Level 1 reflection" in award.evidence_narrative
    assert proof_problems(award.credential) == []
    assert [m.to for m in mailoutbox] == [[ready.email]]
    assert progress.for_person(ready).level("1").held


def test_the_three_levels_at_once_bring_the_macro_badge(client, staff, ready):
    _post(client, staff, f"{ready.pk}:1", f"{ready.pk}:2", f"{ready.pk}:3")
    levels = [level.level for level in progress.for_person(ready).levels if level.held]
    assert levels == ["1", "2", "3", "macro"]
    assert Award.objects.count() == 4


def test_the_macro_badge_alone_waits_for_the_levels(client, staff, ready):
    response = _post(client, staff, f"{ready.pk}:macro")
    assert "is not ready for UMS Micro-Credential Development Micro-Credential" in (
        response.text
    )
    assert not Award.objects.exists()


def test_one_not_ready_awards_no_one(client, staff, ready):
    newcomer = UserFactory(first_name="Nat", last_name="New")
    evidence(newcomer, LEVEL1)
    response = _post(client, staff, f"{ready.pk}:1", f"{newcomer.pk}:2")
    assert "Nat New is not ready for Micro-Credential Development Level 2" in (
        response.text
    )
    assert "Member of a confirmed development team" in response.text
    assert not Award.objects.exists()


def test_a_badge_held_is_not_awarded_again(client, staff, ready):
    _post(client, staff, f"{ready.pk}:1")
    response = _post(client, staff, f"{ready.pk}:1")
    assert "already holds Micro-Credential Development Level 1" in response.text
    assert Award.objects.count() == 1


def test_after_a_revocation_the_level_may_be_awarded_again(client, staff, ready):
    _post(client, staff, f"{ready.pk}:1")
    awards.revoke(Award.objects.get(), by=staff, reason="Quiz taken by someone else.")
    assert progress.for_person(ready).level("1").ready
    _post(client, staff, f"{ready.pk}:1")
    assert Award.objects.filter(revoked_at__isnull=True).count() == 1
    assert Award.objects.count() == 2


def test_nonsense_choices_are_dropped(db):
    assert awarding.parse(["1:1", "1:1", "x:1", "2:4", "3:macro", "9" * 30 + ":1"]) == [
        (1, "1"),
        (3, "macro"),
    ]


def test_a_person_sees_their_awards_on_the_dashboard(client, staff, ready):
    _post(client, staff, f"{ready.pk}:1")
    client.force_login(ready)
    page = client.get(reverse("dashboard"))
    award = Award.objects.get()
    assert reverse("awards:verify", args=[award.uuid]) in page.text


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent PostgreSQL connections"
)
@pytest.mark.django_db(transaction=True)
def test_two_staff_awarding_at_once_award_once(reference_data, site_admin):
    from development import pathway

    pathway.ensure(site_admin)
    person, proposal = person_on_team(State.APPROVED)
    LaunchChecklist.objects.create(proposal=proposal, **CHECKLIST)
    evidence(person, ALL_EVIDENCE)
    staff = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(2)
    errors = []

    def act(by):
        try:
            barrier.wait()
            awarding.award([awarding.Choice(person, "1")], by=by)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(by,)) for by in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Award.objects.filter(recipient=person).count() == 1
    assert all("already holds" in str(e) for e in errors), errors

"""A model-based test of one CSV import through the real pages and the worker's body:
staff (and an outsider) confirm, resume and discard in any order, workers run whole
or die part-way, time passes, someone awards a person of the file meanwhile. After every
step the status is what a shadow says, and every row has at most one award, never
an award outside its row."""

import itertools
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from award_imports import services
from award_imports.csvfile import Row
from award_imports.models import AwardImport, Status
from awards import services as awards
from awards.models import Award
from tests.factories import published_credential

ROWS = 4
WHO = ["staff", "outsider"]
# The shadow status of an import that was discarded: it no longer exists.
GONE = "gone"


class Imports(RuleBasedStateMachine):
    people: dict = {}
    badge = None
    # Runs share the database: each imports people of its own.
    runs = itertools.count()
    # Every status the runs went through.
    seen: set = set()

    @initialize()
    def upload(self):
        run = next(self.runs)
        self.rows = [
            Row(n + 2, f"Learner {n}", f"run{run}.learner{n}@example.edu")
            for n in range(ROWS)
        ]
        self.award_import = services.create(
            self.badge, by=self.people["staff"], file_name="m.csv", rows=self.rows
        )
        self.expected = Status.PREVIEW
        self.stale = False
        self.taken = False
        self.clients = {name: Client() for name in WHO}
        for name, client in self.clients.items():
            client.force_login(self.people[name])

    def _post(self, who: str, name: str) -> None:
        url = reverse(f"award_imports:{name}", args=[self.award_import.pk])
        response = self.clients[who].post(url)
        # Staff posting for a discarded file are sent to the list, which says so.
        assert response.status_code == (302 if who == "staff" else 404)

    @rule(who=st.sampled_from(WHO))
    def confirm(self, who):
        self._post(who, "confirm")
        if who == "staff" and self.expected == Status.PREVIEW:
            self.expected = Status.QUEUED

    @rule(who=st.sampled_from(WHO))
    def discard(self, who):
        self._post(who, "discard")
        if who == "staff" and self.expected == Status.PREVIEW:
            self.expected = GONE

    @rule(who=st.sampled_from(WHO))
    def resume(self, who):
        self._post(who, "resume")
        working = self.expected in (Status.QUEUED, Status.ISSUING)
        if who == "staff" and (
            self.expected == Status.STOPPED or (working and self.stale)
        ):
            self.expected, self.stale = Status.QUEUED, False

    def _started(self) -> bool:
        """What the worker's start does to the shadow; whether it goes on."""
        if self.expected == Status.QUEUED:
            self.expected = Status.FAILED if self.taken else Status.ISSUING
        return self.expected == Status.ISSUING

    @precondition(lambda self: self.expected != GONE)
    @rule()
    def worker_runs(self):
        services.run(self.award_import.pk)
        if self._started():
            self.expected = Status.DONE

    @precondition(lambda self: self.expected != GONE)
    @rule(rows=st.integers(min_value=0, max_value=ROWS - 1))
    def worker_dies_part_way(self, rows):
        started = services._start(self.award_import.pk)
        if not self._started():
            return
        assert started is not None
        for row in started.rows.filter(award__isnull=True)[:rows]:
            services._issue(started, row)
        self.time_passes()

    @rule()
    def advance(self):
        """The next step of the happy path, so that runs reach the end."""
        if self.expected == Status.PREVIEW:
            self.confirm("staff")
        elif self.expected in (Status.QUEUED, Status.ISSUING):
            self.worker_runs()

    @rule()
    def time_passes(self):
        past = timezone.now() - timedelta(hours=1)
        AwardImport.objects.filter(pk=self.award_import.pk).update(
            confirmed_at=past, progressed_at=past
        )
        self.stale = True

    @rule()
    def someone_awards_a_person_of_the_file(self):
        if self.taken or self.expected not in (Status.PREVIEW, Status.QUEUED):
            return
        row = self.rows[-1]
        awards.issue(
            self.badge, name=row.name, email=row.email, awarded_by=self.people["staff"]
        )
        self.taken = True

    @invariant()
    def status_follows_the_shadow(self):
        found = AwardImport.objects.filter(pk=self.award_import.pk).first()
        status = found.status if found else GONE
        assert status == self.expected
        self.seen.add(status)

    @invariant()
    def each_row_at_most_one_award_and_no_award_outside_a_row(self):
        rows = self.award_import.rows.all()
        linked = rows.filter(award__isnull=False)
        keyed = Award.objects.filter(
            idempotency_key__startswith=f"csv:{self.award_import.pk}:"
        )
        assert set(keyed.values_list("pk", flat=True)) == set(
            linked.values_list("award", flat=True)
        )
        if self.expected == Status.DONE:
            assert linked.count() == ROWS
        if self.expected == Status.FAILED:
            assert not keyed.exists()


@pytest.mark.django_db
def test_an_import_follows_its_table_and_never_issues_twice(staff, outsider):
    Imports.people = {"staff": staff, "outsider": outsider}
    Imports.badge = published_credential().catalog_badges.order_by("position").first()
    run_state_machine_as_test(
        Imports,
        settings=settings(
            max_examples=30,
            stateful_step_count=12,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    # Issuing is only seen after a worker died part-way.
    assert {Status.ISSUING, Status.DONE, GONE} <= Imports.seen, Imports.seen

"""Several workers on one CSV import, as on several machines (a resumed import whose
first worker was still alive): real db_worker loops on real PostgreSQL connections
issue every row exactly once, and send each recipient one email."""

import threading

import pytest
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from award_imports import services
from award_imports.csvfile import Row
from award_imports.models import AwardImport, Status
from awards.models import Award
from tests.factories import published_credential, staff_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent PostgreSQL connections",
    ),
]
ROWS = 20


def _workers(count: int) -> list[str]:
    """Run `count` database workers at once until the queue is empty; their ids."""
    barrier = threading.Barrier(count)
    ids = [f"worker-{n}" for n in range(count)]

    def work(worker_id: str) -> None:
        try:
            barrier.wait(timeout=10)
            Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=[],
            ).run()
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return ids


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_import_issue_each_row_once(
    reference_data, settings, mailoutbox
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    staff = staff_user()
    badge = published_credential().catalog_badges.order_by("position").first()
    rows = [Row(n + 2, f"Learner {n}", f"learner{n}@example.edu") for n in range(ROWS)]
    award_import = services.create(badge, by=staff, file_name="big.csv", rows=rows)
    assert services.confirm(award_import, by=staff)
    # The same import queued a second time, as a resume does.
    services.issue_rows.enqueue(award_import.pk)

    _workers(2)

    runs = DBTaskResult.objects.filter(task_path="award_imports.services.issue_rows")
    assert sorted(run.worker_ids[0] for run in runs) == ["worker-0", "worker-1"]
    assert {run.status for run in runs} == {TaskResultStatus.SUCCESSFUL}
    # They ran at the same time.
    assert max(run.started_at for run in runs) < min(run.finished_at for run in runs)
    award_import.refresh_from_db()
    assert award_import.status == Status.DONE
    awards = Award.objects.filter(badge=badge)
    assert awards.count() == ROWS
    assert sorted(awards.values_list("idempotency_key", flat=True)) == sorted(
        f"csv:{award_import.pk}:{row.number}" for row in rows
    )
    assert not award_import.rows.filter(award__isnull=True).exists()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(row.email for row in rows)
    assert AwardImport.objects.get(pk=award_import.pk).progressed_at is not None

"""Awards from a CSV file: check, confirm, issue in the background, resume.

The rule that keeps a file from being half-issued: every row is checked before
anything is issued (when the file is uploaded, and again when the worker starts,
since someone may have awarded one of its people in between); a problem in any row
issues nothing. Issuing then goes row by row, each award in its own transaction with
the idempotency key `csv:<import>:<row>`, so that the progress shows as it goes and no
lock is held for the whole file. Should it stop part-way (a worker killed, the
database gone), what was issued stays issued and staff resume: the rows already
issued are found by their keys, never issued twice, however many workers run it."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from award_imports import csvfile
from award_imports.models import AwardImport, AwardImportRow, Status
from awards import emails
from awards import services as awards
from awards.models import Source
from proposals.models import State

logger = logging.getLogger(__name__)


def create(badge, *, by, file_name: str, rows: list[csvfile.Row]) -> AwardImport:
    """Keep a file whose rows all passed the checks, for staff to confirm."""
    with transaction.atomic():
        award_import = AwardImport.objects.create(
            badge=badge, uploaded_by=by, file_name=file_name[:200], total=len(rows)
        )
        AwardImportRow.objects.bulk_create(
            AwardImportRow(
                award_import=award_import,
                number=row.number,
                name=row.name,
                email=row.email,
                evidence_url=row.evidence_url,
                issued_on=row.issued_on,
            )
            for row in rows
        )
    return award_import


def _enqueue(award_import: AwardImport) -> None:
    transaction.on_commit(lambda: issue_rows.enqueue(award_import.pk))


def not_awardable(badge) -> str:
    """Why the badge can no longer be awarded (its credential retired since the file
    was checked), or ""."""
    proposal = badge.proposal
    if proposal.state == State.PUBLISHED:
        return ""
    return _(
        "“%(title)s” is no longer published (it is %(state)s), so its badge is not "
        "awarded."
    ) % {"title": proposal.title, "state": proposal.get_state_display().lower()}


def confirm(award_import: AwardImport, *, by) -> bool:
    """Queue the issuing of a checked file. False when it was confirmed already (a
    second click, a second person): it is queued once. ValidationError when its
    badge can no longer be awarded."""
    if problem := not_awardable(award_import.badge):
        raise ValidationError(problem)
    with transaction.atomic():
        confirmed = AwardImport.objects.filter(
            pk=award_import.pk, status=Status.PREVIEW
        ).update(status=Status.QUEUED, confirmed_by=by, confirmed_at=timezone.now())
        if confirmed:
            _enqueue(award_import)
    return bool(confirmed)


def discard(award_import: AwardImport, *, by) -> bool:
    """Delete a checked file nobody confirmed (the wrong file, the wrong badge).
    False once it was confirmed: from then on its rows are awards, and stay."""
    with transaction.atomic():
        deleted, _rows = AwardImport.objects.filter(
            pk=award_import.pk, status=Status.PREVIEW
        ).delete()
    if deleted:
        logger.info("%s discarded award import %s", by, award_import.pk)
    return bool(deleted)


def resume(award_import: AwardImport, *, by) -> bool:
    """Queue a stopped or stalled import again; False when it is neither (any more)."""
    with transaction.atomic():
        locked = AwardImport.objects.select_for_update().get(pk=award_import.pk)
        if not locked.stalled():
            return False
        locked.status = Status.QUEUED
        locked.problem = ""
        locked.progressed_at = timezone.now()
        locked.save(update_fields=["status", "problem", "progressed_at"])
        logger.info("%s resumed award import %s", by, locked.pk)
        _enqueue(locked)
    return True


def progress(award_import: AwardImport) -> dict:
    """Where the import stands, for its page and its JSON endpoint."""
    issued = award_import.rows.filter(award__isnull=False).count()
    return {
        "status": award_import.status,
        "label": award_import.get_status_display(),
        "issued": issued,
        "total": award_import.total,
        "percent": round(100 * issued / award_import.total)
        if award_import.total
        else 100,
        "finished": not award_import.working,
    }


def _start(pk: int) -> AwardImport | None:
    """Take a queued import (checking its rows again) or carry on with one being
    issued; None when there is nothing to do."""
    with transaction.atomic():
        award_import = (
            AwardImport.objects.select_for_update(of=("self",))
            .select_related("badge__proposal", "confirmed_by")
            .get(pk=pk)
        )
        if award_import.status not in (Status.QUEUED, Status.ISSUING):
            return None
        if problem := not_awardable(award_import.badge):
            _end_unawardable(award_import, problem)
            return None
        if award_import.status == Status.ISSUING:
            return award_import
        waiting = [
            csvfile.Row(row.number, row.name, row.email)
            for row in award_import.rows.filter(award__isnull=True)
        ]
        problems = csvfile.holders(
            award_import.badge,
            waiting,
            excluding_key_prefix=f"csv:{award_import.pk}:",
        )
        now = timezone.now()
        if problems:
            award_import.status = Status.FAILED
            award_import.problem = "\n".join(str(problem) for problem in problems)
            award_import.finished_at = now
        else:
            award_import.status = Status.ISSUING
        award_import.progressed_at = now
        award_import.save()
    return award_import if award_import.status == Status.ISSUING else None


def _issue(award_import: AwardImport, row: AwardImportRow) -> None:
    with transaction.atomic():
        award = awards.issue(
            award_import.badge,
            name=row.name,
            email=row.email,
            awarded_by=award_import.confirmed_by,
            issued_on=row.issued_on,
            evidence_url=row.evidence_url,
            source=Source.CSV,
            idempotency_key=row.idempotency_key,
        )
        # Whoever links the row tells the recipient: two workers on one row (a
        # resumed import whose first worker was still alive) send one email.
        linked = AwardImportRow.objects.filter(pk=row.pk, award__isnull=True).update(
            award=award
        )
        if linked:
            AwardImport.objects.filter(pk=award_import.pk).update(
                progressed_at=timezone.now()
            )
            transaction.on_commit(lambda: emails.send_claim(award))


def _end_unawardable(award_import: AwardImport, problem: str) -> None:
    """Its credential was retired meanwhile: nothing more can be issued, so it ends
    (resuming would not help); what was issued stays valid."""
    issued = award_import.rows.filter(award__isnull=False).count()
    if issued:
        problem += " " + ngettext(
            "The %(n)d award issued before stays valid.",
            "The %(n)d awards issued before stay valid.",
            issued,
        ) % {"n": issued}
    now = timezone.now()
    AwardImport.objects.filter(
        pk=award_import.pk, status__in=[Status.QUEUED, Status.ISSUING]
    ).update(status=Status.FAILED, problem=problem, finished_at=now, progressed_at=now)


def _stop(award_import: AwardImport, problem: str) -> None:
    AwardImport.objects.filter(pk=award_import.pk, status=Status.ISSUING).update(
        status=Status.STOPPED, problem=problem, finished_at=timezone.now()
    )


def run(pk: int) -> str:
    """Issue the rows of a confirmed import that have no award yet (the task's body).
    Returns the import's status at the end."""
    award_import = _start(pk)
    if award_import is None:
        return AwardImport.objects.values_list("status", flat=True).get(pk=pk)
    for row in award_import.rows.filter(award__isnull=True):
        try:
            _issue(award_import, row)
        except ValidationError as error:
            award_import.badge.proposal.refresh_from_db(fields=["state"])
            if problem := not_awardable(award_import.badge):
                _end_unawardable(award_import, problem)
                return Status.FAILED
            _stop(
                award_import,
                _("Row %(row)d: %(problem)s")
                % {"row": row.number, "problem": " ".join(error.messages)},
            )
            return Status.STOPPED
        except Exception:
            logger.exception("Award import %s stopped at row %s", pk, row.number)
            _stop(
                award_import,
                _(
                    "Row %(row)d could not be issued because of an error on the "
                    "server. The rows before it are issued; resume to issue the rest."
                )
                % {"row": row.number},
            )
            raise
    AwardImport.objects.filter(pk=pk, status=Status.ISSUING).exclude(
        rows__award__isnull=True
    ).update(status=Status.DONE, finished_at=timezone.now())
    return AwardImport.objects.values_list("status", flat=True).get(pk=pk)


@task()
def issue_rows(pk: int) -> str:
    """The background task of a confirmed import (see `run`)."""
    return run(pk)

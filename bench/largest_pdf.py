"""Benchmark: the office PDF summary of the largest proposal the limits allow.

    .venv/bin/python bench/largest_pdf.py [--lists 30] [--runs 3]

Every text field is filled to its maximum (the models' and the template schema's
max_length), with the most badges and alignments a draft may hold and every choice
ticked, and each list the PDF prints (meetings, employer input, drafts and their review
comments, the workflow history, voting rounds) is longer than the PDF prints. It
renders the office PDF with prose (words and line breaks) and with unbroken text (no
break opportunity), and prints the median time (and the CPU time, which other
processes on the machine do not inflate). A fresh SQLite file; not a test.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = (
    f"sqlite:///{tempfile.mkdtemp(prefix='mc-pdf-')}/db.sqlite3"
)
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import models  # noqa: E402
from django.utils import timezone  # noqa: E402

from approvals.models import CommitteeTerm, Vote, VotingRound  # noqa: E402
from bench.exports_and_catalog import pdf_pages  # noqa: E402
from credentials.pdf import render_pdf  # noqa: E402
from metadata_templates import schema  # noqa: E402
from metadata_templates.models import ReviewComment, Revision, SubmittedDraft  # noqa: E402
from proposals.models import Proposal, State, TransitionLog  # noqa: E402
from teams.models import Campus, EmployerInput, Meeting, Membership, Role, Team  # noqa: E402
from tests.factories import content_at_limits  # noqa: E402

PROSE = (
    "Learners read shop drawings, check tolerances and explain their measurements "
    "to a supervisor, who records the result.\n"
)


def text(length: int, unbroken: bool) -> str:
    """`length` characters of prose, or of one unbroken word."""
    if unbroken:
        return "W" * length
    return (PROSE * (length // len(PROSE) + 1))[:length]


def full(model: type[models.Model], unbroken: bool, **values) -> dict:
    """Every free-text field of `model` at its maximum length, then `values`."""
    filled = {}
    for field in model._meta.get_fields():
        if (
            isinstance(field, models.CharField | models.TextField)
            and field.editable
            and not field.choices
            and not field.unique
            and field.max_length
        ):
            size = field.max_length
            if isinstance(field, models.EmailField):
                filled[field.name] = "x" * (size - 12) + "@example.edu"
            else:
                filled[field.name] = text(size, unbroken)
    return {**filled, **values}


def largest_proposal(lists: int, unbroken: bool) -> Proposal:
    campus = Campus.objects.filter(is_active=True).first()
    people = [
        User.objects.create_user(
            f"u{unbroken:d}-{n}",
            first_name=text(150, unbroken),
            last_name=text(150, unbroken),
        )
        for n in range(lists)
    ]
    proposal = Proposal.objects.create(
        **full(
            Proposal,
            unbroken,
            proposer=people[0],
            campus=campus,
            state=State.COMMITTEE_REVIEW,
            proposer_email="p@example.edu",
        )
    )
    team = Team.objects.create(proposal=proposal)
    memberships = [
        Membership.objects.create(
            team=team,
            user=person,
            role=Role.LEAD if n == 0 else Role.FACULTY,
            campus=campus,
        )
        for n, person in enumerate(people)
    ]
    day = datetime.date(2026, 1, 1)
    for n in range(lists):
        meeting = Meeting.objects.create(
            **full(Meeting, unbroken, team=team, held_on=day + datetime.timedelta(n))
        )
        meeting.attendees.set(memberships)
        EmployerInput.objects.create(
            **full(EmployerInput, unbroken, team=team, given_on=day)
        )
    content = content_at_limits(lambda length: text(length, unbroken))
    for n in range(1, lists + 1):
        revision = Revision.objects.create(proposal=proposal, number=n, content=content)
        draft = SubmittedDraft.objects.create(
            proposal=proposal, number=n, revision=revision, submitted_by=people[0]
        )
        for m in range(lists):
            ReviewComment.objects.create(
                **full(
                    ReviewComment,
                    unbroken,
                    draft=draft,
                    field="summary",
                    badge="",
                    author=people[m],
                )
            )
        TransitionLog.objects.create(
            **full(
                TransitionLog,
                unbroken,
                proposal=proposal,
                source=State.DRAFTING,
                target=State.UNDER_REVIEW,
                actor=people[0],
            )
        )
        decided = n < lists
        round_ = VotingRound.objects.create(
            **full(
                VotingRound,
                unbroken,
                proposal=proposal,
                draft=draft,
                outcome=VotingRound.Outcome.RETURN if decided else "",
                closed_at=timezone.now() if decided else None,
            )
        )
        for voter in people[:3]:
            CommitteeTerm.objects.get_or_create(user=voter)
            Vote.objects.create(
                **full(Vote, unbroken, round=round_, voter=voter, choice="approve")
            )
    return proposal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=int, default=30, help="rows of each list")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(
        f"Limits: {schema.MAX_BADGES} badges, {schema.MAX_ALIGNMENTS} alignments "
        f"per badge; {options.lists} of each list in the database"
    )
    for unbroken in (False, True):
        proposal = largest_proposal(options.lists, unbroken)
        wall, cpu = [], []
        for _ in range(options.runs):
            started, used = time.perf_counter(), time.process_time()
            data = render_pdf(proposal, internal=True)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
        print(
            f"  office PDF, {'unbroken text' if unbroken else 'prose':<13}"
            f"{statistics.median(wall):6.2f} s ({statistics.median(cpu):.2f} s CPU), "
            f"median of {options.runs}; {pdf_pages(data)} pages"
        )


if __name__ == "__main__":
    main()

"""Benchmark: PDF summary render time against an empty WeasyPrint document, and the
public catalog's response time at 1,000 and 10,000 published credentials.

    .venv/bin/python bench/exports_and_catalog.py            # fresh SQLite file
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/exports_and_catalog.py        # an empty PostgreSQL db

It reports medians (and p95) of repeated in-process requests; it is not a test and
asserts nothing. The database must be empty: the script fills it and leaves it filled.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="mc-bench-")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{WORKDIR}/bench.sqlite3"
)
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from weasyprint import HTML  # noqa: E402

from metadata_templates.models import Issuer, Revision, SubmittedDraft  # noqa: E402
from metadata_templates.schema import blank_badge, normalise  # noqa: E402
from proposals.models import (  # noqa: E402
    CatalogBadge,
    CredentialType,
    Level,
    PathwayType,
    Proposal,
    State,
)
from proposals.pdf import render_pdf  # noqa: E402
from teams.models import Campus  # noqa: E402

CATEGORIES = [
    "21st Century Skills",
    "Precision Machining Technology",
    "Early Childhood Education",
    "Business",
    "Information Technology",
    "Health Care",
    "Building Construction Technology",
    "Hospitality",
]
WORDS = [
    "welding",
    "machining",
    "service",
    "leadership",
    "safety",
    "design",
    "data",
    "care",
    "retail",
]


def timed(action, runs: int) -> tuple[float, float]:
    """Median and p95 in milliseconds, after two warm-up runs."""
    for _ in range(2):
        action()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


class QueryCounter:
    """Counts the SQL statements a request runs (DEBUG's query log is reset by
    every request)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def pdf_pages(data: bytes) -> str:
    """The page count pdfinfo (poppler-utils) reads, or "?" without it."""
    try:
        info = subprocess.run(
            ["pdfinfo", "-"], input=data, capture_output=True, check=True
        ).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return re.search(r"Pages:\s+(\d+)", info).group(1)


def fill(count: int) -> None:
    """Add published credentials until there are `count` beyond the demo's; every
    tenth is a four-level pathway, the rest stand-alone badges."""
    issuer = Issuer.objects.get(is_default=True)
    campus = Campus.objects.filter(is_active=True).first()
    user = Proposal.objects.first().proposer
    have = Proposal.objects.filter(title__startswith="Bench ").count()
    levels_of = {True: list(Level.values), False: ["1"]}
    with transaction.atomic():
        for start in range(have, count, 500):
            batch = range(start, min(start + 500, count))
            proposals = Proposal.objects.bulk_create(
                Proposal(
                    state=State.PUBLISHED,
                    proposer=user,
                    proposer_name="Bench",
                    proposer_email="bench@example.edu",
                    campus=campus,
                    title=f"Bench {WORDS[i % len(WORDS)]} credential {i}",
                    credential_type=CredentialType.PATHWAY
                    if i % 10 == 0
                    else CredentialType.STANDALONE,
                    pathway_type=PathwayType.WORKFORCE,
                    description="Generated for the benchmark.",
                    target_audience="Adults",
                    intended_levels=levels_of[i % 10 == 0],
                    issuer=issuer,
                )
                for i in batch
            )
            contents = []
            for i, proposal in zip(batch, proposals, strict=True):
                badges = [
                    blank_badge(level, f"{proposal.title} {level}")
                    for level in levels_of[i % 10 == 0]
                ]
                for badge in badges:
                    badge.update(
                        description=f"Earners have shown {WORDS[i % 9]} skills.",
                        courses=f"BEN-{i % 900 + 100}: Course",
                    )
                content = {
                    "credential": {"category": CATEGORIES[i % len(CATEGORIES)]},
                    "badges": badges,
                }
                contents.append(normalise(content))
            revisions = Revision.objects.bulk_create(
                Revision(proposal=p, number=1, content=c)
                for p, c in zip(proposals, contents, strict=True)
            )
            SubmittedDraft.objects.bulk_create(
                SubmittedDraft(proposal=p, number=1, revision=r)
                for p, r in zip(proposals, revisions, strict=True)
            )
            CatalogBadge.objects.bulk_create(
                CatalogBadge(
                    proposal=p,
                    revision=r,
                    key=b["key"],
                    position=n,
                    name=b["name"],
                    level=b["level"],
                    category=c["credential"]["category"],
                    courses=b["courses"],
                    human_code=b["courses"].split(":")[0],
                    description=b["description"],
                )
                for p, r, c in zip(proposals, revisions, contents, strict=True)
                for n, b in enumerate(c["badges"])
            )


def catalog_figures(client: Client, label: str) -> None:
    pages = {
        "catalog, first page": "/catalog/",
        "catalog, page 20": "/catalog/?page=20",
        "catalog, search": "/catalog/?q=machining",
        "catalog, category + level": "/catalog/?category=Business&level=1",
    }
    for name, url in pages.items():
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            status = client.get(url).status_code
        median, p95 = timed(lambda url=url: client.get(url), 15)
        print(
            f"  {label:>8} | {name:<28} | {median:8.1f} ms | {p95:8.1f} ms | "
            f"{queries.count:3d} queries | HTTP {status}"
        )


def main() -> None:
    call_command("migrate", verbosity=0)
    if Proposal.objects.exists():
        sys.exit("The benchmark database must be empty.")
    print(f"Database: {connection.vendor}")
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)

    largest = max(
        Revision.objects.select_related("proposal"),
        key=lambda revision: len(json.dumps(revision.content)),
    ).proposal
    empty_ms, empty_p95 = timed(lambda: HTML(string="<p></p>").write_pdf(), 10)
    pdf_ms, pdf_p95 = timed(lambda: render_pdf(largest, internal=True), 10)
    pages = pdf_pages(render_pdf(largest, internal=True))
    print("\nPDF summary (WeasyPrint), median and p95 of 10 renders")
    print(f"  empty document            {empty_ms:8.1f} ms | {empty_p95:8.1f} ms")
    print(
        f"  {largest.title[:26]:<26}{pdf_ms:8.1f} ms | {pdf_p95:8.1f} ms"
        f"  ({pdf_ms / empty_ms:.1f}x the empty document; {pages} pages)"
    )

    client = Client()
    print("\nPublic catalog, median and p95 of 15 requests (in-process)")
    print(f"  {'size':>8} | {'page':<28} | {'median':>11} | {'p95':>11} |")
    for size in (1_000, 10_000):
        fill(size)
        total = CatalogBadge.objects.listed().count()
        catalog_figures(client, f"{size:,}")
        print(f"  {'':>8}   ({total:,} listed badges)")


if __name__ == "__main__":
    main()

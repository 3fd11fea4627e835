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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from weasyprint import HTML  # noqa: E402

from bench.data import fill_published  # noqa: E402
from credentials.models import CatalogBadge  # noqa: E402
from credentials.pdf import render_pdf  # noqa: E402
from metadata_templates.models import Revision  # noqa: E402
from proposals.models import Proposal  # noqa: E402


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
        fill_published(size)
        total = CatalogBadge.objects.listed().count()
        catalog_figures(client, f"{size:,}")
        print(f"  {'':>8}   ({total:,} listed badges)")


if __name__ == "__main__":
    main()

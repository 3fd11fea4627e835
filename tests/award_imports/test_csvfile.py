"""Reading the CSV file: what spreadsheets write is read, and every problem names its
row (the header is row 1), its column and what is wrong."""

import codecs
from datetime import date

import pytest
from django.utils import timezone

from award_imports import csvfile
from award_imports.csvfile import Row
from awards.services import revoke
from tests.factories import issued_award

GOOD = (
    "name,email,evidence link,date\n"
    "Ada Lovelace,ada@example.edu,https://example.edu/ada,2026-09-30\n"
    "Grace Hopper,grace@example.edu,,09/30/2026\n"
)
ROWS = [
    Row(
        2,
        "Ada Lovelace",
        "ada@example.edu",
        "https://example.edu/ada",
        date(2026, 9, 30),
    ),
    Row(3, "Grace Hopper", "grace@example.edu", "", date(2026, 9, 30)),
]


@pytest.fixture(autouse=True)
def _after_the_dates(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 11, 30))


@pytest.mark.parametrize(
    "data",
    [
        GOOD.encode(),
        codecs.BOM_UTF8 + GOOD.encode(),
        GOOD.replace(",", ";").encode(),
        GOOD.replace(",", "\t").encode("utf-16"),
        GOOD.replace("\n", "\r\n").encode(),
        (b"Email, Full  Name ,Notes\nada@example.edu,Ada Lovelace,x\n"),
    ],
    ids=["utf-8", "bom", "semicolons", "utf-16-tabs", "crlf", "other-order"],
)
def test_what_spreadsheets_write_is_read(data):
    reading = csvfile.read(data)
    assert reading.problems == []
    assert reading.rows[0].name == "Ada Lovelace"
    assert reading.rows[0].email == "ada@example.edu"
    if b"Notes" in data:
        assert reading.ignored_columns == ["Notes"]
    else:
        assert reading.rows == ROWS


def test_excel_plain_csv_is_windows_1252():
    data = "name,email\nJosé Núñez,jose@example.edu\n".encode("cp1252")
    assert csvfile.read(data).rows[0].name == "José Núñez"


def test_every_bad_row_is_named_with_its_column():
    data = (
        "name,email,evidence link,date\n"
        ",nobody@example.edu,,\n"
        "Ada,not-an-address,javascript:alert(1),31/12/2026\n"
        "\n"
        "Grace,ADA@example.edu,,2026-12-25\n"
        "Zed,nobody@example.edu,,\n"
        f"{'x' * 201},long@example.edu,,\n"
    ).encode()
    reading = csvfile.read(data)
    assert [str(problem) for problem in reading.problems] == [
        "Row 2, name: missing",
        "Row 3, email: “not-an-address” is not an email address",
        "Row 3, evidence link: “javascript:alert(1)” is not a web address "
        "(http:// or https://)",
        "Row 3, date: “31/12/2026” is not a date: write it as 2026-09-30 or 09/30/2026",
        "Row 5, date: 2026-12-25 is in the future: the day it was earned cannot be.",
        "Row 6, email: nobody@example.edu is also on row 2",
        "Row 7, name: longer than 200 characters",
    ]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "The file is empty."),
        (b"name,email\n", "The file has no rows below its header."),
        (
            b"name,mail\nAda,ada@example.edu\n",
            "The first row must name the columns; it has no “email” column.",
        ),
        (b"name,email,e-mail\n", "Two columns of the header are “email”."),
        (b"PK\x03\x04\x14\x00\x06\x00", "This is not a CSV file."),
        (b"name,email\n\x81\x8d,a@example.edu\n", "cannot be read"),
        (b'name,email\n"Ada,ada@example.edu\n', "not valid CSV near row"),
        (b"x" * (csvfile.MAX_BYTES + 1), "larger than 1 MB"),
        (
            b"name,email\n"
            + b"".join(b"P,p%d@example.edu\n" % n for n in range(csvfile.MAX_ROWS + 1)),
            "more than 5000 people",
        ),
    ],
    ids=[
        "empty",
        "header-only",
        "no-email-column",
        "column-twice",
        "xlsx",
        "undecodable",
        "open-quote",
        "too-large",
        "too-many",
    ],
)
def test_a_file_problem_says_what_to_do(data, problem):
    [found] = csvfile.read(data).problems
    assert found.row is None
    assert problem in str(found)


def test_someone_holding_the_badge_is_a_problem_of_their_row(db):
    award = issued_award(email="Ada@Example.edu")
    problems = csvfile.holders(award.badge, ROWS)
    assert [str(problem) for problem in problems] == [
        "Row 2, email: ada@example.edu already holds this badge "
        f"(awarded {award.issued_on.isoformat()})"
    ]
    # A revoked award does not count, nor one the import itself issued.
    revoked = issued_award(badge=award.badge, email="grace@example.edu")
    revoke(revoked, by=revoked.awarded_by, reason="Issued by mistake.")
    issued_award(
        badge=award.badge, email="grace@example.edu", idempotency_key="csv:9:3"
    )
    assert csvfile.holders(award.badge, ROWS, excluding_key_prefix="csv:9:") == problems

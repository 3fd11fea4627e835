"""Reading a CSV file of people to award: every problem is found at once, each naming
its row (as the spreadsheet numbers it, the header being row 1), its column and what
is wrong, so that staff fix the file in one go."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from awards import validators
from awards.models import Award

MAX_BYTES = 1_000_000
MAX_ROWS = 5_000

NAME, EMAIL, EVIDENCE, DATE = "name", "email", "evidence link", "date"
COLUMNS = (NAME, EMAIL, EVIDENCE, DATE)
REQUIRED = (NAME, EMAIL)
# Header words people write for each column (compared lower-case, spaces collapsed).
HEADERS = {
    "name": NAME,
    "full name": NAME,
    "learner": NAME,
    "recipient": NAME,
    "email": EMAIL,
    "e-mail": EMAIL,
    "email address": EMAIL,
    "evidence": EVIDENCE,
    "evidence link": EVIDENCE,
    "evidence url": EVIDENCE,
    "link": EVIDENCE,
    "date": DATE,
    "date earned": DATE,
    "earned on": DATE,
    "issued on": DATE,
}
LIMITS = {NAME: 200, EMAIL: 254, EVIDENCE: 500}
# ISO, and the month-first form of US spreadsheets (never day-first: 03/04 would be
# read one way or the other without a word).
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y")
DELIMITERS = (",", ";", "\t")


@dataclass
class Row:
    number: int
    name: str
    email: str
    evidence_url: str = ""
    issued_on: date | None = None


@dataclass
class Problem:
    message: str
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return _("Row %(row)d, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Reading:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    delimiter: str = ","


def _text(data: bytes) -> str:
    """The file's text: UTF-8 (with or without the BOM Excel writes), UTF-16 with its
    BOM, else Windows-1252, which Excel's plain "CSV" uses; ValueError otherwise."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise ValueError(_("This is not a CSV file. Save the spreadsheet as CSV."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise ValueError(
                _("The file's characters cannot be read. Save it as “CSV UTF-8”.")
            ) from None


def _delimiter(text: str) -> str:
    """Comma, semicolon (spreadsheets where the comma is the decimal mark) or tab:
    whichever the header line holds most of."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    return max(DELIMITERS, key=header.count)


def _columns(header: list[str], reading: Reading) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        words = " ".join(title.replace("_", " ").split()).lower()
        column = HEADERS.get(words)
        if column is None:
            if title.strip():
                reading.ignored_columns.append(title.strip())
        elif column in found:
            reading.problems.append(
                Problem(_("Two columns of the header are “%s”.") % column)
            )
        else:
            found[column] = index
    for column in REQUIRED:
        if column not in found:
            reading.problems.append(
                Problem(
                    _(
                        "The first row must name the columns; it has no “%(column)s” "
                        "column. Columns: name, email, evidence link, date."
                    )
                    % {"column": column}
                )
            )
    return found


def _date(value: str) -> date:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError


def _row(number: int, cells: dict[str, str], today: date) -> tuple[Row, list[Problem]]:
    problems = []

    def problem(column: str, message: str) -> None:
        problems.append(Problem(message, number, column))

    name = " ".join(cells.get(NAME, "").split())
    email = cells.get(EMAIL, "").strip()
    evidence = cells.get(EVIDENCE, "").strip()
    day = cells.get(DATE, "").strip()
    for column, value in ((NAME, name), (EMAIL, email)):
        if not value:
            problem(column, _("missing"))
    for column, value in ((NAME, name), (EMAIL, email), (EVIDENCE, evidence)):
        if len(value) > LIMITS[column]:
            problem(column, _("longer than %d characters") % LIMITS[column])
    if email and len(email) <= LIMITS[EMAIL]:
        try:
            validate_email(email)
        except ValidationError:
            problem(EMAIL, _("“%s” is not an email address") % email)
    if evidence and len(evidence) <= LIMITS[EVIDENCE]:
        try:
            validators.evidence_link(evidence)
        except ValidationError as error:
            problem(EVIDENCE, error.messages[0])
    issued_on = None
    if day:
        try:
            issued_on = _date(day)
        except ValueError:
            problem(
                DATE,
                _("“%s” is not a date: write it as 2026-09-30 or 09/30/2026") % day,
            )
        else:
            try:
                validators.earned_on(issued_on, today)
            except ValidationError as error:
                problem(DATE, error.messages[0])
    return Row(number, name, email, evidence, issued_on), problems


def read(data: bytes) -> Reading:
    """Every row of the file and every problem with it (the file's own problems have
    no row). Blank rows are skipped; columns other than the four are ignored (and
    listed); the same email twice is a problem of the later row."""
    reading = Reading()
    if len(data) > MAX_BYTES:
        reading.problems.append(
            Problem(_("The file is larger than 1 MB: split it into several files."))
        )
        return reading
    try:
        text = _text(data)
    except ValueError as error:
        reading.problems.append(Problem(str(error)))
        return reading
    reading.delimiter = _delimiter(text)
    # newline="": the reader ends a line at \n, \r\n or a lone \r (old Mac exports).
    lines = io.StringIO(text, newline="")
    records = csv.reader(lines, delimiter=reading.delimiter, strict=True)
    today = timezone.localdate()
    columns: dict[str, int] | None = None
    seen: dict[str, int] = {}
    try:
        for number, record in enumerate(records, start=1):
            if not any(cell.strip() for cell in record):
                continue
            if columns is None:
                columns = _columns(record, reading)
                if reading.problems:
                    return reading
                continue
            if len(reading.rows) == MAX_ROWS:
                reading.problems.append(
                    Problem(_("The file has more than %d people: split it.") % MAX_ROWS)
                )
                return reading
            cells = {
                column: record[index] if index < len(record) else ""
                for column, index in columns.items()
            }
            row, problems = _row(number, cells, today)
            reading.problems.extend(problems)
            if row.email and (earlier := seen.get(row.email.lower())):
                reading.problems.append(
                    Problem(
                        _("%(email)s is also on row %(row)d")
                        % {"email": row.email, "row": earlier},
                        number,
                        EMAIL,
                    )
                )
            seen.setdefault(row.email.lower(), number)
            reading.rows.append(row)
    except csv.Error as error:
        reading.problems.append(
            Problem(
                _("The file is not valid CSV near row %(row)d: %(error)s")
                % {"row": records.line_num, "error": error}
            )
        )
        return reading
    if columns is None:
        reading.problems.append(Problem(_("The file is empty.")))
    elif not reading.rows:
        reading.problems.append(Problem(_("The file has no rows below its header.")))
    return reading


def holders(badge, rows: list[Row], *, excluding_key_prefix: str = "") -> list[Problem]:
    """Rows whose person already holds the badge (an award not revoked), which a
    second award would duplicate; one query. Awards whose idempotency key starts
    with `excluding_key_prefix` (this import's own) do not count."""
    by_email = {row.email.lower(): row for row in rows if row.email}
    held = (
        Award.objects.filter(badge=badge, revoked_at__isnull=True)
        .annotate(address=Lower("recipient_email"))
        .filter(address__in=list(by_email))
    )
    if excluding_key_prefix:
        held = held.exclude(idempotency_key__startswith=excluding_key_prefix)
    return [
        Problem(
            _("%(email)s already holds this badge (awarded %(day)s)")
            % {"email": by_email[address].email, "day": day.isoformat()},
            by_email[address].number,
            EMAIL,
        )
        for address, day in held.values_list("address", "issued_on")
    ]

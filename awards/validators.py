"""The rules on what an award says, shared by every way of awarding (the staff form,
a CSV file, issuing itself), so that each refuses the same things in the same words."""

from __future__ import annotations

import re
import string
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

_web_address = URLValidator(schemes=["http", "https"])
# RFC 3986's characters; letters beyond ASCII are an IRI's (RFC 3987) and sign alike.
_URI_CHARACTERS = set(string.ascii_letters + string.digits + "-._~:/?#[]@!$&'()*+,;=%")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def evidence_link(value: str) -> None:
    """An evidence link every verifier reads alike. Characters outside RFC 3986 (a
    space, `|`, `{`, `"`, a backslash…) are canonicalised differently by different
    verifiers' JSON-LD libraries, so a credential holding one verifies with ours and
    fails with others: such a link is refused rather than signed."""
    odd = sorted(
        {c for c in value if c not in _URI_CHARACTERS and (c.isspace() or c.isascii())}
    )
    if odd or _PERCENT.search(value):
        shown = " ".join(
            c if c.isprintable() and c != " " else f"U+{ord(c):04X}" for c in odd
        )
        raise ValidationError(
            _(
                "“%(link)s” holds characters a web address cannot hold as they are "
                "(%(chars)s): copy the link from the browser's address bar, or "
                "percent-encode them (a space is %%20)."
            )
            % {
                "link": value,
                "chars": shown or _("a % not followed by two hex digits"),
            },
            code="evidence_link",
        )
    try:
        _web_address(value)
    except ValidationError:
        raise ValidationError(
            _("“%s” is not a web address (http:// or https://)") % value,
            code="evidence_link",
        ) from None


# The initiative awards nothing earned before this day: an earlier one is a typo
# (1926 for 2026) that would be signed for good.
EARLIEST_EARNED = date(2000, 1, 1)


def earned_on(day: date, today: date) -> None:
    """The day a badge was earned: not in the future, nor before EARLIEST_EARNED."""
    if day > today:
        raise ValidationError(
            _("%s is in the future: the day it was earned cannot be.")
            % day.isoformat(),
            code="earned_on",
        )
    if day < EARLIEST_EARNED:
        raise ValidationError(
            _("%(day)s is before %(earliest)s: check the year.")
            % {"day": day.isoformat(), "earliest": EARLIEST_EARNED.isoformat()},
            code="earned_on",
        )

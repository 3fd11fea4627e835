"""What a person is told about an award, or about a file said to be one: whether
its signature holds, whether its issuer revoked it, whether its dates make it valid
today, in one sentence and the reasons behind it."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import png
from defusedxml import DefusedXmlException, ElementTree
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from awards import documents, services
from awards.models import Award, StatusList
from credentials import badge_image
from credentials.proofs import dataintegrity, keys, statuslist

VALID, REVOKED, NOT_NOW, CHANGED, UNCHECKED = (
    "valid",
    "revoked",
    "not-now",
    "changed",
    "unchecked",
)


@dataclass
class Verdict:
    outcome: str
    summary: str
    problems: list[str] = field(default_factory=list)
    award: Award | None = None

    @property
    def is_valid(self) -> bool:
        return self.outcome == VALID


def _award_of(credential: dict) -> Award | None:
    value = str(credential.get("id", ""))
    try:
        key = uuid.UUID(value.removeprefix("urn:uuid:"))
    except ValueError:
        return None
    return (
        Award.objects.select_related("badge__proposal__issuer").filter(uuid=key).first()
    )


def _status_list_of(credential: dict) -> StatusList | None:
    """The list of this site that the credential names for its status, if any."""
    status = credential.get("credentialStatus")
    url = status.get("statusListCredential") if isinstance(status, dict) else None
    if not isinstance(url, str):
        return None
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    if match.view_name != "awards:status_list":
        return None
    listed = StatusList.objects.filter(pk=match.kwargs["list_id"]).first()
    if listed is None or documents.status_list_url(listed) != url:
        return None
    return listed


def _day(value) -> str:
    return date_format(value, "N j, Y")


def _who(credential: dict, award: Award | None) -> str:
    issuer = credential.get("issuer")
    issuer_name = issuer.get("name") if isinstance(issuer, dict) else None
    awarded = str(credential.get("awardedDate") or credential.get("validFrom") or "")
    params = {
        "badge": award.badge.name if award else credential.get("name", ""),
        "name": award.recipient_name if award else _("its recipient"),
        "issuer": issuer_name or _("its issuer"),
        "day": _day(award.issued_on) if award else awarded[:10],
    }
    return _("This %(badge)s badge was issued to %(name)s by %(issuer)s on %(day)s") % (
        params
    )


def check(credential: dict) -> Verdict:
    """The verdict on a credential, as stored or as someone uploaded it."""
    if not isinstance(credential, dict):
        return Verdict(CHANGED, _("This is not an Open Badges 3.0 credential."))
    if problems := dataintegrity.proof_problems(credential):
        return Verdict(
            CHANGED,
            _(
                "This file was changed after it was signed, or it was not signed by "
                "the issuer it names: do not trust what it says."
            ),
            problems,
        )
    award = _award_of(credential)
    if award is not None and award.credential != credential:
        # Signed, yet not the record: an award of another site with the same id.
        award = None
    who = _who(credential, award)
    listed = _status_list_of(credential)
    if listed is None:
        return Verdict(
            UNCHECKED,
            who
            + _(
                "; its signature holds, but whether it was revoked cannot be "
                "checked here."
            ),
            award=award,
        )
    try:
        status = statuslist.status_problems(
            credential, services.status_list_credential(listed)
        )
    except keys.UnusableKey as error:
        return Verdict(
            UNCHECKED,
            who
            + _(
                "; its signature holds, but its issuer's status list cannot "
                "be published now."
            ),
            [str(error)],
            award,
        )
    if status:
        if award is not None and award.is_revoked:
            summary = who + _("; it was revoked on %(day)s because: %(reason)s") % {
                "day": _day(timezone.localdate(award.revoked_at)),
                "reason": award.revocation_reason,
            }
            # The sentence says all the list said.
            status = []
        else:
            summary = who + _("; it is not valid: %s") % status[0]
        return Verdict(REVOKED, summary, status, award)
    if dates := dataintegrity.validity_problems(credential, timezone.now()):
        return Verdict(
            NOT_NOW, who + _("; it is not valid today: %s") % dates[0], dates, award
        )
    return Verdict(VALID, who + _("; it is valid."), award=award)


def credential_in_file(data: bytes) -> dict | None:
    """The OB 3.0 credential in an uploaded file: its JSON, or baked into a PNG or
    SVG image; None when there is none to read."""
    try:
        if data.startswith(b"\x89PNG") or data.lstrip().startswith(b"<"):
            found = badge_image.unbake_credential(data)
        else:
            found = json.loads(data)
    except (
        ValueError,
        RecursionError,
        ElementTree.ParseError,
        DefusedXmlException,
        png.Error,
    ):
        return None
    return found if isinstance(found, dict) else None

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

VALID, REVOKED, NOT_NOW, CHANGED, UNCHECKED, FOREIGN = (
    "valid",
    "revoked",
    "not-now",
    "changed",
    "unchecked",
    "foreign",
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
    """The award of this site that the credential is: only when it names one of the
    site's issuer DIDs and is, every field equal, an award the site holds.
    Anyone can sign a credential naming any issuer, any recipient and this site's
    status list; only the site's own record vouches for those."""
    if not keys.is_site_issuer(str(dataintegrity.issuer_id(credential) or "")):
        return None
    value = str(credential.get("id", ""))
    try:
        key = uuid.UUID(value.removeprefix("urn:uuid:"))
    except ValueError:
        return None
    award = (
        Award.objects.select_related("badge__proposal__issuer").filter(uuid=key).first()
    )
    return award if award is not None and award.credential == credential else None


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


def _who(award: Award) -> str:
    params = {
        "badge": award.badge.name,
        "name": award.recipient_name,
        "issuer": award.badge.proposal.issuer.name,
        "day": _day(award.issued_on),
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
    if award is None:
        return Verdict(
            FOREIGN,
            _(
                "This badge was not issued by this site. Its signature holds, made "
                "by %(did)s, but this site does not vouch for its issuer, its "
                "recipient or its status."
            )
            % {"did": dataintegrity.issuer_id(credential)},
        )
    who = _who(award)
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
        if award.is_revoked:
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

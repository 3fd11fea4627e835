"""What a person is told about an award, or about a file said to be one: whether
its signature holds, whether its issuer revoked it, whether its dates make it valid
today, in one sentence and the reasons behind it."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.parsers.expat import ExpatError

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
    # An OB 2.0 hosted assertion's address: such a badge has no signature, it is
    # what its address answers.
    hosted: str = ""

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
    return date_format(value, "M j, Y")


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


def _is_assertion(document: dict) -> bool:
    kind = document.get("type")
    return kind == "Assertion" or (isinstance(kind, list) and "Assertion" in kind)


def _hosted_award(url: str) -> Award | None:
    """The award whose hosted OB 2.0 assertion is at `url`, if this site hosts it."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    if match.view_name != "awards:file" or match.kwargs["name"] != "assertion.json":
        return None
    award = (
        Award.objects.select_related("badge__proposal__issuer")
        .filter(uuid=match.kwargs["uuid"])
        .first()
    )
    if award is None or documents.award_url(award, "assertion.json") != url:
        return None
    return award


def check_hosted(assertion: dict | str) -> Verdict:
    """The verdict on an OB 2.0 hosted assertion (its JSON, or its address): such a
    badge is what its hosted address answers, so the site's own record decides
    when the address is the site's; any other address is checked there."""
    url = assertion if isinstance(assertion, str) else str(assertion.get("id", ""))
    award = _hosted_award(url)
    if award is None:
        return Verdict(
            FOREIGN,
            _(
                "This Open Badges 2.0 badge is not hosted by this site: an Open Badges "
                "2.0 badge is verified at its hosted address, %(url)s; check it there."
            )
            % {"url": url or _("(none given)")},
            hosted=url,
        )
    problems = []
    if isinstance(assertion, dict) and assertion != documents.assertion(award):
        problems.append(
            _(
                "This file differs from the assertion at that address; only what the "
                "address answers counts."
            )
        )
    who = _who(award)
    if award.is_revoked:
        summary = who + _("; it was revoked on %(day)s because: %(reason)s") % {
            "day": _day(timezone.localdate(award.revoked_at)),
            "reason": award.revocation_reason,
        }
        return Verdict(REVOKED, summary, problems, award, url)
    summary = who + _(
        "; it is valid. It is an Open Badges 2.0 badge, verified at its hosted "
        "address, %(url)s."
    ) % {"url": url}
    return Verdict(VALID, summary, problems, award, url)


def _baked(data: bytes) -> dict | str | None:
    """What a baked PNG or SVG holds: an OB 3.0 credential, or else what an OB 2.0
    baker baked (an assertion's JSON, or its hosted address)."""
    if credential := badge_image.unbake_credential(data):
        return credential
    baked = badge_image.unbake_assertion(data)
    if baked is None or baked.startswith("http"):
        return baked
    return json.loads(baked)


def check_file(data: bytes) -> Verdict | None:
    """The verdict on an uploaded file: an OB 3.0 credential (its JSON, or baked
    into a PNG or SVG image) or an OB 2.0 hosted assertion (likewise); None when
    there is neither to read."""
    try:
        if data.startswith(b"\x89PNG") or data.lstrip().startswith(b"<"):
            found = _baked(data)
        else:
            found = json.loads(data)
    except (
        ValueError,
        RecursionError,
        ElementTree.ParseError,
        ExpatError,
        DefusedXmlException,
        png.Error,
    ):
        return None
    if isinstance(found, str):
        return check_hosted(found)
    if not isinstance(found, dict):
        return None
    if _is_assertion(found):
        return check_hosted(found)
    return check(found)

"""The Open Badges documents of an award: the OB 3.0 `OpenBadgeCredential` that is
signed and kept as the award's record, the hosted OB 2.0 `Assertion`, and the
LinkedIn link that shows it on a profile."""

from __future__ import annotations

import hashlib
from datetime import datetime
from urllib.parse import urlencode

from django.urls import reverse

from credentials import openbadges
from credentials.proofs import jsonld, statuslist
from credentials.proofs.dataintegrity import xsd_datetime


def identity_hash(email: str, salt: str) -> str:
    """The recipient's identity as OB 2.0 and 3.0 write a salted hash of an email;
    addresses are compared without regard to case, so the lowercase one is hashed."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return f"sha256${digest}"


def status_list_url(status_list) -> str:
    return openbadges.absolute(status_list.get_absolute_url())


def evidence(award) -> list[dict]:
    item = {"type": ["Evidence"]}
    if award.evidence_url:
        item["id"] = award.evidence_url
    if award.evidence_narrative:
        item["narrative"] = award.evidence_narrative
    return [item] if len(item) > 1 else []


def unsigned_credential(award, issuer_did: str, issued_at: datetime) -> dict:
    """The award's OB 3.0 credential before its proof: valid from the moment it is
    issued, awarded on the day the learner earned it."""
    badge = award.badge
    document = {
        "@context": [*openbadges.OB3_CONTEXT, jsonld.OB3_EXTENSIONS],
        "id": f"urn:uuid:{award.uuid}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": badge.name,
        "issuer": {**openbadges.ob3_profile(badge.proposal.issuer), "id": issuer_did},
        "validFrom": xsd_datetime(issued_at),
        "awardedDate": f"{award.issued_on.isoformat()}T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity_hash(award.recipient_email, award.salt),
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": award.salt,
                }
            ],
            "achievement": openbadges.achievement(badge, context=False),
        },
        "credentialSchema": [
            {
                "id": openbadges.OB3_SCHEMA_ID,
                "type": "1EdTechJsonSchemaValidator2019",
            }
        ],
        "credentialStatus": statuslist.entry(
            status_list_url(award.status_list), award.status_index
        ),
    }
    if items := evidence(award):
        document["evidence"] = items
    return document


def award_url(award, name: str) -> str:
    """The absolute address of one of the award's public files."""
    return openbadges.absolute(reverse("awards:file", args=[award.uuid, name]))


def assertion(award) -> dict:
    """The hosted OB 2.0 Assertion, for platforms that read only 2.0. A revoked one
    says so and nothing more, as OB 2.0 allows (`id` and `revoked` only)."""
    url = award_url(award, "assertion.json")
    if award.is_revoked:
        return {
            "@context": openbadges.OB2_CONTEXT,
            "type": "Assertion",
            "id": url,
            "revoked": True,
            "revocationReason": award.revocation_reason,
        }
    document = {
        "@context": openbadges.OB2_CONTEXT,
        "type": "Assertion",
        "id": url,
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": award.salt,
            "identity": identity_hash(award.recipient_email, award.salt),
        },
        "badge": openbadges.absolute(award.badge.export_url("badgeclass.json")),
        "image": award_url(award, "ob2.png"),
        "issuedOn": award.credential["awardedDate"],
        "verification": {"type": "hosted"},
    }
    if award.evidence_url or award.evidence_narrative:
        item = {"id": award.evidence_url, "narrative": award.evidence_narrative}
        document["evidence"] = {key: value for key, value in item.items() if value}
    return document


def linkedin_url(award) -> str:
    """LinkedIn's "Add to profile" address for the award, as a certification whose
    address is the award's public verification page."""
    issued = award.issued_on
    query = {
        "startTask": "CERTIFICATION_NAME",
        "name": award.badge.name,
        "organizationName": award.badge.proposal.issuer.name,
        "issueYear": issued.year,
        "issueMonth": issued.month,
        "certUrl": openbadges.absolute(award.get_absolute_url()),
        "certId": str(award.uuid),
    }
    return "https://www.linkedin.com/profile/add?" + urlencode(query)

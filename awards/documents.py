"""The Open Badges documents of an award: the OB 3.0 `OpenBadgeCredential` that is
signed and kept as the award's record."""

from __future__ import annotations

import hashlib
from datetime import datetime

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

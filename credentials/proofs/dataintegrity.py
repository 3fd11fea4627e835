"""Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C VC Data
Integrity EdDSA Cryptosuites v1.0, section 3.2): the signature covers the SHA-256 of
the canonical proof options followed by the SHA-256 of the canonical document."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from django.utils.translation import gettext as _

from credentials.proofs import base58
from credentials.proofs.jsonld import CanonicalisationError, canonical_nquads
from credentials.proofs.keys import SigningKey, UnusableKey, resolve

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_PURPOSE = "assertionMethod"


def issuer_id(document: dict) -> str | None:
    issuer = document.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _hash_data(document: dict, proof_options: dict) -> bytes:
    options = {**proof_options, "@context": document.get("@context")}
    return (
        hashlib.sha256(canonical_nquads(options).encode()).digest()
        + hashlib.sha256(canonical_nquads(document).encode()).digest()
    )


def xsd_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(document: dict, key: SigningKey, *, created: datetime | None = None) -> dict:
    """The document with a Data Integrity proof by `key`, for the assertion purpose.
    The document must name the key's controller as its issuer: verifiers (ours and
    Digital Bazaar's) refuse a credential signed by someone other than its issuer."""
    if "proof" in document:
        raise ValueError("the document already has a proof")
    if issuer_id(document) != key.controller:
        raise ValueError(f"the issuer must be {key.controller}, the key's controller")
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": xsd_datetime(created or datetime.now(UTC)),
        "verificationMethod": key.verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }
    signature = key.sign(_hash_data(document, proof))
    proof["proofValue"] = base58.encode(signature)
    # A set of one proof: the same linked data as a lone proof object, and the only
    # form the Open Badges 3.0 JSON Schema accepts.
    return {**document, "proof": [proof]}


def _signature(proof: dict) -> bytes | None:
    try:
        raw = base58.decode(proof.get("proofValue"))
    except ValueError:
        return None
    return raw if len(raw) == 64 else None


def proof_problems(document: dict) -> list[str]:
    """Why the document's proof does not hold, in words a person understands; an
    empty list when the issuer it names signed exactly this document."""
    proof = document.get("proof") if isinstance(document, dict) else None
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if not isinstance(proof, dict):
        return [_("It is not signed: there is no single Data Integrity proof.")]
    if (proof.get("type"), proof.get("cryptosuite")) != (
        "DataIntegrityProof",
        CRYPTOSUITE,
    ):
        return [_("It is not signed with an eddsa-rdfc-2022 Data Integrity proof.")]
    if proof.get("proofPurpose") != PROOF_PURPOSE:
        return [_("Its proof is not meant to assert a credential.")]
    signature = _signature(proof)
    if signature is None:
        return [_("Its signature is malformed.")]
    try:
        method = resolve(str(proof.get("verificationMethod", "")))
    except UnusableKey as error:
        return [_("The key that signed it cannot be found: %s.") % error]
    if method.controller != issuer_id(document):
        return [_("It was signed by someone other than the issuer it names.")]
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    try:
        data = _hash_data(unsecured, options)
    except CanonicalisationError as error:
        return [_("It cannot be read as a credential: %s.") % error]
    if not method.verifies(signature, data):
        return [
            _(
                "The signature does not match: the credential was changed after it "
                "was signed, or signed with another key."
            )
        ]
    return []


def _moment(value) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def validity_problems(document: dict, now: datetime) -> list[str]:
    """Why the credential is not valid at `now` by its own dates (`validFrom`,
    `validUntil`), in words a person understands; an empty list when it is."""
    problems = []
    for field in ("validFrom", "validUntil"):
        if field in document and _moment(document[field]) is None:
            problems.append(_("Its dates cannot be read."))
            return problems
    valid_from = _moment(document.get("validFrom"))
    valid_until = _moment(document.get("validUntil"))
    if valid_from and now < valid_from:
        problems.append(_("It is not valid before %s.") % valid_from.date().isoformat())
    if valid_until and now >= valid_until:
        problems.append(_("It expired on %s.") % valid_until.date().isoformat())
    return problems

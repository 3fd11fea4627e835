"""Revocation through a Bitstring Status List (W3C Bitstring Status List v1.0): each
award's `credentialStatus` names one bit of a list that the issuer publishes, signed,
at a stable address; revoking an award sets its bit and republishes the list."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable
from datetime import datetime

import multibase
from django.utils.translation import gettext as _

from credentials.proofs.dataintegrity import issuer_id, proof_problems, xsd_datetime

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
PURPOSE = "revocation"
# The specification's minimum (16 KB): a list that short of entries would let anyone
# who fetches it tell whose award is being checked.
LENGTH = 131_072


def entry(list_url: str, index: int) -> dict:
    """The `credentialStatus` of the award at `index` of the list at `list_url`."""
    if not 0 <= index < LENGTH:
        raise ValueError(f"index {index} is outside the list")
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def encode(revoked: Iterable[int]) -> str:
    """The list with the bits at `revoked` set: GZIP, then multibase base64url. Bit 0
    is the most significant bit of the first byte."""
    bits = bytearray(LENGTH // 8)
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    return multibase.encode("base64url", gzip.compress(bytes(bits), mtime=0)).decode()


def decode(encoded: str) -> bytes:
    """The list's bytes; ValueError if it is not a list of the expected length. A
    few bytes of GZIP can inflate to gigabytes, so inflating stops at the length."""
    try:
        compressed = multibase.decode(encoded) if encoded.startswith("u") else b""
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        bits = inflater.decompress(compressed, LENGTH // 8 + 1)
    except (ValueError, zlib.error, multibase.MultibaseError) as error:
        raise ValueError(
            "the encoded list is not GZIP in multibase base64url"
        ) from error
    if len(bits) != LENGTH // 8:
        raise ValueError(f"the list does not hold {LENGTH} entries")
    return bits


def list_credential(
    list_url: str, issuer: str, revoked: Iterable[int], valid_from: datetime
) -> dict:
    """The unsigned status list credential to publish at `list_url`."""
    return {
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": xsd_datetime(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encode(revoked),
        },
    }


def status_problems(credential: dict, status_list: dict) -> list[str]:
    """Why the credential's revocation status cannot be vouched for, or that it is
    revoked, given the status list credential its `credentialStatus` names; an empty
    list when the issuer's signed list says it stands."""
    status = credential.get("credentialStatus")
    if not isinstance(status, dict) or status.get("type") != "BitstringStatusListEntry":
        return [_("It has no revocation status to check.")]
    if not isinstance(status_list, dict) or status_list.get("id") != status.get(
        "statusListCredential"
    ):
        return [_("The status list given is not the one the credential names.")]
    if proof_problems(status_list):
        return [_("Its issuer's status list is not authentic.")]
    if issuer_id(status_list) != issuer_id(credential):
        return [_("Its status list was published by someone other than its issuer.")]
    subject = status_list.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    if not status.get("statusPurpose") == subject.get("statusPurpose") == PURPOSE:
        return [_("Its status list is not a revocation list.")]
    index = status.get("statusListIndex")
    try:
        bits = decode(str(subject.get("encodedList", "")))
    except ValueError:
        return [_("Its status list cannot be read.")]
    if not (isinstance(index, str) and index.isascii() and index.isdigit()):
        return [_("Its place in the status list cannot be read.")]
    index = int(index)
    if index >= LENGTH:
        return [_("Its place in the status list cannot be read.")]
    if bits[index // 8] & (0x80 >> (index % 8)):
        return [_("It has been revoked by its issuer.")]
    return []

"""The issuer's Ed25519 keys, written as Multikeys (multibase base58btc of the
multicodec-prefixed key, the form `eddsa-rdfc-2022` and `did:key` use), and the DIDs
that name them.

Keys come from settings: `CREDENTIAL_SIGNING_KEY` signs; `CREDENTIAL_RETIRED_KEYS`
lists the public halves of earlier signing keys, which still verify what they signed.
With DEBUG on and no key set, a development key derived from SECRET_KEY signs.
With `CREDENTIAL_DID_METHOD=key` an issuer's DID is the `did:key` of the signing key
(resolvable offline, by anyone, forever); with `web` it is a `did:web` on the site's
own host, whose DID document lists the signing key and every retired one."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from credentials.proofs import base58

# Multicodec prefixes (varints) of ed25519-pub (0xed) and ed25519-priv (0x1300).
PUBLIC_PREFIX = b"\xed\x01"
SECRET_PREFIX = b"\x80\x26"
DID_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


class UnusableKey(ValueError):
    """A key or DID that cannot be used; the message says why."""


def _decode(text: str, prefix: bytes, what: str) -> bytes:
    try:
        raw = base58.decode(text)
    except ValueError:
        raw = b""
    if len(raw) != len(prefix) + 32 or not raw.startswith(prefix):
        raise UnusableKey(f"{text[:16]!r}… is not an Ed25519 {what} in Multikey form")
    return raw[len(prefix) :]


def public_multibase(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base58.encode(PUBLIC_PREFIX + raw)


def public_key(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(
        _decode(text, PUBLIC_PREFIX, "public key")
    )


def secret_key(text: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(
        _decode(text, SECRET_PREFIX, "secret key")
    )


def new_secret_key() -> str:
    """A fresh Ed25519 secret key in Multikey form (`z3u2…`)."""
    seed = Ed25519PrivateKey.generate().private_bytes_raw()
    return base58.encode(SECRET_PREFIX + seed)


@dataclass(frozen=True)
class SigningKey:
    """A secret key and the DID (or URL) that controls it."""

    secret: Ed25519PrivateKey
    controller: str

    @property
    def public_multibase(self) -> str:
        return public_multibase(self.secret.public_key())

    @property
    def verification_method(self) -> str:
        return f"{self.controller}#{self.public_multibase}"

    def sign(self, data: bytes) -> bytes:
        return self.secret.sign(data)


def _development_secret() -> Ed25519PrivateKey:
    """The key that signs when DEBUG is on and no key is set, so that `make run`
    issues awards without configuration. Derived from SECRET_KEY rather than made at
    random: every worker process signs with the same key, and what the demo signed
    keeps verifying after a restart. Anyone who knows SECRET_KEY (the development
    default is public) can sign with it, hence never without DEBUG."""
    seed = HKDF(
        algorithm=SHA256(), length=32, salt=None, info=b"development signing key"
    ).derive(settings.SECRET_KEY.encode())
    return Ed25519PrivateKey.from_private_bytes(seed)


def _signing_secret() -> Ed25519PrivateKey:
    if not settings.CREDENTIAL_SIGNING_KEY:
        if settings.DEBUG:
            return _development_secret()
        raise ImproperlyConfigured(
            "Set CREDENTIAL_SIGNING_KEY (manage.py make_issuer_key makes one)."
        )
    try:
        return secret_key(settings.CREDENTIAL_SIGNING_KEY)
    except UnusableKey as error:
        raise ImproperlyConfigured(f"CREDENTIAL_SIGNING_KEY: {error}") from error


def rotation() -> dict[str, str]:
    """The settings that put a fresh key in charge of signing: its secret, and the
    retired keys with the current signing key's public half added, so that what the
    current key signed keeps verifying through the issuer's DID document."""
    retired = list(settings.CREDENTIAL_RETIRED_KEYS)
    if settings.CREDENTIAL_SIGNING_KEY or settings.DEBUG:
        current = public_multibase(_signing_secret().public_key())
        retired = [current, *(key for key in retired if key != current)]
    return {
        "CREDENTIAL_SIGNING_KEY": new_secret_key(),
        "CREDENTIAL_RETIRED_KEYS": ",".join(retired),
    }


def did_key(public_multibase_: str) -> str:
    return f"did:key:{public_multibase_}"


def _web_host() -> str:
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme != "https":
        raise ImproperlyConfigured("did:web needs an https SITE_URL.")
    # did:web writes a port's colon percent-encoded, since ":" separates the path.
    return quote(parts.netloc, safe="")


def issuer_did(*path: str) -> str:
    """The DID of the issuer at `path` under the site (e.g. "issuers", slug)."""
    if settings.CREDENTIAL_DID_METHOD == "web":
        return ":".join(["did:web", _web_host(), *(quote(part) for part in path)])
    return did_key(public_multibase(_signing_secret().public_key()))


def signing_key(*path: str) -> SigningKey:
    """The current signing key, controlled by the DID of the issuer at `path`."""
    return SigningKey(_signing_secret(), issuer_did(*path))


def _site_public_keys() -> list[str]:
    current = [public_multibase(_signing_secret().public_key())]
    return current + list(settings.CREDENTIAL_RETIRED_KEYS)


def did_document(did: str) -> dict:
    """The DID document of one of the site's `did:web` DIDs: the signing key first,
    then each retired key, all usable to verify what the issuer asserted."""
    if not _is_site_did(did):
        raise UnusableKey(f"{did} is not a DID of this site")
    methods = [
        {
            "id": f"{did}#{key}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key,
        }
        for key in _site_public_keys()
    ]
    return {
        "@context": DID_CONTEXT,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def is_site_issuer(did: str) -> bool:
    """Whether `did` is one of the DIDs this site issues as: a `did:web` under the
    site, or under `did:key` the key of the signing key or of a retired one."""
    if settings.CREDENTIAL_DID_METHOD == "web":
        return _is_site_did(did)
    return did in {did_key(key) for key in _site_public_keys()}


def _is_site_did(did: str) -> bool:
    if settings.CREDENTIAL_DID_METHOD != "web":
        return False
    site = f"did:web:{_web_host()}"
    return did == site or did.startswith(site + ":")


@dataclass(frozen=True)
class VerificationMethod:
    """A resolved verification method: who controls it and its public key."""

    controller: str
    public: Ed25519PublicKey

    def verifies(self, signature: bytes, data: bytes) -> bool:
        try:
            self.public.verify(signature, data)
        except InvalidSignature:
            return False
        return True


def resolve(verification_method: str) -> VerificationMethod:
    """Resolve a verification method for assertions, offline: a `did:key`, or one of
    this site's `did:web` DIDs (from settings). Anything else is refused, since a
    verifier that fetched keys from addresses a credential names could be sent
    anywhere."""
    did, _, fragment = verification_method.partition("#")
    if did.startswith("did:key:"):
        key = did.removeprefix("did:key:")
        if fragment != key:
            raise UnusableKey(f"{verification_method} is not the key of {did}")
        return VerificationMethod(did, public_key(key))
    if _is_site_did(did):
        for method in did_document(did)["verificationMethod"]:
            if method["id"] == verification_method:
                return VerificationMethod(did, public_key(method["publicKeyMultibase"]))
        raise UnusableKey(f"{verification_method} is not a key of {did}")
    raise UnusableKey(
        f"{did} cannot be resolved here (only did:key and this site's DIDs)"
    )

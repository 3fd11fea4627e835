"""RDF Dataset Canonicalization (RDFC-1.0, the URDNA2015 algorithm) of JSON-LD
documents, with the contexts that ship with the project and nothing else.

A verifier canonicalises what strangers send it, so three limits hold: no context is
ever fetched (an unknown one is refused, so no request leaves the server and no remote
document changes what a signature covers); the JSON is capped in size; and the
blank-node hashing, exponential on crafted "poison" graphs, is capped in work. A term
the contexts do not define, or a relative identifier, would silently fall out of the
canonical form and so out of the signature: they are refused, as jsonld.js's safe mode
does."""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

from pyld import jsonld
from pyld.canon import URDNA2015

from credentials.openbadges import STANDARDS

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
# Defines `1EdTechJsonSchemaValidator2019`, the type OB 3.0 gives `credentialSchema`,
# which the OB context leaves out: without it strict verifiers refuse the credential.
OB3_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": CONTEXTS_DIR / "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": (
        STANDARDS / "ob_v3p0/context-3.0.3.json"
    ),
    OB3_EXTENSIONS: CONTEXTS_DIR / "ob-v3p0-extensions.json",
}
# An Open Badges credential with a long criteria text is about 10 KB; a status list
# credential of 131,072 entries about 1 KB compressed. 256 KB leaves room for evidence.
MAX_DOCUMENT_BYTES = 256 * 1024
# Hash N-Degree Quads steps (permutations tried). A real credential needs a handful,
# since its blank nodes differ in their own statements; a poison graph needs millions.
MAX_CANONICAL_WORK = 2000


class CanonicalisationError(ValueError):
    """The document cannot be canonicalised safely; the message says why."""


@cache
def _context(path: Path) -> dict:
    return json.loads(path.read_text())


def load_document(url: str, options: dict | None = None) -> dict:
    """pyld document loader: the shipped copy of a known context, else a refusal."""
    path = CONTEXTS.get(url)
    if path is None:
        raise CanonicalisationError(f"unknown JSON-LD context {url!r}")
    return {"contextUrl": None, "documentUrl": url, "document": _context(path)}


class _BoundedURDNA2015(URDNA2015):
    def __init__(self) -> None:
        super().__init__()
        self.work = 0

    def create_hash_to_related(self, id_, issuer):
        hash_to_related = super().create_hash_to_related(id_, issuer)
        self.work += sum(
            math.factorial(len(nodes)) for nodes in hash_to_related.values()
        )
        if self.work > MAX_CANONICAL_WORK:
            raise CanonicalisationError(
                "the document's blank nodes are too alike to canonicalise"
            )
        return hash_to_related


def _refuse_dropped(term: str | None) -> None:
    raise CanonicalisationError(
        f"term {term!r} is not defined by the document's contexts"
    )


def _check_identifiers(value) -> None:
    """Refuse relative IRIs: JSON-LD to RDF drops their statements without a word."""
    if isinstance(value, list):
        for item in value:
            _check_identifiers(item)
        return
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        if key in ("@id", "@type"):
            for iri in item if isinstance(item, list) else [item]:
                if isinstance(iri, str) and ":" not in iri and not iri.startswith("@"):
                    raise CanonicalisationError(f"{iri!r} is not an absolute IRI")
        elif key != "@value":
            _check_identifiers(item)


def canonical_nquads(document: dict) -> str:
    """The document's canonical N-Quads (RDFC-1.0), or CanonicalisationError."""
    try:
        size = len(json.dumps(document, ensure_ascii=False).encode())
    except (TypeError, ValueError, RecursionError) as error:
        raise CanonicalisationError("the document is not JSON") from error
    if size > MAX_DOCUMENT_BYTES:
        raise CanonicalisationError(
            f"the document is {size} bytes, more than {MAX_DOCUMENT_BYTES}"
        )
    processor = jsonld.JsonLdProcessor(on_property_dropped=_refuse_dropped)
    # No base: pyld would resolve relative IRIs against a placeholder and hide them.
    options = {"documentLoader": load_document, "base": None}
    try:
        expanded = processor.expand(document, options)
        _check_identifiers(expanded)
        dataset = processor.to_rdf(
            expanded, {**options, "produceGeneralizedRdf": False}
        )
        return _BoundedURDNA2015().main(dataset, {"format": "application/n-quads"})
    except CanonicalisationError:
        raise
    except jsonld.JsonLdError as error:
        # pyld wraps the loader's refusal; say what went wrong, not where.
        cause = error
        while cause.__cause__ is not None:
            cause = cause.__cause__
        if isinstance(cause, CanonicalisationError):
            raise cause from error
        raise CanonicalisationError(f"not valid JSON-LD: {error.args[0]}") from error
    except RecursionError as error:
        raise CanonicalisationError("the document is nested too deeply") from error
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        # pyld's own checks of hostile input (a relative context URL, a keyword where
        # a value belongs) surface as plain exceptions.
        raise CanonicalisationError(f"not valid JSON-LD: {error}") from error

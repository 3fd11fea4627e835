"""Digital Bazaar's JavaScript verifier (verify_with_digitalbazaar.mjs), run on the
machine's Node.js: the independent check of what the Python code signs."""

import json
import subprocess
from pathlib import Path

import pytest

from credentials.proofs import jsonld

VERIFIER = Path(__file__).with_name("verify_with_digitalbazaar.mjs")
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"


def verify_with_digital_bazaar(
    credentials: dict, *, did_documents: dict, status_lists: dict
) -> dict:
    """Digital Bazaar's verdict on each of `credentials` ({name: credential}), in
    one Node.js run, given the did:web documents and status lists they name."""
    payload = {
        "contexts": {url: str(path) for url, path in jsonld.CONTEXTS.items()},
        "didDocuments": did_documents,
        "statusLists": status_lists,
        "credentials": credentials,
    }
    if not (NODE_MODULES / "@digitalbazaar/vc").is_dir():
        pytest.fail(
            "Digital Bazaar's libraries are missing: run npm ci (make test does)."
        )
    run = subprocess.run(
        ["node", str(VERIFIER)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(run.stdout)

"""Signed Open Badges 3.0 credentials (Data Integrity, eddsa-rdfc-2022): the round trip,
the W3C test vector, tampering, key rotation and revocation, each verdict confirmed
by Digital Bazaar's JavaScript verifier (one Node.js run for the whole module)."""

import copy
import gzip
import io
import json
from datetime import UTC, datetime
from types import SimpleNamespace

import multibase
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from credentials import openbadges
from credentials.management.commands.make_issuer_key import Command as MakeIssuerKey
from credentials.proofs import base58, dataintegrity, jsonld, keys, statuslist
from tests.credentials.digital_bazaar import NODE_MODULES, verify_with_digital_bazaar
from tests.factories import published_credential

SIGNED_AT = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
LIST_URL = "https://mc.example.edu/awards/status/1"
WEB_LIST_URL = "https://mc.example.edu/awards/status/2"
WEB = {"CREDENTIAL_DID_METHOD": "web", "SITE_URL": "https://mc.example.edu"}
AWARD_INDEX, REVOKED_INDEX = 7, 3
# Without a database test in the run, pytest-django would not create the test database
# that the module's fixtures below build their credential from.
pytestmark = pytest.mark.django_db


def award(
    unsigned: dict, key: keys.SigningKey, index: int = AWARD_INDEX, lst: str = LIST_URL
) -> dict:
    document = copy.deepcopy(unsigned)
    document["issuer"]["id"] = key.controller
    document["credentialStatus"] = statuslist.entry(lst, index)
    return dataintegrity.sign(document, key, created=SIGNED_AT)


def leaves(value, path=()):
    """The path of every scalar in a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path


def fields(value, path=()):
    """The path of every member of every object in a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key)
            yield from fields(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from fields(item, (*path, index))


def tampered(document: dict, path: tuple) -> dict:
    """The document with the scalar at `path` changed (strings gain a letter)."""
    changed = copy.deepcopy(document)
    *parents, last = path
    target = changed
    for step in parents:
        target = target[step]
    value = target[last]
    target[last] = not value if isinstance(value, bool) else f"{value}Z"
    return changed


@pytest.fixture(scope="module")
def unsigned(django_db_setup, django_db_blocker) -> dict:
    """The OB 3.0 credential the catalog already builds for a badge, to sign; the
    database rows behind it are rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        entry = published_credential().catalog_badges.first()
        document = openbadges.specimen_credential(entry)
        transaction.set_rollback(True)
    document["@context"] = [*document["@context"], jsonld.OB3_EXTENSIONS]
    return document


@pytest.fixture(scope="module", autouse=True)
def issuer_key() -> keys.SigningKey:
    with override_settings(
        CREDENTIAL_SIGNING_KEY=keys.new_secret_key(),
        CREDENTIAL_RETIRED_KEYS=[],
        CREDENTIAL_DID_METHOD="key",
    ):
        yield keys.signing_key()


@pytest.fixture(scope="module")
def signed(unsigned, issuer_key) -> dict:
    return award(unsigned, issuer_key)


@pytest.fixture(scope="module")
def revoked(unsigned, issuer_key) -> dict:
    return award(unsigned, issuer_key, REVOKED_INDEX)


@pytest.fixture(scope="module")
def status_list(issuer_key) -> dict:
    document = statuslist.list_credential(
        LIST_URL, issuer_key.controller, [REVOKED_INDEX], SIGNED_AT
    )
    return dataintegrity.sign(document, issuer_key, created=SIGNED_AT)


@pytest.fixture(scope="module")
def rotation(unsigned) -> SimpleNamespace:
    """Awards of a did:web issuer signed before and after `make_issuer_key` rotated
    its key, and the settings after the rotation."""
    with override_settings(
        **WEB, CREDENTIAL_SIGNING_KEY=keys.new_secret_key(), CREDENTIAL_RETIRED_KEYS=[]
    ):
        before = award(unsigned, keys.signing_key("issuers", "ums"), lst=WEB_LIST_URL)
        rotated = keys.rotation()
    after_settings = {
        **WEB,
        "CREDENTIAL_SIGNING_KEY": rotated["CREDENTIAL_SIGNING_KEY"],
        "CREDENTIAL_RETIRED_KEYS": rotated["CREDENTIAL_RETIRED_KEYS"].split(","),
    }
    with override_settings(**after_settings):
        key = keys.signing_key("issuers", "ums")
        after = award(unsigned, key, lst=WEB_LIST_URL)
        did_document = keys.did_document(key.controller)
        status = statuslist.list_credential(WEB_LIST_URL, key.controller, [], SIGNED_AT)
        status = dataintegrity.sign(status, key)
    return SimpleNamespace(
        before=before,
        after=after,
        settings=after_settings,
        did=key.controller,
        did_document=did_document,
        status_list=status,
    )


@pytest.fixture(scope="module")
def digital_bazaar(signed, revoked, status_list, rotation) -> dict:
    """Digital Bazaar's verdict on each credential the tests below judge."""
    credentials = {
        "signed": signed,
        "revoked": revoked,
        "status list": status_list,
        "undefined term": {**signed, "nickname": "Ace"},
        "rotated, signed before": rotation.before,
        "rotated, signed after": rotation.after,
        **{f"tampered {path}": tampered(signed, path) for path in leaves(signed)},
    }
    return verify_with_digital_bazaar(
        credentials,
        did_documents={rotation.did: rotation.did_document},
        status_lists={LIST_URL: status_list, WEB_LIST_URL: rotation.status_list},
    )


def test_a_signed_award_verifies_here_and_with_digital_bazaar(signed, digital_bazaar):
    assert dataintegrity.proof_problems(signed) == []
    assert digital_bazaar["signed"] == {
        "verified": True,
        "revoked": False,
        "error": None,
    }
    [proof] = signed["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["verificationMethod"].startswith(signed["issuer"]["id"] + "#z6Mk")
    # What the W3C vector's lone proof object says, as a set of one.
    assert dataintegrity.proof_problems({**signed, "proof": proof}) == []


def test_a_signed_award_is_valid_against_the_1edtech_schema(signed):
    assert openbadges.ob3_problems(signed, definition=None) == []


def test_signing_matches_the_w3c_test_vector(monkeypatch, tmp_path):
    """vc-di-eddsa's eddsa-rdfc-2022 vector (TestVectors/eddsa-rdfc-2022 and
    keyPair.json in w3c/vc-di-eddsa): Ed25519 is deterministic, so the same key and
    document must give the very same proofValue."""
    examples = tmp_path / "examples-v2.jsonld"
    examples.write_text(
        json.dumps(
            {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}
        )
    )
    monkeypatch.setitem(
        jsonld.CONTEXTS, "https://www.w3.org/ns/credentials/examples/v2", examples
    )
    secret = keys.secret_key("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
    key = keys.SigningKey(secret, "https://vc.example/issuers/5678")
    assert key.public_multibase == "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    document = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2",
        ],
        "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
        "type": ["VerifiableCredential", "AlumniCredential"],
        "name": "Alumni Credential",
        "description": "A minimum viable example of an Alumni Credential.",
        "issuer": "https://vc.example/issuers/5678",
        "validFrom": "2023-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:abcdefgh",
            "alumniOf": "The School of Examples",
        },
    }
    [proof] = dataintegrity.sign(
        document, key, created=datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC)
    )["proof"]
    assert proof == {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2023-02-24T23:36:38Z",
        "verificationMethod": (
            "https://vc.example/issuers/5678"
            "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        ),
        "proofPurpose": "assertionMethod",
        "proofValue": (
            "z21EVs3eXERqTn4acNHT9viboqgzUaQ3kTmhPT3eA8qrVPE7CrQq78Wkz"
            "ctnMX5W4CrzcKnHw8V6dvy5pgWYCU5e9"
        ),
    }


def test_changing_any_value_fails_verification_here_and_with_digital_bazaar(
    signed, digital_bazaar
):
    paths = list(leaves(signed))
    assert len(paths) > 40
    passed_here = [
        p for p in paths if not dataintegrity.proof_problems(tampered(signed, p))
    ]
    passed_there = [p for p in paths if digital_bazaar[f"tampered {p}"]["verified"]]
    assert passed_here == passed_there == []


def test_removing_any_field_fails_verification(signed):
    def without(document, path):
        changed = copy.deepcopy(document)
        target = changed
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]
        return changed

    survivors = [
        path
        for path in fields(signed)
        if not dataintegrity.proof_problems(without(signed, path))
    ]
    assert survivors == []


def test_terms_the_contexts_do_not_define_are_refused_not_dropped(
    signed, digital_bazaar
):
    """JSON-LD drops an undefined term from the canonical form, so a signature would
    not cover it: both verifiers refuse the document instead."""
    problems = dataintegrity.proof_problems({**signed, "nickname": "Ace"})
    assert problems == [
        "It cannot be read as a credential: term 'nickname' is not defined by the "
        "document's contexts."
    ]
    assert digital_bazaar["undefined term"]["verified"] is False
    relative = copy.deepcopy(signed)
    relative["credentialSubject"]["id"] = "learner-42"
    assert "not an absolute IRI" in dataintegrity.proof_problems(relative)[0]


def test_contexts_come_only_from_the_project(signed):
    with pytest.raises(jsonld.CanonicalisationError, match="unknown JSON-LD context"):
        jsonld.canonical_nquads(
            {**signed, "@context": [*signed["@context"], "https://evil.test/c.json"]}
        )
    shipped = json.loads(jsonld.CONTEXTS[statuslist.VC_CONTEXT].read_text())
    npm = NODE_MODULES / "@digitalbazaar/credentials-context/contexts/v2.jsonld"
    assert shipped == json.loads(npm.read_text())


def test_what_is_canonicalised_is_capped_in_size_and_work(signed):
    with pytest.raises(jsonld.CanonicalisationError, match="bytes, more than"):
        jsonld.canonical_nquads({**signed, "name": "x" * jsonld.MAX_DOCUMENT_BYTES})
    # Ten blank nodes that all know each other: 10! orderings to try.
    knows = {"knows": {"@id": "https://schema.org/knows", "@type": "@id"}}
    poison = {
        "@context": knows,
        "@graph": [
            {"@id": f"_:b{i}", "knows": [f"_:b{j}" for j in range(10) if j != i]}
            for i in range(10)
        ],
    }
    with pytest.raises(jsonld.CanonicalisationError, match="too alike"):
        jsonld.canonical_nquads(poison)


def test_an_award_signed_by_another_key_than_its_issuers_fails(signed, unsigned):
    stranger = keys.SigningKey(
        keys.secret_key(keys.new_secret_key()), signed["issuer"]["id"]
    )
    with pytest.raises(ValueError, match="issuer must be"):
        dataintegrity.sign(unsigned, stranger)
    forged = award(unsigned, stranger)
    assert dataintegrity.proof_problems(forged) == [
        "The key that signed it cannot be found: "
        f"{stranger.verification_method} is not the key of {stranger.controller}."
    ]


def test_keys_of_other_sites_are_not_fetched(signed):
    for method in ["did:web:elsewhere.test#k1", "https://elsewhere.test/keys/1"]:
        moved = copy.deepcopy(signed)
        moved["proof"][0]["verificationMethod"] = method
        assert "cannot be resolved here" in dataintegrity.proof_problems(moved)[0]


def test_rotation_keeps_what_the_old_key_signed_verifiable(
    settings, rotation, digital_bazaar
):
    for name, value in rotation.settings.items():
        setattr(settings, name, value)
    before, after = rotation.before, rotation.after
    assert before["issuer"]["id"] == after["issuer"]["id"] == rotation.did
    assert rotation.did == "did:web:mc.example.edu:issuers:ums"
    [old], [new] = before["proof"], after["proof"]
    assert old["verificationMethod"] != new["verificationMethod"]
    assert rotation.did_document["assertionMethod"] == [
        new["verificationMethod"],
        old["verificationMethod"],
    ]
    assert dataintegrity.proof_problems(before) == []
    assert dataintegrity.proof_problems(after) == []
    assert digital_bazaar["rotated, signed before"]["verified"] is True
    assert digital_bazaar["rotated, signed after"]["verified"] is True
    # A compromised key is withdrawn by dropping it from the retired keys.
    settings.CREDENTIAL_RETIRED_KEYS = []
    assert "is not a key of" in dataintegrity.proof_problems(before)[0]


def test_a_did_key_issuer_keeps_verifying_after_rotation(settings, signed):
    settings.CREDENTIAL_SIGNING_KEY = keys.new_secret_key()
    assert dataintegrity.proof_problems(signed) == []


def test_make_issuer_key_prints_a_working_key_and_retires_the_current_one(
    settings, issuer_key
):
    out = io.StringIO()
    call_command(MakeIssuerKey(), stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines()[:2])
    assert lines["CREDENTIAL_RETIRED_KEYS"] == issuer_key.public_multibase
    settings.CREDENTIAL_SIGNING_KEY = lines["CREDENTIAL_SIGNING_KEY"]
    new = keys.signing_key()
    assert new.public_multibase != issuer_key.public_multibase
    document = {
        "@context": [statuslist.VC_CONTEXT],
        "type": ["VerifiableCredential"],
        "issuer": new.controller,
    }
    assert dataintegrity.proof_problems(dataintegrity.sign(document, new)) == []


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CREDENTIAL_SIGNING_KEY", "", "make_issuer_key makes one"),
        (
            "CREDENTIAL_SIGNING_KEY",
            "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
            "secret key",
        ),
        ("SITE_URL", "http://mc.example.edu", "https"),
    ],
)
def test_unusable_key_settings_say_what_to_fix(settings, name, value, message):
    settings.CREDENTIAL_DID_METHOD = "web"
    setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        keys.signing_key()


@pytest.mark.parametrize(
    ("dates", "problems"),
    [
        ({"validFrom": "2026-01-05T09:30:00Z"}, []),
        (
            {"validFrom": "2026-01-05T09:30:00Z", "validUntil": "2027-01-01T00:00:00Z"},
            [],
        ),
        ({"validFrom": "2026-03-01T00:00:00Z"}, ["It is not valid before 2026-03-01."]),
        ({"validUntil": "2026-02-01T00:00:00+00:00"}, ["It expired on 2026-02-01."]),
        ({"validFrom": "soon"}, ["Its dates cannot be read."]),
        ({"validUntil": ["2026"]}, ["Its dates cannot be read."]),
    ],
)
def test_an_award_is_valid_only_between_its_dates(dates, problems):
    now = datetime(2026, 2, 14, 12, 0, tzinfo=UTC)
    assert dataintegrity.validity_problems(dates, now) == problems


def test_a_revoked_award_fails_its_status_check_here_and_with_digital_bazaar(
    signed, revoked, status_list, digital_bazaar
):
    assert dataintegrity.proof_problems(status_list) == []
    assert digital_bazaar["status list"]["verified"] is True
    assert statuslist.status_problems(signed, status_list) == []
    assert statuslist.status_problems(revoked, status_list) == [
        "It has been revoked by its issuer."
    ]
    assert dataintegrity.proof_problems(revoked) == []
    assert digital_bazaar["revoked"] == {
        "verified": True,
        "revoked": True,
        "error": None,
    }
    assert digital_bazaar["signed"]["revoked"] is False


def test_a_forged_or_foreign_status_list_is_not_believed(revoked, status_list):
    cleared = copy.deepcopy(status_list)
    cleared["credentialSubject"]["encodedList"] = statuslist.encode([])
    assert statuslist.status_problems(revoked, cleared) == [
        "Its issuer's status list is not authentic."
    ]
    secret = keys.secret_key(keys.new_secret_key())
    stranger = keys.SigningKey(
        secret, keys.did_key(keys.public_multibase(secret.public_key()))
    )
    foreign = statuslist.list_credential(LIST_URL, stranger.controller, [], SIGNED_AT)
    foreign = dataintegrity.sign(foreign, stranger)
    assert statuslist.status_problems(revoked, foreign) == [
        "Its status list was published by someone other than its issuer."
    ]
    assert statuslist.status_problems(revoked, {**status_list, "id": "x"}) == [
        "The status list given is not the one the credential names."
    ]


def _json_containers(inner: st.SearchStrategy) -> st.SearchStrategy:
    keys_ = st.sampled_from(
        ["@context", "@id", "@type", "@graph", "@value", "id", "type"]
    )
    return st.lists(inner, max_size=3) | st.dictionaries(
        keys_ | st.text(max_size=3), inner, max_size=3
    )


HOSTILE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=4)
    | st.sampled_from(["@id", "@type", "@context", "@json", "_:b0", "https://x.test/"]),
    _json_containers,
    max_leaves=8,
)


@hypothesis_settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=st.data())
def test_verifying_hostile_changes_says_why_and_never_crashes(
    signed, status_list, data
):
    """The verification page will run on whatever a stranger uploads."""
    target = data.draw(st.sampled_from([signed, status_list]))
    path = data.draw(st.sampled_from(list(fields(target))))
    changed = copy.deepcopy(target)
    parent = changed
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = data.draw(HOSTILE)
    assume(changed != target)
    assert dataintegrity.proof_problems(changed)
    dataintegrity.validity_problems(changed, SIGNED_AT)
    if target is signed:
        statuslist.status_problems(changed, status_list)
    else:
        assert statuslist.status_problems(signed, changed)


@given(st.sets(st.integers(0, statuslist.LENGTH - 1), max_size=40), st.data())
def test_the_encoded_list_holds_exactly_the_revoked_entries(revoked, data):
    bits = statuslist.decode(statuslist.encode(revoked))
    probe = data.draw(st.integers(0, statuslist.LENGTH - 1))
    for index in {*revoked, probe}:
        assert bool(bits[index // 8] & (0x80 >> (index % 8))) == (index in revoked)


def test_an_inflating_status_list_is_refused():
    bomb = multibase.encode("base64url", gzip.compress(bytes(10**7))).decode()
    with pytest.raises(ValueError, match="does not hold"):
        statuslist.decode(bomb)


@given(st.binary(max_size=80))
def test_base58_keeps_leading_zero_bytes_and_agrees_with_multibase(data):
    """One Ed25519 signature in 256 starts with a zero byte, which py-multibase
    drops: ours keeps it and otherwise writes what multibase writes."""
    encoded = base58.encode(data)
    assert base58.decode(encoded) == data
    if data and data[0]:
        assert encoded == multibase.encode("base58btc", data).decode()
    assert base58.encode(b"\0\0\x01") == "z112"


@pytest.mark.parametrize("text", ["", "x123", "z0OIl", "z" + "2" * 201, None])
def test_base58_refuses_what_is_not_base58(text):
    with pytest.raises(ValueError):
        base58.decode(text)

"""Issuing and revoking awards through awards/services.py: the signed credential
verifies and meets the 1EdTech schema, an idempotency key never makes two awards
(also when two workers race on PostgreSQL), and revoking flips the award's bit in
the signed status list."""

import datetime
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection
from django.utils import timezone

from awards import documents, services
from awards.apps import signing_key_is_set
from awards.models import Award
from credentials import openbadges
from credentials.proofs import dataintegrity, keys, statuslist
from tests.factories import issued_award, published_credential, staff_user


@pytest.fixture
def badge(db):
    return published_credential().catalog_badges.order_by("position").first()


def test_an_issued_award_verifies_and_meets_the_schema(badge):
    award = issued_award(
        badge,
        name="Ada Learner",
        email="Ada.Learner@Example.edu",
        issued_on=datetime.date(2026, 5, 1),
        evidence_url="https://portfolio.example.edu/ada",
        evidence_narrative="Reflection and quiz (92 %).",
    )
    signed = Award.objects.get(pk=award.pk).credential
    assert dataintegrity.proof_problems(signed) == []
    assert dataintegrity.validity_problems(signed, timezone.now()) == []
    assert openbadges.ob3_problems(signed, None) == []
    subject = signed["credentialSubject"]
    [identity] = subject["identifier"]
    assert identity["identityHash"] == documents.identity_hash(
        "ada.learner@example.edu", award.salt
    )
    assert subject["achievement"]["id"] == openbadges.absolute(
        badge.export_url("achievement.json")
    )
    assert signed["issuer"]["id"] == keys.signing_key().controller
    assert signed["awardedDate"] == "2026-05-01T00:00:00Z"
    assert signed["evidence"] == [
        {
            "type": ["Evidence"],
            "id": "https://portfolio.example.edu/ada",
            "narrative": "Reflection and quiz (92 %).",
        }
    ]
    assert signed["credentialStatus"]["statusListIndex"] == str(award.status_index)
    assert signed["id"] == f"urn:uuid:{award.uuid}"
    # Only the hash of the claim link's secret is kept.
    assert award.claim_token_hash == services.token_hash(services.claim_token(award))
    assert services.claim_token(award) not in str(signed)


def test_tampering_with_the_record_fails_verification(badge):
    signed = issued_award(badge).credential
    changed = {**signed, "awardedDate": "2020-01-01T00:00:00Z"}
    assert dataintegrity.proof_problems(changed) != []


def test_an_idempotency_key_makes_one_award_per_badge(badge):
    first = issued_award(badge, idempotency_key="row-7")
    again = issued_award(
        badge, email="someone.else@example.edu", idempotency_key="row-7"
    )
    other = published_credential().catalog_badges.first()
    elsewhere = issued_award(other, idempotency_key="row-7")
    assert again.pk == first.pk
    assert elsewhere.pk != first.pk
    assert Award.objects.filter(idempotency_key="row-7").count() == 2


def test_nobody_holds_a_badge_twice_until_it_is_revoked(badge):
    first = issued_award(badge, email="Ada.Learner@example.edu")
    with pytest.raises(ValidationError, match="already holds this badge"):
        issued_award(badge, email="ada.learner@EXAMPLE.edu", idempotency_key="row-2")
    assert Award.objects.count() == 1
    services.revoke(first, by=staff_user(), reason="Awarded to the wrong cohort.")
    again = issued_award(badge, email="ada.learner@example.edu")
    assert again.pk != first.pk and not again.is_revoked


def test_awards_get_distinct_bits_of_one_list(badge):
    awards = [issued_award(badge, email=f"l{n}@example.edu") for n in range(5)]
    assert len({a.status_list_id for a in awards}) == 1
    assert len({a.status_index for a in awards}) == 5
    assert all(0 <= a.status_index < statuslist.LENGTH for a in awards)


def test_revoking_flips_the_bit_in_the_signed_status_list(badge):
    award = issued_award(badge)
    kept = issued_award(badge, email="kept@example.edu")
    listed = services.status_list_credential(award.status_list)
    assert dataintegrity.proof_problems(listed) == []
    assert statuslist.status_problems(award.credential, listed) == []

    staff = staff_user()
    revoked = services.revoke(award, by=staff, reason="Issued to the wrong person.")
    assert revoked.revoked_by == staff and revoked.revoked_at is not None
    listed = services.status_list_credential(award.status_list)
    assert statuslist.status_problems(award.credential, listed) == [
        "It has been revoked by its issuer."
    ]
    assert statuslist.status_problems(kept.credential, listed) == []
    # The record as issued is never rewritten.
    assert Award.objects.get(pk=award.pk).credential == award.credential
    # The list stays the same document until the next revocation.
    assert services.status_list_credential(award.status_list) == listed


def test_revoking_needs_a_reason_and_happens_once(badge):
    award = issued_award(badge)
    staff = staff_user()
    with pytest.raises(ValidationError):
        services.revoke(award, by=staff, reason="  ")
    services.revoke(award, by=staff, reason="Plagiarised evidence.")
    with pytest.raises(ValidationError) as refused:
        services.revoke(award, by=staff_user(), reason="Another reason.")
    assert "Plagiarised evidence." in str(refused.value)
    assert Award.objects.get(pk=award.pk).revocation_reason == "Plagiarised evidence."


@pytest.mark.parametrize(
    ("state", "changes"),
    [
        ("approved", {}),
        ("published", {"email": "not an address"}),
        ("published", {"name": " "}),
        ("published", {"evidence_url": "javascript:alert(1)"}),
        (
            "published",
            {"issued_on": timezone.localdate() + datetime.timedelta(days=1)},
        ),
    ],
)
def test_what_cannot_be_awarded_is_refused_and_nothing_is_saved(db, state, changes):
    badge = published_credential(state=state).catalog_badges.first()
    with pytest.raises(ValidationError):
        issued_award(badge, **changes)
    assert not Award.objects.exists()


def test_development_signs_with_a_derived_key_and_production_refuses(settings):
    settings.CREDENTIAL_SIGNING_KEY = ""
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        keys.signing_key()
    assert [error.id for error in signing_key_is_set(None)] == ["awards.E001"]
    settings.DEBUG = True
    assert signing_key_is_set(None) == []
    # Every process derives the same key from SECRET_KEY; another secret, another key.
    assert keys.signing_key().controller == keys.signing_key().controller
    first = keys.signing_key().controller
    settings.SECRET_KEY = "another development secret"
    assert keys.signing_key().controller != first


def _race(count: int, work) -> list:
    """Run `work(n)` in `count` threads released at once; their results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(n):
        try:
            barrier.wait()
            results[n] = work(n)
        except Exception as error:  # noqa: BLE001 - reported by the test
            results[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent PostgreSQL connections"
)
@pytest.mark.django_db(transaction=True)
def test_workers_racing_never_issue_twice_nor_share_a_bit(reference_data):
    badge = published_credential().catalog_badges.first()
    staff = staff_user()

    def same_row(n):
        return services.issue(
            badge,
            name="Ada",
            email="ada@example.edu",
            awarded_by=staff,
            idempotency_key="import-1:row-2",
        ).pk

    results = _race(4, same_row)
    assert len(set(results)) == 1, results
    assert Award.objects.count() == 1

    def different_rows(n):
        return services.issue(
            badge, name=f"L{n}", email=f"l{n}@example.edu", awarded_by=staff
        ).status_index

    results = _race(4, different_rows)
    assert all(isinstance(index, int) for index in results), results
    assert len(set(results)) == 4

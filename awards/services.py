"""Issuing and revoking awards: the one code path that performs each."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max
from django.utils import dateformat, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts import verification
from awards import documents, hooks, validators
from awards.models import Award, Source, StatusList
from credentials import openbadges
from credentials.proofs import dataintegrity, keys, statuslist
from proposals.models import Proposal, State

# How long a process keeps a signed status list; a revocation changes its key.
STATUS_LIST_CACHE_SECONDS = 300
# Filled by the service, not by whoever calls it.
REASON_MAX = Award._meta.get_field("revocation_reason").max_length
COMPUTED = ["status_list", "status_index", "claim_token_hash", "credential", "salt"]


def claim_token(award: Award) -> str:
    """The secret in the award's claim link. Derived from SECRET_KEY, so that the
    link can be written again (a claim email queued later) while the database keeps
    only its hash, which cannot claim anything."""
    return salted_hmac("awards.claim", str(award.uuid), algorithm="sha256").hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _signing_key(issuer) -> keys.SigningKey:
    return keys.signing_key("issuers", issuer.slug)


def _status_entry(issuer, did: str) -> tuple[StatusList, int]:
    """A free bit of one of the issuer's lists, never handed out twice: the update
    locks the list's row (on SQLite, the database) before it counts."""
    while True:
        status_list = (
            StatusList.objects.filter(
                issuer=issuer, issuer_did=did, allocated__lt=statuslist.LENGTH
            )
            .order_by("pk")
            .first()
        )
        if status_list is None:
            status_list = StatusList.objects.create(
                issuer=issuer,
                issuer_did=did,
                stride=2 * secrets.randbelow(statuslist.LENGTH // 2) + 1,
                offset=secrets.randbelow(statuslist.LENGTH),
            )
        taken = StatusList.objects.filter(
            pk=status_list.pk, allocated__lt=statuslist.LENGTH
        ).update(allocated=F("allocated") + 1)
        if taken:
            status_list.refresh_from_db(fields=["allocated"])
            return status_list, status_list.index_of(status_list.allocated - 1)


def _check(award: Award) -> None:
    award.full_clean(
        exclude=COMPUTED, validate_unique=False, validate_constraints=False
    )
    if award.evidence_url:
        try:
            validators.evidence_link(award.evidence_url)
        except ValidationError as error:
            raise ValidationError({"evidence_url": error.messages}) from None
    # Read now, not from the badge's loaded credential: a worker issuing a long file
    # holds that object while the credential may be retired.
    published = Proposal.objects.filter(
        pk=award.badge.proposal_id, state=State.PUBLISHED, issuer__isnull=False
    ).exists()
    if not published:
        raise ValidationError(_("Only badges of published credentials are awarded."))
    if (path := hooks.own_path(award.badge)) and award.source != path.source:
        raise ValidationError(path.why)
    try:
        validators.earned_on(award.issued_on, timezone.localdate())
    except ValidationError as error:
        raise ValidationError({"issued_on": error.messages}) from None


def _sign(award: Award, key: keys.SigningKey) -> dict:
    now = timezone.now()
    document = documents.unsigned_credential(award, key.controller, now)
    signed = dataintegrity.sign(document, key, created=now)
    if problems := openbadges.ob3_problems(signed, None):
        raise ValueError("the award breaks the OB 3.0 schema: " + "; ".join(problems))
    return signed


def issue(
    badge,
    *,
    name: str,
    email: str,
    awarded_by,
    issued_on: date | None = None,
    evidence_url: str = "",
    evidence_narrative: str = "",
    user=None,
    source: str = Source.MANUAL,
    idempotency_key: str | None = None,
) -> Award:
    """Award `badge` to one person: a signed OB 3.0 credential with its own bit in
    the issuer's status list, all saved or nothing. ValidationError says what is
    wrong with the input. With an `idempotency_key` already used for this badge, the
    award made then is returned and nothing new is made, even when two workers
    issue the same row at once."""
    if idempotency_key:
        existing = Award.objects.filter(badge=badge, idempotency_key=idempotency_key)
        if found := existing.first():
            return found
    award = Award(
        badge=badge,
        recipient_name=name.strip(),
        recipient_email=email.strip(),
        recipient=user,
        salt=secrets.token_hex(16),
        evidence_url=evidence_url.strip(),
        evidence_narrative=evidence_narrative.strip(),
        issued_on=issued_on or timezone.localdate(),
        awarded_by=awarded_by,
        source=source,
        idempotency_key=idempotency_key or "",
    )
    _check(award)
    key = _signing_key(badge.proposal.issuer)
    try:
        with transaction.atomic():
            award.status_list, award.status_index = _status_entry(
                badge.proposal.issuer, key.controller
            )
            # Under the list's lock, which every award of the issuer takes: nobody
            # holds a badge twice, whichever page or worker awards it.
            if held := _holder(award):
                if idempotency_key and held.idempotency_key == idempotency_key:
                    return held
                raise ValidationError(
                    {
                        "email": _(
                            "%(email)s already holds this badge (awarded %(day)s)."
                        )
                        % {
                            "email": award.recipient_email,
                            "day": dateformat.format(held.issued_on, "M j, Y"),
                        }
                    }
                )
            award.claim_token_hash = token_hash(claim_token(award))
            award.credential = _sign(award, key)
            award.save()
    except IntegrityError:
        if not idempotency_key:
            raise
        found = Award.objects.filter(badge=badge, idempotency_key=idempotency_key)
        if (award := found.first()) is None:
            raise
    return award


def _holder(award: Award) -> Award | None:
    """The award of the same badge the person holds already (one not revoked)."""
    return (
        Award.objects.filter(
            badge=award.badge,
            recipient_email__iexact=award.recipient_email,
            revoked_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )


def revoke(award: Award, *, by, reason: str, resting: bool = False) -> Award:
    """Revoke the award, with the reason its recipient and verifiers are told: its
    bit in the signed status list is set from now on. Revoking twice is refused, so
    that a second revoker never silently replaces the first one's reason. With
    `resting`, the awards that rest on this one (hooks.awards_resting_on) are revoked
    with it, saying why."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the award is revoked.")})
    with transaction.atomic():
        locked = Award.objects.select_for_update().get(pk=award.pk)
        if locked.is_revoked:
            raise ValidationError(
                _("This award was already revoked on %(day)s: %(reason)s"),
                code="already_revoked",
                params={
                    "day": timezone.localdate(locked.revoked_at).isoformat(),
                    "reason": locked.revocation_reason,
                },
            )
        _set_revoked(locked, by, reason)
        if resting:
            because = _("It rests on the %(badge)s award, revoked: %(reason)s") % {
                "badge": locked.badge.name,
                "reason": reason,
            }
            for other in hooks.awards_resting_on(locked):
                other = Award.objects.select_for_update().get(pk=other.pk)
                # Someone may have revoked it meanwhile; their reason stands.
                if not other.is_revoked:
                    _set_revoked(other, by, because[:REASON_MAX])
    return locked


def _set_revoked(award: Award, by, reason: str) -> Award:
    award.revoked_at = timezone.now()
    award.revocation_reason = reason
    award.revoked_by = by
    award.save(update_fields=["revoked_at", "revocation_reason", "revoked_by"])
    return award


def status_list_credential(status_list: StatusList) -> dict:
    """The list's signed status list credential, as published. Signed as of its
    latest revocation, so that it stays the same document until the next one.
    UnusableKey when the current key no longer speaks for the list's issuer (a new
    did:key after a rotation): its awards can be verified but no longer revoked."""
    key = _signing_key(status_list.issuer)
    if key.controller != status_list.issuer_did:
        raise keys.UnusableKey(
            f"the signing key's DID is not {status_list.issuer_did}, the list's issuer"
        )
    revoked = status_list.awards.filter(revoked_at__isnull=False)
    changed = revoked.aggregate(latest=Max("revoked_at"), count=Count("pk"))

    def signed() -> dict:
        document = statuslist.list_credential(
            documents.status_list_url(status_list),
            key.controller,
            revoked.values_list("status_index", flat=True),
            status_list.created_at,
        )
        created = changed["latest"] or status_list.created_at
        return dataintegrity.sign(document, key, created=created)

    # Verifiers fetch it for every check; it changes only with a revocation or key.
    stamp = changed["latest"].timestamp() if changed["latest"] else 0
    cache_key = (
        f"awards:status:{status_list.pk}:{changed['count']}:{stamp}:"
        f"{key.verification_method}:{documents.status_list_url(status_list)}"
    )
    return cache.get_or_set(cache_key, signed, STATUS_LIST_CACHE_SECONDS)


def claim(award: Award, user=None) -> Award:
    """The recipient accepts the award from their claim link. The first acceptance
    is kept; a signed-in account whose address is the award's, and confirmed, is
    linked to it (an unconfirmed one may not be that address's owner)."""
    with transaction.atomic():
        locked = Award.objects.select_for_update().get(pk=award.pk)
        fields = []
        if locked.claimed_at is None:
            locked.claimed_at = timezone.now()
            fields.append("claimed_at")
        if (
            locked.recipient_id is None
            and user is not None
            and verification.is_verified(user)
            and user.email.lower() == locked.recipient_email.lower()
        ):
            locked.recipient = user
            fields.append("recipient")
        if fields:
            locked.save(update_fields=fields)
    return locked

"""The public catalog's index: one row per badge of every approved credential, built
from the credential's approved draft when the committee approves it (or when the
catalog import creates it)."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.db.models import F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from credentials.models import CatalogBadge, Issuer
from credentials.openbadges import export_problems, human_code
from metadata_templates.schema import badge_label, normalise
from proposals.models import Level, Proposal

CATALOG_PREFIX = "catalog:"
CARD_IMAGE = "image.svg"
# Stand-ins reverse() fills the card addresses' patterns with. Badge keys are slugs
# (metadata_templates.forms.KEY), as the <slug:key> part of the address requires.
OPEN_PK, OPEN_KEY = 987_654_321_012, "zq-open-key-qz"


class NothingToIndex(LookupError):
    """The credential has no submitted draft to publish."""


@transaction.atomic
def index_credential(proposal: Proposal, user=None) -> list[CatalogBadge]:
    """(Re)build the catalog rows of `proposal` from its last submitted draft. Rows
    keep their identity (proposal, badge key), so public addresses stay stable."""
    draft = proposal.drafts.select_related("revision").order_by("-number").first()
    if draft is None:
        raise NothingToIndex(proposal.pk)
    if proposal.issuer_id is None and (issuer := Issuer.default()):
        proposal.issuer = issuer
        Proposal.objects.filter(pk=proposal.pk).update(issuer=issuer)
    content = normalise(draft.revision.content)
    category = content["credential"].get("category", "")
    levels = set(Level.values)
    now = timezone.now()
    entries = {}
    for position, badge in enumerate(content["badges"]):
        entries[badge["key"]], _created = CatalogBadge.objects.update_or_create(
            proposal=proposal,
            key=badge["key"],
            defaults={
                "revision": draft.revision,
                "position": position,
                "name": badge["name"].strip()[:200],
                "level": badge["level"] if badge["level"] in levels else Level.LEVEL_1,
                "category": category.strip()[:200],
                "courses": badge["courses"].strip(),
                "human_code": human_code(badge["courses"]),
                "description": badge["description"].strip(),
                "draft_number": draft.number,
                "approved_at": now,
            },
        )
    CatalogBadge.objects.filter(proposal=proposal).exclude(key__in=entries).delete()
    for badge in content["badges"]:
        entries[badge["key"]].prerequisites.set(
            _resolve(badge["prerequisites"], entries)
        )
    return list(entries.values())


def _resolve(references: list[str], local: dict) -> list[CatalogBadge]:
    """Prerequisites are badges of the same draft (by key) or badges of other
    published credentials ("catalog:<proposal>:<key>")."""
    found = [local[ref] for ref in references if ref in local]
    for ref in references:
        if ref.startswith(CATALOG_PREFIX):
            proposal_id, _sep, key = ref.removeprefix(CATALOG_PREFIX).partition(":")
            if proposal_id.isdecimal():
                found += CatalogBadge.objects.filter(proposal_id=proposal_id, key=key)
    return found


def for_cards(queryset: QuerySet[CatalogBadge]) -> QuerySet[CatalogBadge]:
    """What a catalog card shows, in a fixed number of queries. Of the credential only
    the issuer's name is read, and prerequisites come as a plain list: a page of cards
    costs less without two more whole rows and a related manager per card."""
    issuer_name = Coalesce(F("proposal__issuer__name"), Value(""))
    return queryset.annotate(issuer_name=issuer_name).prefetch_related(
        Prefetch(
            "prerequisites",
            queryset=CatalogBadge.objects.only("pk", "name", "proposal_id", "key"),
            to_attr="prerequisite_list",
        )
    )


def prepare_cards(badges: list[CatalogBadge]) -> list[CatalogBadge]:
    """Each card's page address (`url`), image address (`image_url`) and `version`,
    a digest of everything the card shows: the catalog keeps rendered cards under it,
    so a card is drawn again exactly when something on it changed.

    A reverse() per address cost more than the rest of the card; the addresses differ
    only in the credential's number and the badge's key, so one reverse() each for
    the page gives a pattern to fill in."""
    page = reverse("catalog:credential", args=[OPEN_PK])
    image = reverse("catalog:export", args=[OPEN_PK, OPEN_KEY, CARD_IMAGE])
    for badge in badges:
        number = str(badge.proposal_id)
        badge.url = page.replace(str(OPEN_PK), number) + f"#{badge.key}"
        badge.image_url = image.replace(str(OPEN_PK), number).replace(
            OPEN_KEY, badge.key
        )
        shown = (
            badge.url,
            badge.image_url,
            badge.name,
            badge.category,
            badge.level,
            badge.courses,
            badge.description,
            badge.issuer_name,
            *(str(offering) for offering in badge.offerings),
            "",
            *(prerequisite.name for prerequisite in badge.prerequisite_list),
        )
        badge.version = hashlib.sha256("\x1f".join(shown).encode()).hexdigest()
    return badges


def publication_problems(proposal: Proposal) -> list[str]:
    """What keeps an approved credential out of the catalog: an issuer, and exports
    that pass the Open Badges checks."""
    if proposal.issuer_id is None:
        return [_("Choose the credential's issuer (admin, Proposals).")]
    badges = CatalogBadge.objects.filter(proposal=proposal).select_related(
        "proposal__issuer", "revision"
    )
    if not badges:
        return [_("The approved draft has no badges to publish.")]
    return [
        f"{badge.name}: {problem}"
        for badge in badges
        for problem in export_problems(badge)
    ]


def prerequisite_choices(proposal, content: dict) -> list[tuple[str, str]]:
    """Published badges (from the catalog index) that a badge of this draft may name
    as prerequisites: those in the draft's category, and any already named. Offering
    the whole catalog would put thousands of boxes under every badge."""
    content = normalise(content)
    category = str(content["credential"].get("category", "")).strip()
    wanted = Q(category__iexact=category) if category else Q(pk__in=[])
    for badge in content["badges"]:
        for reference in badge["prerequisites"]:
            proposal_id, _sep, key = reference.removeprefix("catalog:").partition(":")
            if reference.startswith("catalog:") and proposal_id.isdecimal():
                wanted |= Q(proposal_id=int(proposal_id), key=key)
    badges = (
        CatalogBadge.objects.listed()
        .filter(wanted)
        .exclude(proposal=proposal)
        .select_related("proposal")
        .only("key", "name", "level", "proposal__title")
        .order_by("proposal__title", "position")
    )
    return [
        (
            f"catalog:{badge.proposal_id}:{badge.key}",
            _("%(badge)s — published in %(title)s")
            % {
                "badge": badge_label({"name": badge.name, "level": badge.level}),
                "title": badge.proposal.title,
            },
        )
        for badge in badges
    ]

"""Staff verify and award the pathway's badges: only a level whose requirements the
record and the evidence meet, each person and badge once (the idempotency key), and
the macro-badge as soon as the three levels are held."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from awards import emails, hooks
from awards import services as awards
from awards.models import Award, Source
from development import progress
from development.models import PathwayBadge
from proposals.models import Level

LEVELS = (Level.LEVEL_1, Level.LEVEL_2, Level.LEVEL_3)


@dataclass(frozen=True)
class Choice:
    """One badge to award to one person."""

    person: User
    level: str


def parse(values: list[str], *, limit: int = 200) -> list[tuple[int, str]]:
    """("<user id>:<level>", ...) as posted by the pages; anything else is dropped."""
    pairs = []
    for value in values[:limit]:
        pk, _sep, level = str(value).partition(":")
        if pk.isdecimal() and len(pk) < 19 and level in Level.values:
            pairs.append((int(pk), level))
    return list(dict.fromkeys(pairs))


def choices(pairs: list[tuple[int, str]]) -> list[Choice]:
    people = User.objects.in_bulk({pk for pk, _level in pairs})
    return [Choice(people[pk], level) for pk, level in pairs if pk in people]


def _narrative(level: progress.LevelProgress) -> str:
    met = "; ".join(r.label for r in level.requirements)
    return _(
        "Verified by UMS Micro-Credential Initiative staff against the pathway's "
        "criteria: %(met)s."
    ) % {"met": met}


def _issue(person: User, level: progress.LevelProgress, by) -> Award:
    # Once per person and badge; a revoked award may be followed by a new one.
    revoked = Award.objects.filter(
        badge=level.badge, recipient=person, revoked_at__isnull=False
    ).count()
    return awards.issue(
        level.badge,
        name=person.get_full_name() or person.username,
        email=person.email,
        awarded_by=by,
        user=person,
        evidence_narrative=_narrative(level),
        source=Source.DEVELOPMENT,
        idempotency_key=f"development:{person.pk}:{level.badge.pk}:{revoked}",
    )


def problems(chosen: list[Choice]) -> list[str]:
    """Why some of the chosen badges cannot be awarded, one sentence each."""
    found = []
    by_person = {
        p.person.pk: p for p in progress.for_people({c.person for c in chosen})
    }
    for choice in chosen:
        level = by_person[choice.person.pk].level(choice.level)
        name = choice.person.get_full_name() or choice.person.username
        if level.badge is None:
            found.append(_("The development pathway is not in the catalog."))
        elif level.held:
            found.append(
                _("%(name)s already holds %(badge)s.")
                % {"name": name, "badge": level.badge.name}
            )
        elif not level.met:
            missing = ", ".join(r.label for r in level.requirements if not r.met)
            found.append(
                _("%(name)s is not ready for %(badge)s: %(missing)s.")
                % {"name": name, "badge": level.badge.name, "missing": missing}
            )
    return found


def award(chosen: list[Choice], *, by) -> list[Award]:
    """Award every chosen badge, or none (ValidationError naming each problem); then
    the macro-badge to whoever now holds the three levels. Claim emails go out once
    the awards are saved."""
    with transaction.atomic():
        if found := problems(chosen):
            raise ValidationError(found)
        people = {c.person.pk: c.person for c in chosen}
        now = {p.person.pk: p for p in progress.for_people(people.values())}
        made = [_issue(c.person, now[c.person.pk].level(c.level), by) for c in chosen]
        for mine in progress.for_people(people.values()):
            macro = mine.level(Level.MACRO)
            if macro.ready:
                made.append(_issue(mine.person, macro, by))
        transaction.on_commit(lambda: [emails.send_claim(a) for a in made])
    return made


def own_path(badge) -> hooks.OwnPath | None:
    """The pathway's badges are awarded here only: this path checks the record."""
    if not PathwayBadge.objects.filter(badge=badge).exists():
        return None
    return hooks.OwnPath(
        source=Source.DEVELOPMENT,
        why=_(
            "Development pathway badges are awarded from the pathway's page, which "
            "checks each person's record and evidence first."
        ),
        url=reverse("development:staff"),
        action=_("Award it from the pathway's page"),
    )


def pathway_badge_keys():
    return PathwayBadge.objects.values("badge_id")


def resting_on(award: Award) -> list[Award]:
    """The recipient's macro-badge rests on each of the three levels it recognises."""
    if award.recipient_id is None:
        return []
    levels = dict(PathwayBadge.objects.values_list("level", "badge_id"))
    if award.badge_id not in {levels.get(level) for level in LEVELS}:
        return []
    return list(
        Award.objects.filter(
            badge_id=levels.get(Level.MACRO),
            recipient_id=award.recipient_id,
            revoked_at__isnull=True,
        ).select_related("badge")
    )

"""Each person's progress through the development pathway (seed 003), computed from
the record: their teams (confirmed, meetings attended, drafts submitted, credential
approved, launch checklist) and the evidence the tracker does not hold. For any
number of people it reads a fixed number of queries (people, memberships, evidence,
the pathway's badges)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awards.models import Award
from development import pathway
from development.models import Evidence, Item
from metadata_templates.models import SubmittedDraft
from proposals.models import Level, TransitionLog
from teams.models import Membership

LEVELS = (Level.LEVEL_1, Level.LEVEL_2, Level.LEVEL_3, Level.MACRO)


@dataclass(frozen=True)
class Proof:
    """A piece of evidence as the pages list it: what it is and where to see it."""

    text: str
    link: str = ""
    note: str = ""
    # The Evidence row it shows, and whether its person may take it back (not when
    # staff recorded it).
    evidence_id: int | None = None
    own: bool = False


@dataclass
class Requirement:
    label: str
    met: bool
    proofs: list[Proof] = field(default_factory=list)


@dataclass
class LevelProgress:
    level: str
    badge: object
    requirements: list[Requirement]
    award: Award | None = None

    @property
    def held(self) -> bool:
        return self.award is not None

    @property
    def met(self) -> bool:
        return all(r.met for r in self.requirements)

    @property
    def ready(self) -> bool:
        """Ready to be verified and awarded: every requirement met, not yet held."""
        return self.met and not self.held

    @property
    def label(self) -> str:
        return Level(self.level).label

    @property
    def done(self) -> int:
        return sum(r.met for r in self.requirements)


@dataclass
class Progress:
    person: object
    levels: list[LevelProgress]

    def level(self, level: str) -> LevelProgress:
        return next(p for p in self.levels if p.level == level)

    @property
    def ready(self) -> list[LevelProgress]:
        return [p for p in self.levels if p.ready]


def _memberships(users) -> dict[int, list[Membership]]:
    """Each person's memberships with what Levels 2 and 3 ask of their team."""
    log = TransitionLog.objects.filter(proposal=OuterRef("team__proposal"))
    drafts = (
        SubmittedDraft.objects.filter(proposal=OuterRef("team__proposal"))
        .order_by()
        .values("proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Membership.objects.filter(user__in=users)
        .select_related("team__proposal__launch_checklist")
        .annotate(
            confirmed=Exists(log.filter(transition="start_development")),
            approved=Exists(log.filter(transition="approve")),
            attended=Count("meetings", distinct=True),
            drafts=Coalesce(Subquery(drafts, output_field=IntegerField()), 0),
        )
        .order_by("joined_at", "pk")
    )
    found = defaultdict(list)
    for row in rows:
        found[row.user_id].append(row)
    return found


def _evidence_proofs(evidence: list[Evidence]) -> list[Proof]:
    proofs = []
    for piece in evidence:
        text = piece.text or piece.get_item_display()
        if piece.score is not None:
            text = _("Score %(score)s %%: %(text)s") % {
                "score": piece.score,
                "text": text,
            }
        note = (
            _("recorded by staff (%(name)s)")
            % {"name": piece.recorded_by.get_full_name() if piece.recorded_by else "–"}
            if piece.by_staff
            else _("added by the person")
        )
        proofs.append(
            Proof(
                text=text,
                link=piece.link,
                note=note,
                evidence_id=piece.pk,
                own=not piece.by_staff,
            )
        )
    return proofs


def _item(label: str, evidence: dict[str, list[Evidence]], item: str) -> Requirement:
    pieces = evidence.get(item, [])
    return Requirement(label, any(p.meets for p in pieces), _evidence_proofs(pieces))


def _team_proof(membership: Membership, text: str, where: str = "team") -> Proof:
    proposal = membership.team.proposal
    links = {
        "team": reverse("teams:detail", args=[proposal.pk]),
        "proposal": reverse("proposals:detail", args=[proposal.pk]),
        "launch": reverse("development:launch", args=[proposal.pk]),
    }
    return Proof(
        text=f"{proposal.title} ({proposal.reference}): {text}", link=links[where]
    )


def _team_requirements(membership: Membership | None) -> list[Requirement]:
    """Level 2's part that the tracker holds, for one of the person's teams."""
    needed = settings.TEAM_MIN_MEETINGS
    if membership is None:
        return [
            Requirement(_("Member of a confirmed development team"), False),
            Requirement(
                _("Met with the team at least %(n)s times (the meeting log)")
                % {"n": needed},
                False,
            ),
            Requirement(_("A team draft of the meta-data template submitted"), False),
        ]
    m = membership
    return [
        Requirement(
            _("Member of a confirmed development team"),
            m.confirmed,
            [_team_proof(m, m.get_role_display())] if m.confirmed else [],
        ),
        Requirement(
            _("Met with the team at least %(n)s times (the meeting log)")
            % {"n": needed},
            m.attended >= needed,
            [
                _team_proof(
                    m,
                    ngettext(
                        "attended %(n)s meeting", "attended %(n)s meetings", m.attended
                    )
                    % {"n": m.attended},
                )
            ]
            if m.attended
            else [],
        ),
        Requirement(
            _("A team draft of the meta-data template submitted"),
            m.drafts > 0,
            [
                _team_proof(
                    m,
                    ngettext(
                        "%(n)s draft submitted", "%(n)s drafts submitted", m.drafts
                    )
                    % {"n": m.drafts},
                    "proposal",
                )
            ]
            if m.drafts
            else [],
        ),
    ]


def _launch_requirements(membership: Membership | None) -> list[Requirement]:
    """Level 3's part that the tracker holds: an approved credential of the
    person's team and its launch checklist."""
    labels = [
        _("Issuing option chosen"),
        _("Communication plan"),
        _("Marketing infographic"),
        _("Campus website contribution"),
    ]
    if membership is None:
        return [
            Requirement(_("The team's micro-credential approved"), False),
            *(Requirement(label, False) for label in labels),
        ]
    m = membership
    checklist = getattr(m.team.proposal, "launch_checklist", None)
    items = checklist.items() if checklist else [(label, False) for label in labels]
    requirements = [
        Requirement(
            _("The team's micro-credential approved"),
            m.approved,
            [_team_proof(m, _("approved"), "proposal")] if m.approved else [],
        )
    ]
    for label, done in items:
        requirements.append(
            Requirement(
                label,
                done,
                [_team_proof(m, _("launch checklist"), "launch")] if done else [],
            )
        )
    return requirements


def _best(memberships: list[Membership], requirements) -> list[Requirement]:
    """The requirements as the person's most advanced team meets them."""
    options = [requirements(m) for m in memberships] or [requirements(None)]
    return max(options, key=lambda reqs: sum(r.met for r in reqs))


def _held_proof(level: LevelProgress) -> list[Proof]:
    if not level.held:
        return []
    when = date_format(level.award.issued_on, "M j, Y")
    link = reverse("awards:verify", args=[level.award.uuid])
    return [Proof(_("badge awarded on %(day)s") % {"day": when}, link)]


def _earned(level: LevelProgress) -> Requirement:
    """A lower level: held, or met (so staff may award both at once)."""
    return Requirement(
        _("%(level)s earned") % {"level": level.label},
        level.held or level.met,
        _held_proof(level),
    )


def _held(level: LevelProgress) -> Requirement:
    return Requirement(
        _("%(level)s badge held") % {"level": level.label},
        level.held,
        _held_proof(level),
    )


def progress_of(
    person,
    memberships: list[Membership],
    evidence: list[Evidence],
    held: dict[str, Award],
    badges,
) -> Progress:
    by_item = defaultdict(list)
    for piece in evidence:
        by_item[piece.item].append(piece)
    level1 = LevelProgress(
        Level.LEVEL_1,
        badges.get(Level.LEVEL_1),
        [
            _item(_("Level 1 course completed"), by_item, Item.LEVEL1_COMPLETION),
            _item(_("Level 1 quiz: 80 % or higher"), by_item, Item.LEVEL1_QUIZ),
            _item(_("Level 1 reflection"), by_item, Item.LEVEL1_REFLECTION),
        ],
        award=held.get(Level.LEVEL_1),
    )
    level2 = LevelProgress(
        Level.LEVEL_2,
        badges.get(Level.LEVEL_2),
        [
            _earned(level1),
            *_best(memberships, _team_requirements),
            _item(_("UMS Micro-Credential Starter assignment"), by_item, Item.STARTER),
        ],
        award=held.get(Level.LEVEL_2),
    )
    level3 = LevelProgress(
        Level.LEVEL_3,
        badges.get(Level.LEVEL_3),
        [
            _earned(level1),
            _earned(level2),
            *_best(memberships, _launch_requirements),
            _item(_("Level 3 reflection"), by_item, Item.LEVEL3_REFLECTION),
        ],
        award=held.get(Level.LEVEL_3),
    )
    # Seed 003: the macro-badge recognises the three levels, awarded and verified.
    macro = LevelProgress(
        Level.MACRO,
        badges.get(Level.MACRO),
        [_held(level1), _held(level2), _held(level3)],
        award=held.get(Level.MACRO),
    )
    return Progress(person, [level1, level2, level3, macro])


def held_levels(users, badges: dict) -> dict[int, dict[str, Award]]:
    """Each person's awards of the pathway's badges that are not revoked, by level."""
    levels = {badge.pk: level for level, badge in badges.items()}
    held = defaultdict(dict)
    awards = Award.objects.filter(
        recipient__in=users, badge__in=list(levels), revoked_at__isnull=True
    ).order_by("created_at", "pk")
    for award in awards:
        held[award.recipient_id].setdefault(levels[award.badge_id], award)
    return held


def for_people(users: Iterable) -> list[Progress]:
    """The progress of each of `users`, in their order."""
    users = list(users)
    memberships = _memberships(users)
    evidence = defaultdict(list)
    for piece in Evidence.objects.for_people(users):
        evidence[piece.person_id].append(piece)
    badges = pathway.badges()
    held = held_levels(users, badges)
    return [
        progress_of(
            user,
            memberships.get(user.pk, []),
            evidence.get(user.pk, []),
            held.get(user.pk, {}),
            badges,
        )
        for user in users
    ]


def for_person(user) -> Progress:
    return for_people([user])[0]

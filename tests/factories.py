import datetime
from collections.abc import Callable

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from accounts.permissions import STAFF_GROUP
from approvals.models import CommitteeTerm, VotingRound
from awards import services as award_services
from awards.models import Award
from credentials.catalog import index_credential
from metadata_templates import schema
from metadata_templates.demo_content import complete_content
from metadata_templates.models import Revision, SubmittedDraft
from proposals.models import CredentialType, Level, PathwayType, Proposal
from teams.models import Campus, Meeting, Membership, Role, Team


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.edu")
    password = factory.django.Password("pw")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.get_or_create(name=n)[0] for n in extracted)


def staff_user(**kwargs) -> User:
    return UserFactory(groups=[STAFF_GROUP], **kwargs)


def committee_member(role: str = "member", **kwargs) -> User:
    user = UserFactory(**kwargs)
    CommitteeTerm.objects.create(
        user=user, role=role, starts_on=datetime.date(2025, 9, 1)
    )
    return user


def chair_user(**kwargs) -> User:
    return committee_member(role="chair", **kwargs)


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal placed directly in a state; workflow tests walk the transitions."""

    class Meta:
        model = Proposal

    proposer = factory.SubFactory(UserFactory)
    proposer_name = factory.LazyAttribute(lambda p: p.proposer.get_full_name())
    proposer_email = factory.LazyAttribute(lambda p: p.proposer.email)
    campus = factory.LazyFunction(
        lambda: Campus.objects.get_or_create(
            short_name="USM", defaults={"name": "University of Southern Maine"}
        )[0]
    )
    title = factory.Sequence(lambda n: f"Proposal {n}")
    credential_type = CredentialType.PATHWAY
    pathway_type = PathwayType.WORKFORCE
    description = "Learners practise a skill employers need."
    target_audience = "Adult learners"
    intended_levels = factory.LazyFunction(lambda: list(Level.values))


def campus(short_name: str) -> Campus:
    return Campus.objects.get_or_create(
        short_name=short_name, defaults={"name": short_name}
    )[0]


def confirmed_team(proposal: Proposal, *, lead: User | None = None) -> Team:
    """A team that meets the start-development rule: a lead and two campuses."""
    team = Team.objects.get_or_create(proposal=proposal)[0]
    Membership.objects.get_or_create(
        team=team,
        user=lead or proposal.proposer,
        defaults={"role": Role.LEAD, "campus": proposal.campus},
    )
    Membership.objects.create(
        team=team, user=UserFactory(), role=Role.FACULTY, campus=campus("UMPI")
    )
    return team


def log_meetings(team: Team, count: int = 2) -> list[Meeting]:
    meetings = []
    for day in range(count):
        meeting = Meeting.objects.create(
            team=team, held_on=datetime.date(2026, 10, 1 + day), agenda="Drafting"
        )
        meeting.attendees.set(team.memberships.all())
        meetings.append(meeting)
    return meetings


def complete_draft(proposal: Proposal) -> Revision:
    """A newest revision that passes the framework check."""
    levels = (
        list(Level.values)
        if proposal.credential_type == CredentialType.PATHWAY
        else proposal.intended_levels
    )
    content = complete_content(
        proposal.title,
        levels,
        pathway_type=proposal.pathway_type,
        audience=proposal.target_audience,
        campus=str(proposal.campus),
    )
    current = proposal.revisions.order_by("-number").first()
    number = current.number + 1 if current else 1
    return Revision.objects.create(proposal=proposal, number=number, content=content)


def ready_for_review(proposal: Proposal) -> Team:
    """A confirmed team with the meetings and the complete draft a submission needs."""
    team = confirmed_team(proposal)
    log_meetings(team)
    complete_draft(proposal)
    return team


def decided_round(proposal: Proposal, outcome: str) -> VotingRound:
    """A voting round on the proposal's latest draft, closed with this outcome."""
    draft = proposal.drafts.order_by("-number").first()
    if draft is None:
        revision = proposal.revisions.order_by("-number").first() or complete_draft(
            proposal
        )
        draft = SubmittedDraft.objects.create(
            proposal=proposal, number=1, revision=revision
        )
    return VotingRound.objects.create(
        proposal=proposal, draft=draft, outcome=outcome, closed_at=timezone.now()
    )


def approved_credential(proposal: Proposal) -> list:
    """What the committee's approval leaves: a submitted draft and the credential's
    catalog rows (the source of its exports)."""
    if not proposal.drafts.exists():
        revision = proposal.revisions.order_by("-number").first() or complete_draft(
            proposal
        )
        SubmittedDraft.objects.create(proposal=proposal, number=1, revision=revision)
    return index_credential(proposal)


def published_credential(state: str = "published", **kwargs) -> Proposal:
    """A credential in the catalog (or approved, or retired), with its rows."""
    proposal = ProposalFactory(state=state, **kwargs)
    approved_credential(proposal)
    proposal.refresh_from_db()
    return proposal


def issued_award(badge=None, **kwargs) -> Award:
    """An award made by the one issuing service (signed, with its status bit), of
    the first badge of a new published credential unless `badge` is given; keyword
    arguments are `awards.services.issue`'s."""
    if badge is None:
        badge = published_credential().catalog_badges.order_by("position").first()
    kwargs.setdefault("name", "Ada Learner")
    kwargs.setdefault("email", "ada.learner@example.edu")
    if "awarded_by" not in kwargs:
        kwargs["awarded_by"] = staff_user()
    return award_services.issue(badge, **kwargs)


def content_at_limits(text: Callable[[int], str]) -> dict:
    """A draft at every limit of the template: the most badges, each with the most
    alignments, every text `text(max_length)` long, every choice ticked."""

    def value(definition: schema.Field):
        if definition.kind in schema.MAX_LENGTH:
            return text(schema.MAX_LENGTH[definition.kind])
        if definition.kind == schema.MULTI:
            return [key for key, _label in definition.choices]
        if definition.kind == schema.CHOICE:
            return definition.choices[-1][0]
        return "10000"

    levels = [level for level, _label in schema.LEVELS]
    url = "https://example.edu/" + "a" * (schema.ALIGNMENT_MAX_LENGTH - 20)
    badges = []
    for n in range(schema.MAX_BADGES):
        badge = {
            **schema.blank_badge(""),
            **{d.key: value(d) for d in schema.BADGE_FIELDS},
        }
        badge["level"] = levels[n % len(levels)]
        badge["alignments"] = [
            {
                "key": schema.new_key(),
                **{
                    d.key: text(schema.ALIGNMENT_MAX_LENGTH)
                    for d in schema.ALIGNMENT_FIELDS
                },
                "url": url,
            }
            for _ in range(schema.MAX_ALIGNMENTS)
        ]
        badges.append(badge)
    for badge in badges:
        badge["prerequisites"] = [b["key"] for b in badges if b is not badge]
    return {
        "credential": {d.key: value(d) for d in schema.CREDENTIAL_FIELDS},
        "badges": badges,
    }


def course_mapping(
    instructor: User, *, state: str = "draft", badge=None, complete: bool = True, **kw
):
    """A course mapping placed directly in `state`, mapping one badge of a published
    credential; with `complete`, every criterion has an assessing assignment."""
    from courses.coverage import criteria_of
    from courses.models import Assessment, CourseMapping, MappingStep

    if badge is None:
        badge = published_credential().catalog_badges.order_by("position").first()
    mapping = CourseMapping.objects.create(
        instructor=instructor,
        state=state,
        course_code=kw.pop("course_code", "ENG 101"),
        course_title=kw.pop("course_title", "College Composition"),
        campus=kw.pop("campus", None) or campus("UMA"),
        starts=kw.pop("starts", "Fall 2027"),
        submission=0 if state == "draft" else 1,
        **kw,
    )
    mapping.badges.set([badge])
    criteria = criteria_of(badge)
    Assessment.objects.bulk_create(
        Assessment(
            mapping=mapping,
            badge=badge,
            criterion=criterion.key,
            criterion_text=criterion.text,
            assignment=f"Essay {n}",
            method="rubric",
            threshold="3 of 4",
        )
        for n, criterion in enumerate(criteria if complete else criteria[1:])
    )
    MappingStep.objects.create(mapping=mapping, target=state, actor=instructor)
    return mapping

"""The development pathway in the demo: the pathway itself, the evidence the demo's
team members gave or staff recorded, and launch checklists of the approved and the
published credential, so that the staff page has people ready at each level."""

from __future__ import annotations

from django.contrib.auth.models import User

from awards import services as awards
from development import awarding, pathway
from development.models import Evidence, Item, LaunchChecklist
from proposals.models import Proposal

LEVEL1 = [
    (Item.LEVEL1_COMPLETION, None, "Completed the Level 1 videos on Brightspace."),
    (Item.LEVEL1_QUIZ, 90, "Brightspace quiz, first attempt."),
    (Item.LEVEL1_REFLECTION, None, "How the framework's levels fit my program."),
]
# username -> what they have shown beyond Level 1 (the partner has not begun).
FURTHER = {
    "faculty": [Item.STARTER, Item.LEVEL3_REFLECTION],
    "proposer2": [Item.STARTER],
    "designer": [Item.STARTER],
}
CHECKLISTS = {
    "Marine Aquaculture Technician": {
        "issuing_option": "UMS badging platform",
        "communication_plan": "Announced with the Maine Aquaculture Association's "
        "spring newsletter, at the hatchery open days and on the UMM site.",
        "infographic_link": "https://example.edu/aquaculture-infographic.pdf",
        "website": "Three levels from hatchery basics to a paid internship; apply "
        "through UMM's workforce office.",
    },
    "Precision Machining Fundamentals": {
        "issuing_option": "UMS badging platform",
        "communication_plan": "Maine MEP member mailing; UMPI career fair.",
        "infographic": "One page: the three courses, the placement, the wage gain.",
        "website_link": "https://example.edu/precision-machining",
    },
}


def load(users: dict[str, User]) -> int:
    """load_demo's step: adds one proposal (the pathway) the first time."""
    created = pathway.ensure(users["admin"])
    if Evidence.objects.exists():
        return 1 if created else 0
    staff = users["staff"]
    for username in ("faculty", "proposer2", "designer"):
        person = users[username]
        for item, score, text in LEVEL1:
            Evidence.objects.create(
                person=person,
                item=item,
                score=score,
                text=text,
                by_staff=item == Item.LEVEL1_QUIZ,
                recorded_by=staff if item == Item.LEVEL1_QUIZ else person,
            )
        for item in FURTHER[username]:
            Evidence.objects.create(
                person=person,
                item=item,
                text=f"{Item(item).label}, shared with the team.",
                link=f"https://example.edu/{username}/{item}",
                recorded_by=person,
            )
    for title, fields in CHECKLISTS.items():
        proposal = Proposal.objects.filter(title=title).first()
        if proposal is not None:
            LaunchChecklist.objects.get_or_create(
                proposal=proposal, defaults={**fields, "updated_by": proposal.proposer}
            )
    _award(users)
    return 1 if created else 0


def _award(users: dict[str, User]) -> None:
    """Staff award what each record earns (Fran all three levels, so the
    macro-badge too); one award is revoked, as a mistake would be."""
    earned = {
        "faculty": ("1", "2", "3"),
        "designer": ("1", "2"),
        "proposer2": ("1", "2"),
    }
    awarding.award(
        [
            awarding.Choice(users[name], level)
            for name, levels in earned.items()
            for level in levels
        ],
        by=users["staff"],
    )
    mistaken = pathway.badges()["2"].awards.get(recipient=users["proposer2"])
    awards.revoke(
        mistaken,
        by=users["staff"],
        reason="Awarded in error: the Starter assignment on file was a first draft; "
        "it will be awarded again once the final version is checked.",
    )

"""Meta-data for the demo proposals: the UMS Micro-Credential Development pathway as
seed 003 describes it, and framework-complete content for the other demo credentials."""

from __future__ import annotations

from metadata_templates.schema import blank_badge, normalise

UMS_MCD_CREDENTIAL = {
    "title": "UMS Micro-Credential Development",
    "summary": "Recognises faculty and staff who learned the University of Maine "
    "System micro-credential framework and, as part of a development team, designed, "
    "developed and implemented an approved UMS micro-credential.",
    "pathway_type": "lifelong",
    "category": "Professional Development",
    "lead_campus": "University of Maine at Augusta",
    "participating_campuses": "All seven UMS universities and the University of Maine "
    "School of Law; UMS Micro-Credential Initiative office",
    "target_audience": "Anyone in Maine interested in the UMS Micro-Credential "
    "Initiative (Level 1); members of confirmed UMS micro-credential development "
    "teams (Levels 2 and 3).",
    "employer_partners": "Maine employers consulted through development teams.",
    "industry_alignment": "Education Design Lab Badged to Hire practices.",
    "credit_options": "Non-credit. Credit may be awarded through the Prior Learning "
    "Assessment and External Review processes.",
    "quality_assurance": "Evidence is tracked, verified and approved by UMS "
    "Micro-Credential Initiative administrators and staff against the UMS framework.",
    "keywords": "micro-credentials, badging, curriculum design, UMS framework",
    "language": "English",
    "issuing_option": "UMS badging platform",
    "communication_plan": "Announced to faculty and staff through campus teaching "
    "centres and the UMS micro-credential website.",
    "marketing_notes": "Asynchronous on Brightspace; no cost to the learner.",
}

UMS_MCD_BADGES = [
    {
        "level": "1",
        "name": "Micro-Credential Development Level 1",
        "description": "Earners have demonstrated an understanding of the UMS "
        "micro-credential framework, its definitions and benefits, and the "
        "initiative's role in meeting workforce and post-secondary attainment goals.",
        "criteria": "Watch the four-part video series (about 30 minutes); visit the "
        "UMS micro-credential website and badging platform; complete a brief "
        "reflection; complete the quiz with a score of 80 % or higher.",
        "competencies": "Explain the UMS micro-credential framework and its levels\n"
        "Use UMS micro-credential terms and definitions\n"
        "Locate developed micro-credentials and available resources",
        "activities": ["video", "course"],
        "evidence_kinds": ["reflection", "quiz"],
        "evidence": "A brief reflection and a quiz result of 80 % or higher.",
        "assessment": "quiz",
        "passing_threshold": "80 % or higher",
        "hours": "1",
        "participation": "online",
    },
    {
        "level": "2",
        "name": "Micro-Credential Development Level 2",
        "description": "Earners have collaborated with a development team in the "
        "planning and design of a UMS micro-credential.",
        "criteria": "Complete Level 1 and join a confirmed development team; watch the "
        "four-part video series (about 25 minutes); complete worksheets and "
        "assignments; meet with the development team at least twice; submit the UMS "
        "Micro-Credential Starter assignment and a team draft of the meta-data "
        "template; show verification of the collaboration.",
        "competencies": "Plan a micro-credential with a cross-campus team\n"
        "Draft the meta-data template against the UMS framework\n"
        "Document team collaboration",
        "activities": ["video", "team_project", "course"],
        "evidence_kinds": ["assignment", "artefact", "collaboration"],
        "evidence": "The Micro-Credential Starter assignment, the team's meta-data "
        "template draft, and verification of collaboration (meeting records).",
        "assessment": "rubric",
        "hours": "6",
        "participation": "online",
    },
    {
        "level": "3",
        "name": "Micro-Credential Development Level 3",
        "description": "Earners have implemented an approved UMS micro-credential: "
        "issuing, marketing and communication.",
        "criteria": "Earn Levels 1 and 2 as part of a confirmed development team; "
        "watch the two-part video series (about 20 minutes); select the issuing "
        "option; develop a marketing infographic; contribute to the campus or "
        "organisation website template; submit the collaborative assignments and "
        "a reflection.",
        "competencies": "Select an issuing option for a micro-credential\n"
        "Market a micro-credential to learners and employers\n"
        "Bring a micro-credential to approval and launch",
        "activities": ["applied", "team_project"],
        "evidence_kinds": ["artefact", "reflection", "collaboration"],
        "evidence": "Collaborative assignments (communication plan, campus or "
        "organisation website, infographic) and a reflection.",
        "assessment": "performance",
        "feedback": "UMS Micro-Credential Initiative staff review each collaborative "
        "assignment with the team and give written feedback before approval.",
        "hours": "8",
        "participation": "blended",
    },
    {
        "level": "macro",
        "name": "UMS Micro-Credential Development Micro-Credential",
        "description": "Recognises the successful completion of the UMS "
        "Micro-Credential Development pathway (Levels 1, 2 and 3). Earners "
        "demonstrated knowledge of the framework, design, development and "
        "implementation of a UMS micro-credential, as part of a development team that "
        "created an approved UMS micro-credential.",
        "criteria": "Earn the Level 1, Level 2 and Level 3 Micro-Credential "
        "Development badges.",
        "evidence_kinds": ["collaboration"],
        "evidence": "Evidence was tracked, verified and approved by UMS "
        "Micro-Credential Initiative administrators and staff.",
        "assessment": "completion",
        "hours": "15",
        "participation": "blended",
    },
]


def _badges(specs: list[dict]) -> list[dict]:
    badges = []
    for spec in specs:
        badge = blank_badge(spec["level"])
        badge.update(spec)
        badges.append(badge)
    # Each level builds on the one before it; the macro-badge on all three.
    for previous, badge in zip(badges, badges[1:], strict=False):
        badge["prerequisites"] = [previous["key"]]
    return badges


def ums_mcd_content() -> dict:
    return normalise(
        {"credential": dict(UMS_MCD_CREDENTIAL), "badges": _badges(UMS_MCD_BADGES)}
    )


GENERIC = {
    "1": ("foundations", ["video", "course"], ["reflection", "quiz"], "quiz", "Online"),
    "2": (
        "training and practice",
        ["workshop", "course"],
        ["assignment"],
        "rubric",
        "",
    ),
    "3": (
        "applied learning",
        ["work_based"],
        ["supervisor", "observation"],
        "supervisor",
        "",
    ),
}


def complete_content(
    title: str, levels: list[str], *, pathway_type: str, audience: str, campus: str
) -> dict:
    """Framework-complete meta-data for a demo credential with the given levels."""
    specs = []
    for level in levels:
        if level == "macro":
            specs.append(
                {
                    "level": "macro",
                    "name": f"{title} Micro-Credential",
                    "description": f"Earners have completed every level of the {title} "
                    "pathway, from foundations to applied work-based learning.",
                    "criteria": "Earn the Level 1, 2 and 3 badges of the pathway.",
                    "evidence_kinds": ["collaboration"],
                    "evidence": "The three level badges, verified by UMS staff.",
                    "assessment": "completion",
                    "hours": "60",
                    "participation": "blended",
                }
            )
            continue
        focus, activities, evidence, assessment, _ = GENERIC[level]
        specs.append(
            {
                "level": level,
                "name": f"{title} Level {level}",
                "description": f"Earners of this badge have demonstrated {focus} in "
                f"{title.lower()}.",
                "criteria": f"Complete the Level {level} modules and submit the "
                "evidence below; UMS faculty vet it against the stated standard.",
                "competencies": f"Apply the core concepts of {title.lower()}\n"
                "Explain the safety and quality standards that apply",
                "activities": activities,
                "evidence_kinds": evidence,
                "evidence": "Evidence as listed, uploaded to the badging platform.",
                "assessment": assessment,
                "passing_threshold": "80 % or higher" if assessment == "quiz" else "",
                "feedback": "The workplace supervisor gives written performance "
                "feedback "
                "at mid-point and end of the placement."
                if level == "3"
                else "",
                "hours": str(10 * int(level)),
                "participation": "online" if level == "1" else "blended",
            }
        )
    credential = {
        "title": title,
        "summary": f"A UMS micro-credential in {title.lower()}.",
        "pathway_type": pathway_type,
        "category": "Lifelong Learning"
        if pathway_type == "lifelong"
        else "Workforce Development",
        "keywords": f"{title.lower()}, micro-credential",
        "lead_campus": campus,
        "target_audience": audience,
        "quality_assurance": "UMS faculty vet every piece of evidence against the "
        "criteria; the micro-credential office audits a sample each term.",
        "language": "English",
        "credit_options": "Non-credit; Prior Learning Assessment may award credit.",
    }
    return normalise({"credential": credential, "badges": _badges(specs)})

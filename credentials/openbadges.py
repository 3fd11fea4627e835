"""Open Badges documents for the badges of an approved credential: the OB 3.0
`Achievement` and issuer `Profile`, the OB 2.0 `BadgeClass` and `Issuer`, and the
specimen awards (an OB 2.0 `Assertion`, an OB 3.0 `OpenBadgeCredential`) that show
issuing platforms what a learner will receive. Also the checks every export must pass:
the official OB 3.0 JSON Schema, and the OB 2.0 rules of the spec and its validator."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from functools import cache
from pathlib import Path

from django.urls import reverse
from django.utils.translation import gettext as _
from jsonschema import Draft201909Validator

from config.middleware import absolute_url
from credentials import catalog_hooks
from metadata_templates.schema import ASSESSMENTS, EVIDENCE, LEVELS, normalise

STANDARDS = Path(__file__).resolve().parent / "standards"
OB3_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
OB3_SCHEMA_ID = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
    "ob_v3p0_achievementcredential_schema.json"
)
OB2_CONTEXT = "https://w3id.org/openbadges/v2"
SPECIMEN_EMAIL = "specimen@example.invalid"
# Common names of languages of instruction, as the BCP 47 tags OB 3.0 expects.
LANGUAGE_TAGS = {
    "english": "en",
    "french": "fr",
    "spanish": "es",
    "portuguese": "pt",
    "german": "de",
    "arabic": "ar",
    "chinese": "zh",
    "somali": "so",
}
COURSE_CODE = re.compile(r"\b([A-Z]{2,5}-\d{2,4}[A-Z]?)\b")


def absolute(path: str) -> str:
    return absolute_url(path)


def human_code(courses: str) -> str:
    """The first course code among the required courses (seed 000: "WDB-011")."""
    match = COURSE_CODE.search(courses or "")
    return match.group(1) if match else ""


def language_tag(language: str) -> str:
    text = (language or "").strip().lower()
    if re.fullmatch(r"[a-z]{2,4}(-[a-z]{2})?", text):
        return text.split("-")[0] if len(text) > 3 else text
    return LANGUAGE_TAGS.get(text, "")


def badge_and_credential(entry) -> tuple[dict, dict]:
    """The badge's definition and the credential's fields in the approved draft."""
    content = normalise(entry.revision.content)
    for badge in content["badges"]:
        if badge["key"] == entry.key:
            return badge, content["credential"]
    raise LookupError(f"badge {entry.key} is not in revision {entry.revision_id}")


def level_label(level: str) -> str:
    return str(dict(LEVELS).get(level, level))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def criteria_narrative(entry, badge: dict) -> str:
    """What a learner must do, in the Markdown OB criteria narratives allow."""
    parts = [badge["criteria"].strip()]
    competencies = _lines(badge["competencies"])
    if competencies:
        parts.append(
            _("Competencies:")
            + "\n"
            + "\n".join(f"- {competency}" for competency in competencies)
        )
    courses = _lines(badge["courses"])
    if courses:
        parts.append(_("Courses required: %s") % "; ".join(courses))
    evidence = [
        str(dict(EVIDENCE)[k]) for k in badge["evidence_kinds"] if k in dict(EVIDENCE)
    ]
    if evidence or badge["evidence"].strip():
        parts.append(
            _("Evidence: %s")
            % " ".join(
                filter(None, ["; ".join(evidence) + ".", badge["evidence"].strip()])
            )
        )
    if badge["assessment"] in dict(ASSESSMENTS):
        assessment = str(dict(ASSESSMENTS)[badge["assessment"]])
        if badge["passing_threshold"].strip():
            assessment += f" ({badge['passing_threshold'].strip()})"
        parts.append(_("Assessment: %s.") % assessment)
    if offerings := catalog_hooks.offerings_of(entry):
        parts.append(_("Earn it in: %s") % "; ".join(map(str, offerings)))
    prerequisites = list(entry.prerequisites.all())
    if prerequisites:
        parts.append(
            _("Requires first: %s")
            % "; ".join(
                f"[{p.name}]({absolute(p.export_url('achievement.json'))})"
                for p in prerequisites
            )
        )
    return "\n\n".join(part for part in parts if part)


def _tags(credential: dict) -> list[str]:
    return [tag.strip() for tag in credential["keywords"].split(",") if tag.strip()]


def _alignments(badge: dict) -> list[dict]:
    rows = []
    for alignment in badge["alignments"]:
        name, url = alignment.get("name", "").strip(), alignment.get("url", "").strip()
        if not name or not url.startswith(("https://", "http://")):
            continue
        row = {"targetName": name, "targetUrl": url}
        if alignment.get("framework", "").strip():
            row["targetFramework"] = alignment["framework"].strip()
        if alignment.get("code", "").strip():
            row["targetCode"] = alignment["code"].strip()
        rows.append(row)
    return rows


def _issuer(entry):
    return entry.proposal.issuer


def issuer_url(issuer, name: str) -> str:
    return absolute(reverse("catalog:issuer", args=[issuer.slug, name]))


def ob3_profile(issuer) -> dict:
    profile = {
        "id": issuer_url(issuer, "profile.json"),
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
    }
    if issuer.description:
        profile["description"] = issuer.description
    if issuer.image:
        profile["image"] = {"id": issuer_url(issuer, "image"), "type": "Image"}
    return profile


def ob2_issuer(issuer) -> dict:
    document = {
        "@context": OB2_CONTEXT,
        "type": "Issuer",
        "id": issuer_url(issuer, "issuer.json"),
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
    }
    if issuer.description:
        document["description"] = issuer.description
    if issuer.image:
        document["image"] = issuer_url(issuer, "image")
    return document


def image_caption(entry) -> str:
    return _("%(name)s badge, %(level)s, issued by %(issuer)s") % {
        "name": entry.name,
        "level": level_label(entry.level),
        "issuer": _issuer(entry).name,
    }


def achievement(entry, *, context: bool = True) -> dict:
    """The OB 3.0 Achievement of one badge."""
    badge, credential = badge_and_credential(entry)
    document = {
        "id": absolute(entry.export_url("achievement.json")),
        "type": ["Achievement"],
        # The macro-badge is the micro-credential itself; the levels are its badges.
        "achievementType": "MicroCredential" if entry.level == "macro" else "Badge",
        "name": entry.name,
        "description": entry.description,
        "criteria": {
            "id": absolute(entry.get_absolute_url()),
            "narrative": criteria_narrative(entry, badge),
        },
        "image": {
            "id": absolute(entry.export_url("image.png")),
            "type": "Image",
            "caption": image_caption(entry),
        },
        "creator": ob3_profile(_issuer(entry)),
        "version": str(entry.draft_number),
    }
    if context:
        document = {"@context": OB3_CONTEXT, **document}
    if alignments := _alignments(badge):
        document["alignment"] = [{"type": ["Alignment"], **row} for row in alignments]
    if tags := _tags(credential):
        document["tag"] = tags
    if entry.human_code:
        document["humanCode"] = entry.human_code
    if entry.category:
        document["fieldOfStudy"] = entry.category
    if tag := language_tag(credential["language"]):
        document["inLanguage"] = tag
    return document


def badgeclass(entry) -> dict:
    """The OB 2.0 BadgeClass of one badge; its issuer is the hosted Issuer."""
    badge, credential = badge_and_credential(entry)
    document = {
        "@context": OB2_CONTEXT,
        "type": "BadgeClass",
        "id": absolute(entry.export_url("badgeclass.json")),
        "name": entry.name,
        "description": entry.description,
        "image": absolute(entry.export_url("image.png")),
        "criteria": {
            "id": absolute(entry.get_absolute_url()),
            "narrative": criteria_narrative(entry, badge),
        },
        "issuer": issuer_url(_issuer(entry), "issuer.json"),
        "version": str(entry.draft_number),
    }
    if alignments := _alignments(badge):
        document["alignment"] = alignments
    if tags := _tags(credential):
        document["tags"] = tags
    if tag := language_tag(credential["language"]):
        document["@language"] = tag
    return document


def _specimen_identity(entry) -> tuple[str, str]:
    salt = hashlib.sha256(f"{entry.proposal_id}:{entry.key}".encode()).hexdigest()[:16]
    digest = hashlib.sha256((SPECIMEN_EMAIL + salt).encode()).hexdigest()
    return salt, f"sha256${digest}"


def _specimen_note() -> str:
    return _(
        "SPECIMEN: a sample award made by the micro-credential office so that issuing "
        "platforms can check what learners will receive. It was awarded to no one."
    )


def specimen_assertion(entry) -> dict:
    """A hosted OB 2.0 Assertion of the badge, to a recipient that does not exist."""
    salt, identity = _specimen_identity(entry)
    return {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": absolute(entry.export_url("specimen-assertion.json")),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": salt,
            "identity": identity,
        },
        "badge": absolute(entry.export_url("badgeclass.json")),
        "image": absolute(entry.export_url("specimen-ob2.png")),
        "issuedOn": entry.approved_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verification": {"type": "hosted"},
        "evidence": {"narrative": _specimen_note()},
        "narrative": _specimen_note(),
    }


def specimen_credential(entry) -> dict:
    """An unsigned OB 3.0 OpenBadgeCredential of the badge, to nobody."""
    salt, identity = _specimen_identity(entry)
    seed = absolute(entry.export_url("specimen-ob3.png"))
    return {
        "@context": OB3_CONTEXT,
        "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": _("SPECIMEN – %s") % entry.name,
        "description": _specimen_note(),
        "issuer": ob3_profile(_issuer(entry)),
        "validFrom": entry.approved_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity,
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                }
            ],
            "achievement": achievement(entry, context=False),
        },
        "credentialSchema": [
            {"id": OB3_SCHEMA_ID, "type": "1EdTechJsonSchemaValidator2019"}
        ],
    }


@cache
def _ob3_validator(definition: str | None) -> Draft201909Validator:
    schema = json.loads((STANDARDS / "ob_v3p0/achievementcredential.json").read_text())
    if definition:
        # The file's root describes a credential; validate against one of its $defs.
        schema = {
            k: v for k, v in schema.items() if k not in ("properties", "required")
        }
        schema["$ref"] = f"#/$defs/{definition}"
    return Draft201909Validator(schema)


def ob3_problems(document: dict, definition: str | None = "Achievement") -> list[str]:
    """Where the document breaks the official OB 3.0 schema (of an Achievement, or of
    a whole credential when `definition` is None), plus the SHOULD the schema leaves
    out: criteria need an id or a narrative."""
    problems = [
        f"{'/'.join(map(str, error.absolute_path)) or '(document)'}: {error.message}"
        for error in _ob3_validator(definition).iter_errors(document)
    ]
    achievements = {
        "Achievement": [document],
        None: [document.get("credentialSubject", {}).get("achievement", {})],
    }.get(definition, [])
    for item in achievements:
        criteria = item.get("criteria") or {}
        if not (criteria.get("id") or criteria.get("narrative")):
            problems.append("criteria: needs an id or a narrative")
    return problems


@cache
def _ob2_terms() -> frozenset[str]:
    context = json.loads((STANDARDS / "ob_v2p0/context.json").read_text())["@context"]
    return frozenset(key for key in context if not key.startswith("@"))


def _is_url(value) -> bool:
    return isinstance(value, str) and bool(re.match(r"^https?://[^\s]+$", value))


def _undefined_terms(document: dict, where: str) -> list[str]:
    known = _ob2_terms()
    problems = []
    for key, value in document.items():
        if not key.startswith("@") and key not in known:
            problems.append(f"{where}{key}: not a term of the OB 2.0 context")
        if isinstance(value, dict):
            problems += _undefined_terms(value, f"{where}{key}/")
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    problems += _undefined_terms(item, f"{where}{key}/")
    return problems


def ob2_problems(document: dict, kind: str = "BadgeClass") -> list[str]:
    """Where an OB 2.0 BadgeClass, Issuer or Assertion breaks the rules of the spec
    and of the official validator (there is no official schema)."""
    required = {
        "BadgeClass": (
            "id",
            "type",
            "name",
            "description",
            "image",
            "criteria",
            "issuer",
        ),
        "Issuer": ("id", "type", "name", "url", "email"),
        "Assertion": ("id", "type", "recipient", "badge", "verification", "issuedOn"),
    }[kind]
    problems = [f"{key}: required" for key in required if not document.get(key)]
    if document.get("@context") != OB2_CONTEXT:
        problems.append(f"@context: must be {OB2_CONTEXT}")
    if document.get("type") != kind:
        problems.append(f"type: must be {kind}")
    if document.get("id") and not _is_url(document["id"]):
        problems.append("id: must be an http(s) URL")
    if kind == "BadgeClass":
        criteria = document.get("criteria")
        if isinstance(criteria, dict):
            if not (criteria.get("id") or criteria.get("narrative")):
                problems.append("criteria: needs an id or a narrative")
        elif criteria and not _is_url(criteria):
            problems.append("criteria: must be a URL or an object")
        for key in ("image", "issuer"):
            if document.get(key) and not _is_url(document[key]):
                problems.append(f"{key}: must be an http(s) URL")
        for index, alignment in enumerate(document.get("alignment", [])):
            if not alignment.get("targetName") or not _is_url(
                alignment.get("targetUrl")
            ):
                problems.append(f"alignment/{index}: needs targetName and targetUrl")
        if not all(isinstance(tag, str) for tag in document.get("tags", [])):
            problems.append("tags: must be strings")
    if kind == "Issuer":
        if document.get("url") and not _is_url(document["url"]):
            problems.append("url: must be an http(s) URL")
        if document.get("email") and "@" not in document["email"]:
            problems.append("email: must be an email address")
    if kind == "Assertion":
        recipient = document.get("recipient") or {}
        if not recipient.get("identity") or not recipient.get("type"):
            problems.append("recipient: needs type and identity")
    return problems + _undefined_terms(document, "")


def export_problems(entry) -> list[str]:
    """Every problem of every export of one badge, prefixed with the export's name."""
    found = [f"OB 3.0 Achievement {p}" for p in ob3_problems(achievement(entry))]
    found += [f"OB 2.0 BadgeClass {p}" for p in ob2_problems(badgeclass(entry))]
    found += [
        f"OB 2.0 Issuer {p}" for p in ob2_problems(ob2_issuer(_issuer(entry)), "Issuer")
    ]
    return found

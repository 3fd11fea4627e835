import io

import pytest
from django.core.management import call_command

from credentials import openbadges
from credentials.catalog import index_credential
from credentials.models import CatalogBadge
from metadata_templates.framework import check
from metadata_templates.models import Revision
from tests.factories import published_credential


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def _entries():
    return list(
        CatalogBadge.objects.public().select_related("proposal__issuer", "revision")
    )


def test_every_export_of_the_demo_data_validates(demo):
    entries = _entries()
    # 34 imported badges, plus the demo's approved, published and retired ones.
    assert len(entries) > 34
    for entry in entries:
        assert openbadges.ob3_problems(openbadges.achievement(entry)) == [], entry
        assert openbadges.ob2_problems(openbadges.badgeclass(entry)) == [], entry
        issuer = entry.proposal.issuer
        assert openbadges.ob2_problems(openbadges.ob2_issuer(issuer), "Issuer") == []
        profile = {"@context": openbadges.OB3_CONTEXT, **openbadges.ob3_profile(issuer)}
        assert openbadges.ob3_problems(profile, "Profile") == []
        assertion = openbadges.specimen_assertion(entry)
        assert openbadges.ob2_problems(assertion, "Assertion") == []
        credential = openbadges.specimen_credential(entry)
        assert openbadges.ob3_problems(credential, definition=None) == []


def test_the_seed_pathway_exports_levels_tags_codes_and_prerequisites(demo):
    entry = CatalogBadge.objects.get(name="Service Excellence")
    document = openbadges.achievement(entry)
    assert document["achievementType"] == "MicroCredential"
    assert document["humanCode"] == "WDB-023"
    assert document["fieldOfStudy"] == "21st Century Skills"
    assert document["tag"] == ["21st Century Skills"]
    assert document["creator"]["name"] == "Central Maine Community College"
    mastery = CatalogBadge.objects.get(name="Service Mastery")
    link = openbadges.absolute(mastery.export_url("achievement.json"))
    assert f"[Service Mastery]({link})" in document["criteria"]["narrative"]
    basics = openbadges.achievement(CatalogBadge.objects.get(name="Service Basics"))
    assert basics["achievementType"] == "Badge"
    assert "Requires first" not in basics["criteria"]["narrative"]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.update(type="Achievement"), "type"),
        (lambda d: d.update(image="https://x.test/i.png"), "image"),
        (lambda d: d["creator"].update(type="Profile"), "creator/type"),
        (lambda d: d.pop("name"), "name"),
        (lambda d: d.update(criteria={}), "criteria"),
        (lambda d: d.update(achievementType="Nanodegree"), "achievementType"),
        (lambda d: d.update(inLanguage="English"), "inLanguage"),
    ],
)
def test_the_ob3_check_catches_what_the_schema_forbids(db, change, where):
    entry = published_credential().catalog_badges.first()
    document = openbadges.achievement(entry)
    change(document)
    problems = openbadges.ob3_problems(document)
    assert any(where in problem for problem in problems), problems


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.pop("issuer"), "issuer"),
        (lambda d: d.update(type="Badge"), "type"),
        (lambda d: d.update(image="not a url"), "image"),
        (lambda d: d.update(criteria={}), "criteria"),
        (lambda d: d.update(prerequisite="x"), "prerequisite"),
        (lambda d: d.update(alignment=[{"targetName": "x"}]), "alignment/0"),
    ],
)
def test_the_ob2_check_catches_what_the_spec_forbids(db, change, where):
    entry = published_credential().catalog_badges.first()
    document = openbadges.badgeclass(entry)
    change(document)
    problems = openbadges.ob2_problems(document)
    assert any(problem.startswith(where) for problem in problems), problems


def test_alignments_are_exported_and_need_a_name_and_address(db):
    proposal = published_credential()
    revision = proposal.drafts.get().revision
    content = revision.content
    content["badges"][0]["alignments"] = [
        {
            "key": "a1",
            "framework": "O*NET",
            "code": "51-4041",
            "name": "Machinists",
            "url": "https://www.onetonline.org/link/summary/51-4041.00",
        }
    ]
    Revision.objects.filter(pk=revision.pk).update(content=content)
    entry = index_credential(proposal)[0]
    document = openbadges.achievement(entry)
    assert document["alignment"] == [
        {
            "type": ["Alignment"],
            "targetName": "Machinists",
            "targetUrl": "https://www.onetonline.org/link/summary/51-4041.00",
            "targetFramework": "O*NET",
            "targetCode": "51-4041",
        }
    ]
    assert openbadges.ob3_problems(document) == []
    assert openbadges.badgeclass(entry)["alignment"][0]["targetCode"] == "51-4041"
    content["badges"][0]["alignments"][0]["url"] = "onetonline.org"
    findings = check(content, pathway=True)
    assert any(f.field == "alignments" for f in findings)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("WDB-011: Blueprint Reading", "WDB-011"),
        ("WPD-501: MTA Windows 10 Fundamentals and WPD-509: CompTIA", "WPD-501"),
        ("Intro workshop", ""),
    ],
)
def test_human_code_is_the_first_course_code(text, code):
    assert openbadges.human_code(text) == code


@pytest.mark.parametrize(
    ("language", "tag"), [("English", "en"), ("fr", "fr"), ("Klingon", ""), ("", "")]
)
def test_language_of_instruction_becomes_a_language_tag(language, tag):
    assert openbadges.language_tag(language) == tag


def test_publishing_needs_valid_exports_and_an_issuer(db):
    proposal = published_credential(state="approved")
    assert proposal.publish_problems() == []
    type(proposal).objects.filter(pk=proposal.pk).update(issuer=None)
    proposal.refresh_from_db()
    assert "issuer" in proposal.publish_problems()[0]

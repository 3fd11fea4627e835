import io
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from credentials.catalog_import import CatalogFormatError, group, import_catalog, parse
from credentials.models import CatalogBadge, Issuer
from metadata_templates.notes import catalog_choices
from proposals.models import CredentialType, State, TransitionLog
from tests.factories import (
    ProposalFactory,
    UserFactory,
    campus,
    published_credential,
)

SEED = Path(__file__).resolve().parents[2] / "credentials/data/cmcc_digital_badges.txt"


@pytest.fixture
def seed_rows():
    return parse(SEED.read_text(encoding="utf-8"))


def test_parse_reads_every_badge_row_of_the_messy_table(seed_rows):
    assert len(seed_rows) == 34
    levels = Counter(row.level for row in seed_rows)
    assert levels == {"1": 26, "2": 4, "3": 2, "macro": 2}
    by_name = {row.name: row for row in seed_rows}
    assert by_name["Blueprint Reading"].courses == "WDB-011: Blueprint Reading"
    assert by_name["Blueprint Reading"].level == "1"
    assert by_name["Brain States"].courses == ""
    assert by_name["Self-Regulation"].level == "macro"
    assert by_name["CNC Lathes II"].level == "2"
    assert by_name["Service Mastery"].prerequisite == "WDB-021 Service Practitioner"
    assert "PREREQUISITE" not in by_name["Service Mastery"].description
    assert by_name["IT Principles"].code == "WPD-501"


def test_levels_match_the_table(seed_rows):
    expected = {
        "Service Basics": "1",
        "Service Practitioner": "2",
        "Service Mastery": "3",
        "Service Excellence": "macro",
        "Discipline Approaches": "2",
        "Problem Solving": "3",
        "CNC Milling II": "2",
        "Welding Technician": "1",
    }
    assert {r.name: r.level for r in seed_rows if r.name in expected} == expected


def test_prerequisite_chains_and_complete_categories_become_pathways(seed_rows):
    groups = group(seed_rows)
    pathways = [[r.name for r in g] for g in groups if len(g) > 1]
    assert [
        "Service Basics",
        "Service Practitioner",
        "Service Mastery",
        "Service Excellence",
    ] in pathways
    assert [
        "Brain States",
        "Discipline Approaches",
        "Problem Solving",
        "Self-Regulation",
    ] in pathways
    assert len(pathways) == 2
    assert sum(len(g) for g in groups) == 34


def test_import_creates_a_published_catalog_entry_per_badge(db):
    issuer = Issuer.objects.create(
        slug="cc", name="College", url="https://cc.test/", email="a@cc.test"
    )
    result = import_catalog(
        SEED.read_text(encoding="utf-8"),
        issuer=issuer,
        campus=campus("CMCC"),
        by=UserFactory(),
        source="seed",
    )
    assert (result.badges, result.credentials) == (34, 28)
    entries = CatalogBadge.objects.listed()
    assert entries.count() == 34
    pathway = CatalogBadge.objects.get(name="Service Excellence").proposal
    assert pathway.state == State.PUBLISHED
    assert pathway.credential_type == CredentialType.PATHWAY
    assert pathway.transitions.get().transition == TransitionLog.IMPORTED
    assert pathway.transitions.get().label == "Imported from an existing catalog"
    chain = {
        b.name: [p.name for p in b.prerequisites.all()]
        for b in pathway.catalog_badges.all()
    }
    assert chain == {
        "Service Basics": [],
        "Service Practitioner": ["Service Basics"],
        "Service Mastery": ["Service Practitioner"],
        "Service Excellence": ["Service Mastery"],
    }
    welding = CatalogBadge.objects.get(name="Welding Technician").proposal
    assert welding.credential_type == CredentialType.STANDALONE
    again = import_catalog(
        SEED.read_text(encoding="utf-8"),
        issuer=issuer,
        campus=campus("CMCC"),
        by=UserFactory(),
    )
    assert (again.credentials, len(again.skipped)) == (0, 34)
    assert CatalogBadge.objects.count() == 34


def test_text_without_rows_is_refused():
    with pytest.raises(CatalogFormatError):
        parse("Digital Badges\nCategory | Badge Name | Level |\n")


def test_roman_numerals_and_macro_spellings_are_levels():
    rows = parse(
        "A | One | Level I | Earners did one. |\n"
        "A | Two | X-10: Two | Level II | Earners did two. |\n"
        "A | Top | Macro | Earners did all. |\n"
    )
    assert [(r.name, r.level, r.courses) for r in rows] == [
        ("One", "1", ""),
        ("Two", "2", "X-10: Two"),
        ("Top", "macro", ""),
    ]


def test_import_command_reports_and_refuses_unknown_names(db, tmp_path):
    user = UserFactory(username="importer")
    campus("CMCC")
    Issuer.objects.create(
        slug="cc", name="C", url="https://cc.test/", email="a@cc.test"
    )
    out = io.StringIO()
    call_command(
        "import_catalog",
        str(SEED),
        issuer="cc",
        campus="CMCC",
        by=user.username,
        stdout=out,
    )
    assert "Imported 34 badges as 28 published credentials" in out.getvalue()
    with pytest.raises(CommandError, match="No issuer"):
        call_command(
            "import_catalog", str(SEED), issuer="x", campus="CMCC", by="importer"
        )
    with pytest.raises(CommandError, match="Cannot read"):
        call_command(
            "import_catalog",
            str(tmp_path / "no.txt"),
            issuer="cc",
            campus="CMCC",
            by="importer",
        )
    empty = tmp_path / "empty.txt"
    empty.write_text("nothing here")
    with pytest.raises(CommandError, match="No badge rows"):
        call_command(
            "import_catalog", str(empty), issuer="cc", campus="CMCC", by="importer"
        )


def test_published_badges_of_the_same_category_are_offered_as_prerequisites(db):
    published = published_credential(title="Welding")
    retired = published_credential(state="retired", title="Old")
    drafting = ProposalFactory(state="drafting")
    content = {"credential": {"category": "workforce development"}, "badges": []}
    choices = dict(catalog_choices(drafting, content))
    for badge in published.catalog_badges.all():
        label = choices[f"catalog:{published.pk}:{badge.key}"]
        assert label.endswith("— published in Welding")
    assert not any(f"catalog:{retired.pk}:" in value for value in choices)
    assert not any(
        value.startswith(f"catalog:{published.pk}:")
        for value, _label in catalog_choices(published, content)
    )
    # Another category offers none, but keeps a prerequisite already named.
    named = f"catalog:{published.pk}:{published.catalog_badges.first().key}"
    other = {
        "credential": {"category": "Horticulture"},
        "badges": [{"key": "b1", "level": "1", "prerequisites": [named]}],
    }
    assert [value for value, _label in catalog_choices(drafting, other)] == [named]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=80),
            st.lists(
                st.one_of(
                    st.sampled_from(
                        ["Level 1", "Level III", "Macro Level", "Learn More"]
                    ),
                    st.text(
                        alphabet=st.characters(blacklist_characters="|\n\r"),
                        max_size=30,
                    ),
                ),
                max_size=8,
            ).map(" | ".join),
        ),
        max_size=20,
    ).map("\n".join)
)
def test_any_text_parses_to_rows_or_a_clear_refusal(text):
    try:
        rows = parse(text)
    except CatalogFormatError:
        return
    for row in rows:
        assert row.level in {"1", "2", "3", "macro"}
        assert row.name and row.category and row.description
    group(rows)

"""The learner- and employer-facing pages: the public credential page and the public
summary show every public field of the approved draft, no empty row, and nothing else
(proposals.policy decides what is public); catalog cards cut long descriptions."""

import subprocess

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from credentials import pdf
from credentials.catalog import index_credential
from credentials.models import CARD_DESCRIPTION, CatalogBadge
from metadata_templates import schema
from metadata_templates.models import Revision
from proposals import policy
from tests.factories import confirmed_team, log_meetings, published_credential


def _text(data: bytes) -> str:
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(text.split())


def _marked(content: dict) -> dict:
    """Every text of the draft filled with a marker naming its field: PUBLIC-… for
    what the policy lets anyone read, SECRET-… for the rest, and a field the
    template does not know."""

    def mark(key: str, fields: frozenset) -> str:
        return f"{'PUBLIC' if key in fields else 'SECRET'}-{key.replace('_', '')}"

    texts = {schema.TEXT, schema.TEXTAREA}
    for definition in schema.CREDENTIAL_FIELDS:
        if definition.kind in texts:
            content["credential"][definition.key] = mark(
                definition.key, policy.PUBLIC_CREDENTIAL_FIELDS
            )
    content["credential"]["office_note"] = "SECRET-unknowncredential"
    for badge in content["badges"]:
        for definition in schema.BADGE_FIELDS:
            if definition.kind in texts and definition.key != "name":
                badge[definition.key] = mark(definition.key, policy.PUBLIC_BADGE_FIELDS)
        badge["participation"] = "blended"
        badge["office_note"] = "SECRET-unknownbadge"
        badge["alignments"] = [
            {
                "key": "a1",
                "framework": "PUBLIC-framework",
                "code": "Y14",
                "name": "PUBLIC-alignment",
                "url": "https://example.org/standard",
            }
        ]
    return content


@pytest.fixture
def credential(db):
    proposal = published_credential(title="Precision Welding")
    revision = proposal.drafts.get().revision
    Revision.objects.filter(pk=revision.pk).update(content=_marked(revision.content))
    index_credential(proposal)
    # The internal record, and a newer working draft nobody approved.
    log_meetings(confirmed_team(proposal))
    Revision.objects.create(
        proposal=proposal,
        number=revision.number + 1,
        content={"credential": {"title": "SECRET-newerdraft"}, "badges": []},
    )
    return proposal


def _expected_markers() -> set[str]:
    texts = {schema.TEXT, schema.TEXTAREA}
    credential = {
        f"PUBLIC-{d.key.replace('_', '')}"
        for d in schema.CREDENTIAL_FIELDS
        if d.kind in texts and d.key in policy.PUBLIC_CREDENTIAL_FIELDS
    }
    badge = {
        f"PUBLIC-{d.key.replace('_', '')}"
        for d in schema.BADGE_FIELDS
        if d.kind in texts and d.key != "name" and d.key in policy.PUBLIC_BADGE_FIELDS
    }
    return credential | badge | {"PUBLIC-framework", "PUBLIC-alignment"}


def test_public_content_keeps_only_the_policys_fields():
    content = _marked(
        schema.normalise({"badges": [schema.blank_badge("1", "Welding Level 1")]})
    )
    public = policy.public_content(content)
    assert set(public["credential"]) == set(policy.PUBLIC_CREDENTIAL_FIELDS)
    assert set(public["badges"][0]) == policy.PUBLIC_BADGE_FIELDS | {"key"}
    assert "SECRET" not in repr(public)


def test_the_page_and_the_summary_show_every_public_field_and_nothing_else(
    client, credential
):
    page = client.get(reverse("catalog:credential", args=[credential.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    summary = client.get(reverse("catalog:summary", args=[credential.pk]))
    text = _text(summary.content)
    # Lower case: the summary prints some headings in capitals.
    for shown in (html.lower(), text.lower()):
        missing = {m for m in _expected_markers() if m.lower() not in shown}
        assert not missing
        assert "secret" not in shown
        assert "drafting" not in shown  # the meetings' agenda
        assert "delivery mode" in shown and "blended" in shown
    # The office summary keeps the whole record.
    office = _text(pdf.render_pdf(credential, internal=True))
    assert "SECRET-employerpartners" in office and "Drafting" in office


def test_empty_fields_print_no_row(client, credential):
    revision = credential.drafts.get().revision
    content = revision.content
    for badge in content["badges"]:
        badge.update(feedback="", passing_threshold="", alignments=[], hours="")
    content["credential"]["target_audience"] = ""
    Revision.objects.filter(pk=revision.pk).update(content=content)
    index_credential(credential)
    html = client.get(
        reverse("catalog:credential", args=[credential.pk])
    ).content.decode()
    text = _text(client.get(reverse("catalog:summary", args=[credential.pk])).content)
    for shown in (html, text):
        for label in [
            "Performance feedback",
            "Passing threshold",
            "Aligned to",
            "Estimated hours",
            "Target audience",
        ]:
            assert label not in shown
    assert "—" not in text


def test_the_raw_exports_sit_in_one_disclosure(client, credential):
    html = client.get(
        reverse("catalog:credential", args=[credential.pk])
    ).content.decode()
    assert html.count("<details") == 1
    disclosure = html[html.index("<details") : html.index("</details>")]
    assert "For platforms" in disclosure
    for badge in credential.catalog_badges.all():
        assert badge.export_url("achievement.json") in disclosure
    assert "issuer.json" in disclosure
    assert "achievement.json" not in html.replace(disclosure, "")


def test_public_and_office_summaries_have_different_file_names(client, staff):
    proposal = published_credential(title="Precision Welding")
    public = client.get(reverse("catalog:summary", args=[proposal.pk]))
    assert 'filename="precision-welding-summary.pdf"' in public["Content-Disposition"]
    client.force_login(staff)
    office = client.get(reverse("proposals:summary_pdf", args=[proposal.pk]))
    assert (
        f'filename="{proposal.reference}-precision-welding-office-record.pdf"'
        in office["Content-Disposition"]
    )


words = st.lists(
    st.text(alphabet="abcdefghij", min_size=1, max_size=30), min_size=1, max_size=80
)


@given(words)
def test_card_descriptions_are_cut_at_a_word_boundary(parts):
    text = " ".join(parts)
    card = CatalogBadge(description=text).card_description
    if len(text) <= CARD_DESCRIPTION:
        assert card == text
        return
    kept = card.removesuffix("\u2026")
    assert card.endswith("\u2026") and len(kept) <= CARD_DESCRIPTION
    assert text.startswith(kept) and text[len(kept)] == " "


def test_catalog_shows_the_count_and_a_more_link_for_long_descriptions(client, db):
    proposal = published_credential(title="Precision Welding")
    long_one = proposal.catalog_badges.get(level="1")
    long_one.description = "Welders " + "weld steady seams " * 40
    long_one.save()
    html = client.get(reverse("catalog:list")).content.decode()
    count = proposal.catalog_badges.count()
    assert f'role="status">{count} badges found' in html
    assert html.count('class="more-link"') == 1
    assert f'href="{long_one.get_absolute_url()}">more' in html

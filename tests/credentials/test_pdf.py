import io
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from credentials import pdf
from metadata_templates.models import CommentEvent
from metadata_templates.notes import label_comments
from metadata_templates.schema import normalise
from proposals.models import Proposal
from tests.factories import published_credential


def _text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.com/logo.png",
        "http://127.0.0.1:8000/admin/",
        "data:image/svg+xml,<svg/>",
        pdf.STATIC_PREFIX + "../config/settings.py",
        pdf.STATIC_PREFIX + "css/../../manage.py",
        pdf.STATIC_PREFIX + "css/app.py",
        pdf.BASE_URL + "media/upload.png",
    ],
)
def test_url_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(ValueError, match="Refused"):
        pdf.StaticOnlyFetcher().fetch(url)


def test_url_fetcher_serves_the_projects_stylesheet():
    response = pdf.StaticOnlyFetcher().fetch(pdf.STATIC_PREFIX + "css/pdf.css")
    assert b"@page" in response.read()


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    return Proposal.objects.get(title="Wooden Boatbuilding Craft")


def test_a_pathway_in_committee_renders_with_all_its_sections(demo):
    text = _text(pdf.render_pdf(demo, internal=True))
    for heading in [
        "Wooden Boatbuilding Craft",
        "1. The micro-credential",
        "2. Badges",
        "Level 1",
        "Level 2",
        "Level 3",
        "Macro-badge",
        "3. Development team and campuses",
        "Meetings",
        "Employer and industry input",
        "4. Revision and review history",
        "Comments on Draft 1",
        "Workflow history",
        "5. Steering Committee",
        "Voting round on Draft 2",
        "Page 1 of",
    ]:
        assert heading in text, heading
    assert demo.reference in text


def test_the_public_summary_leaves_internal_notes_out(demo):
    internal = _text(pdf.render_pdf(demo, internal=True))
    public = _text(pdf.render_pdf(demo, internal=False))
    comment = demo.drafts.get(number=1).comments.first().body
    assert comment[:30] in " ".join(internal.split())
    assert comment[:30] not in " ".join(public.split())
    assert "Agenda:" in internal and "Agenda:" not in public
    assert "Issued by" in public


def test_html_in_user_text_is_inert_in_the_pdf(db, monkeypatch):
    fetched = []
    original = pdf.StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf.StaticOnlyFetcher, "fetch", spy)
    hostile = '<img src="file:///etc/hostname"><b>Bold</b><script>x()</script>'
    proposal = published_credential(title=f"Welding {hostile}")
    text = _text(pdf.render_pdf(proposal, internal=True))
    assert "<b>Bold</b>" in " ".join(text.split())
    assert fetched == [pdf.STATIC_PREFIX + "css/pdf.css"]


def test_pdf_views(client, outsider, staff, db):
    proposal = published_credential()
    public = client.get(reverse("catalog:summary", args=[proposal.pk]))
    assert public.status_code == 200 and public["Content-Type"] == "application/pdf"
    assert public.content.startswith(b"%PDF")
    internal = reverse("proposals:summary_pdf", args=[proposal.pk])
    assert client.get(internal).status_code == 302
    draft = published_credential(state="drafting")
    assert client.get(reverse("catalog:summary", args=[draft.pk])).status_code == 404
    drafting = reverse("proposals:summary_pdf", args=[draft.pk])
    client.force_login(outsider)
    assert client.get(drafting).status_code == 404
    # A published proposal's office summary is no more theirs than its record.
    assert client.get(internal).status_code == 404
    client.force_login(staff)
    response = client.get(internal)
    assert response.status_code == 200
    assert proposal.reference in response["Content-Disposition"]
    assert "Development team" in _text(response.content)
    assert client.get(drafting).status_code == 200


def test_proposal_pdf_command(demo, tmp_path):
    out = tmp_path / "summary.pdf"
    call_command("proposal_pdf", str(demo.pk), str(out), stdout=io.StringIO())
    assert out.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError, match="No proposal"):
        call_command("proposal_pdf", "99999", str(out))


def test_export_badges_command_writes_valid_exports(demo, tmp_path):
    out = io.StringIO()
    call_command("export_badges", str(tmp_path), stdout=out)
    files = list(tmp_path.rglob("*"))
    assert any(f.name.endswith("-achievement.json") for f in files)
    assert any(f.name.endswith("-specimen-ob3.png") for f in files)
    assert (tmp_path / "issuers" / "cmcc-issuer.json").exists()
    only = tmp_path / "one"
    pathway = Proposal.objects.get(title="Service Excellence")
    call_command(
        "export_badges",
        str(only),
        proposal=[pathway.pk],
        formats=["ob3"],
        stdout=io.StringIO(),
    )
    written = sorted(f.name for f in only.rglob("*.json") if "issuers" not in str(f))
    assert len(written) == 4 and all(n.endswith("achievement.json") for n in written)
    with pytest.raises(CommandError, match="Not approved"):
        call_command("export_badges", str(only), proposal=[demo.pk])


def test_both_summaries_are_tagged_for_screen_readers(demo):
    for internal in (True, False):
        info = subprocess.run(
            ["pdfinfo", "-"],
            input=pdf.render_pdf(demo, internal=internal),
            capture_output=True,
            check=True,
        ).stdout.decode()
        assert "Tagged:          yes" in info


def test_the_office_summary_prints_each_comments_newest_replies(demo):
    comment = demo.drafts.get(number=1).comments.first()
    earlier = comment.events.filter(kind=CommentEvent.Kind.REPLY).count() + 2
    for n in range(1, 7):
        CommentEvent.objects.create(
            comment=comment,
            kind=CommentEvent.Kind.REPLY,
            body=f"Reply number {n} on the thread.",
            author=demo.proposer,
        )
    CommentEvent.objects.create(comment=comment, kind=CommentEvent.Kind.RESOLVED)
    text = " ".join(_text(pdf.render_pdf(demo, internal=True)).split())
    assert f"{earlier} earlier replies are not printed here." in text
    assert "Reply number 2 " not in text
    for n in range(3, 7):
        assert f"Reply number {n} on the thread." in text
    assert text.index(comment.body[:30]) < text.index("Reply number 3")
    # Each comment names its field, as the review pages do.
    newest = demo.revisions.order_by("-number").first()
    label_comments([comment], normalise(newest.content))
    assert f"{comment.where} Sam Taylor, " in text
    assert "Reply number" not in " ".join(
        _text(pdf.render_pdf(demo, internal=False)).split()
    )

"""Attachments: content recognition (real tiny files made here, and hostile ones),
the size cap, how the working draft's files freeze with each submitted draft,
downloads, and the office PDF."""

import io
import subprocess
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from weasyprint import HTML

from approvals import services as workflow
from metadata_templates import uploads
from metadata_templates.models import Attachment
from metadata_templates.uploads import FileType
from tests.factories import complete_draft

CT = "http://schemas.openxmlformats.org/package/2006/content-types"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ooxml(main_part: str, main_type: str, extra: dict | None = None) -> bytes:
    """A minimal Office Open XML package (what Word or Excel opens)."""
    types = (
        f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{CT}">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{main_type}"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'officeDocument" Target="{main_part}"/></Relationships>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", types)
        package.writestr("_rels/.rels", rels)
        package.writestr(main_part, "<document>Rubric</document>")
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return out.getvalue()


def docx(**extra) -> bytes:
    return ooxml("word/document.xml", f"{WORD_MAIN}.main+xml", extra)


def xlsx() -> bytes:
    return ooxml("xl/workbook.xml", f"{EXCEL_MAIN}.main+xml")


def image(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (0, 90, 160)).save(out, kind)
    return out.getvalue()


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return HTML(string="<h1>Welding syllabus</h1><p>Week 1: safety.</p>").write_pdf()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "not an office document")
    return out.getvalue()


def _with_dtd() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa">]>'
            f'<Types xmlns="{CT}"><Override PartName="/word/document.xml" '
            f'ContentType="{WORD_MAIN}.main+xml"/></Types>',
        )
        package.writestr("word/document.xml", "<document>&a;</document>")
    return out.getvalue()


ACCEPTED = {
    "docx": (docx, FileType.DOCX),
    "xlsx": (xlsx, FileType.XLSX),
    "png": (lambda: image("PNG"), FileType.PNG),
    "jpeg": (lambda: image("JPEG"), FileType.JPEG),
}
REFUSED = {
    "empty file": (b"", "empty"),
    "renamed Windows program": (b"MZ\x90\x00\x03" + b"\x00" * 200, "not a PDF"),
    "HTML page named .png": (b"<html><script>alert(1)</script></html>", "not a PDF"),
    "plain zip named .pdf": (plain_zip(), "not a Word (DOCX) or Excel"),
    "macro-enabled Word (docm)": (
        ooxml(
            "word/document.xml",
            "application/vnd.ms-word.document.macroEnabled.main+xml",
        ),
        "Macro-enabled",
    ),
    "macro-enabled Excel (xlsm)": (
        ooxml(
            "xl/workbook.xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
        ),
        "Macro-enabled",
    ),
    "DOCX carrying a VBA project": (
        docx(**{"word/vbaProject.bin": b"\x00" * 10}),
        "Macro-enabled",
    ),
    "Office package with a DTD": (_with_dtd(), "damaged"),
    "truncated PNG": (b"\x89PNG\r\n\x1a\n\x00\x00", "damaged"),
    "damaged zip": (b"PK\x03\x04" + b"\x00" * 40, "damaged"),
    "plain text": (b"Week 1: safety", "not a PDF"),
}


def test_a_real_pdf_is_recognised(pdf):
    assert uploads.recognise(pdf) == FileType.PDF


@pytest.mark.parametrize("name", ACCEPTED)
def test_accepted_types_are_recognised_by_content(name):
    make, expected = ACCEPTED[name]
    assert uploads.recognise(make()) == expected


@pytest.mark.parametrize("name", REFUSED)
def test_other_content_is_refused_with_a_reason(name):
    data, words = REFUSED[name]
    with pytest.raises(ValidationError) as refused:
        uploads.recognise(data)
    assert words in refused.value.messages[0]


def test_a_zip_bomb_docx_is_never_unpacked(monkeypatch):
    """A 200 MB part that compresses to a few hundred KB stays compressed: only
    [Content_Types].xml is ever opened."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{CT}"><Override PartName="/word/document.xml" '
            f'ContentType="{WORD_MAIN}.main+xml"/></Types>',
        )
        package.writestr("word/document.xml", b"\x00" * (200 * 1024 * 1024))
    bomb = out.getvalue()
    assert len(bomb) < 1024 * 1024
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(
        zipfile.ZipFile,
        "open",
        lambda self, name, *a, **k: (
            opened.append(getattr(name, "filename", name))
            or real_open(self, name, *a, **k)
        ),
    )
    assert uploads.recognise(bomb) == FileType.DOCX
    assert opened == ["[Content_Types].xml"]


def test_an_oversized_content_types_part_is_refused_unread(monkeypatch):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", b" " * (5 * 1024 * 1024))
    monkeypatch.setattr(zipfile.ZipFile, "open", pytest.fail)
    with pytest.raises(ValidationError, match="damaged"):
        uploads.recognise(out.getvalue())


# --- through the site -------------------------------------------------------------


def _upload(client, proposal, data: bytes, name: str, **fields):
    return client.post(
        reverse("attachments:list", args=[proposal.pk]),
        {
            "attached_to": "proposal",
            "kind": "support_letter",
            "description": "From the Maine Welding Guild",
            **fields,
            "file": SimpleUploadedFile(name, data, content_type="text/html"),
        },
    )


def test_upload_stores_the_recognised_type_and_downloads_safely(
    client, drafting, proposer
):
    client.force_login(proposer)
    # Made once: a zip's bytes hold the time it was written.
    letter = docx()
    response = _upload(client, drafting, letter, "../../Guild letter (final).pdf")
    assert response.status_code == 302
    stored = Attachment.objects.get()
    assert stored.content_type == FileType.DOCX
    assert stored.name == "Guild_letter_final.pdf"
    download = client.get(
        reverse("attachments:download", args=[drafting.pk, stored.pk])
    )
    assert download["Content-Type"] == FileType.DOCX
    assert download["Content-Disposition"] == (
        'attachment; filename="Guild_letter_final.docx"'
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download.content == letter


def test_a_refused_file_keeps_what_was_typed(client, drafting, proposer):
    client.force_login(proposer)
    response = _upload(client, drafting, b"<html></html>", "letter.png", kind="rubric")
    assert response.status_code == 200
    html = response.content.decode()
    assert "not a PDF, Word (DOCX), Excel (XLSX), PNG or JPEG file" in html
    assert "From the Maine Welding Guild" in html
    assert response.context["form"]["kind"].value() == "rubric"
    assert not Attachment.objects.exists()


def test_the_size_cap_cuts_the_upload_off_and_names_the_limit(
    client, drafting, proposer, settings, pdf
):
    settings.ATTACHMENT_MAX_BYTES = 1024
    client.force_login(proposer)
    response = _upload(client, drafting, pdf + b"%" * 2048, "syllabus.pdf")
    assert response.status_code == 200
    assert "The file is larger than the 1 KB limit." in response.content.decode()
    assert response.context["form"]["description"].value() == (
        "From the Maine Welding Guild"
    )
    assert not Attachment.objects.exists()
    # Exactly at the cap is accepted.
    exact = b"%PDF-1.4\n" + b"%" * (1024 - 9)
    assert _upload(client, drafting, exact, "syllabus.pdf").status_code == 302


def test_uploads_still_need_the_csrf_token(drafting, proposer, pdf):
    """The view checks CSRF itself, after its upload handler is in place."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(proposer)
    assert _upload(client, drafting, pdf, "syllabus.pdf").status_code == 403
    assert not Attachment.objects.exists()


def test_the_cap_handler_drops_the_file_but_keeps_the_other_fields(rf):
    body = SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 5000)
    request = rf.post("/", {"description": "kept", "file": body})
    handler = uploads.CappedUploadHandler(request, 1000)
    request.upload_handlers.insert(0, handler)
    assert "file" not in request.FILES
    assert request.POST["description"] == "kept"
    assert handler.oversized == {"file"}


def test_submitting_freezes_the_working_drafts_files(
    client, drafting, proposer, staff, pdf
):
    client.force_login(proposer)
    for name in ("rubric.pdf", "draft-notes.pdf"):
        _upload(client, drafting, pdf, name, attached_to="draft", kind="rubric")
    rubric, notes = Attachment.objects.order_by("pk")
    # Never submitted: removing it deletes it.
    client.post(reverse("attachments:remove", args=[drafting.pk, notes.pk]))
    assert not Attachment.objects.filter(pk=notes.pk).exists()
    # Removed again from a tab opened before: said so, on the list.
    again = client.post(
        reverse("attachments:remove", args=[drafting.pk, notes.pk]), follow=True
    )
    assert again.redirect_chain[-1][0] == reverse(
        "attachments:list", args=[drafting.pk]
    )
    assert "That attachment was removed already." in again.content.decode()
    complete_draft(drafting)
    workflow.perform(drafting, "submit_draft", user=proposer)
    draft_1 = drafting.drafts.get()
    assert list(draft_1.attachments.all()) == [rubric]
    # While the draft is reviewed its files are frozen with it.
    response = client.post(reverse("attachments:remove", args=[drafting.pk, rubric.pk]))
    assert Attachment.objects.get(pk=rubric.pk).detached_at is None
    assert "You cannot change the meta-data template" in str(
        list(response.wsgi_request._messages)
    )
    workflow.perform(drafting, "request_revisions", user=staff, note="More detail.")
    # Removed from the working draft, Draft 1 keeps it.
    client.post(reverse("attachments:remove", args=[drafting.pk, rubric.pk]))
    rubric.refresh_from_db()
    assert rubric.detached_at is not None
    again = client.post(reverse("attachments:remove", args=[drafting.pk, rubric.pk]))
    assert "removed already" in str(list(again.wsgi_request._messages))
    page = client.get(reverse("drafts:draft", args=[drafting.pk, 1])).content.decode()
    assert "rubric.pdf" in page
    editor = client.get(reverse("drafts:editor", args=[drafting.pk])).content.decode()
    assert "rubric.pdf" not in editor
    download = reverse("attachments:download", args=[drafting.pk, rubric.pk])
    assert client.get(download).status_code == 200


def test_office_pdf_lists_the_attachments(client, drafting, proposer, pdf):
    client.force_login(proposer)
    _upload(client, drafting, pdf, "Guild letter.pdf")
    _upload(client, drafting, xlsx(), "hours.xlsx", attached_to="draft", kind="rubric")
    response = client.get(reverse("proposals:summary_pdf", args=[drafting.pk]))
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "6. Attachments" in text
    assert "Guild_letter.pdf" in text and "Letter of support" in text
    assert "hours.xlsx" in text and "The working draft" in text


def test_lists_leave_the_file_out_and_do_not_grow(client, drafting, proposer, pdf):
    client.force_login(proposer)
    url = reverse("attachments:list", args=[drafting.pk])
    _upload(client, drafting, pdf, "one.pdf")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(5):
        _upload(client, drafting, pdf, f"more-{n}.pdf", attached_to="draft")
    with CaptureQueriesContext(connection) as six:
        assert client.get(url).status_code == 200
    assert len(six) == len(one)
    listing = [q["sql"] for q in six if "metadata_templates_attachment" in q["sql"]]
    assert listing and all('"data"' not in sql for sql in listing)


def test_the_admin_lists_attachments_read_only(
    client, drafting, proposer, site_admin, pdf
):
    client.force_login(proposer)
    _upload(client, drafting, pdf, "rubric.pdf", attached_to="draft")
    complete_draft(drafting)
    workflow.perform(drafting, "submit_draft", user=proposer)
    attachment, draft = Attachment.objects.get(), drafting.drafts.get()
    client.force_login(site_admin)
    changelist = client.get(reverse("admin:metadata_templates_attachment_changelist"))
    assert "rubric.pdf" in changelist.content.decode()
    for url in (
        reverse("admin:metadata_templates_attachment_change", args=[attachment.pk]),
        reverse("admin:metadata_templates_submitteddraft_change", args=[draft.pk]),
    ):
        assert "rubric.pdf" in client.get(url).content.decode()

"""Role × action matrix over every template view, and query counts that do not grow
with revisions or badges."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals import services as workflow
from metadata_templates import services
from metadata_templates.models import Attachment, LastSeen
from metadata_templates.schema import blank_badge
from proposals.models import Proposal
from tests.factories import complete_draft
from tests.matrix import TEAM_PERSONAS, cases, check, expect
from tests.metadata_templates.posted import posted

PERSONAS = TEAM_PERSONAS
EDITORS = {"lead", "teammate", "staff", "admin"}
READERS = set(PERSONAS) - {"anonymous", "outsider"}


@pytest.fixture
def world(drafting, proposer, staff):
    """A proposal with a submitted draft under review, then sent back for revision."""
    complete_draft(drafting)
    workflow.perform(drafting, "submit_draft", user=proposer)
    comment = drafting.drafts.get().comments.create(field="title", body="Shorter?")
    workflow.perform(drafting, "request_revisions", user=staff, note="One comment.")
    key = drafting.revisions.order_by("-number").first().content["badges"][0]["key"]
    return {"pk": drafting.pk, "comment": comment, "key": key}


def _url(name, *args):
    return lambda w: reverse(name, args=[w["pk"], *args])


MATRIX = [
    ("editor", "get", _url("drafts:editor"), expect(READERS, 200)),
    (
        "editor, a badge's section",
        "get",
        lambda w: (
            reverse("drafts:editor", args=[w["pk"]]) + f"?section=badge-{w['key']}"
        ),
        expect(READERS, 200),
    ),
    (
        "editor, images",
        "get",
        lambda w: reverse("drafts:editor", args=[w["pk"]]) + "?section=images",
        expect(READERS, 200),
    ),
    ("history", "get", _url("drafts:history"), expect(READERS, 200)),
    ("compare", "get", _url("drafts:compare"), expect(READERS, 200)),
    ("revision", "get", _url("drafts:revision", 1), expect(READERS, 200)),
    ("draft", "get", _url("drafts:draft", 1), expect(READERS, 200)),
    ("save", "post", _url("drafts:editor"), expect(EDITORS, 302)),
    ("check", "post", _url("drafts:check"), expect(EDITORS, 404)),
    ("add badge", "post", _url("drafts:add_badge"), expect(EDITORS, 302)),
    ("restore", "post", _url("drafts:restore", 1), expect(EDITORS, 302)),
    (
        "badge preview",
        "get",
        lambda w: reverse("drafts:preview", args=[w["pk"], w["key"]]),
        expect(READERS, 200),
    ),
    (
        "badge image",
        "post",
        lambda w: reverse("drafts:artwork", args=[w["pk"], w["key"]]),
        expect(EDITORS, 302),
    ),
    # Staff are told in the comment's box that the state refuses it.
    ("comment", "post", _url("drafts:comment", 1), expect({"staff", "admin"}, 200)),
    (
        "resolve",
        "post",
        lambda w: reverse("drafts:resolve", args=[w["pk"], w["comment"].pk]),
        expect(EDITORS, 302),
    ),
    (
        "reply",
        "post",
        lambda w: reverse("drafts:reply", args=[w["pk"], w["comment"].pk]),
        expect(EDITORS, 302),
    ),
    # Staff judge whether an answer suffices; the team reopens only what it
    # resolved itself (tests/metadata_templates/test_review_in_place.py).
    (
        "reopen",
        "post",
        lambda w: reverse("drafts:reopen", args=[w["pk"], w["comment"].pk]),
        expect({"staff", "admin"}, 302),
    ),
]


@pytest.mark.parametrize(
    ("name", "method", "url", "persona", "expected"), cases(MATRIX, PERSONAS)
)
def test_template_permission_matrix(
    client, personas, proposer, teammate, world, name, method, url, persona, expected
):
    users = {**personas, "lead": proposer, "teammate": teammate, "anonymous": None}
    check(client, users[persona], method, url(world), expected)


def test_nobody_edits_outside_drafting(client, drafting, proposer, staff):
    complete_draft(drafting)
    workflow.perform(drafting, "submit_draft", user=proposer)
    client.force_login(proposer)
    url = reverse("drafts:editor", args=[drafting.pk])
    assert client.get(url).context["can_edit"] is False
    form = client.get(url).context["form"]
    data = posted(form, **{"c-summary": "Typed after the submission"})
    before = drafting.revisions.count()
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved: You cannot change the meta-data template" in html
    assert "Typed after the submission" in html
    assert drafting.revisions.count() == before


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _grow(proposal, user, n):
    for _ in range(n):
        latest = services.latest(proposal)
        content = dict(latest.content)
        content["badges"] = [*content["badges"], blank_badge("2", "Extra")]
        services.save(proposal, user, content, based_on=latest.number)


@pytest.mark.parametrize("page", ["drafts:editor", "drafts:history", "drafts:compare"])
def test_pages_do_not_grow_with_revisions_or_badges(client, drafting, proposer, page):
    client.force_login(proposer)
    url = reverse(page, args=[drafting.pk])
    _grow(drafting, proposer, 1)
    client.get(url)
    few = _count(client, url)
    _grow(drafting, proposer, 6)
    client.get(url)
    assert _count(client, url) == few


def test_editor_query_budget(client, drafting, proposer, django_assert_num_queries):
    client.force_login(proposer)
    client.get(reverse("drafts:editor", args=[drafting.pk]))
    # session, the user with its roles, the proposal with the user's part in its
    # team and what the editor asks of it (meetings logged, the revision last seen,
    # whether there are attachments or comments: none), latest revision, unread
    # count (the credential's section: no published badges for prerequisites, no
    # badge images)
    with django_assert_num_queries(5):
        client.get(reverse("drafts:editor", args=[drafting.pk]))


def test_the_editor_lists_comments_and_attachments_once_there_are_some(
    client, world, proposer, django_assert_num_queries
):
    proposal = Proposal.objects.get(pk=world["pk"])
    Attachment.objects.create(
        proposal=proposal,
        attached_to=Attachment.Target.DRAFT,
        kind=Attachment.Kind.SYLLABUS,
        name="syllabus.pdf",
        content_type="application/pdf",
        size=9,
        data=b"%PDF-1.4\n",
        uploaded_by=proposer,
    )
    client.force_login(proposer)
    url = reverse("drafts:editor", args=[proposal.pk]) + "?section=all"
    client.get(url)
    # The budget above; the comments with their threads (two) and the attachments;
    # the published badges offered as prerequisites, the images uploaded; the open
    # comments again, as the submit confirmation lists them (two).
    with django_assert_num_queries(12):
        html = client.get(url).content.decode()
    assert "Shorter?" in html
    assert "syllabus.pdf" in html


def test_the_revision_seen_moves_on_though_the_proposal_was_read_before_it_was_kept(
    drafting, proposer
):
    """The editor reads what its user saw last with the proposal; a record made
    since (another tab) is moved on, not left behind."""
    read = (
        Proposal.objects.annotate(**services.editor_columns(proposer))
        .filter(pk=drafting.pk)
        .get()
    )
    assert read.seen_number is None
    LastSeen.objects.create(user=proposer, proposal=drafting, number=1)
    assert services.mark_seen(read, proposer, 3) is None
    assert LastSeen.objects.get(user=proposer, proposal=drafting).number == 3

"""The review loop: submit freezes Draft N, staff comment on fields, the team sees and
resolves each comment, and the next draft answers it."""

from django.urls import reverse

from approvals import services as workflow
from metadata_templates.models import ReviewComment, SubmittedDraft
from proposals.models import State
from tests.factories import complete_draft


def _submit(drafting, user):
    complete_draft(drafting)
    workflow.perform(drafting, "submit_draft", user=user)


def _badge_key(draft, level):
    return next(
        b["key"] for b in draft.revision.content["badges"] if b["level"] == level
    )


def test_submitting_freezes_the_newest_revision_as_draft_n(drafting, proposer):
    _submit(drafting, proposer)
    draft = SubmittedDraft.objects.get()
    assert draft.number == 1
    assert draft.revision == drafting.revisions.order_by("-number").first()
    assert drafting.state == State.UNDER_REVIEW


def test_the_whole_loop(client, drafting, proposer, staff):
    _submit(drafting, proposer)
    draft = drafting.drafts.get()
    key = _badge_key(draft, "3")
    client.force_login(staff)
    page = client.get(reverse("drafts:draft", args=[drafting.pk, 1]))
    assert page.context["can_comment"] and page.context["findings"] == []
    client.post(
        reverse("drafts:comment", args=[drafting.pk, 1]),
        {"field": "feedback", "badge": key, "body": "Who gives the feedback?"},
    )
    client.post(
        reverse("drafts:comment", args=[drafting.pk, 1]),
        {"field": "quality_assurance", "badge": "", "body": "Name the role."},
    )
    assert ReviewComment.objects.count() == 2
    workflow.perform(drafting, "request_revisions", user=staff, note="Two comments.")
    assert drafting.state == State.DRAFTING

    # The team sees each comment next to the field it concerns.
    client.force_login(proposer)
    editor = client.get(
        reverse("drafts:editor", args=[drafting.pk]), {"section": "all"}
    )
    fields = {
        item["field"].name: item["notes"]
        for section in editor.context["sections"]
        for item in section["fields"]
    }
    assert [c.body for c in fields[f"b-{key}-feedback"]["comments"]] == [
        "Who gives the feedback?"
    ]
    assert [c.body for c in fields["c-quality_assurance"]["comments"]] == [
        "Name the role."
    ]

    for comment in ReviewComment.objects.all():
        client.post(reverse("drafts:resolve", args=[drafting.pk, comment.pk]))
    assert not ReviewComment.objects.open().exists()
    workflow.perform(drafting, "submit_draft", user=proposer)
    second = drafting.drafts.get(number=2)
    assert set(second.answered_comments.values_list("body", flat=True)) == {
        "Who gives the feedback?",
        "Name the role.",
    }
    history = client.get(reverse("drafts:history", args=[drafting.pk]))
    assert "answers 2 earlier comments" in history.content.decode()


def test_comments_must_anchor_to_a_real_field(client, drafting, proposer, staff):
    _submit(drafting, proposer)
    client.force_login(staff)
    for data in (
        {"field": "nonsense", "badge": "", "body": "x"},
        {"field": "criteria", "badge": "no-such-badge", "body": "x"},
        {"field": "criteria", "badge": "", "body": "x"},
        {"field": "title", "badge": "", "body": ""},
    ):
        client.post(reverse("drafts:comment", args=[drafting.pk, 1]), data)
    assert not ReviewComment.objects.exists()


def test_comments_are_for_staff_while_they_review(client, drafting, proposer, staff):
    _submit(drafting, proposer)
    url = reverse("drafts:comment", args=[drafting.pk, 1])
    data = {"field": "title", "badge": "", "body": "x"}
    client.force_login(proposer)
    assert client.post(url, data).status_code == 403
    workflow.perform(drafting, "forward_to_committee", user=staff)
    client.force_login(staff)
    # Refused in the comment's box, with the reason and the text typed.
    response = client.post(url, {**data, "body": "Typed before the forward."})
    assert response.status_code == 200
    html = response.content.decode()
    assert "You cannot comment on the submitted draft" in html
    assert ">Typed before the forward.</textarea>" in html
    assert not ReviewComment.objects.exists()


def test_a_draft_number_that_does_not_exist_is_404(client, drafting, staff):
    client.force_login(staff)
    assert client.get(reverse("drafts:draft", args=[drafting.pk, 5])).status_code == 404


def test_a_comment_over_the_limit_is_shown_again_not_lost(
    client, drafting, proposer, staff
):
    _submit(drafting, proposer)
    client.force_login(staff)
    typed = "The criteria need a rubric. " * 200
    response = client.post(
        reverse("drafts:comment", args=[drafting.pk, 1]),
        {"field": "summary", "badge": "", "body": typed},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The comment was not saved" in html
    assert "at most 5000 characters" in html
    assert typed.strip() in html
    assert 'is-invalid" rows="3" name="body" id="c--summary"' in html
    assert not ReviewComment.objects.exists()


def test_the_review_is_decided_from_the_draft_page(client, drafting, proposer, staff):
    _submit(drafting, proposer)
    page = reverse("drafts:draft", args=[drafting.pk, 1])
    client.force_login(staff)
    html = client.get(page).content.decode()
    for name in ("request_revisions", "forward_to_committee"):
        assert reverse("proposals:transition", args=[drafting.pk, name]) in html
    client.force_login(proposer)
    html = client.get(page).content.decode()
    assert (
        reverse("proposals:transition", args=[drafting.pk, "request_revisions"])
        not in html
    )

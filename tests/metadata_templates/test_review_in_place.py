"""Review in place: staff comment on a field without leaving the draft page, every
comment shows beside its field in the editor with its thread (replies, resolve,
reopen), the submit confirmation lists open comments and forwarding with open
comments needs their explicit confirmation."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals import services as workflow
from metadata_templates import services
from metadata_templates.models import CommentEvent, ReviewComment
from metadata_templates.schema import BADGE_FIELDS, CREDENTIAL_FIELDS, normalise
from proposals.freezes import Action, allows
from proposals.models import Notification, State
from tests.factories import ProposalFactory, complete_draft, confirmed_team

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def reviewed(drafting, proposer):
    """Draft 1 of a complete pathway, under review."""
    complete_draft(drafting)
    workflow.perform(drafting, "submit_draft", user=proposer)
    return drafting


def _draft(proposal):
    return proposal.drafts.order_by("-number").first()


def _badge(proposal, level="1"):
    content = normalise(_draft(proposal).revision.content)
    return next(b["key"] for b in content["badges"] if b["level"] == level)


def _comment(proposal, staff, field="title", badge="", body="Shorter?"):
    return ReviewComment.objects.create(
        draft=_draft(proposal), field=field, badge=badge, body=body, author=staff
    )


def _returned(proposal, staff):
    workflow.perform(proposal, "request_revisions", user=staff, note="See comments.")


# Commenting in place


def test_a_comment_posted_by_the_script_comes_back_rendered(client, reviewed, staff):
    key = _badge(reviewed)
    client.force_login(staff)
    response = client.post(
        reverse("drafts:comment", args=[reviewed.pk, 1]),
        {"field": "alignments", "badge": key, "body": "Name the ASME standard."},
        **FETCH,
    )
    assert response.status_code == 201
    comment = ReviewComment.objects.get()
    assert (comment.badge, comment.field, comment.author) == (key, "alignments", staff)
    html = response.json()["html"]
    assert f'id="comment-{comment.pk}"' in html and "Name the ASME standard." in html


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"field": "title", "badge": "", "body": ""}, "This field is required."),
        ({"field": "title", "badge": "", "body": "x" * 5001}, "at most 5000"),
        ({"field": "nonsense", "badge": "", "body": "Hm."}, "not part of this draft"),
    ],
)
def test_a_refused_comment_says_why_to_the_script(
    client, reviewed, staff, data, reason
):
    client.force_login(staff)
    response = client.post(
        reverse("drafts:comment", args=[reviewed.pk, 1]), data, **FETCH
    )
    assert response.status_code == 200
    assert reason in response.json()["error"]
    assert not ReviewComment.objects.exists()


def test_without_script_the_post_redirects_to_the_comment(client, reviewed, staff):
    client.force_login(staff)
    response = client.post(
        reverse("drafts:comment", args=[reviewed.pk, 1]),
        {"field": "title", "badge": "", "body": "Shorter?"},
    )
    comment = ReviewComment.objects.get()
    assert response.status_code == 302
    assert response.url.endswith(f"/drafts/1/#comment-{comment.pk}")


def test_one_compact_control_per_field_and_one_form_on_the_page(
    client, reviewed, staff
):
    client.force_login(staff)
    url = reverse("drafts:draft", args=[reviewed.pk, 1])
    html = client.get(url).content.decode()
    rows = sum(len(s["rows"]) for s in client.get(url).context["sections"])
    assert html.count("data-comment-open") == rows
    # The only form is the script's template; no field carries a form of its own.
    assert html.count("data-comment-form") == 1
    # Without script, a field's link loads the page with the form open there.
    html = client.get(url, {"field": "summary", "badge": ""}).content.decode()
    assert html.count("data-comment-form") == 2
    assert 'id="slot--summary"' in html and 'id="c--summary"' in html


def test_review_decisions_are_on_the_draft_page(client, reviewed, staff, proposer):
    client.force_login(staff)
    html = client.get(reverse("drafts:draft", args=[reviewed.pk, 1])).content.decode()
    for name in ("request_revisions", "forward_to_committee"):
        assert reverse("proposals:transition", args=[reviewed.pk, name]) in html
    client.force_login(proposer)
    page = client.get(reverse("drafts:draft", args=[reviewed.pk, 1]))
    assert page.context["decisions"] == [] and not page.context["can_comment"]


def test_the_next_drafts_page_shows_the_last_review_for_staff_to_reopen(
    client, reviewed, staff, proposer
):
    answered = _comment(reviewed, staff, "title", body="Shorter?")
    _comment(reviewed, staff, "summary", body="Who is it for?")
    _returned(reviewed, staff)
    services.resolve_comment(answered, proposer)
    workflow.perform(reviewed, "submit_draft", user=proposer)
    client.force_login(staff)
    html = client.get(reverse("drafts:draft", args=[reviewed.pk, 2])).content.decode()
    assert "Shorter?" in html and "answered in Draft 2" in html
    assert "Who is it for?" in html
    assert f'form="reopen-{answered.pk}"' in html
    response = client.post(
        reverse("drafts:reopen", args=[reviewed.pk, answered.pk]), {"back": "draft-2"}
    )
    assert response.url.endswith(f"/drafts/2/#comment-{answered.pk}")
    answered.refresh_from_db()
    assert answered.resolved_at is None and answered.answered_in is None


# Every comment beside its field in the editor


def _anchors(proposal) -> list[tuple[str, str, str]]:
    """Every place a comment can be anchored: (badge, field, editor section)."""
    key = _badge(proposal)
    section = f"badge-{key}"
    return [
        *(("", d.key, "credential") for d in CREDENTIAL_FIELDS),
        ("", "badges", "credential"),
        *((key, d.key, section) for d in BADGE_FIELDS),
        (key, "alignments", section),
        (key, "prerequisites", section),
        (key, "", section),
    ]


def test_every_kind_of_anchor_shows_beside_its_field_in_the_editor(
    client, reviewed, staff, proposer
):
    comments = {
        (badge, field, section): _comment(
            reviewed, staff, field, badge, f"About {badge or 'credential'}/{field}"
        )
        for badge, field, section in _anchors(reviewed)
    }
    _returned(reviewed, staff)
    client.force_login(proposer)
    url = reverse("drafts:editor", args=[reviewed.pk])
    everything = client.get(url, {"section": "all"}).content.decode()
    for (_badge_key, _field, section), comment in comments.items():
        assert f'id="comment-{comment.pk}"' in everything
        # In its section, and beside the field: after the field's own input.
        html = client.get(url, {"section": section}).content.decode()
        assert f'id="comment-{comment.pk}"' in html, (section, comment.field)


def test_a_comment_on_a_field_sits_after_that_field(client, reviewed, staff, proposer):
    key = _badge(reviewed)
    comment = _comment(reviewed, staff, "alignments", key, "Name the standard.")
    _returned(reviewed, staff)
    client.force_login(proposer)
    url = reverse("drafts:editor", args=[reviewed.pk])
    html = client.get(url, {"section": f"badge-{key}"}).content.decode()
    legend = html.index(">Alignments <span")
    end = html.index("</fieldset>", legend)
    assert legend < html.index(f'id="comment-{comment.pk}"') < end


def test_a_comment_on_a_badge_removed_since_is_still_shown(
    client, reviewed, staff, proposer
):
    key = _badge(reviewed, "2")
    comment = _comment(reviewed, staff, "criteria", key, "Level 2 is thin.")
    _returned(reviewed, staff)
    latest = services.latest(reviewed)
    content = normalise(latest.content)
    content["badges"] = [b for b in content["badges"] if b["key"] != key]
    services.save(reviewed, proposer, content, based_on=latest.number)
    client.force_login(proposer)
    html = client.get(reverse("drafts:editor", args=[reviewed.pk])).content.decode()
    assert f'id="comment-{comment.pk}"' in html


def test_the_section_list_counts_open_comments(client, reviewed, staff, proposer):
    key = _badge(reviewed, "3")
    _comment(reviewed, staff, "criteria", key)
    _comment(reviewed, staff, "evidence", key)
    _returned(reviewed, staff)
    client.force_login(proposer)
    page = client.get(reverse("drafts:editor", args=[reviewed.pk]))
    counts = {s["id"]: s["comments"] for s in page.context["section_list"]}
    assert counts[f"badge-{key}"] == 2 and counts["credential"] == 0
    assert "2 open comments" in page.content.decode()


def _editor_queries(client, proposal) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("drafts:editor", args=[proposal.pk]))
    assert response.status_code == 200
    return len(ctx)


def test_the_editors_queries_do_not_grow_with_comments_or_replies(
    client, reviewed, staff, proposer
):
    first = _comment(reviewed, staff, "title")
    _returned(reviewed, staff)
    services.reply(first, proposer, "Done.")
    client.force_login(proposer)
    _editor_queries(client, reviewed)
    one = _editor_queries(client, reviewed)
    for field in ("summary", "keywords", "category", "target_audience"):
        comment = _comment(reviewed, staff, field)
        for text in ("Why?", "Because.", "Fine."):
            services.reply(comment, staff, text)
        services.resolve_comment(comment, proposer)
    assert _editor_queries(client, reviewed) == one


def _draft_page_queries(client, proposal) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("drafts:draft", args=[proposal.pk, 1]))
    assert response.status_code == 200
    return len(ctx)


def test_the_draft_pages_queries_do_not_grow_with_comments_or_replies(
    client, reviewed, staff
):
    services.reply(_comment(reviewed, staff, "title"), staff, "And?")
    client.force_login(staff)
    _draft_page_queries(client, reviewed)
    one = _draft_page_queries(client, reviewed)
    key = _badge(reviewed)
    for field in ("criteria", "evidence", "alignments", "prerequisites"):
        comment = _comment(reviewed, staff, field, key)
        services.reply(comment, staff, "Also this.")
        services.resolve_comment(comment, staff)
    assert _draft_page_queries(client, reviewed) == one


# The thread: replies, resolve, reopen


def test_the_team_replies_and_resolves_and_staff_reopen(
    client, reviewed, staff, proposer, teammate
):
    comment = _comment(reviewed, staff)
    _returned(reviewed, staff)
    client.force_login(teammate)
    url = reverse("drafts:reply", args=[reviewed.pk, comment.pk])
    response = client.post(url, {"body": "Shortened.", "back": "credential"})
    assert response.url.endswith(f"?section=credential#comment-{comment.pk}")
    client.force_login(proposer)
    client.post(reverse("drafts:resolve", args=[reviewed.pk, comment.pk]))
    # Someone else's resolution is not the lead's to undo; staff's it is.
    reopen = reverse("drafts:reopen", args=[reviewed.pk, comment.pk])
    client.force_login(teammate)
    assert client.post(reopen).status_code == 403
    client.force_login(staff)
    assert client.post(reopen).status_code == 302
    comment.refresh_from_db()
    assert comment.resolved_at is None and comment.resolved_by is None
    events = [(e.kind, e.author, e.body) for e in comment.events.all()]
    assert events == [
        (CommentEvent.Kind.REPLY, teammate, "Shortened."),
        (CommentEvent.Kind.RESOLVED, proposer, ""),
        (CommentEvent.Kind.REOPENED, staff, ""),
    ]
    assert all(e.created_at for e in comment.events.all())
    client.force_login(proposer)
    html = client.get(reverse("drafts:editor", args=[reviewed.pk])).content.decode()
    assert "Shortened." in html and "reopened the comment" in html


def test_a_reply_or_reopening_tells_the_threads_people_not_its_author(
    client, reviewed, staff, proposer, teammate, outsider
):
    comment = _comment(reviewed, staff)
    _returned(reviewed, staff)
    services.reply(comment, teammate, "Shortened.")
    link = reverse("drafts:draft", args=[reviewed.pk, 1]) + f"#comment-{comment.pk}"
    told = {n.recipient: n for n in Notification.objects.filter(link=link)}
    # The comment's author and the proposer; the teammate who replied is not told.
    assert set(told) == {staff, proposer}
    assert told[staff].message == (
        f"{teammate.get_full_name()} replied to a review comment on Draft 1 of "
        "“Welding Fundamentals”."
    )
    Notification.objects.all().delete()
    services.resolve_comment(comment, proposer)
    assert not Notification.objects.exists()
    services.reopen_comment(comment, staff)
    told = Notification.objects.filter(link=link)
    assert {n.recipient for n in told} == {proposer, teammate}
    assert all("reopened a review comment" in n.message for n in told)
    # Someone who left the team is no longer told.
    Notification.objects.all().delete()
    reviewed.team.memberships.filter(user=teammate).delete()
    services.reply(ReviewComment.objects.get(pk=comment.pk), staff, "Any news?")
    assert {n.recipient for n in Notification.objects.all()} == {proposer}
    client.force_login(proposer)
    assert client.get(link).status_code == 200


def test_whoever_resolved_a_comment_may_reopen_it(client, reviewed, staff, proposer):
    comment = _comment(reviewed, staff)
    _returned(reviewed, staff)
    client.force_login(proposer)
    client.post(reverse("drafts:resolve", args=[reviewed.pk, comment.pk]))
    response = client.post(reverse("drafts:reopen", args=[reviewed.pk, comment.pk]))
    assert response.status_code == 302
    assert ReviewComment.objects.open().count() == 1


def test_resolving_twice_is_logged_once(reviewed, staff, proposer):
    comment = _comment(reviewed, staff)
    services.resolve_comment(comment, proposer)
    services.resolve_comment(comment, staff)
    assert comment.events.count() == 1
    assert not services.reopen_comment(_comment(reviewed, staff, "summary"), staff)


def test_reopening_an_answered_comment_leaves_it_for_the_next_draft(
    reviewed, staff, proposer
):
    comment = _comment(reviewed, staff)
    _returned(reviewed, staff)
    services.resolve_comment(comment, proposer)
    workflow.perform(reviewed, "submit_draft", user=proposer)
    comment.refresh_from_db()
    assert comment.answered_in.number == 2
    services.reopen_comment(comment, staff)
    comment.refresh_from_db()
    assert comment.answered_in is None and comment.resolved_at is None


@pytest.mark.parametrize(
    ("body", "message"),
    [("   ", "Write a reply first."), ("y" * 5001, "at most 5000")],
)
def test_a_refused_reply_keeps_what_was_typed(
    client, reviewed, staff, proposer, body, message
):
    comment = _comment(reviewed, staff)
    client.force_login(proposer)
    response = client.post(
        reverse("drafts:reply", args=[reviewed.pk, comment.pk]),
        {"body": body},
        follow=True,
    )
    html = response.content.decode()
    assert "Your reply was not saved" in html and message in html
    if body.strip():
        assert body in html
    assert not CommentEvent.objects.exists()


@pytest.mark.parametrize("state", list(State))
def test_replies_and_reopening_follow_what_the_state_freezes(staff, state):
    """State × action: replying, resolving and reopening are allowed exactly where
    the state lets review comments be answered (drafting, under review)."""
    proposal = ProposalFactory(state=state)
    confirmed_team(proposal)
    revision = complete_draft(proposal)
    draft = proposal.drafts.create(number=1, revision=revision)
    comment = draft.comments.create(field="title", body="Shorter?", author=staff)
    resolved = draft.comments.create(field="summary", body="Who?", author=staff)
    ReviewComment.objects.filter(pk=resolved.pk).resolve(staff)
    actions = {
        "reply": lambda: services.reply(comment, staff, "An answer."),
        "resolve": lambda: services.resolve_comment(comment, staff),
        "reopen": lambda: services.reopen_comment(resolved, staff),
    }
    allowed = allows(state, Action.RESOLVE)
    for act in actions.values():
        if allowed:
            act()
        else:
            with pytest.raises(ValidationError, match="You cannot resolve"):
                act()
    assert CommentEvent.objects.count() == (3 if allowed else 0), state


def test_nobody_replies_once_the_committee_reviews(client, reviewed, staff, proposer):
    comment = _comment(reviewed, staff)
    workflow.perform(
        reviewed, "forward_to_committee", user=staff, open_comments=[comment.pk]
    )
    for user in (proposer, staff):
        client.force_login(user)
        url = reverse("drafts:reply", args=[reviewed.pk, comment.pk])
        # Refused with the state named and the text given back, not a bare 403.
        refused = client.post(url, {"body": "Late."})
        assert refused.url == reviewed.get_absolute_url()
        message = str(list(get_messages(refused.wsgi_request))[0])
        assert "Committee review" in message and "You wrote: “Late.”" in message
        page = client.get(reverse("drafts:draft", args=[reviewed.pk, 1]))
        assert not page.context["can_comment"] and not page.context["can_resolve"]
        assert "data-comment-open" not in page.content.decode()
    assert not CommentEvent.objects.exists()


# Confirmations


def test_the_submit_confirmation_lists_open_comments(client, reviewed, staff, proposer):
    key = _badge(reviewed)
    asked = _comment(reviewed, staff, "alignments", key, "Name the ASME standard.")
    answered = _comment(reviewed, staff, "title", "", "Shorter?")
    done = _comment(reviewed, staff, "summary", "", "Already fine.")
    _returned(reviewed, staff)
    services.reply(answered, proposer, "Shortened it.")
    services.resolve_comment(done, proposer)
    client.force_login(proposer)
    html = client.get(
        reverse("proposals:transition", args=[reviewed.pk, "submit_draft"])
    ).content.decode()
    assert "2 open review comments" in html
    assert "Name the ASME standard." in html and "Shorter?" in html
    assert "Already fine." not in html
    assert "Alignments" in html and "No answer yet" in html
    assert "Answered by a reply" in html
    assert f"?section=badge-{key}#comment-{asked.pk}" in html


def _forward(client, proposal, **data):
    url = reverse("proposals:transition", args=[proposal.pk, "forward_to_committee"])
    return client.post(url, {"expected_state": proposal.state, **data})


def test_forwarding_with_open_comments_needs_their_confirmation(
    client, reviewed, staff
):
    comment = _comment(reviewed, staff, body="Check the hours.")
    client.force_login(staff)
    url = reverse("proposals:transition", args=[reviewed.pk, "forward_to_committee"])
    html = client.get(url).content.decode()
    assert "Forward with 1 open comment" in html and "Check the hours." in html
    response = _forward(client, reviewed, open_seen=str(comment.pk), note="Ready.")
    assert response.status_code == 200
    assert "Confirm that the committee gets the draft" in response.content.decode()
    assert "Ready." in response.content.decode()
    reviewed.refresh_from_db()
    assert reviewed.state == State.UNDER_REVIEW
    response = _forward(client, reviewed, open_seen=str(comment.pk), confirm_open="on")
    assert response.status_code == 302
    reviewed.refresh_from_db()
    assert reviewed.state == State.COMMITTEE_REVIEW


def test_a_comment_added_after_the_page_was_shown_is_confirmed_too(
    client, reviewed, staff
):
    first = _comment(reviewed, staff)
    client.force_login(staff)
    second = _comment(reviewed, staff, "summary", body="One more thing.")
    response = _forward(client, reviewed, open_seen=str(first.pk), confirm_open="on")
    html = response.content.decode()
    assert response.status_code == 200 and "The open comments changed" in html
    assert "Forward with 2 open comments" in html and "One more thing." in html
    assert f'value="{first.pk},{second.pk}"' in html
    # Asked anew: the box is no longer ticked, so one more click does not forward.
    assert "checked" not in str(response.context["form"]["confirm_open"])
    reviewed.refresh_from_db()
    assert reviewed.state == State.UNDER_REVIEW


def test_without_open_comments_forwarding_asks_nothing_more(client, reviewed, staff):
    client.force_login(staff)
    url = reverse("proposals:transition", args=[reviewed.pk, "forward_to_committee"])
    assert "confirm_open" not in client.get(url).context["form"].fields
    assert _forward(client, reviewed).status_code == 302


def test_the_service_refuses_a_forward_confirmed_for_other_comments(reviewed, staff):
    _comment(reviewed, staff)
    with pytest.raises(ValidationError) as refused:
        workflow.perform(reviewed, "forward_to_committee", user=staff, open_comments=[])
    assert "confirm_open" in refused.value.message_dict
    reviewed.refresh_from_db()
    assert reviewed.state == State.UNDER_REVIEW

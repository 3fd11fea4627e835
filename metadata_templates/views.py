from collections import Counter
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import is_mc_staff, require
from metadata_templates import framework, services, uploads
from metadata_templates.forms import (
    CREDENTIAL,
    AddBadgeForm,
    AttachmentForm,
    CommentForm,
    TemplateForm,
    section_ids,
)
from metadata_templates.merge import diff
from metadata_templates.models import Attachment, CommentEvent, ReviewComment
from metadata_templates.notes import (
    anchored_notes,
    catalog_choices,
    content_sections,
    open_comments_of,
)
from metadata_templates.permissions import (
    attachment_targets,
    may_change_artwork,
    may_comment,
    may_edit,
    may_handle_attachments,
    may_reopen,
    may_resolve,
    team_or_staff,
)
from metadata_templates.schema import LEVELS, MAX_BADGES, badge_label, normalise
from proposals.forms import confirmation_forms
from proposals.freezes import Action, allows, refusal
from proposals.lookups import get_proposal_for_user
from proposals.models import Proposal

# The transitions that decide a review, offered on the draft the reviewer reads.
REVIEW_DECISIONS = ("request_revisions", "forward_to_committee")
# Editor sections beside the form's own: every section on one page, and the images.
ALL_SECTIONS, IMAGES = "all", "images"


def _latest_or_404(proposal):
    revision = services.latest(proposal)
    if revision is None:
        raise Http404
    return revision


def _changes_since_seen(proposal, user, latest):
    """What changed since the user last looked, and since which revision."""
    before = services.mark_seen(proposal, user, latest.number)
    if before is None or before >= latest.number:
        return None
    seen = proposal.revisions.filter(number=before).first()
    if seen is None:
        return None
    return {"since": before, "changes": diff(seen.content, latest.content)}


def _base_revision(proposal, raw: str):
    """The revision a posted form was made from, or None for a missing or bad number."""
    return proposal.revisions.filter(number=int(raw) if raw.isdecimal() else -1).first()


def _badge_images(proposal, content: dict) -> list[dict]:
    uploaded = set(proposal.artworks.values_list("badge_key", flat=True))
    return [
        {
            "key": badge["key"],
            "label": badge_label(badge),
            "uploaded": badge["key"] in uploaded,
        }
        for badge in normalise(content)["badges"]
    ]


def _section_url(proposal, section: str | None) -> str:
    url = reverse("drafts:editor", args=[proposal.pk])
    return f"{url}?{urlencode({'section': section})}" if section else url


def _submit_offer(proposal, user, findings, conflicts, latest) -> dict | None:
    """ "Submit draft for review" beside a saved draft that meets the framework, with
    its confirmation, or what else still keeps the team from submitting it."""
    if findings or conflicts or not allows(proposal.state, Action.TEMPLATE):
        return None
    available, blocked = proposal.transition_choices(user)
    for action in available:
        if action.name == "submit_draft":
            [confirmation] = confirmation_forms(
                proposal,
                [action],
                latest.number,
                open_comments_of(proposal, latest.content),
            )
            return {"action": action, "problems": [], "confirmation": confirmation}
    for action, problems in blocked:
        if action.name == "submit_draft":
            return {"action": action, "problems": problems}
    return None


def _section_of(badge: str) -> str:
    return f"badge-{badge}" if badge else CREDENTIAL


def _section_list(form, findings, comments, current: str | None) -> list[dict]:
    """The sections for the list beside the form, each with its counts of gaps and
    of open comments (those of other sections are not on the page)."""
    gaps = Counter(_section_of(f.badge) for f in findings)
    open_comments = Counter(_section_of(c.badge) for c in comments if not c.resolved_at)
    return [
        {
            **section,
            "gaps": gaps[section["id"]],
            "comments": open_comments[section["id"]],
            "current": section["id"] == current,
        }
        for section in form.section_list()
    ]


def _thread_comments(proposal, user, content: dict) -> list:
    """The comments the team still works on, each with its thread and whether
    `user` may reopen it; a comment on a badge removed since is shown with the
    credential's own comments, so none goes missing."""
    if getattr(proposal, "has_current_comments", True) is False:
        return []
    comments = list(
        ReviewComment.objects.filter(draft__proposal=proposal).current().with_thread()
    )
    badges = {b["key"] for b in normalise(content)["badges"]}
    for comment in comments:
        comment.can_reopen = may_reopen(proposal, comment, user)
        if comment.badge and comment.badge not in badges:
            comment.badge, comment.field = "", "badges"
    return comments


def _editor_page(request, proposal, form, latest, **extra) -> HttpResponse:
    content = extra.pop("content", latest.content)
    findings = framework.findings_for(proposal, content)
    if content is latest.content:
        framework.remember_newest_findings(proposal, findings)
    section = form.section
    comments = _thread_comments(proposal, request.user, content)
    notes = anchored_notes(findings, comments, extra.get("conflicts", ()))
    can_edit = may_edit(proposal, request.user)
    context = {
        "proposal": proposal,
        "form": form,
        "latest": latest,
        "section": section or ALL_SECTIONS,
        "section_list": _section_list(form, findings, comments, section),
        "thread_comments": comments,
        "reply_max": CommentEvent._meta.get_field("body").max_length,
        "sections": form.sections(notes),
        "findings": findings,
        "editor_url": reverse("drafts:editor", args=[proposal.pk]),
        "can_edit": can_edit,
        "can_change_artwork": may_change_artwork(proposal, request.user),
        "can_resolve": may_resolve(proposal, request.user),
        "attachments": services.draft_attachments(proposal),
        # The choices of the "Add a badge" form (AddBadgeForm), written out beside
        # the revision it is based on.
        "levels": LEVELS,
        "submit_offer": can_edit
        and _submit_offer(
            proposal, request.user, findings, extra.get("conflicts"), latest
        ),
        **extra,
    }
    if section in (None, IMAGES):
        # Images are drawn from saved badges only (a conflict page may show more).
        context["badge_images"] = _badge_images(proposal, latest.content)
    return render(request, "metadata_templates/editor.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def editor(request: HttpRequest, pk: int) -> HttpResponse:
    # The page's own questions are read with the proposal: each would be a query.
    columns = Proposal.objects.with_meetings_logged().annotate(
        **services.editor_columns(request.user)
    )
    proposal = get_proposal_for_user(request, pk, columns)
    editable = may_edit(proposal, request.user)
    if request.method == "POST":
        # The state is checked by the save itself, which shows a refusal with the
        # text typed (the draft may have been submitted since the page was opened).
        require(team_or_staff(proposal, request.user))
        return _save(request, proposal)
    latest = services.latest(proposal)
    if latest is None:
        if not editable:
            raise Http404
        latest = services.start_template(proposal, request.user)
    section = request.GET.get("section", CREDENTIAL)
    if section == ALL_SECTIONS:
        section = None
    elif section != IMAGES and section not in section_ids(latest.content):
        # A badge removed since the link was made: its section is gone.
        section = CREDENTIAL
    form = TemplateForm(
        content=latest.content,
        based_on=latest.number,
        catalog=catalog_choices(proposal, latest.content)
        if section not in (CREDENTIAL, IMAGES)
        else (),
        disabled=not editable,
        section=section,
    )
    since = _changes_since_seen(proposal, request.user, latest)
    return _editor_page(request, proposal, form, latest, since=since)


def _save(request: HttpRequest, proposal) -> HttpResponse:
    latest = _latest_or_404(proposal)
    base = _base_revision(proposal, request.POST.get("based_on", ""))
    if base is None:
        messages.error(request, _("The draft you edited no longer exists; reload it."))
        return redirect("drafts:editor", pk=proposal.pk)
    # A page without a section is the whole form (every section, or a conflict).
    section = request.POST.get("section") or None
    if section is not None and section not in section_ids(base.content):
        messages.error(request, _("That section is not part of the draft; reload it."))
        return redirect("drafts:editor", pk=proposal.pk)
    catalog = catalog_choices(proposal, base.content)
    form = TemplateForm(
        request.POST,
        content=base.content,
        based_on=base.number,
        catalog=catalog,
        section=section,
    )
    if not form.is_valid():
        messages.error(
            request, _("Nothing was saved: please correct the marked fields.")
        )
        return _editor_page(request, proposal, form, latest)
    try:
        outcome = services.save(
            proposal, request.user, form.to_content(), based_on=base.number
        )
    except ValidationError as error:
        messages.error(
            request,
            _("Nothing was saved: %(reason)s Your text is below.")
            % {"reason": " ".join(error.messages)},
        )
        proposal = get_proposal_for_user(request, proposal.pk)
        return _editor_page(request, proposal, form, latest)
    if outcome.conflicts:
        current = outcome.current
        form = TemplateForm(
            content=outcome.content,
            based_on=current.number,
            catalog=catalog,
            decide=outcome.decisions(),
        )
        messages.warning(
            request,
            _(
                "Nothing was saved yet: someone saved revision %(n)d while you were "
                "editing, and changed some of the same fields. Your text is below; "
                "choose or edit each marked field, then save again."
            )
            % {"n": current.number},
        )
        return _editor_page(
            request,
            proposal,
            form,
            current,
            content=outcome.content,
            conflicts=outcome.conflicts,
        )
    if outcome.unchanged:
        messages.info(request, _("No changes to save."))
    else:
        messages.success(
            request, _("Saved as revision %(n)d.") % {"n": outcome.revision.number}
        )
        if outcome.taken:
            messages.info(
                request,
                _("Merged with changes saved meanwhile by others: %(fields)s.")
                % {"fields": "; ".join(outcome.taken)},
            )
    # Back where the save was made: the section, or the whole form it came from.
    back = section or ALL_SECTIONS
    if section is not None and section not in section_ids(outcome.revision.content):
        # The section's badge was removed by this save.
        back = None
    return redirect(_section_url(proposal, back))


@require_POST
@login_required
def live_check(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, pk)
    require(may_edit(proposal, request.user))
    base = _base_revision(proposal, request.POST.get("based_on", ""))
    section = request.POST.get("section") or None
    if base is None or (section and section not in section_ids(base.content)):
        raise Http404
    form = TemplateForm(
        request.POST,
        content=base.content,
        based_on=base.number,
        catalog=catalog_choices(proposal, base.content),
        section=section,
    )
    content = form.to_content() if form.is_valid() else base.content
    return render(
        request,
        "metadata_templates/_findings.html",
        {
            "findings": framework.findings_for(proposal, content),
            "proposal": proposal,
            "editor_url": reverse("drafts:editor", args=[proposal.pk]),
        },
    )


@require_POST
@login_required
def add_badge(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, pk)
    require(may_edit(proposal, request.user))
    form = AddBadgeForm(request.POST)
    base = None
    if form.is_valid():
        base = proposal.revisions.filter(number=form.cleaned_data["based_on"]).first()
    if base is None:
        messages.error(request, _("Choose a level for the new badge."))
        return redirect("drafts:editor", pk=proposal.pk)
    if len(base.content["badges"]) >= MAX_BADGES:
        messages.error(
            request,
            _("A credential has at most %(n)d badges; remove one to add another.")
            % {"n": MAX_BADGES},
        )
        return redirect("drafts:editor", pk=proposal.pk)
    try:
        outcome, badge = services.add_badge(
            proposal, request.user, form.cleaned_data["level"], based_on=base
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("drafts:editor", pk=proposal.pk)
    if outcome.conflicts:
        messages.error(request, _("The draft changed meanwhile; add the badge again."))
        return redirect("drafts:editor", pk=proposal.pk)
    messages.success(request, _("Badge added; fill in its fields below."))
    return redirect(_section_url(proposal, f"badge-{badge['key']}"))


@require_GET
@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, pk)
    latest = _latest_or_404(proposal)
    drafts = proposal.drafts.select_related(
        "revision", "submitted_by"
    ).prefetch_related("comments__author", "answered_comments")
    context = {
        "proposal": proposal,
        "revisions": proposal.revisions.history(),
        "drafts": drafts,
        "latest": latest,
        "since": _changes_since_seen(proposal, request.user, latest),
        "can_edit": may_edit(proposal, request.user),
    }
    return render(request, "metadata_templates/history.html", context)


@require_GET
@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, pk)
    latest = _latest_or_404(proposal)
    numbers, refused = {}, []
    for side, default in (("a", max(latest.number - 1, 1)), ("b", latest.number)):
        raw = request.GET.get(side, "")
        # Revision numbers are small ASCII digits ("²" is a digit int() refuses).
        is_number = raw.isascii() and raw.isdigit() and len(raw) < 10
        numbers[side] = int(raw) if is_number else default
        if raw and not is_number:
            refused.append(raw[:20])
    revisions = {
        r.number: r
        for r in proposal.revisions.filter(number__in=numbers.values()).select_related(
            "author"
        )
    }
    if set(numbers.values()) - set(revisions):
        raise Http404
    old, new = revisions[numbers["a"]], revisions[numbers["b"]]
    context = {
        "proposal": proposal,
        "old": old,
        "new": new,
        "changes": diff(old.content, new.content),
        "choices": range(1, latest.number + 1),
        "refused": refused,
    }
    return render(request, "metadata_templates/compare.html", context)


@require_GET
@login_required
def revision_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, pk)
    revision = get_object_or_404(
        proposal.revisions.select_related("author"), number=number
    )
    context = {
        "proposal": proposal,
        "revision": revision,
        "sections": content_sections(revision.content),
        "latest": services.latest(proposal),
        "can_edit": may_edit(proposal, request.user),
    }
    return render(request, "metadata_templates/revision_detail.html", context)


@require_POST
@login_required
def restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, pk)
    require(may_edit(proposal, request.user))
    get_object_or_404(proposal.revisions, number=number)
    try:
        outcome = services.restore(proposal, request.user, number)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("drafts:editor", pk=proposal.pk)
    if outcome.unchanged:
        messages.info(
            request, _("Revision %(n)d is already the current text.") % {"n": number}
        )
    else:
        messages.success(
            request,
            _("Revision %(old)d restored as revision %(new)d.")
            % {"old": number, "new": outcome.revision.number},
        )
    return redirect("drafts:editor", pk=proposal.pk)


@require_GET
@login_required
def draft_review(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, pk)
    draft = get_object_or_404(
        proposal.drafts.select_related("revision", "submitted_by"), number=number
    )
    return _draft_page(request, proposal, draft)


def _review_decisions(user, proposal, draft) -> list:
    """The transitions that decide the review, for the newest draft while it is
    reviewed (the workflow's conditions are evaluated only then)."""
    if not allows(proposal.state, Action.COMMENT):
        return []
    newest = proposal.drafts.order_by("-number").values_list("number", flat=True)[0]
    if draft.number != newest:
        return []
    actions, _blocked = proposal.transition_choices(user)
    decisions = [action for action in actions if action.name in REVIEW_DECISIONS]
    naming = any(action.custom.get("open_comments") for action in decisions)
    return confirmation_forms(
        proposal, decisions, None, open_comments_of(proposal) if naming else None
    )


def _draft_page(request, proposal, draft, refused: dict | None = None) -> HttpResponse:
    """The submitted draft with its comments. One field's comment box is open: the
    one asked for (`?field=…&badge=…`, the page's "Comment" links without
    JavaScript), or `refused`, a comment that was not saved, shown again there with
    the text typed and the reason."""
    content = draft.revision.content
    findings = framework.findings_for(proposal, content)
    comments = list(
        ReviewComment.objects.on_draft_page(draft)
        .with_thread()
        .select_related("answered_in")
    )
    for comment in comments:
        comment.can_reopen = may_reopen(proposal, comment, request.user)
    asked = {"field": request.GET.get("field"), "badge": request.GET.get("badge", "")}
    context = {
        "proposal": proposal,
        "draft": draft,
        # The review's outcome, decided here where the reviewer read the draft.
        "decisions": _review_decisions(request.user, proposal, draft),
        "findings": findings,
        "sections": content_sections(content, anchored_notes(findings, comments)),
        "can_comment": may_comment(proposal, request.user),
        "can_resolve": may_resolve(proposal, request.user),
        "attachments": draft.attachments.listing(),
        "comment_max": ReviewComment._meta.get_field("body").max_length,
        "reply_max": CommentEvent._meta.get_field("body").max_length,
        "open_box": refused or asked,
        # Where the comment actions come back to: this page.
        "back": f"draft-{draft.number}",
        "thread_comments": comments,
    }
    return render(request, "metadata_templates/draft_review.html", context)


def _wants_fragment(request: HttpRequest) -> bool:
    """The page's script posted the form and swaps in what comes back."""
    return request.headers.get("X-Requested-With") == "fetch"


@require_POST
@login_required
def add_comment(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, pk)
    # Only staff comment; the state is checked by the service, whose refusal
    # comes back in the comment's box with the text typed (the draft may have
    # left review since the page was loaded).
    require(is_mc_staff(request.user))
    draft = get_object_or_404(proposal.drafts.select_related("revision"), number=number)
    form = CommentForm(request.POST, content=draft.revision.content)
    saved = []
    refused = form.refused_or_saved(
        lambda form: saved.append(services.add_comment(form, draft, request.user))
    )
    if _wants_fragment(request):
        # The script keeps the text typed in its box and shows the reason there
        # (a refused form is a page like any other, as without script: 200).
        if refused:
            return JsonResponse({"error": refused["error"]})
        html = render_to_string(
            "metadata_templates/_field_comments.html",
            {"comments": saved, "proposal": proposal},
            request=request,
        )
        return JsonResponse({"html": html}, status=201)
    if refused:
        # Shown again in its field's box, so nothing typed is lost.
        messages.error(
            request,
            _("The comment was not saved: %(reason)s") % {"reason": refused["error"]},
        )
        return _draft_page(request, proposal, draft, refused)
    messages.success(request, _("Comment added; the team sees it beside the field."))
    url = reverse("drafts:draft", args=[proposal.pk, number])
    return redirect(f"{url}#comment-{saved[0].pk}")


def _comment_for(request: HttpRequest, pk: int, comment_id: int):
    proposal = get_proposal_for_user(request, pk)
    comment = get_object_or_404(
        ReviewComment.objects.select_related("draft"),
        pk=comment_id,
        draft__proposal=proposal,
    )
    return proposal, comment


def _back_to_comment(request: HttpRequest, proposal, comment) -> HttpResponse:
    """Back to the comment where its form was: the draft's review page, or the
    editor's section (`back`)."""
    back = request.POST.get("back", "")
    number = back.removeprefix("draft-")
    if back.startswith("draft-") and number.isascii() and number.isdecimal():
        url = reverse("drafts:draft", args=[proposal.pk, int(number[:9])])
    else:
        url = _section_url(proposal, back[:60] or None)
    return redirect(f"{url}#comment-{comment.pk}")


def _thread_refused(request, proposal, body: str = "") -> HttpResponse | None:
    """Someone outside the team and the office may not touch a thread (403); in a
    state that freezes threads (a page older than the forwarding), the refusal names
    the state and gives back what was typed."""
    require(team_or_staff(proposal, request.user))
    if allows(proposal.state, Action.RESOLVE):
        return None
    reason = refusal(proposal.state, Action.RESOLVE)
    if body:
        reason += " " + _("You wrote: “%(body)s”") % {"body": body}
    messages.error(request, reason)
    return redirect(proposal)


@require_POST
@login_required
def resolve(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    proposal, comment = _comment_for(request, pk, comment_id)
    if refused := _thread_refused(request, proposal):
        return refused
    try:
        services.resolve_comment(comment, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Comment resolved; the next draft answers it."))
    return _back_to_comment(request, proposal, comment)


@require_POST
@login_required
def reopen(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    proposal, comment = _comment_for(request, pk, comment_id)
    if refused := _thread_refused(request, proposal):
        return refused
    require(may_reopen(proposal, comment, request.user))
    try:
        reopened = services.reopen_comment(comment, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if reopened:
            messages.success(request, _("Comment reopened."))
        else:
            messages.info(request, _("The comment is open already."))
    return _back_to_comment(request, proposal, comment)


@require_POST
@login_required
def reply(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    proposal, comment = _comment_for(request, pk, comment_id)
    body = request.POST.get("body", "").strip()
    if refused := _thread_refused(request, proposal, body):
        return refused
    try:
        services.reply(comment, request.user, body)
    except ValidationError as error:
        reason = " ".join(error.messages)
        # The text typed travels back in the message, so nothing is lost.
        if body:
            reason += " " + _("You wrote: “%(body)s”") % {"body": body}
        messages.error(request, _("Your reply was not saved: %(r)s") % {"r": reason})
    else:
        messages.success(request, _("Reply added."))
    return _back_to_comment(request, proposal, comment)


@require_POST
@login_required
def badge_artwork(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """Upload the image of one badge, or go back to the generated one."""
    proposal = get_proposal_for_user(request, pk)
    require(may_change_artwork(proposal, request.user))
    if request.POST.get("remove"):
        try:
            services.remove_artwork(proposal, key)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The badge uses its generated image again."))
    elif (upload := request.FILES.get("image")) is None:
        messages.error(request, _("Choose an image file to upload."))
    else:
        try:
            services.set_artwork(
                proposal,
                key,
                upload.read(uploads.MAX_ARTWORK_BYTES + 1),
                request.user,
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Badge image uploaded."))
    return redirect(_section_url(proposal, IMAGES))


def _attachments_page(
    request, proposal, form, targets: list[str], status: int = 200
) -> HttpResponse:
    attachments = proposal.attachments.by_target()
    context = {
        "proposal": proposal,
        "form": form if targets else None,
        "proposal_attachments": attachments[Attachment.Target.PROPOSAL],
        "draft_attachments": attachments[Attachment.Target.DRAFT],
        "removable_proposal": Attachment.Target.PROPOSAL in targets,
        "removable_draft": Attachment.Target.DRAFT in targets,
        "frozen": refusal(proposal.state, Action.ATTACH),
        "may_handle": may_handle_attachments(proposal, request.user),
    }
    return render(
        request, "metadata_templates/attachments.html", context, status=status
    )


# CSRF is checked inside, once the upload handler that caps the file is in place:
# the middleware's check would read the whole upload first.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@login_required
def attachments(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposal's and the working draft's attachments; upload one."""
    capped = uploads.CappedUploadHandler(request, settings.ATTACHMENT_MAX_BYTES)
    request.upload_handlers.insert(0, capped)
    return _attachments(request, pk, capped)


@csrf_protect
def _attachments(
    request: HttpRequest, pk: int, capped: uploads.CappedUploadHandler
) -> HttpResponse:
    proposal = get_proposal_for_user(request, pk)
    targets = attachment_targets(proposal, request.user)
    if request.method == "GET":
        initial = {"attached_to": request.GET.get("to", (targets or [""])[0])}
        form = AttachmentForm(targets=targets, initial=initial)
        return _attachments_page(request, proposal, form, targets)
    require(may_handle_attachments(proposal, request.user))
    form = AttachmentForm(
        request.POST,
        request.FILES,
        targets=targets,
        oversized="file" in capped.oversized,
    )
    if not targets:
        form.add_error(None, refusal(proposal.state, Action.ATTACH))
        return _attachments_page(request, proposal, form, targets, status=409)
    if form.is_valid():
        try:
            attachment = services.add_attachment(proposal, form, request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return _attachments_page(request, proposal, form, targets, status=409)
        messages.success(
            request,
            _("“%(name)s” is attached to %(target)s.")
            % {"name": attachment.name, "target": attachment.get_attached_to_display()},
        )
        return redirect("attachments:list", pk=proposal.pk)
    return _attachments_page(request, proposal, form, targets)


@require_GET
@login_required
def attachment_download(
    request: HttpRequest, pk: int, attachment_id: int
) -> HttpResponse:
    """The file, as a download of the type its content showed, for the record's
    readers only."""
    proposal = get_proposal_for_user(request, pk)
    attachment = get_object_or_404(proposal.attachments, pk=attachment_id)
    response = HttpResponse(
        bytes(attachment.data), content_type=attachment.content_type
    )
    response["Content-Disposition"] = content_disposition_header(
        True, attachment.download_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Part of the internal record: kept out of shared caches, and inert even if a
    # browser were to render it.
    response["Cache-Control"] = "private, no-cache"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@login_required
def attachment_remove(
    request: HttpRequest, pk: int, attachment_id: int
) -> HttpResponse:
    proposal = get_proposal_for_user(request, pk)
    require(may_handle_attachments(proposal, request.user))
    attachments = proposal.attachments.defer("data")
    attachment = attachments.filter(pk=attachment_id, detached_at=None).first()
    if attachment is None:
        # Removed meanwhile: from another tab, or by a teammate.
        messages.info(request, _("That attachment was removed already."))
    elif attachment.attached_to not in attachment_targets(proposal, request.user):
        messages.error(
            request,
            refusal(
                proposal.state, services.ATTACHMENT_ACTIONS[attachment.attached_to]
            ),
        )
    else:
        try:
            services.remove_attachment(attachment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("“%(name)s” was removed.") % {"name": attachment.name}
            )
    return redirect("attachments:list", pk=proposal.pk)

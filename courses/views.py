from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from accounts.permissions import is_mc_staff, require
from awards import batch
from awards.models import Award, Source
from courses import coverage, freezes, services
from courses.forms import (
    LearnerAwardForm,
    MappingCommentForm,
    MappingForm,
    MappingTransitionForm,
    TrainingForm,
)
from courses.lookups import get_mapping_for_user
from courses.models import CourseMapping, MappingComment, State
from courses.permissions import may_award, may_comment, may_edit, may_resolve
from metadata_templates.notes import anchored_notes
from proposals import meanwhile


@require_GET
@login_required
def mapping_list(request: HttpRequest) -> HttpResponse:
    """The user's own mappings; staff and the committee see every one."""
    mappings = CourseMapping.objects.visible_to(request.user)
    state = request.GET.get("state", "")
    if state in State.values:
        mappings = mappings.filter(state=state)
    return render(
        request,
        "courses/mapping_list.html",
        {
            "mappings": mappings.for_list()[:200],
            "state": state,
            "states": State.choices,
        },
    )


def _form_page(request, form, mapping=None, outcome=None) -> HttpResponse:
    """The form with the coverage check of what it holds, and the office's
    comments beside the criteria they concern."""
    findings = coverage.check(form.chosen_badges(), form.rows())
    comments = list(mapping.comments.select_related("author")) if mapping else []
    notes = anchored_notes(findings, comments)
    for section in form.sections:
        for item in section["items"]:
            item["notes"] = notes.get(item["key"])
    return render(
        request,
        "courses/mapping_form.html",
        {
            "form": form,
            "mapping": mapping,
            "outcome": outcome,
            "findings": findings,
            "course_notes": notes.get(("", "course")),
            "comments": comments,
            "can_resolve": mapping is not None
            and may_resolve(mapping, request.user)
            and freezes.allows(mapping.state, freezes.Action.RESOLVE),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def new(request: HttpRequest) -> HttpResponse:
    form = MappingForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            form.save_training_choice()
            mapping = services.start(
                form.save(commit=False),
                user=request.user,
                badges=form.cleaned_data["badges"],
                rows=form.rows(),
            )
            messages.success(
                request,
                _(
                    "Mapping saved as a draft: now name the assignment that assesses "
                    "each criterion."
                ),
            )
            return redirect("courses:edit", pk=mapping.pk)
        messages.error(request, _("Please correct the fields marked below."))
    return _form_page(request, form)


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    mapping = get_mapping_for_user(request, pk)
    require(may_edit(mapping, request.user))
    if not freezes.allows(mapping.state, freezes.Action.EDIT):
        messages.error(request, freezes.refusal(mapping.state, freezes.Action.EDIT))
        return redirect(mapping)
    form = MappingForm(request.POST or None, instance=mapping)
    outcome = None
    if request.method == "POST":
        if form.is_valid():
            try:
                outcome = meanwhile.save(form, _save_mapping(request.user))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return _form_page(request, form, mapping)
            if outcome.saved:
                messages.success(request, _("Mapping saved."))
                meanwhile.tell_taken(request, outcome)
                return redirect("courses:edit", pk=mapping.pk)
            form = outcome.form
        else:
            messages.error(request, _("Please correct the fields marked below."))
    return _form_page(request, form, mapping, outcome)


def _save_mapping(user):
    def save(form: MappingForm):
        form.save_training_choice()
        return services.save(
            form.instance,
            user=user,
            badges=form.cleaned_data["badges"],
            rows=form.rows(),
            form=form,
        )

    return save


def _detail_page(request, mapping, refused: dict | None = None) -> HttpResponse:
    user = request.user
    badges = list(mapping.badges.select_related("revision").order_by("name", "pk"))
    rows = coverage.saved_rows(mapping)
    findings = coverage.check(badges, rows)
    comments = mapping.comments.select_related("author", "resolved_by")
    notes = anchored_notes(findings, comments)
    saved = {(a.badge_id, a.criterion): a for a in mapping.assessments.all()}
    sections = [
        {
            "badge": badge,
            "items": [
                {
                    "criterion": criterion,
                    "anchor": f"crit-{badge.pk}-{criterion.key}",
                    "key": criterion.key,
                    "row": saved.get((badge.pk, criterion.key)),
                    "notes": notes.get((str(badge.pk), criterion.key)),
                }
                for criterion in coverage.criteria_of(badge)
            ],
        }
        for badge in badges
    ]
    available, blocked = mapping.transition_choices(user)
    return render(
        request,
        "courses/mapping_detail.html",
        {
            "mapping": mapping,
            "sections": sections,
            "findings": findings,
            "course_notes": notes.get(("", "course")),
            "comments": comments,
            "steps": mapping.steps.select_related("actor"),
            "available": available,
            "blocked": blocked,
            "can_edit": may_edit(mapping, user)
            and freezes.allows(mapping.state, freezes.Action.EDIT),
            "can_comment": may_comment(mapping, user)
            and freezes.allows(mapping.state, freezes.Action.COMMENT),
            "can_resolve": may_resolve(mapping, user)
            and freezes.allows(mapping.state, freezes.Action.RESOLVE),
            "can_award": may_award(mapping, user) and mapping.state == State.APPROVED,
            "comment_max": MappingComment._meta.get_field("body").max_length,
            "refused": refused or {},
        },
    )


@require_GET
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, get_mapping_for_user(request, pk))


@require_http_methods(["GET", "POST"])
@login_required
def transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    mapping = get_mapping_for_user(request, pk)
    meta = CourseMapping.transition_named(name)
    if meta is None:
        raise Http404
    if not meta.has_perm(mapping, request.user):
        raise PermissionDenied
    if request.method == "GET" and not can_proceed(
        getattr(mapping, name), check_conditions=False
    ):
        messages.error(
            request,
            _("“%(action)s” is not possible while the mapping is “%(state)s”.")
            % {"action": meta.custom["label"], "state": mapping.get_state_display()},
        )
        return redirect(mapping)
    form = MappingTransitionForm(
        request.POST or None, transition=meta, initial={"expected_state": mapping.state}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.perform(
                mapping,
                name,
                user=request.user,
                note=form.cleaned_data["note"],
                expected_state=form.cleaned_data["expected_state"],
            )
        except ValidationError as error:
            form.add_error("note", error.message_dict.get("note", error.messages))
        except (TransitionNotAllowed, ConcurrentTransition) as error:
            messages.error(request, services.refusal(error, name, mapping))
            return redirect(mapping)
        else:
            messages.success(
                request,
                _("%(action)s: the mapping is now “%(state)s”.")
                % {
                    "action": meta.custom["label"],
                    "state": mapping.get_state_display(),
                },
            )
            return redirect(mapping)
    return render(
        request,
        "courses/confirm_transition.html",
        {"mapping": mapping, "transition": meta, "form": form},
    )


@require_POST
@login_required
def add_comment(request: HttpRequest, pk: int) -> HttpResponse:
    mapping = get_mapping_for_user(request, pk)
    require(may_comment(mapping, request.user))
    anchors = {
        (str(badge.pk), criterion.key)
        for badge in mapping.badges.select_related("revision")
        for criterion in coverage.criteria_of(badge)
    }
    form = MappingCommentForm(request.POST, anchors=anchors)
    refused = form.refused_or_saved(
        lambda form: services.add_comment(form, mapping, request.user)
    )
    if refused:
        # Shown again in its criterion's box, so nothing typed is lost.
        messages.error(
            request,
            _("The comment was not saved: %(reason)s") % {"reason": refused["error"]},
        )
        return _detail_page(request, mapping, refused)
    messages.success(
        request, _("Comment added; the instructor sees it beside the criterion.")
    )
    return redirect(mapping)


@require_POST
@login_required
def resolve(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    mapping = get_mapping_for_user(request, pk)
    require(may_resolve(mapping, request.user))
    comment = get_object_or_404(mapping.comments, pk=comment_id)
    try:
        services.resolve_comment(comment, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Comment resolved."))
    if request.POST.get("back") == "edit":
        return redirect("courses:edit", pk=pk)
    return redirect(mapping)


@require_GET
@login_required
def training_list(request: HttpRequest) -> HttpResponse:
    """Staff: who asked for the mapping training, and where each request stands."""
    require(is_mc_staff(request.user))
    requests = CourseMapping.objects.training_requests()[:500]
    rows = [
        (
            mapping,
            TrainingForm(
                auto_id=f"id_%s_{mapping.pk}",
                initial={
                    "status": mapping.training,
                    "on": mapping.training_done_on or mapping.training_on,
                },
            ),
        )
        for mapping in requests
    ]
    return render(request, "courses/training_list.html", {"rows": rows})


@require_POST
@login_required
def training_update(request: HttpRequest, pk: int) -> HttpResponse:
    mapping = get_mapping_for_user(request, pk)
    require(is_mc_staff(request.user))
    form = TrainingForm(request.POST)
    if form.is_valid():
        try:
            services.set_training(
                mapping, status=form.cleaned_data["status"], on=form.cleaned_data["on"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Training for %(course)s updated.") % {"course": mapping}
            )
    else:
        messages.error(
            request,
            _("The training was not updated: %(reason)s")
            % {"reason": " ".join(e for errs in form.errors.values() for e in errs)},
        )
    return redirect("courses:training")


@require_http_methods(["GET", "POST"])
@login_required
def award(request: HttpRequest, pk: int) -> HttpResponse:
    """The instructor of an approved mapping awards its badges to their learners."""
    mapping = get_mapping_for_user(request, pk)
    require(may_award(mapping, request.user))
    if mapping.state != State.APPROVED:
        messages.error(
            request, _("Badges are awarded from a mapping once staff approved it.")
        )
        return redirect(mapping)
    form = LearnerAwardForm(request.POST or None, mapping=mapping)
    if request.method == "POST" and form.is_valid():
        try:
            made = batch.issue_form(
                form.cleaned_data["badge"],
                form.cleaned_data,
                by=request.user,
                source=Source.COURSE,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Awarded to %(count)d learner, who was sent a claim link.",
                    "Awarded to %(count)d learners; each was sent a claim link.",
                    len(made),
                )
                % {"count": len(made)},
            )
            return redirect("courses:award", pk=mapping.pk)
    awarded = Award.objects.filter(
        awarded_by=request.user, source=Source.COURSE, badge__in=mapping.badges.all()
    ).select_related("badge")
    return render(
        request,
        "courses/award.html",
        {"mapping": mapping, "form": form, "awarded": awarded.order_by("-pk")[:50]},
    )

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from accounts.permissions import is_committee_member, is_mc_staff, require
from approvals import actions, services
from approvals.models import Vote
from metadata_templates.notes import open_comments_of
from metadata_templates.permissions import attachment_targets
from metadata_templates.services import newest_number
from proposals import freezes, hooks, meanwhile
from proposals.forms import (
    InterestForm,
    QueueFilterForm,
    TransitionForm,
    confirmation_forms,
)
from proposals.freezes import Action
from proposals.lookups import get_proposal_for_user
from proposals.models import Proposal, State, action_named
from proposals.policy import is_proposer
from proposals.similarity import hints_for, similar_proposals
from teams.models import CollaboratorCall

PAGE_SIZE = 25


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    mine = Proposal.objects.filter(proposer=user).for_list()[:10]
    notifications = user.notifications.unread().select_related("proposal")[:5]
    context = {
        "mine": mine,
        "notifications": notifications,
        "queues": actions.queues_for(user),
        "vote_choices": Vote.Choice.choices,
        "teams": Proposal.objects.on_teams_of(user).for_list()[:10],
        "calls": CollaboratorCall.objects.open_for(
            user, freezes.states_allowing(Action.CALLS)
        )[:10],
        "sections": hooks.sections("dashboard", None, user),
    }
    return render(request, "proposals/dashboard.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def interest_form(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {"proposer_name": user.get_full_name(), "proposer_email": user.email}
    form = InterestForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            proposal = form.save(commit=False)
            services.submit_interest_form(proposal, user=user)
            messages.success(
                request,
                _("Thank you. Your interest form is in; the office will contact you."),
            )
            return redirect(proposal)
        messages.error(request, _("Please correct the fields marked below."))
    return render(request, "proposals/proposal_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def edit_interest_form(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, pk)
    require(is_proposer(proposal, request.user))
    if not freezes.allows(proposal.state, Action.INTEREST_FORM):
        messages.error(request, freezes.refusal(proposal.state, Action.INTEREST_FORM))
        return redirect(proposal)
    form = InterestForm(request.POST or None, instance=proposal, editing=True)
    outcome = None
    if request.method == "POST":
        if form.is_valid():
            try:
                outcome = meanwhile.save(
                    form, lambda form: services.edit_interest_form(form, request.user)
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(proposal)
            if outcome.saved:
                messages.success(
                    request,
                    _("Your changes are saved; the timeline shows what changed.")
                    if outcome.result
                    else _("Nothing was changed."),
                )
                meanwhile.tell_taken(request, outcome)
                return redirect(proposal)
            form = outcome.form
        else:
            messages.error(request, _("Please correct the fields marked below."))
    return render(
        request,
        "proposals/proposal_form.html",
        {"form": form, "proposal": proposal, "outcome": outcome},
    )


@require_GET
@login_required
def similar(request: HttpRequest) -> HttpResponse:
    title = request.GET.get("title", "")[:200]
    description = request.GET.get("description", "")[:5000]
    exclude = request.GET.get("exclude", "")
    # isdecimal, not isdigit: "¹" is a digit that int() refuses.
    wanted = exclude.isdecimal() and len(exclude) < 19
    matches = similar_proposals(
        title, description, exclude_pk=int(exclude) if wanted else None
    )
    return render(
        request,
        "proposals/_similar.html",
        {
            "hints": hints_for(matches, request.user),
            "searched": bool(title or description),
        },
    )


@require_GET
@login_required
def my_proposals(request: HttpRequest) -> HttpResponse:
    proposals = Proposal.objects.filter(proposer=request.user).for_list()
    return render(
        request,
        "proposals/proposal_list_mine.html",
        {"page": _page(request, proposals)},
    )


@require_GET
@login_required
def staff_queue(request: HttpRequest) -> HttpResponse:
    require(is_mc_staff(request.user))
    form = QueueFilterForm(request.GET)
    proposals = form.apply(Proposal.objects.for_list())
    context = {
        "form": form,
        "page": _page(request, proposals),
        "counts": Proposal.objects.state_counts(),
    }
    return render(request, "proposals/proposal_list_queue.html", context)


@require_GET
@login_required
def committee_list(request: HttpRequest) -> HttpResponse:
    if not is_committee_member(request.user) and not is_mc_staff(request.user):
        raise PermissionDenied
    proposals = Proposal.objects.awaiting_decision().for_list()
    return render(
        request,
        "proposals/proposal_list_committee.html",
        {"page": _page(request, proposals)},
    )


@require_GET
@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, pk)
    proposal.notifications.filter(recipient=request.user).unread().update(
        read_at=timezone.now()
    )
    timeline = list(proposal.transitions.select_related("actor"))
    ended_after = timeline[-1].source if timeline and proposal.is_terminal else None
    actions, blocked = proposal.transition_choices(request.user)
    freezing = any(a.custom.get("freezes_revision") for a in actions)
    context = {
        "proposal": proposal,
        "timeline": timeline,
        "steps": proposal.stepper(ended_after),
        "actions": actions,
        # Each action confirmed in place, its form on this page.
        "confirmations": confirmation_forms(
            proposal,
            actions,
            newest_number(proposal) if freezing else None,
            open_comments_of(proposal)
            if any(a.custom.get("open_comments") for a in actions)
            else None,
        ),
        "blocked": blocked,
        "has_team": proposal.team_or_none() is not None,
        "drafts": list(proposal.drafts.all()),
        "has_template": proposal.revisions.exists(),
        "rounds": list(proposal.rounds.select_related("draft")),
        "may_edit_interest_form": is_proposer(proposal, request.user)
        and freezes.allows(proposal.state, Action.INTEREST_FORM),
        "interest_edits": list(proposal.interest_edits.select_related("editor")),
        "sections": hooks.sections("proposal", proposal, request.user),
        "attachments": proposal.attachments.by_target(),
        "may_attach": bool(attachment_targets(proposal, request.user)),
    }
    if is_mc_staff(request.user) and proposal.state in (
        State.SUBMITTED,
        State.IN_TRIAGE,
    ):
        matches = similar_proposals(
            proposal.title, proposal.description, exclude_pk=proposal.pk
        )
        context["hints"] = hints_for(matches, request.user)
    return render(request, "proposals/proposal_detail.html", context)


# Where the work goes on after an action, when that is not the proposal's page: an
# accepted proposal's team forms (staff invite), a developing one meets and drafts.
THEN = {"accept": "teams:detail", "start_development": "teams:detail"}


@require_http_methods(["GET", "POST"])
@login_required
def transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    proposal = get_proposal_for_user(request, pk)
    meta = action_named(name)
    if meta is None:
        raise Http404
    if not meta.has_perm(proposal, request.user):
        raise PermissionDenied
    steps = getattr(meta, "steps", (name,))
    if request.method == "GET" and not can_proceed(getattr(proposal, steps[0])):
        _available, blocked = proposal.transition_choices(request.user)
        waiting = [problems for action, problems in blocked if action.name == name]
        if waiting:
            # Offered in this state, but something must be done first: say what.
            message = _("“%(action)s” needs this first: %(problems)s") % {
                "action": meta.custom["label"],
                "problems": " ".join(waiting[0]),
            }
        else:
            message = _(
                "“%(action)s” is not possible while the proposal is “%(state)s”."
            ) % {"action": meta.custom["label"], "state": proposal.get_state_display()}
        messages.error(request, message)
        return redirect(proposal)
    revision = newest_number(proposal) if meta.custom.get("freezes_revision") else None
    open_comments = (
        open_comments_of(proposal) if meta.custom.get("open_comments") else []
    )
    form = TransitionForm(
        request.POST or None,
        transition=meta,
        initial={"expected_state": proposal.state, "revision": revision},
        open_comments=[comment.pk for comment in open_comments],
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.perform_steps(
                proposal,
                steps,
                user=request.user,
                note=form.cleaned_data["note"],
                expected_state=form.cleaned_data["expected_state"],
                revision=form.cleaned_data["revision"],
                deadline=form.cleaned_data.get("deadline"),
                open_comments=form.confirmed_open_comments(),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except (TransitionNotAllowed, ConcurrentTransition) as error:
            refusal = services.refusal(error, name, proposal.pk)
            if note := form.cleaned_data["note"].strip():
                # Nothing typed is lost: the note comes back with the refusal.
                refusal = _("%(refusal)s Your note was: “%(note)s”") % {
                    "refusal": refusal,
                    "note": note,
                }
            messages.error(request, refusal)
            return redirect(proposal)
        else:
            messages.success(
                request,
                _("%(action)s: the proposal is now “%(state)s”.")
                % {
                    "action": meta.custom["label"],
                    "state": proposal.get_state_display(),
                },
            )
            if then := THEN.get(steps[-1]):
                return redirect(then, pk=proposal.pk)
            return redirect(proposal)
    return render(
        request,
        "proposals/confirm_transition.html",
        {
            "proposal": proposal,
            "transition": meta,
            "form": form,
            "revision": revision,
            "open_comments": open_comments,
            "sections": hooks.sections(f"confirm:{name}", proposal, request.user),
        },
    )


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = request.user.notifications.select_related("proposal", "event")
    return render(
        request,
        "proposals/notification_list.html",
        {"page": _page(request, notifications)},
    )


@require_POST
@login_required
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    request.user.notifications.unread().update(read_at=timezone.now())
    messages.success(request, _("All notifications are marked as read."))
    return redirect("proposals:notifications")

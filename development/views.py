from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import is_mc_staff, require
from development import awarding, pathway, progress, services
from development.forms import ChecklistForm, EvidenceForm
from development.models import Evidence
from proposals import freezes, meanwhile
from proposals.freezes import Action
from proposals.lookups import get_proposal_for_user
from proposals.models import Level
from proposals.policy import is_member, is_proposer


@require_http_methods(["GET", "POST"])
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in person's progress, and the evidence they add."""
    form = EvidenceForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.add_evidence(
                form, person=request.user, by=request.user, by_staff=False
            )
            messages.success(request, _("Evidence added."))
            return redirect("development:mine")
        messages.error(request, _("Please correct the fields marked below."))
    return render(
        request,
        "development/mine.html",
        {
            "progress": progress.for_person(request.user),
            "form": form,
            "badges": pathway.badges(),
        },
    )


def _people() -> list[User]:
    """Everyone on the pathway: team members and whoever has evidence."""
    return list(
        User.objects.filter(
            Q(memberships__isnull=False) | Q(development_evidence__isnull=False)
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@require_GET
@login_required
def staff(request: HttpRequest) -> HttpResponse:
    """Who is ready for which badge, with the evidence."""
    require(is_mc_staff(request.user))
    level = request.GET.get("ready", "")
    rows = progress.for_people(_people())
    if level in Level.values:
        rows = [row for row in rows if row.level(level).ready]
    return render(
        request,
        "development/staff.html",
        {
            "rows": rows,
            "levels": Level.choices,
            "chosen": level if level in Level.values else "",
            "badges": pathway.badges(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def person(request: HttpRequest, user_id: int) -> HttpResponse:
    """One person's progress for staff, who record evidence for them here."""
    require(is_mc_staff(request.user))
    person = get_object_or_404(User, pk=user_id)
    form = EvidenceForm(request.POST or None, submit=_("Record evidence"))
    if request.method == "POST":
        if form.is_valid():
            services.add_evidence(form, person=person, by=request.user, by_staff=True)
            messages.success(request, _("Evidence recorded."))
            return redirect("development:person", user_id=person.pk)
        messages.error(request, _("Please correct the fields marked below."))
    return render(
        request,
        "development/person.html",
        {"progress": progress.for_person(person), "form": form},
    )


def _may_edit_checklist(proposal, user) -> bool:
    return is_member(proposal, user) or is_proposer(proposal, user)


@require_http_methods(["GET", "POST"])
@login_required
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    """The launch checklist: the team edits it between approval and publication;
    everyone who reads the record sees it."""
    proposal = get_proposal_for_user(request, pk)
    may_edit = _may_edit_checklist(proposal, request.user)
    editable = may_edit and freezes.allows(proposal.state, Action.LAUNCH)
    form = ChecklistForm(request.POST or None, instance=services.checklist_of(proposal))
    outcome = None
    if request.method == "POST":
        require(may_edit)
        if not editable:
            messages.error(request, freezes.refusal(proposal.state, Action.LAUNCH))
            return redirect("development:launch", pk=proposal.pk)
        if form.is_valid():
            try:
                outcome = meanwhile.save(
                    form,
                    lambda f: services.save_checklist(proposal, f, by=request.user),
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("development:launch", pk=proposal.pk)
            if outcome.saved:
                messages.success(request, _("Launch checklist saved."))
                meanwhile.tell_taken(request, outcome)
                return redirect("development:launch", pk=proposal.pk)
            form = outcome.form
        else:
            messages.error(request, _("Please correct the fields marked below."))
    return render(
        request,
        "development/checklist.html",
        {
            "proposal": proposal,
            "form": form,
            "checklist": form.instance,
            "editable": editable,
            "outcome": outcome,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def award(request: HttpRequest) -> HttpResponse:
    """Staff verify the evidence of the chosen people and levels, then award them."""
    require(is_mc_staff(request.user))
    source = request.POST if request.method == "POST" else request.GET
    chosen = awarding.choices(awarding.parse(source.getlist("award")))
    if not chosen:
        messages.error(request, _("Choose at least one badge to award."))
        return redirect("development:staff")
    if request.method == "POST":
        try:
            made = awarding.award(chosen, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d badge awarded; its holder was sent a claim link.",
                    "%(count)d badges awarded; each person was sent a claim link.",
                    len(made),
                )
                % {"count": len(made)},
            )
            return redirect("development:staff")
    rows = {
        row.person.pk: row for row in progress.for_people({c.person for c in chosen})
    }
    return render(
        request,
        "development/award.html",
        {
            "chosen": [(c, rows[c.person.pk].level(c.level)) for c in chosen],
            "problems": awarding.problems(chosen),
        },
    )


@require_POST
@login_required
def remove_evidence(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """A person takes back evidence they added; staff remove any. Awards already
    made stay: they were verified when made."""
    staff = is_mc_staff(request.user)
    pieces = (
        Evidence.objects.all()
        if staff
        else Evidence.objects.filter(person=request.user, by_staff=False)
    )
    piece = get_object_or_404(pieces, pk=evidence_id)
    piece.delete()
    messages.success(request, _("Evidence removed."))
    if staff and piece.person_id != request.user.pk:
        return redirect("development:person", user_id=piece.person_id)
    return redirect("development:mine")

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import is_mc_staff, require
from proposals import freezes
from proposals.freezes import Action
from proposals.lookups import get_team_for_user
from teams import services
from teams.forms import (
    CallForm,
    DecideJoinForm,
    EmployerInputForm,
    InvitationForm,
    JoinRequestForm,
    MeetingForm,
)
from teams.models import CollaboratorCall, JoinRequest, Meeting
from teams.permissions import can_keep_record, can_manage_team


def _back(proposal) -> HttpResponse:
    return redirect("teams:detail", pk=proposal.pk)


def _error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _frozen(request: HttpRequest, proposal, action: Action) -> HttpResponse | None:
    """Back to the team page with the reason when the proposal's state freezes what
    the form would change (asked on GET: a POST is refused by the service, keeping
    what was typed)."""
    if request.method == "GET" and not freezes.allows(proposal.state, action):
        messages.error(request, freezes.refusal(proposal.state, action))
        return _back(proposal)
    return None


def _invitation_form(request, proposal, team, data=None) -> InvitationForm:
    form = InvitationForm(
        data,
        team=team,
        staff=is_mc_staff(request.user),
        lookup_url=reverse("teams:people", args=[proposal.pk]),
    )
    form.helper.form_action = reverse("teams:invite", args=[proposal.pk])
    return form


@require_GET
@login_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, team = get_team_for_user(request, pk)
    manage = can_manage_team(proposal, request.user)
    team.invitations.expire_overdue()
    context = {
        "proposal": proposal,
        "team": team,
        "members": team.memberships.for_page(),
        "meetings": team.meetings.prefetch_related("attendees__user"),
        "employer_inputs": team.employer_inputs.all(),
        "call": team.calls.filter(closed_at=None).first(),
        "can_manage": manage,
        "change_team": manage and freezes.allows(proposal.state, Action.TEAM),
        "team_frozen": freezes.refusal(proposal.state, Action.TEAM),
        "add_record": can_keep_record(proposal, request.user)
        and freezes.allows(proposal.state, Action.RECORD),
        "can_open_call": is_mc_staff(request.user)
        and freezes.allows(proposal.state, Action.CALLS),
        "team_problems": proposal.team_problems(),
        "meeting_problems": proposal.meeting_problems(),
        "has_template": proposal.revisions.exists(),
    }
    # The forms the page's buttons open in place; each posts to its own page, which
    # shows a refused one again with what was typed.
    if context["change_team"]:
        context["invite_form"] = _invitation_form(request, proposal, team)
    if context["add_record"]:
        context["meeting_form"] = MeetingForm(team=team, auto_id="meeting-%s")
        context["meeting_form"].helper.form_action = reverse(
            "teams:meeting_new", args=[proposal.pk]
        )
    if manage:
        context["invitations"] = services.invitations_for_page(
            team, staff=is_mc_staff(request.user)
        )
        context["join_requests"] = JoinRequest.objects.filter(
            call__team=team, status=JoinRequest.Status.PENDING
        ).select_related("user", "campus")
        context["decide_form"] = DecideJoinForm()
    return render(request, "teams/team_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, team = get_team_for_user(request, pk)
    # The state first: whoever may read the record learns why nobody may invite now,
    # rather than a bare refusal of their role.
    if frozen := _frozen(request, proposal, Action.TEAM):
        return frozen
    require(can_manage_team(proposal, request.user))
    form = _invitation_form(request, proposal, team, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = services.invite_several(
                team,
                by=request.user,
                invitees=data["invitees"],
                role=data["role"],
                organisation=data["organisation"],
                message=data["message"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Invitation sent to %(who)s.")
                % {"who": ", ".join(form.labels[i.email] for i in sent)},
            )
            return _back(proposal)
    return render(
        request,
        "teams/team_form.html",
        {"proposal": proposal, "form": form, "heading": _("Invite team members")},
    )


@require_GET
@login_required
def people(request: HttpRequest, pk: int) -> HttpResponse:
    """The people lookup of the invitation form: only those who may invite to this
    team ask it, and it answers a few accounts at most."""
    proposal, team = get_team_for_user(request, pk)
    require(can_manage_team(proposal, request.user))
    if not freezes.allows(proposal.state, Action.TEAM):
        # A fragment fetched as you type: the refusal in words, for a status the
        # script shows as no results (the invitation page itself explains).
        return HttpResponse(
            freezes.refusal(proposal.state, Action.TEAM),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    staff = is_mc_staff(request.user)
    found = list(
        services.people_to_invite(team, request.GET.get("q", "")[:200], staff=staff)
    )
    campuses = services.profile_campuses(
        get_user_model().objects.filter(pk__in=[person.pk for person in found])
    )
    return render(
        request,
        "teams/_people.html",
        {
            "people": [(person, campuses.get(person.pk)) for person in found],
            "show_email": staff,
            "searched": len(request.GET.get("q", "").strip())
            >= services.LOOKUP_MIN_CHARS,
        },
    )


@require_POST
@login_required
def revoke(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    proposal, team = get_team_for_user(request, pk)
    require(can_manage_team(proposal, request.user))
    invitation = get_object_or_404(team.invitations, pk=invitation_id)
    try:
        services.revoke_invitation(invitation)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request, _("The invitation is revoked; its link no longer works.")
        )
    return _back(proposal)


@require_POST
@login_required
def make_lead(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    proposal, team = get_team_for_user(request, pk)
    require(can_manage_team(proposal, request.user))
    try:
        services.make_lead(get_object_or_404(team.memberships, pk=member_id))
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("The team has a new lead."))
    return _back(proposal)


@require_POST
@login_required
def remove_member(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    proposal, team = get_team_for_user(request, pk)
    require(can_manage_team(proposal, request.user))
    try:
        services.remove_member(get_object_or_404(team.memberships, pk=member_id))
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("The member was removed from the team."))
    return _back(proposal)


@require_http_methods(["GET", "POST"])
@login_required
def open_call(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, team = get_team_for_user(request, pk)
    require(is_mc_staff(request.user))
    if frozen := _frozen(request, proposal, Action.CALLS):
        return frozen
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.open_call(
                team, by=request.user, sought=form.cleaned_data["sought"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The call is open: faculty on every campus see it.")
            )
            return _back(proposal)
    return render(
        request,
        "teams/team_form.html",
        {"proposal": proposal, "form": form, "heading": _("Seek collaborators")},
    )


@require_POST
@login_required
def close_call(request: HttpRequest, pk: int, call_id: int) -> HttpResponse:
    proposal, team = get_team_for_user(request, pk)
    require(is_mc_staff(request.user))
    services.close_call(get_object_or_404(team.calls, pk=call_id))
    messages.success(request, _("The call for collaborators is closed."))
    return _back(proposal)


@require_POST
@login_required
def decide_request(
    request: HttpRequest, pk: int, request_id: int, decision: str
) -> HttpResponse:
    proposal, team = get_team_for_user(request, pk)
    require(can_manage_team(proposal, request.user))
    if decision not in ("accept", "refuse"):
        raise Http404
    join = get_object_or_404(JoinRequest, pk=request_id, call__team=team)
    form = DecideJoinForm(request.POST)
    role = (
        form.cleaned_data["role"]
        if form.is_valid()
        else DecideJoinForm.base_fields["role"].initial
    )
    try:
        services.decide_join_request(
            join, by=request.user, accept=decision == "accept", role=role
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("The request is answered and the person is told."))
    return _back(proposal)


@require_http_methods(["GET", "POST"])
@login_required
def meeting_form(
    request: HttpRequest, pk: int, meeting_id: int | None = None
) -> HttpResponse:
    proposal, team = get_team_for_user(request, pk)
    require(can_keep_record(proposal, request.user))
    if frozen := _frozen(request, proposal, Action.RECORD):
        return frozen
    meeting = (
        get_object_or_404(team.meetings, pk=meeting_id)
        if meeting_id
        else Meeting(team=team)
    )
    form = MeetingForm(request.POST or None, instance=meeting, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_meeting(form, team, request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is in the team's record."))
            return _back(proposal)
    heading = _("Edit meeting") if meeting_id else _("Log a meeting")
    return render(
        request,
        "teams/team_form.html",
        {"proposal": proposal, "form": form, "heading": heading},
    )


@require_http_methods(["GET", "POST"])
@login_required
def employer_input_form(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, team = get_team_for_user(request, pk)
    require(can_keep_record(proposal, request.user))
    if frozen := _frozen(request, proposal, Action.RECORD):
        return frozen
    form = EmployerInputForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_employer_input(form, team, request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The employer input is recorded."))
            return _back(proposal)
    return render(
        request,
        "teams/team_form.html",
        {"proposal": proposal, "form": form, "heading": _("Record employer input")},
    )


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = services.find_invitation(token)
    if found is None:
        raise Http404
    if not request.user.is_authenticated:
        return render(
            request,
            "teams/invitation.html",
            {"invitation": found, "next": request.path},
        )
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "accept":
                services.accept_invitation(found, request.user)
                messages.success(request, _("Welcome to the team!"))
                return redirect("teams:detail", pk=found.team.proposal_id)
            services.decline_invitation(found, request.user)
            messages.info(request, _("You declined the invitation; the team is told."))
            return redirect("dashboard")
        except ValidationError as error:
            _error(request, error)
            found.refresh_from_db()
    return render(request, "teams/invitation.html", {"invitation": found})


@require_http_methods(["GET", "POST"])
@login_required
def join_call(request: HttpRequest, call_id: int) -> HttpResponse:
    call = get_object_or_404(
        CollaboratorCall.objects.select_related("team__proposal__campus"),
        pk=call_id,
        closed_at=None,
        team__proposal__state__in=freezes.states_allowing(Action.CALLS),
    )
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_to_join(call, request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your request is sent; the team lead and staff decide.")
            )
            return redirect("dashboard")
    return render(
        request,
        "teams/join_call.html",
        {"call": call, "form": form, "join_url": reverse("teams:join", args=[call.pk])},
    )

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import dateformat
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from accounts.permissions import is_chair, is_committee_member, is_mc_staff, require
from approvals import services
from approvals.forms import (
    CloseForm,
    ExtendForm,
    RecuseForm,
    RoundCommentForm,
    VoteForm,
)
from approvals.models import VotingRound
from proposals.models import Proposal, State
from proposals.policy import can_see_tally, can_see_votes


def _committee_or_staff(request: HttpRequest) -> None:
    require(is_committee_member(request.user) or is_mc_staff(request.user))


def _round_for(request: HttpRequest, round_id: int) -> VotingRound:
    """A round of a proposal the user may see (else 404), for committee or staff."""
    round_ = get_object_or_404(
        VotingRound.objects.select_related("proposal__campus", "draft__revision"),
        pk=round_id,
    )
    if (
        not Proposal.objects.visible_to(request.user)
        .filter(pk=round_.proposal_id)
        .exists()
    ):
        raise Http404
    _committee_or_staff(request)
    return round_


@require_GET
@login_required
def agenda(request: HttpRequest) -> HttpResponse:
    _committee_or_staff(request)
    items = services.agenda_for(request.user)
    return render(request, "approvals/agenda.html", {"items": items})


def _tally_context(round_: VotingRound, tally=None) -> dict:
    """The round, its proposal, the count and the outcome it calls for, in words."""
    tally = tally or services.round_tally(round_)
    return {
        "round": round_,
        "proposal": round_.proposal,
        "tally": tally,
        "outcome_label": VotingRound.Outcome(tally.outcome).label
        if tally.outcome
        else "",
    }


@require_GET
@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    return _round_page(request, _round_for(request, round_id))


def _round_page(
    request: HttpRequest, round_: VotingRound, refused=None
) -> HttpResponse:
    """The round page; `refused` is a form that was posted and not accepted, shown
    again in place of its blank one so that nothing typed is lost."""
    user = request.user
    eligible = services.eligible_ids(round_) if round_.is_open else set()
    sees_votes = can_see_votes(round_, user)
    own = round_.votes.filter(voter=user).first()
    context = {
        **_tally_context(round_),
        "quorum_percent": settings.COMMITTEE_QUORUM_PERCENT,
        "sees_votes": sees_votes,
        "votes": round_.votes.select_related("voter") if sees_votes else (),
        "changes": round_.changes.select_related("voter") if sees_votes else (),
        "recusals": round_.recusals.select_related("member"),
        "comments": round_.comments.select_related("author"),
        "own_vote": own,
        "may_vote": round_.is_open and user.pk in eligible,
        "why_no_vote": services.why_no_vote(round_, user)
        if round_.is_open and user.pk not in eligible
        else "",
        "sees_tally": can_see_tally(round_, user),
        "not_voted": services.not_voted(round_)
        if round_.is_open and (is_chair(user) or is_mc_staff(user))
        else None,
        "may_recuse": round_.is_open and is_committee_member(user),
        "may_close": round_.is_open and is_chair(user),
        "may_extend": round_.is_open and (is_chair(user) or is_mc_staff(user)),
        "vote_form": VoteForm(
            initial={"choice": own.choice, "comment": own.comment} if own else None
        ),
        "recuse_form": RecuseForm(),
        "comment_form": RoundCommentForm(),
        "extend_form": ExtendForm(
            initial={
                "deadline": services.extended(round_),
                "meeting_on": round_.meeting_on,
            }
        ),
    }
    if refused is not None:
        action, form = refused
        context[f"{action}_form"] = form
    return render(request, "approvals/round_detail.html", context)


# The round page's forms, by the action each posts to.
ROUND_FORMS = {
    "vote": VoteForm,
    "recuse": RecuseForm,
    "comment": RoundCommentForm,
    "extend": ExtendForm,
}


def _act(request: HttpRequest, round_: VotingRound, action: str) -> str:
    """Run one round action from the posted form; return the success message."""
    if action not in ROUND_FORMS:
        raise Http404
    user = request.user
    allowed = {
        "vote": is_committee_member(user),
        "recuse": is_committee_member(user),
        "comment": is_committee_member(user),
        "extend": is_chair(user) or is_mc_staff(user),
    }
    require(allowed[action])
    form = ROUND_FORMS[action](request.POST)
    if not form.is_valid():
        raise ValidationError([e for errors in form.errors.values() for e in errors])
    data = form.cleaned_data
    if action == "vote":
        services.cast_vote(round_, user, data["choice"], data["comment"])
        return _("Your vote is recorded; you can change it until the round closes.")
    if action == "recuse":
        services.recuse(round_, user, data["reason"])
        return _("You are recused from this round.")
    if action == "comment":
        services.add_round_comment(round_, user, data["body"])
        return _("Comment posted.")
    if action == "extend":
        services.extend_round(
            round_, deadline=data["deadline"], meeting_on=data["meeting_on"]
        )
        return _("The round is extended: members may vote until %(date)s.") % {
            "date": dateformat.format(data["deadline"], "M j, Y")
        }


@require_POST
@login_required
def round_action(request: HttpRequest, round_id: int, action: str) -> HttpResponse:
    round_ = _round_for(request, round_id)
    try:
        message = _act(request, round_, action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if round_.is_open:
            posted = ROUND_FORMS[action](request.POST)
            posted.is_valid()
            return _round_page(request, round_, (action, posted))
    except (TransitionNotAllowed, ConcurrentTransition) as error:
        messages.error(request, services.refusal(error, str(error), round_.proposal_id))
    else:
        messages.success(request, message)
        # A vote cast from the dashboard's list returns there, to the next item.
        back = request.POST.get("next", "")
        if action == "vote" and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(back)
    return redirect("committee:round", round_id=round_.pk)


# The decision a close records, as a sentence about the proposal.
DECIDED = {
    VotingRound.Outcome.APPROVE.value: _lazy("The committee approved “%(title)s”."),
    VotingRound.Outcome.REJECT.value: _lazy("The committee rejected “%(title)s”."),
    VotingRound.Outcome.RETURN.value: _lazy(
        "The committee returned “%(title)s” to the team for revision."
    ),
}
TARGETS = {
    VotingRound.Outcome.APPROVE.value: State.APPROVED,
    VotingRound.Outcome.REJECT.value: State.REJECTED,
    VotingRound.Outcome.RETURN.value: State.DRAFTING,
}


@require_http_methods(["GET", "POST"])
@login_required
def close_round(request: HttpRequest, round_id: int) -> HttpResponse:
    """The chair's confirmation: the tally, quorum and the decision the close will
    record, with the committee's comments; posting it closes the round."""
    round_ = _round_for(request, round_id)
    require(is_chair(request.user))
    if not round_.is_open:
        messages.info(request, services.closed_message(round_))
        return redirect("committee:round", round_id=round_.pk)
    tally = services.round_tally(round_)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.close_round(
                round_, request.user, form.cleaned_data["note"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error("note", error.message_dict.get("note", error.messages))
            else:
                form.add_error(None, error)
        except (TransitionNotAllowed, ConcurrentTransition) as error:
            messages.error(
                request,
                services.refusal(error, tally.outcome or "", round_.proposal_id),
            )
            return redirect("committee:round", round_id=round_.pk)
        else:
            messages.success(
                request, DECIDED[entry.transition] % {"title": round_.proposal.title}
            )
            return redirect("committee:round", round_id=round_.pk)
    context = {
        **_tally_context(round_, tally),
        "target": TARGETS.get(tally.outcome),
        "form": form,
    }
    return render(request, "approvals/confirm_close.html", context)

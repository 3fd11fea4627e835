from datetime import date, timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.text import single_line
from proposals import meanwhile
from proposals.models import CredentialType, Level, Proposal, State


class InterestForm(forms.ModelForm):
    """The micro-credential interest form (seed 001), a proposer's first step."""

    intended_levels = forms.MultipleChoiceField(
        label=_("Intended levels"),
        choices=Level.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "A UMS pathway has all three levels and the macro-badge. For a stand-alone "
            "badge, tick the level or levels it would sit at."
        ),
    )

    class Meta:
        model = Proposal
        fields = [
            "proposer_name",
            "proposer_email",
            "proposer_phone",
            "campus",
            "department",
            "title",
            "credential_type",
            "pathway_type",
            "intended_levels",
            "description",
            "target_audience",
            "employer_partners",
            "related_programs",
            "unique_to_campus",
            "uniqueness_reason",
            "seeking_collaborators",
            "target_start",
            "additional_info",
        ]
        widgets = {
            "credential_type": forms.RadioSelect,
            "pathway_type": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5}),
            "target_audience": forms.Textarea(attrs={"rows": 3}),
            "employer_partners": forms.Textarea(attrs={"rows": 3}),
            "related_programs": forms.Textarea(attrs={"rows": 2}),
            "uniqueness_reason": forms.Textarea(attrs={"rows": 2}),
            "additional_info": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": _("A working title; the development team can refine it."),
            "pathway_type": _(
                "Workforce development pathways build skills employers seek; lifelong "
                "learning pathways offer professional development and continuing "
                "education."
            ),
            "description": _(
                "What learners will be able to do, and why it matters. Similar "
                "proposals from every campus are listed as you type."
            ),
            "target_audience": _("Who would earn it: students, employees, the public…"),
            "employer_partners": _(
                "Employers or industry groups already involved or worth asking, and "
                "what they said."
            ),
            "related_programs": _(
                "Existing courses, programs or trainings this would build on, e.g. "
                "WDB-011: Blueprint Reading."
            ),
            "unique_to_campus": _(
                "Tick if the idea only makes sense at one campus; the office otherwise "
                "looks for collaborators system-wide."
            ),
            "seeking_collaborators": _(
                "The office and the Steering Committee help find team members across "
                "the system."
            ),
            "target_start": _("e.g. Fall 2027"),
        }

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campus"].queryset = self.fields["campus"].queryset.active()
        self.fields["campus"].empty_label = _("Choose your campus")
        if editing:
            self.fields["description"].widget.attrs["data-similar-exclude"] = str(
                self.instance.pk
            )
        self.fields["pathway_type"].choices = self.fields["pathway_type"].choices[1:]
        self.fields["title"].widget.attrs["data-similar-title"] = ""
        self.fields["description"].widget.attrs["data-similar-description"] = ""
        self.helper = FormHelper()
        self.helper.form_id = "interest-form"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Fieldset(
                _("About you"),
                Div(
                    Div("proposer_name", css_class="col-md-6"),
                    Div("proposer_email", css_class="col-md-6"),
                    css_class="row",
                ),
                Div(
                    Div("campus", css_class="col-md-6"),
                    Div("department", css_class="col-md-6"),
                    css_class="row",
                ),
                "proposer_phone",
            ),
            Fieldset(
                _("Your idea"),
                "title",
                "credential_type",
                "pathway_type",
                "intended_levels",
                "description",
                HTML('{% include "proposals/_similar_container.html" %}'),
                "target_audience",
            ),
            Fieldset(
                _("Partners and collaboration"),
                "employer_partners",
                "related_programs",
                "seeking_collaborators",
                "unique_to_campus",
                "uniqueness_reason",
            ),
            Fieldset(_("Anything else"), "target_start", "additional_info"),
            Submit(
                "submit",
                _("Save changes") if editing else _("Submit interest form"),
                css_class="btn-lg",
            ),
        )
        if editing:
            meanwhile.carry(self)

    def for_record(self, instance: Proposal, data=None) -> "InterestForm":
        """The edit form of `instance`, bound to `data` if given."""
        return InterestForm(data, instance=instance, editing=True)

    def clean_title(self) -> str:
        return single_line(self.cleaned_data["title"])

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("credential_type")
        levels = cleaned.get("intended_levels") or []
        if kind == CredentialType.PATHWAY:
            # A UMS pathway is, by the framework, all three levels and the macro-badge.
            cleaned["intended_levels"] = list(Level.values)
        elif kind == CredentialType.STANDALONE:
            if Level.MACRO in levels:
                self.add_error(
                    "intended_levels",
                    _(
                        "A macro-badge stacks Levels 1–3: choose a UMS pathway, or "
                        "untick the macro-badge."
                    ),
                )
            elif not levels:
                self.add_error(
                    "intended_levels", _("Tick at least one level for the badge.")
                )
            else:
                cleaned["intended_levels"] = [v for v in Level.values if v in levels]
        if (
            cleaned.get("unique_to_campus")
            and not cleaned.get("uniqueness_reason", "").strip()
        ):
            self.add_error(
                "uniqueness_reason",
                _("Say why the idea is unique to your campus."),
            )
        return cleaned


# A deadline further away is a typo, not a plan (the round page can extend it).
MAX_VOTING_DAYS = 180


class TransitionForm(forms.Form):
    """Confirm one workflow action, with the note the people concerned will read."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    expected_state = forms.ChoiceField(choices=State.choices, widget=forms.HiddenInput)
    # The template revision shown, for an action that freezes it (submitting).
    revision = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )

    def __init__(
        self, *args, transition, open_comments: list[int] | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["revision"].required = bool(
            transition.custom.get("freezes_revision")
        )
        if transition.custom.get("sets_deadline"):
            today = timezone.localdate()
            self.fields["deadline"] = forms.DateField(
                label=_("Voting deadline"),
                # Empty: the default the service sets (COMMITTEE_VOTING_DAYS away).
                required=False,
                initial=today + timedelta(days=settings.COMMITTEE_VOTING_DAYS),
                widget=forms.DateInput(
                    attrs={
                        "type": "date",
                        "min": (today + timedelta(days=1)).isoformat(),
                        "max": (today + timedelta(days=MAX_VOTING_DAYS)).isoformat(),
                    }
                ),
                help_text=_(
                    "The committee votes until the end of this day; members are "
                    "reminded two days before."
                ),
            )
        # The review comments open now (ids), for an action that needs them confirmed.
        self.confirms = transition.custom.get("open_comments") == "confirm"
        self.open_comments = sorted(open_comments or [])
        if self.confirms and self.open_comments:
            n = len(self.open_comments)
            self.fields["confirm_open"] = forms.BooleanField(
                label=ngettext(
                    "Forward with %(n)d open comment",
                    "Forward with %(n)d open comments",
                    n,
                )
                % {"n": n},
                error_messages={
                    "required": _(
                        "Confirm that the committee gets the draft with the open "
                        "comments listed above, or request revisions instead."
                    )
                },
            )
            # The comments the page named, so that a comment added meanwhile is
            # confirmed too.
            self.fields["open_seen"] = forms.CharField(
                widget=forms.HiddenInput,
                required=False,
                max_length=2_000,
                initial=_ids(self.open_comments),
            )
        required = bool(transition.custom.get("note_required"))
        self.fields["note"].required = required
        if required:
            self.fields["note"].label = _("Reason or comments")
        else:
            self.fields["note"].help_text = _(
                "Optional; shown in the timeline and to the people notified."
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self) -> dict:
        cleaned = super().clean()
        # The hidden state the page was shown in; an error on it cannot show there.
        stale = [name for name in ("expected_state", "revision") if name in self.errors]
        for name in stale:
            del self.errors[name]
        if stale:
            self.add_error(
                None, _("This page is out of date: reload it and try again.")
            )
        if "open_seen" in self.fields and cleaned.get("open_seen") != _ids(
            self.open_comments
        ):
            # The page shown again names the comments open now.
            # The page shown again asks anew: the box is not ticked for them.
            self.data = self.data.copy()
            self.data[self.add_prefix("open_seen")] = _ids(self.open_comments)
            self.data.pop(self.add_prefix("confirm_open"), None)
            self.add_error(
                "confirm_open",
                _(
                    "The open comments changed since you opened this page: read "
                    "them again and confirm."
                ),
            )
        return cleaned

    def confirmed_open_comments(self) -> list[int] | None:
        """The open comments confirmed (none when none were open), for an action
        that needs them confirmed; None for any other."""
        return self.open_comments if self.confirms else None

    def clean_deadline(self) -> date | None:
        return check_voting_deadline(self.cleaned_data["deadline"])


def check_voting_deadline(deadline: date | None) -> date | None:
    """A voting deadline as forwarding sets it and extending moves it: from
    tomorrow to MAX_VOTING_DAYS away."""
    today = timezone.localdate()
    if deadline is None:
        return None
    if deadline <= today:
        raise forms.ValidationError(_("Give the committee at least until tomorrow."))
    if deadline > today + timedelta(days=MAX_VOTING_DAYS):
        raise forms.ValidationError(
            _("Set a deadline within %(n)d days; it can be moved later.")
            % {"n": MAX_VOTING_DAYS}
        )
    return deadline


def confirmation_forms(
    proposal, actions, revision: int | None, open_comments: list | None = None
) -> list[dict]:
    """Each action with its confirmation form, for a page that offers the
    confirmation in place (its ids prefixed with the action's name, so several fit on
    one page); `revision` is the newest template revision, which an action that
    freezes it submits; `open_comments` the review comments open now, which the
    actions that name them list (and forwarding asks to confirm)."""
    items = []
    for action in actions:
        frozen = revision if action.custom.get("freezes_revision") else None
        named = list(open_comments or []) if action.custom.get("open_comments") else []
        form = TransitionForm(
            transition=action,
            auto_id=f"{action.name}-%s",
            initial={"expected_state": proposal.state, "revision": frozen},
            open_comments=[comment.pk for comment in named],
        )
        items.append(
            {
                "transition": action,
                "form": form,
                "revision": frozen,
                "open_comments": named,
            }
        )
    return items


def _ids(ids: list[int]) -> str:
    return ",".join(str(i) for i in ids)


ALL_STATES = "all"


class QueueFilterForm(forms.Form):
    """Filters of the staff queue; every field is optional."""

    q = forms.CharField(label=_("Title contains"), required=False, max_length=200)
    # Empty (the default) is what waits on the office; "all" is every proposal.
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("Needs action")),
            (ALL_STATES, _("Any state")),
            *State.choices,
        ],
    )
    campus = forms.ModelChoiceField(
        label=_("Campus"),
        required=False,
        # Campuses are teams' data, above proposals: reached through the proposal's key.
        queryset=Proposal.campus.field.related_model.objects.all(),
        empty_label=_("Any campus"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row g-2 align-items-end"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Div("q", css_class="col-md-5"),
            Div("state", css_class="col-md-3"),
            Div("campus", css_class="col-md-3"),
            Div(
                Submit("filter", _("Filter"), css_class="w-100 mb-3"),
                css_class="col-md-1",
            ),
        )

    def apply(self, proposals):
        """The proposals narrowed by whichever filters are valid."""
        if not self.is_valid():
            return proposals
        data = self.cleaned_data
        if data["q"]:
            proposals = proposals.search(data["q"])
        if not data["state"]:
            proposals = proposals.needing_staff_action()
        elif data["state"] != ALL_STATES:
            proposals = proposals.filter(state=data["state"])
        if data["campus"]:
            proposals = proposals.filter(campus=data["campus"])
        return proposals

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from awards import hooks
from awards.forms import AwardForm
from courses.coverage import criteria_of
from courses.models import CourseMapping, MappingComment, Method, State, Training
from credentials.models import CatalogBadge
from metadata_templates.forms import AnchoredCommentForm
from proposals import meanwhile
from proposals.forms import TransitionForm
from teams.models import Campus

ROW_FIELDS = ("assignment", "method", "how", "threshold")


class BadgeLabel:
    def label_from_instance(self, badge: CatalogBadge) -> str:
        return f"{badge.name} ({badge.category})" if badge.category else badge.name


class BadgeChoice(BadgeLabel, forms.ModelMultipleChoiceField):
    pass


class OneBadge(BadgeLabel, forms.ModelChoiceField):
    pass


class MappingForm(forms.ModelForm):
    """The course or program, the badges it awards, and for each criterion of each
    badge the assignment that assesses it. Rows may be left empty while drafting:
    the coverage check beside the form names the gaps, and submitting needs none."""

    badges = BadgeChoice(
        label=_("Badges your course awards"),
        queryset=CatalogBadge.objects.listed().order_by("category", "name", "pk"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Published badges only (development pathway badges are awarded from the "
            "pathway's page). Choose, then save: the assignments table below lists "
            "each badge's criteria."
        ),
    )
    ask_training = forms.BooleanField(
        label=_("I would like the quick mapping training"), required=False
    )

    class Meta:
        model = CourseMapping
        fields = [
            "kind",
            "course_code",
            "course_title",
            "campus",
            "starts",
            "delivery",
            "learners_per_year",
            "badges",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campus"].queryset = Campus.objects.active()
        badges = self.fields["badges"]
        badges.queryset = hooks.without_own_path(badges.queryset)
        self.fields["learners_per_year"].widget.attrs["max"] = 100_000
        if self.instance.pk:
            self.fields["ask_training"].initial = (
                self.instance.training != Training.NONE
            )
            if self.instance.training not in (Training.NONE, Training.REQUESTED):
                self.fields["ask_training"].disabled = True
        self.sections = self._criteria_sections()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Course or co-curricular program"),
                Row(Column("kind", css_class="col-md-4"), Column("course_code")),
                "course_title",
                Row(Column("campus"), Column("starts")),
                Row(Column("delivery"), Column("learners_per_year")),
            ),
            Fieldset(_("Badges"), "badges", "ask_training"),
        )
        if self.instance.pk:
            meanwhile.carry(self)

    def for_record(self, instance: CourseMapping, data=None) -> MappingForm:
        """The form of `instance`, bound to `data` if given."""
        return MappingForm(data, instance=instance)

    def chosen_badges(self) -> list[CatalogBadge]:
        """The badges posted (those that are published), or the saved ones: a
        post that chose none keeps the saved badges' rows and what was typed in
        them on the page."""
        ids = []
        if self.is_bound:
            ids = [v for v in self.data.getlist("badges") if str(v).isdigit()]
        if ids:
            queryset = self.fields["badges"].queryset.filter(pk__in=ids[:20])
        elif self.instance.pk:
            queryset = self.instance.badges.all()
        else:
            return []
        return list(queryset.select_related("revision").order_by("name", "pk"))

    def _criteria_sections(self) -> list[dict]:
        saved = {}
        if self.instance.pk:
            saved = {
                (row.badge_id, row.criterion): row
                for row in self.instance.assessments.all()
            }
        sections = []
        for badge in self.chosen_badges():
            items = []
            for criterion in criteria_of(badge):
                prefix = f"a-{badge.pk}-{criterion.key}"
                row = saved.get((badge.pk, criterion.key))
                self.fields[f"{prefix}-assignment"] = forms.CharField(
                    label=_("Assignment or activity"), max_length=200, required=False
                )
                self.fields[f"{prefix}-method"] = forms.ChoiceField(
                    label=_("Assessed by"),
                    choices=[("", "—"), *Method.choices],
                    required=False,
                )
                self.fields[f"{prefix}-how"] = forms.CharField(
                    label=_("The rubric or the evidence"),
                    max_length=2_000,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
                self.fields[f"{prefix}-threshold"] = forms.CharField(
                    label=_("Passing threshold"),
                    max_length=200,
                    required=False,
                    help_text=_("For example: 80 % on the rubric."),
                )
                if row is not None:
                    for name in ROW_FIELDS:
                        self.initial[f"{prefix}-{name}"] = getattr(row, name)
                items.append(
                    {
                        "criterion": criterion,
                        "anchor": f"crit-{badge.pk}-{criterion.key}",
                        "key": (str(badge.pk), criterion.key),
                        "fields": [self[f"{prefix}-{name}"] for name in ROW_FIELDS],
                    }
                )
            sections.append({"badge": badge, "items": items})
        return sections

    def rows(self) -> dict:
        """{(badge id, criterion key): {assignment, method, how, threshold}} as
        posted (valid or not, for the coverage check) or as saved."""
        found = {}
        for section in self.sections:
            for item in section["items"]:
                prefix = f"a-{section['badge'].pk}-{item['criterion'].key}"
                found[(section["badge"].pk, item["criterion"].key)] = {
                    name: str(self[f"{prefix}-{name}"].value() or "").strip()
                    for name in ROW_FIELDS
                }
        return found

    def save_training_choice(self) -> None:
        """Asking for training records the request; unticking withdraws one that
        is not scheduled yet."""
        asked = self.cleaned_data.get("ask_training")
        if asked and self.instance.training == Training.NONE:
            self.instance.training = Training.REQUESTED
        elif not asked and self.instance.training == Training.REQUESTED:
            self.instance.training = Training.NONE


class MappingCommentForm(AnchoredCommentForm, forms.ModelForm):
    """A staff comment on a criterion of a badge, or on the course details."""

    class Meta(AnchoredCommentForm.Meta):
        model = MappingComment

    def __init__(self, *args, anchors: set[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.anchors = anchors | {("", "course")}

    def knows(self, badge: str, field: str) -> bool:
        return (badge, field) in self.anchors


class MappingTransitionForm(TransitionForm):
    """Confirm one step of a mapping, with the note the instructor or office reads."""

    expected_state = forms.ChoiceField(choices=State.choices, widget=forms.HiddenInput)


class TrainingForm(forms.Form):
    """Where a training request stands, with its date."""

    status = forms.ChoiceField(
        label=_("Training"),
        choices=[
            (Training.REQUESTED, Training.REQUESTED.label),
            (Training.SCHEDULED, Training.SCHEDULED.label),
            (Training.DONE, Training.DONE.label),
        ],
    )
    on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("status") in (Training.SCHEDULED, Training.DONE) and not (
            cleaned.get("on")
        ):
            self.add_error("on", _("Give the date."))
        return cleaned


class LearnerAwardForm(AwardForm):
    """The award form, for one of the badges an approved mapping maps."""

    badge = OneBadge(
        label=_("Badge"), queryset=CatalogBadge.objects.none(), empty_label=None
    )

    def __init__(self, *args, mapping: CourseMapping, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["badge"].queryset = mapping.badges.listed().order_by("name", "pk")
        self.order_fields(["badge"])

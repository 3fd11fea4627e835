from __future__ import annotations

from functools import partial

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from development.models import PASSING_SCORE, Evidence, Item, LaunchChecklist
from proposals import meanwhile


class ChecklistForm(forms.ModelForm):
    """The launch checklist; a page older than the record merges with it."""

    class Meta:
        model = LaunchChecklist
        fields = [
            "issuing_option",
            "communication_plan",
            "infographic",
            "infographic_link",
            "website",
            "website_link",
        ]
        field_classes = {
            "infographic_link": partial(forms.URLField, assume_scheme="https"),
            "website_link": partial(forms.URLField, assume_scheme="https"),
        }
        widgets = {
            "communication_plan": forms.Textarea(attrs={"rows": 4}),
            "infographic": forms.Textarea(attrs={"rows": 3}),
            "website": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self.Meta.fields)
        meanwhile.carry(self)

    def for_record(self, instance: LaunchChecklist, data=None) -> ChecklistForm:
        return ChecklistForm(data, instance=instance)


class EvidenceForm(forms.ModelForm):
    """A piece of evidence: a description, a link, or both; a quiz needs its score."""

    class Meta:
        model = Evidence
        fields = ["item", "score", "text", "link"]
        field_classes = {"link": partial(forms.URLField, assume_scheme="https")}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "score": _("For the Level 1 quiz: %(n)s %% or higher passes.")
            % {"n": PASSING_SCORE},
            "link": _("Where the work can be seen, e.g. a shared document."),
        }

    def __init__(self, *args, submit: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["score"].widget.attrs.update(min=0, max=100)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(*self.Meta.fields)
        self.helper.add_input(Submit("save", submit or _("Add evidence")))

    def clean_score(self) -> int | None:
        score = self.cleaned_data.get("score")
        if score is not None and score > 100:
            raise forms.ValidationError(_("A score is a percentage: 0 to 100."))
        return score

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("text", "").strip() or data.get("link")):
            raise forms.ValidationError(
                _("Describe the evidence, give a link to it, or both.")
            )
        if data.get("item") == Item.LEVEL1_QUIZ and data.get("score") is None:
            self.add_error("score", _("Give the quiz score."))
        if data.get("item") != Item.LEVEL1_QUIZ and data.get("score") is not None:
            self.add_error("score", _("Only the Level 1 quiz has a score."))
        return data

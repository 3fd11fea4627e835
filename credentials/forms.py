from django import forms
from django.utils.translation import gettext_lazy as _


class CatalogFilterForm(forms.Form):
    """The catalog's search and filters; unknown values are reported, not obeyed."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    category = forms.ChoiceField(label=_("Category"), required=False)
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[
            ("", _("All levels")),
            ("1", _("Level 1 – Foundational")),
            ("2", _("Level 2 – Intermediate")),
            ("3", _("Level 3 – Advanced")),
            ("macro", _("Macro – Mastery")),
        ],
    )
    issuer = forms.ChoiceField(label=_("Issuer"), required=False)
    offered = forms.ChoiceField(label=_("Earn it in a course at"), required=False)

    def __init__(self, *args, categories=(), issuers=(), places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offered"].choices = [("", _("Any campus")), *places]
        self.fields["category"].choices = [("", _("All categories"))] + [
            (c, c) for c in categories
        ]
        self.fields["issuer"].choices = [("", _("All issuers"))] + [
            (i.slug, i.name) for i in issuers
        ]

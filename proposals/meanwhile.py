"""Saving a flat form from a page older than the record it edits.

The page carries, in a hidden field, a digest of each value it showed. A save checks
them against the stored record under its row lock: if someone saved in between, the
two saves are merged field by field (proposals.threeway): a field changed on one
side takes that side, and a field both changed differently is a conflict, shown with
their version while the form keeps the user's, and nothing is saved until the user
saves again. Digests, not values, keep the hidden field small: the merge only asks
whether two values are equal."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.forms.widgets import CheckboxInput
from django.utils.translation import gettext as _

from proposals.threeway import merge_fields

FIELD = "based_on"


class EditedMeanwhile(Exception):
    """The record changed since the page was loaded; `data` is the form's post
    with the other side's changes merged in, based on the stored record."""

    def __init__(self, stored, data, taken: list[str], conflicts: list[dict]) -> None:
        super().__init__("edited meanwhile")
        self.stored = stored
        self.data = data
        self.taken = taken
        self.conflicts = conflicts


@dataclass
class Outcome:
    """What became of a save: `saved` is the service's result when it saved, and
    `form` the form to show again when it did not."""

    form: forms.BaseForm
    saved: bool = False
    result: object = None
    taken: list[str] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)


class _BasisField(forms.CharField):
    """What the page showed: never itself a change to the record."""

    def has_changed(self, initial, data) -> bool:
        return False


def carry(form: forms.BaseForm) -> None:
    """Give a form of a saved record the hidden field that says what its page showed
    (call at the end of __init__, after the crispy layout exists)."""
    form.fields[FIELD] = _BasisField(
        widget=forms.HiddenInput, required=False, max_length=100_000
    )
    # A record not saved yet shows its initial values: a save of it meanwhile must
    # merge with them too.
    if not form.is_bound:
        form.fields[FIELD].initial = json.dumps(_digests(_shown(form)))
    form.helper.layout.append(FIELD)


def _canonical(value) -> str:
    if isinstance(value, list | tuple | set):
        return json.dumps(sorted(str(v) for v in value))
    return "" if value is None else str(value)


def _digest(value) -> str:
    return hashlib.sha256(_canonical(value).encode()).hexdigest()[:16]


def _digests(values: dict) -> dict:
    return {name: _digest(value) for name, value in values.items()}


def _shown(form: forms.BaseForm) -> dict:
    """What an unbound form shows, field by field, as the form field sees it."""
    return {name: form[name].value() for name in form.fields if name != FIELD}


def _typed(form: forms.BaseForm) -> dict:
    """What a valid bound form holds, in the same terms as _shown."""
    return {
        name: form.fields[name].prepare_value(form.cleaned_data.get(name))
        for name in form.fields
        if name != FIELD
    }


def _basis(form: forms.BaseForm) -> dict | None:
    try:
        basis = json.loads(form.data.get(FIELD) or "null")
    except ValueError:
        return None
    return basis if isinstance(basis, dict) else None


def _put(data, form: forms.BaseForm, name: str, value) -> None:
    """Write `value` into the post as the browser would have sent it."""
    data.pop(name, None)
    if isinstance(value, list | tuple):
        data.setlist(name, [str(v) for v in value])
    elif isinstance(form.fields[name].widget, CheckboxInput):
        if value:
            data[name] = "on"
    else:
        data[name] = _canonical(value)


def _label(form: forms.BaseForm, name: str) -> str:
    """A field's label as the page shows it."""
    return str(form.fields[name].label or name) if name in form.fields else name


def _display(form: forms.BaseForm, name: str, value) -> str:
    if name not in form.fields:
        return _("(removed)")
    choices = getattr(form.fields[name], "choices", None)
    values = value if isinstance(value, list | tuple) else [value]
    if choices is not None:
        labels = {str(key): label for key, label in choices}
        values = [labels.get(str(v), v) for v in values]
    if isinstance(form.fields[name].widget, CheckboxInput):
        values = [_("yes") if value else _("no")]
    return ", ".join(str(v) for v in values if v not in (None, "")) or _("(empty)")


def check(form: forms.BaseForm, stored) -> None:
    """Raise EditedMeanwhile when `stored` (read under its row lock) no longer is
    what the valid bound `form`'s page showed. A post without the hidden field (a
    page from before it existed) saves as it always did."""
    basis = _basis(form)
    current = form.for_record(stored)
    theirs = _shown(current)
    theirs_digests = _digests(theirs)
    if basis is None or basis == theirs_digests:
        return
    mine = _typed(form)
    taken_names, conflict_names = merge_fields(basis, theirs_digests, _digests(mine))
    data = form.data.copy()
    for name in taken_names:
        _put(data, current, name, theirs.get(name))
    data[FIELD] = json.dumps(theirs_digests)
    taken = list(dict.fromkeys(_label(current, name) for name in taken_names))
    conflicts = [
        {
            "label": _label(form, name),
            "theirs": _display(current, name, theirs.get(name)),
        }
        for name in conflict_names
    ]
    raise EditedMeanwhile(stored, data, taken, conflicts)


def tell_taken(request, outcome: Outcome) -> None:
    """Say which changes saved meanwhile by someone else the save kept."""
    if outcome.taken:
        messages.info(
            request,
            _("Changes saved meanwhile by someone else were kept: %(fields)s.")
            % {"fields": ", ".join(outcome.taken)},
        )


def save(form: forms.BaseForm, save_form) -> Outcome:
    """Save a valid bound form with `save_form(form)` (a service that calls `check`
    under its lock), merging in what was saved meanwhile when it can."""
    try:
        return Outcome(form, saved=True, result=save_form(form))
    except EditedMeanwhile as meanwhile:
        merged = form.for_record(meanwhile.stored, meanwhile.data)
        outcome = Outcome(merged, taken=meanwhile.taken, conflicts=meanwhile.conflicts)
    if outcome.conflicts or not merged.is_valid():
        return outcome
    try:
        outcome.result = save_form(merged)
    except EditedMeanwhile as again:
        # A third save landed between the two: show the merge, save nothing.
        outcome.form = merged.for_record(again.stored, again.data)
        outcome.conflicts = again.conflicts
        outcome.taken = again.taken
        return outcome
    outcome.saved = True
    return outcome

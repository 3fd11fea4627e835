"""The meta-data editor: one form over the whole template, built from the schema and
the draft's badges. Field names carry the badge and alignment keys, so a save can be
turned back into content and merged item by item."""

from __future__ import annotations

import json
import re
from pathlib import PurePath

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.validators import URLValidator
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from metadata_templates import uploads
from metadata_templates.merge import REMOVED_BY_ME, REMOVED_BY_THEM
from metadata_templates.models import Attachment, ReviewComment
from metadata_templates.schema import (
    ALIGNMENT_FIELDS,
    ALIGNMENT_MAX_LENGTH,
    BADGE_FIELDS,
    CHOICE,
    CREDENTIAL_FIELDS,
    LEVELS,
    MAX_ALIGNMENTS,
    MAX_BADGES,
    MAX_LENGTH,
    MAX_PREREQUISITES,
    MULTI,
    NUMBER,
    TEXTAREA,
    badge_label,
    blank_badge,
    may_precede,
    new_key,
    normalise,
)

NEW = "new"
KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")
CREDENTIAL = "credential"


def section_ids(content: dict) -> list[str]:
    """The sections of the editor for `content`: the credential, then each badge."""
    return [CREDENTIAL, *(f"badge-{b['key']}" for b in normalise(content)["badges"])]


def _form_field(definition, *, disabled: bool) -> forms.Field:
    common = {
        "label": definition.label,
        "help_text": definition.help,
        "required": False,
        "disabled": disabled,
    }
    if definition.kind == CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *definition.choices], **common)
    if definition.kind == MULTI:
        return forms.MultipleChoiceField(
            choices=definition.choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if definition.kind == NUMBER:
        return forms.DecimalField(
            min_value=0, max_value=10_000, decimal_places=1, **common
        )
    widget = forms.Textarea(attrs={"rows": 3}) if definition.kind == TEXTAREA else None
    return forms.CharField(
        max_length=MAX_LENGTH[definition.kind], widget=widget, strip=True, **common
    )


LAYOUT_MAX = 10_000


class TemplateForm(forms.Form):
    """The template's fields, all of them or one section's (`section`, one of
    `section_ids`); `sections()` groups them for the page. A section's save leaves
    every other section as the revision it was made from has it, so the merge takes
    whatever others saved there meanwhile.

    The page posts its own layout (which badges and alignments it shows, and which
    badges wait for a keep-or-remove decision), so a page built from merged content
    (the conflict page) is read back whole, not through the revision it is based on.
    `decide` maps badge keys to who removed them (REMOVED_BY_THEM or REMOVED_BY_ME).
    """

    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # Keys of at most MAX_BADGES badges and their alignments fit well within this.
    layout = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=LAYOUT_MAX
    )
    section = forms.CharField(widget=forms.HiddenInput, required=False, max_length=60)

    def __init__(
        self,
        *args,
        content: dict,
        based_on: int,
        catalog=(),
        disabled=False,
        decide: dict[str, str] | None = None,
        section: str | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.content = normalise(content)
        self.decide = dict(decide or {})
        self.section = section
        # A section page is always built from one revision, never from merged
        # content, so its layout is that revision's own.
        if self.is_bound and section is None:
            self._apply_layout(self.data.get("layout", ""))
        self.disabled = disabled
        self.fields["based_on"].initial = based_on
        self.fields["layout"].initial = self._layout()
        self.fields["section"].initial = section or ""
        self.helper = FormHelper()
        self.helper.form_tag = False
        self._sections = []
        if self.shows(CREDENTIAL):
            self._add_credential()
        for badge in self.content["badges"]:
            if self.shows(f"badge-{badge['key']}"):
                self._add_badge(badge, catalog)

    def shows(self, section: str) -> bool:
        return self.section is None or self.section == section

    def section_list(self) -> list[dict]:
        """Every section of the draft (shown or not), for the list beside the form."""
        return [
            {"id": CREDENTIAL, "title": _("The micro-credential"), "badge": ""},
            *(
                {"id": f"badge-{b['key']}", "title": badge_label(b), "badge": b["key"]}
                for b in self.content["badges"]
            ),
        ]

    def _add_credential(self) -> None:
        credential_names = []
        for definition in CREDENTIAL_FIELDS:
            name = f"c-{definition.key}"
            self.fields[name] = _form_field(definition, disabled=self.disabled)
            self.fields[name].initial = self.content["credential"].get(definition.key)
            credential_names.append((name, "", definition.key))
        self._sections.append(
            {
                "id": CREDENTIAL,
                "title": _("The micro-credential"),
                "badge": None,
                "names": credential_names,
            }
        )

    def _layout(self) -> str:
        return json.dumps(
            {
                "badges": {
                    b["key"]: [a["key"] for a in b["alignments"]]
                    for b in self.content["badges"]
                },
                "decide": self.decide,
            },
            separators=(",", ":"),
        )

    def _apply_layout(self, raw: str) -> None:
        """Lay the form out as the posted page was; items the revision lacks start
        blank and take the posted values. A missing or damaged layout (a page from
        before layouts, or a tampered one) leaves the revision's own layout."""
        known = {b["key"]: b for b in self.content["badges"]}
        if len(raw) > LAYOUT_MAX:
            return
        try:
            layout = json.loads(raw)
            badges, decide = layout["badges"], layout["decide"]
            keys = [*badges, *decide, *(k for v in badges.values() for k in v)]
            valid = (
                isinstance(badges, dict)
                and isinstance(decide, dict)
                and set(decide) <= set(badges)
                # Only a badge removed meanwhile comes back, and only by decision.
                and set(badges) - set(known) <= set(decide)
                and set(decide.values()) <= {REMOVED_BY_THEM, REMOVED_BY_ME}
                and all(isinstance(v, list) for v in badges.values())
                and all(isinstance(k, str) and KEY.fullmatch(k) for k in keys)
                and self._posted_whole(badges, known)
            )
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            # RecursionError: deeply nested JSON, which only a tampered page sends.
            valid = False
        if not valid:
            return
        laid_out = []
        for key, alignment_keys in badges.items():
            badge = known.get(key) or {**blank_badge(""), "key": key}
            have = {a["key"]: a for a in badge["alignments"]}
            alignments = [
                have.get(k, {"key": k}) for k in dict.fromkeys(alignment_keys)
            ]
            laid_out.append({**badge, "alignments": alignments})
        self.content = {**self.content, "badges": laid_out}
        self.decide = decide

    def _posted_whole(self, badges: dict, known: dict) -> bool:
        """Every item the revision lacks came with its fields (a page always posts
        its text boxes), so a layout alone adds nothing, however long it is."""
        for key, alignment_keys in badges.items():
            have = {a["key"] for a in known[key]["alignments"]} if key in known else ()
            if key not in known and f"b-{key}-name" not in self.data:
                return False
            for alignment in alignment_keys:
                if (
                    alignment not in have
                    and f"b-{key}-al-{alignment}-framework" not in self.data
                ):
                    return False
        return True

    def _add_badge(self, badge: dict, catalog) -> None:
        key = badge["key"]
        names = []
        for definition in BADGE_FIELDS:
            name = f"b-{key}-{definition.key}"
            self.fields[name] = _form_field(definition, disabled=self.disabled)
            self.fields[name].initial = badge.get(definition.key)
            names.append((name, key, definition.key))
        name = f"b-{key}-prerequisites"
        # Offered: the badges that can precede this one, and any already named (an
        # older draft may name others; unticking them is the team's choice). A
        # conflict page, built from merged content, may post a badge its revision
        # ranks otherwise or lacks: it was offered there, so it is accepted here.
        named = set(badge["prerequisites"])
        if self.is_bound:
            named.update(
                forms.CheckboxSelectMultiple().value_from_datadict(
                    self.data, self.files, name
                )
            )
        others = [
            (b["key"], badge_label(b))
            for b in self.content["badges"]
            if b["key"] != key and (may_precede(b, badge) or b["key"] in named)
        ]
        self.fields[name] = forms.MultipleChoiceField(
            label=_("Prerequisites"),
            help_text=_(
                "Badges a learner must hold first: in this pathway, or published "
                "in the same category."
            ),
            choices=[*others, *catalog],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            disabled=self.disabled,
            initial=badge["prerequisites"],
        )
        names.append((name, key, "prerequisites"))
        alignment_rows = []
        # An empty row to add one more, while the badge has room for it.
        room = not self.disabled and len(badge["alignments"]) < MAX_ALIGNMENTS
        rows = [*badge["alignments"], *([{"key": NEW}] if room else [])]
        for alignment in rows:
            row = []
            for definition in ALIGNMENT_FIELDS:
                field_name = f"b-{key}-al-{alignment['key']}-{definition.key}"
                self.fields[field_name] = forms.CharField(
                    label=definition.label,
                    max_length=ALIGNMENT_MAX_LENGTH,
                    required=False,
                    disabled=self.disabled,
                    initial=alignment.get(definition.key, ""),
                    validators=[URLValidator()] if definition.key == "url" else [],
                )
                row.append(field_name)
            alignment_rows.append({"key": alignment["key"], "names": row})
        if key in self.decide:
            remove = f"b-{key}-decide"
            self.fields[remove] = forms.ChoiceField(
                label=_DECIDE_LABELS[self.decide[key]],
                choices=(
                    ("keep", _("Keep the badge")),
                    ("remove", _("Remove the badge")),
                ),
                widget=forms.RadioSelect,
                disabled=self.disabled,
                error_messages={"required": _("Keep the badge or remove it.")},
            )
        else:
            remove = f"b-{key}-remove"
            self.fields[remove] = forms.BooleanField(
                label=_("Remove this badge when saving"),
                required=False,
                disabled=self.disabled,
            )
        self._sections.append(
            {
                "id": f"badge-{key}",
                "title": badge_label(badge),
                "badge": key,
                "names": names,
                "alignments": alignment_rows,
                "remove": remove,
                "decide": key in self.decide,
            }
        )

    def clean(self) -> dict:
        """A draft saved before the caps may exceed them: the extra badges and
        alignments are marked until removed (or emptied)."""
        cleaned = super().clean()
        if self.errors:
            return cleaned
        # Only the badges on the page are checked: a section's save does not
        # change the others.
        badges = [
            b for b in self.to_content()["badges"] if self.shows(f"badge-{b['key']}")
        ]
        for badge in badges[MAX_BADGES:]:
            self.add_error(
                f"b-{badge['key']}-remove",
                _("A credential has at most %(n)d badges; remove this one.")
                % {"n": MAX_BADGES},
            )
        for badge in badges:
            if len(badge["prerequisites"]) > MAX_PREREQUISITES:
                self.add_error(
                    f"b-{badge['key']}-prerequisites",
                    _("Choose at most %(n)d prerequisites.") % {"n": MAX_PREREQUISITES},
                )
            for alignment in badge["alignments"][MAX_ALIGNMENTS:]:
                name = f"b-{badge['key']}-al-{alignment['key']}-framework"
                self.add_error(
                    name if name in self.fields else None,
                    _("A badge has at most %(n)d alignments; empty this one.")
                    % {"n": MAX_ALIGNMENTS},
                )
        return cleaned

    def sections(self, notes: dict | None = None) -> list[dict]:
        """The form by section, each field with the review comments and framework
        findings anchored to it (`notes` maps (badge key, field) to them)."""
        notes = notes or {}
        result = []
        for section in self._sections:
            result.append(
                {
                    **section,
                    "fields": [
                        {"field": self[name], "notes": notes.get((badge, key), {})}
                        for name, badge, key in section["names"]
                    ],
                    "alignment_rows": [
                        [self[name] for name in row["names"]]
                        for row in section.get("alignments", [])
                    ],
                    "alignment_notes": notes.get((section["badge"], "alignments"), {}),
                    "remove_field": self[section["remove"]]
                    if section.get("remove")
                    else None,
                    # A comment on the whole: the credential's list of badges, or
                    # one badge.
                    "notes": notes.get(
                        (section["badge"], "") if section["badge"] else ("", "badges"),
                        {},
                    ),
                }
            )
        return result

    def to_content(self) -> dict:
        """The content the user submitted (call after is_valid)."""
        data = self.cleaned_data
        credential = self.content["credential"]
        if self.shows(CREDENTIAL):
            credential = {
                d.key: _stored(data.get(f"c-{d.key}"), d) for d in CREDENTIAL_FIELDS
            }
        badges = []
        for badge in self.content["badges"]:
            key = badge["key"]
            if not self.shows(f"badge-{key}"):
                badges.append(badge)
                continue
            if data.get(f"b-{key}-remove") or data.get(f"b-{key}-decide") == "remove":
                continue
            stored = {"key": key}
            for definition in BADGE_FIELDS:
                stored[definition.key] = _stored(
                    data.get(f"b-{key}-{definition.key}"), definition
                )
            stored["prerequisites"] = list(data.get(f"b-{key}-prerequisites") or [])
            alignments = []
            for alignment in [*badge["alignments"], {"key": NEW}]:
                values = {
                    d.key: data.get(f"b-{key}-al-{alignment['key']}-{d.key}", "") or ""
                    for d in ALIGNMENT_FIELDS
                }
                if not any(values.values()):
                    continue
                alignment_key = (
                    new_key() if alignment["key"] == NEW else alignment["key"]
                )
                alignments.append({"key": alignment_key, **values})
            stored["alignments"] = alignments
            badges.append(stored)
        # A prerequisite on a badge removed in this save would name nothing.
        gone = {b["key"] for b in self.content["badges"]} - {b["key"] for b in badges}
        for stored in badges:
            stored["prerequisites"] = [
                p for p in stored["prerequisites"] if p not in gone
            ]
        return normalise({"credential": credential, "badges": badges})


_DECIDE_LABELS = {
    REMOVED_BY_THEM: _(
        "Someone removed this badge after you opened the draft, and you changed it "
        "or named it as a prerequisite. Keep it, with what you wrote, or remove it?"
    ),
    REMOVED_BY_ME: _(
        "You removed this badge, but someone changed it or named it as a "
        "prerequisite meanwhile (their version is shown). Keep it or remove it?"
    ),
}


def _stored(value, definition):
    if definition.kind == MULTI:
        return list(value or [])
    if definition.kind == NUMBER:
        return "" if value is None else f"{value.normalize():f}"
    return value or ""


class AddBadgeForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level"),
        choices=LEVELS,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AnchoredCommentForm:
    """Mixin for the ModelForm of a reviewer's comment on an AnchoredComment model,
    refused unless its anchor (badge, field) names a place of the text under review
    (`knows`). A mixin, because a ModelForm needs a concrete model."""

    class Meta:
        fields = ["field", "badge", "body"]
        widgets = {
            "field": forms.HiddenInput,
            "badge": forms.HiddenInput,
            "body": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def knows(self, badge: str, field: str) -> bool:
        raise NotImplementedError

    def refused_or_saved(self, save) -> dict | None:
        """Save the comment through `save` (the service, which checks what the
        state allows). When the form or the service refuses it, return what its
        comment box shows again: the anchor, the text typed and the reason."""
        try:
            if not self.is_valid():
                raise ValidationError(
                    [e for errors in self.errors.values() for e in errors]
                )
            save(self)
        except ValidationError as error:
            return {
                "field": self.data.get("field", ""),
                "badge": self.data.get("badge", ""),
                "body": self.data.get("body", ""),
                "error": " ".join(error.messages),
            }
        return None

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.knows(cleaned.get("badge", ""), cleaned.get("field", "")):
            raise forms.ValidationError(_("That field is not part of this draft."))
        return cleaned


class CommentForm(AnchoredCommentForm, forms.ModelForm):
    """A reviewer's comment, anchored to a field of the credential or of one badge."""

    class Meta(AnchoredCommentForm.Meta):
        model = ReviewComment

    def __init__(self, *args, content: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.content = normalise(content)

    def knows(self, badge: str, field: str) -> bool:
        keys = {b["key"] for b in self.content["badges"]}
        known = {d.key for d in (BADGE_FIELDS if badge else CREDENTIAL_FIELDS)}
        known |= {"prerequisites", "alignments", ""} if badge else {"badges"}
        return (not badge or badge in keys) and field in known


class AttachmentForm(forms.ModelForm):
    """A file for the proposal or its working draft: its kind, an optional
    description, and the file, whose type is read from its content. `targets` are
    the places the user may attach to now; `oversized` says the upload was cut off
    at the cap (the file then never reaches the form)."""

    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"}
        ),
    )

    class Meta:
        model = Attachment
        fields = ["attached_to", "kind", "description"]
        widgets = {"attached_to": forms.RadioSelect}

    def __init__(self, *args, targets: list[str], oversized: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.oversized = oversized
        self.fields["attached_to"].choices = [
            choice for choice in Attachment.Target.choices if choice[0] in targets
        ]
        cap = settings.ATTACHMENT_MAX_BYTES
        self.fields["file"].help_text = _(
            "PDF, Word (DOCX), Excel (XLSX), PNG or JPEG, at most %(limit)s."
        ) % {"limit": uploads.megabytes(cap)}
        # For the browser's own check before sending (static/js/app.js).
        self.fields["file"].widget.attrs.update(
            {"data-max-bytes": cap, "data-too-large": uploads.too_large(cap)}
        )
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("upload", _("Upload")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        data = upload.read(settings.ATTACHMENT_MAX_BYTES + 1)
        if len(data) > settings.ATTACHMENT_MAX_BYTES:
            raise ValidationError(uploads.too_large(settings.ATTACHMENT_MAX_BYTES))
        self.file_type = uploads.recognise(data)
        self.file_data = data
        return upload

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.oversized:
            # A file cut off at the cap never reaches the form; name the real reason.
            self.errors.pop("file", None)
            self.add_error("file", uploads.too_large(settings.ATTACHMENT_MAX_BYTES))
        return cleaned

    def stored_name(self) -> str:
        """The uploaded file's name without any folder, in letters, digits, dots,
        dashes and underscores; its extension is replaced when it is downloaded."""
        name = PurePath(self.cleaned_data["file"].name.replace("\\", "/")).name
        try:
            return get_valid_filename(name)[:120]
        except SuspiciousFileOperation:
            return "attachment"

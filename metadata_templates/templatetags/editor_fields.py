"""One editor field in crispy-forms' Bootstrap 5 markup, with its input: the editor
shows up to a hundred fields, and rendering each through templates (crispy's, the
widgets', or an include of our own) took most of the page's time. TemplateForm's own
kinds of field are the only ones here, each with flat choices."""

from html import escape

from django import template
from django.forms import BoundField
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _text(value) -> str:
    """The value as a template prints it: localised, and escaped unless marked
    safe. Written out, as Django's escape costs several times more per call and a
    field prints up to a dozen values."""
    value = localize(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


@register.filter
def editor_field(field: BoundField) -> SafeString:
    kind, id_, name = field.widget_type, _text(field.auto_id), _text(field.html_name)
    errors, help_text = field.errors, _text(field.help_text)
    invalid = " is-invalid" if errors else ""
    described = f' aria-describedby="{id_}_helptext"' if help_text else ""
    disabled = " disabled" if field.field.disabled else ""
    label = _text(field.label)
    parts = [f'<div id="div_{id_}" class="mb-3">']
    if kind == "checkboxselectmultiple":
        parts.append(
            f'<fieldset{described}><legend class="form-label fs-6">{label}</legend>\n'
        )
        ticked = set(field.field.widget.format_value(field.value()))
        for index, (value, choice) in enumerate(field.field.choices):
            checked = " checked" if str(value) in ticked else ""
            parts.append(
                '<div class="form-check"><input type="checkbox" '
                f'class="form-check-input{invalid}" name="{name}" '
                f'value="{_text(value)}" id="{id_}_{index}"{checked}{disabled}>'
                f'<label for="{id_}_{index}" class="form-check-label">'
                f"{_text(choice)}</label></div>\n"
            )
    else:
        parts.append(f'<label for="{id_}" class="form-label">{label}</label>\n')
        alert = ' aria-invalid="true"' if errors else ""
        parts.append(
            _input(field, kind, id_, name, invalid, described + alert + disabled)
        )
    for number, error in enumerate(errors, 1):
        parts.append(
            f'<div id="error_{number}_{id_}" class="invalid-feedback d-block">'
            f"<strong>{_text(error)}</strong></div>"
        )
    if help_text:
        parts.append(f'<div id="{id_}_helptext" class="form-text">{help_text}</div>')
    if kind == "checkboxselectmultiple":
        parts.append("</fieldset>")
    parts.append("</div>")
    return mark_safe("".join(parts))


def _input(field, kind: str, id_: str, name: str, invalid: str, flags: str) -> str:
    """The field's own input: a select, a text box or a one-line input."""
    current, attrs = field.value(), field.field.widget.attrs
    if kind == "select":
        options = "".join(
            f'<option value="{_text(value)}"{" selected" if value == current else ""}>'
            f"{_text(label)}</option>"
            for value, label in field.field.choices
        )
        return (
            f'<select name="{name}" class="form-select{invalid}" id="{id_}"{flags}>'
            f"{options}</select>"
        )
    if kind == "textarea":
        maxlength = attrs.get("maxlength")
        limit = f' maxlength="{_text(maxlength)}"' if maxlength else ""
        shown = "" if current is None else _text(current)
        return (
            f'<textarea name="{name}" cols="40" rows="{_text(attrs.get("rows", ""))}"'
            f'{limit} class="form-control{invalid}" id="{id_}"{flags}>\n'
            f"{shown}</textarea>"
        )
    shown = (
        f' value="{_text(current)}"' if current is not None and current != "" else ""
    )
    extra = "".join(f' {_text(attr)}="{_text(value)}"' for attr, value in attrs.items())
    return (
        f'<input type="{_text(kind)}" name="{name}"{shown}{extra} '
        f'class="form-control{invalid}" id="{id_}"{flags}>'
    )

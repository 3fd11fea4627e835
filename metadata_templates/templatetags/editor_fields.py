"""One editor field in crispy-forms' Bootstrap 5 markup, with its input: the editor
shows up to a hundred fields, and rendering each through templates (crispy's, the
widgets', or an include of our own) took most of the page's time. TemplateForm's own
kinds of field are the only ones here, each with flat choices."""

from django import template
from django.forms import BoundField
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def editor_field(field: BoundField) -> SafeString:
    kind, id_, name = field.widget_type, field.auto_id, field.html_name
    errors, help_text = field.errors, field.help_text
    invalid = " is-invalid" if errors else ""
    described = format_html(' aria-describedby="{}_helptext"', id_) if help_text else ""
    disabled = " disabled" if field.field.disabled else ""
    parts = [format_html('<div id="div_{}" class="mb-3">', id_)]
    if kind == "checkboxselectmultiple":
        parts.append(
            format_html(
                '<fieldset{}><legend class="form-label fs-6">{}</legend>\n',
                described,
                field.label,
            )
        )
        ticked = set(field.field.widget.format_value(field.value()))
        for index, (value, label) in enumerate(field.field.choices):
            parts.append(
                format_html(
                    '<div class="form-check"><input type="checkbox" '
                    'class="form-check-input{}" name="{}" value="{}" id="{}_{}"{}{}>'
                    '<label for="{}_{}" class="form-check-label">{}</label></div>\n',
                    invalid,
                    name,
                    localize(value),
                    id_,
                    index,
                    " checked" if str(value) in ticked else "",
                    disabled,
                    id_,
                    index,
                    label,
                )
            )
    else:
        parts.append(
            format_html(
                '<label for="{}" class="form-label">{}</label>\n', id_, field.label
            )
        )
        parts.append(
            _input(field, kind, id_, name, invalid, described, disabled, errors)
        )
    for number, error in enumerate(errors, 1):
        parts.append(
            format_html(
                '<div id="error_{}_{}" class="invalid-feedback d-block">'
                "<strong>{}</strong></div>",
                number,
                id_,
                error,
            )
        )
    if help_text:
        parts.append(
            format_html(
                '<div id="{}_helptext" class="form-text">{}</div>', id_, help_text
            )
        )
    if kind == "checkboxselectmultiple":
        parts.append("</fieldset>")
    parts.append("</div>")
    return mark_safe("".join(parts))


def _input(field, kind, id_, name, invalid, described, disabled, errors) -> SafeString:
    current, attrs = field.value(), field.field.widget.attrs
    flags = mark_safe(described + (' aria-invalid="true"' if errors else "") + disabled)
    if kind == "select":
        options = "".join(
            format_html(
                '<option value="{}"{}>{}</option>',
                localize(value),
                " selected" if value == current else "",
                label,
            )
            for value, label in field.field.choices
        )
        return format_html(
            '<select name="{}" class="form-select{}" id="{}"{}>{}</select>',
            name,
            invalid,
            id_,
            flags,
            mark_safe(options),
        )
    if kind == "textarea":
        maxlength = attrs.get("maxlength")
        return format_html(
            '<textarea name="{}" cols="40" rows="{}"{} class="form-control{}" '
            'id="{}"{}>\n{}</textarea>',
            name,
            localize(attrs.get("rows", "")),
            format_html(' maxlength="{}"', localize(maxlength)) if maxlength else "",
            invalid,
            id_,
            flags,
            "" if current is None else localize(current),
        )
    shown = (
        format_html(' value="{}"', localize(current))
        if current is not None and current != ""
        else ""
    )
    extra = "".join(
        format_html(' {}="{}"', attr, localize(value)) for attr, value in attrs.items()
    )
    return format_html(
        '<input type="{}" name="{}"{}{} class="form-control{}" id="{}"{}>',
        kind,
        name,
        shown,
        mark_safe(extra),
        invalid,
        id_,
        flags,
    )

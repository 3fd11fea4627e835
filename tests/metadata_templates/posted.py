"""What a browser posts for a rendered editor form, for tests that save through the
editor's own views."""


def posted(form, **changes) -> dict:
    """The rendered, unbound form's values as a browser posts them (hidden fields
    included; of a list of boxes, only the ticked ones that are on the page), with
    `changes` applied; a change to None leaves the field out."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, list):
            offered = {str(choice) for choice, _label in field.choices}
            value = [v for v in value if v in offered]
        if value is not None and value is not False:
            data[name] = value
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}

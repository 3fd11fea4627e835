"""Small pieces the catalog repeats on every card, written in Python: a catalog page
draws dozens of cards, and an included template per card cost more than the rest of
the card."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()

STAR = '<i class="fa-solid fa-star star-{}" aria-hidden="true"></i>'


@register.simple_tag
def level_stars(level: str):
    """Seed 000 marks Levels 1-3 with as many small stars, Macro with one large."""
    if level == "macro":
        return format_html(
            '<span class="level-stars">' + STAR + " <span>{}</span></span>",
            "large",
            _("Macro level"),
        )
    stars = int(level) if level in ("1", "2", "3") else 0
    return format_html(
        '<span class="level-stars">{} <span>{}</span></span>',
        format_html_join("", STAR, [("small",)] * stars),
        _("Level %(level)s") % {"level": level},
    )

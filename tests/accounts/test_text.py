"""Names and titles others see in lists carry no direction controls."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from accounts.text import single_line
from proposals.forms import InterestForm

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"


@pytest.mark.parametrize(
    "typed, kept",
    [
        (f"Ada{RLO} Lovelace", "Ada Lovelace"),
        (f"{LRI}Nursing{PDI}   Preceptor\t", "Nursing Preceptor"),
        ("سارة\u200f حداد", "سارة\u200f حداد"),  # right-to-left marks stay
        (f"{RLO}{PDF}", ""),
    ],
)
def test_single_line_drops_direction_controls(typed, kept):
    assert single_line(typed) == kept


def test_sign_up_keeps_names_without_overrides(client, db):
    client.post(
        reverse("signup"),
        {
            "first_name": f"{RLO}Ada",
            "last_name": f"Love{RLO}lace",
            "email": "ada@maine.edu",
            "username": "ada",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
    )
    user = User.objects.get(username="ada")
    assert (user.first_name, user.last_name) == ("Ada", "Lovelace")


def test_a_title_is_kept_without_overrides():
    form = InterestForm()
    form.cleaned_data = {"title": f"Outdoor {RLO}Leadership{PDF}"}
    assert form.clean_title() == "Outdoor Leadership"

"""Every text a user types has a documented maximum, refused with a message above it;
a draft holds a bounded number of badges and alignments, the editor saves at those
caps, and the PDF summary prints a bounded amount whatever a team records."""

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.urls import reverse

from bench.load import form_post, token
from credentials import badge_image, pdf
from metadata_templates import schema
from metadata_templates.forms import TemplateForm
from metadata_templates.models import Revision
from proposals.models import State
from teams.models import EmployerInput, Meeting
from tests.factories import (
    ProposalFactory,
    confirmed_team,
    content_at_limits,
    log_meetings,
)

APPS = ["accounts", "proposals", "teams", "metadata_templates", "approvals", "courses"]


def _text_fields(model):
    return [
        f
        for f in model._meta.get_fields()
        if isinstance(f, models.CharField | models.TextField) and f.editable
    ]


@pytest.mark.parametrize(
    "model",
    [m for app in APPS for m in apps.get_app_config(app).get_models()],
    ids=lambda m: m._meta.label,
)
def test_every_text_field_of_every_model_has_a_maximum(model):
    assert [f.name for f in _text_fields(model) if not f.max_length] == []


def _forms():
    for app in APPS:
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


@pytest.mark.parametrize("form", list(_forms()), ids=lambda f: f.__name__)
def test_every_text_input_of_every_form_has_a_maximum(form):
    try:
        fields = form().fields
    except TypeError:
        # Forms that need their subject; their text inputs are declared.
        fields = form.base_fields
    unlimited = [
        name
        for name, field in fields.items()
        if isinstance(field, forms.CharField)
        and not field.max_length
        # Passwords are hashed, never stored or shown.
        and "password" not in name
    ]
    assert unlimited == []


def test_every_editor_field_has_a_maximum():
    form = TemplateForm(content=content_at_limits(lambda n: "x"), based_on=1)
    unlimited = [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField) and not field.max_length
    ]
    assert unlimited == []


@pytest.fixture
def team(proposer):
    proposal = ProposalFactory(proposer=proposer, state=State.DRAFTING)
    return confirmed_team(proposal)


def test_a_600000_character_meeting_note_is_refused_and_kept(client, proposer, team):
    client.force_login(proposer)
    notes = "n" * 600_000
    response = client.post(
        reverse("teams:meeting_new", args=[team.proposal_id]),
        {
            "held_on": "2026-10-05",
            "attendees": [m.pk for m in team.memberships.all()],
            "agenda": "Plan",
            "notes": notes,
        },
    )
    assert response.status_code == 200
    assert "at most 10000 characters (it has 600000)" in response.text
    assert response.context["form"]["notes"].value() == notes
    assert not Meeting.objects.exists()


def test_employer_input_at_its_maximum_is_kept(client, proposer, team):
    client.force_login(proposer)
    summary = "é" * EmployerInput._meta.get_field("summary").max_length
    response = client.post(
        reverse("teams:employer_input_new", args=[team.proposal_id]),
        {
            "person": "Pat",
            "organisation": "BIW",
            "given_on": "2026-10-02",
            "summary": summary,
        },
    )
    assert response.status_code == 302
    assert EmployerInput.objects.get().summary == summary


@pytest.fixture
def at_limits(proposer, team):
    """A draft at every cap, with wide characters (the largest request body)."""
    proposal = team.proposal
    Revision.objects.create(
        proposal=proposal, number=1, content=content_at_limits(lambda n: "é" * n)
    )
    return proposal


def _editor_post(client, proposal) -> dict[str, list[str]]:
    page = client.get(reverse("drafts:editor", args=[proposal.pk]), {"section": "all"})
    data = form_post(page.text, "template-form")
    data["csrfmiddlewaretoken"] = [token(page.text)]
    return data


def test_the_editor_saves_a_draft_at_every_cap(client, proposer, at_limits, settings):
    client.force_login(proposer)
    data = _editor_post(client, at_limits)
    # No row to add an alignment beyond the cap.
    assert not [name for name in data if "-al-new-" in name]
    # Published prerequisites could add boxes up to their cap under every badge.
    most = sum(map(len, data.values())) + schema.MAX_BADGES * (
        schema.MAX_PREREQUISITES - (schema.MAX_BADGES - 1)
    )
    assert most < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    data["c-summary"] = ["ü" * schema.MAX_LENGTH[schema.TEXTAREA]]
    response = client.post(reverse("drafts:editor", args=[at_limits.pk]), data)
    assert response.status_code == 302
    newest = at_limits.revisions.order_by("-number").first()
    assert newest.number == 2
    assert newest.content["credential"]["summary"] == data["c-summary"][0]
    assert len(newest.content["badges"]) == schema.MAX_BADGES
    assert all(
        len(b["alignments"]) == schema.MAX_ALIGNMENTS for b in newest.content["badges"]
    )


def test_a_text_beyond_the_editor_cap_is_refused_and_kept(client, proposer, at_limits):
    client.force_login(proposer)
    data = _editor_post(client, at_limits)
    too_long = "x" * (schema.MAX_LENGTH[schema.TEXTAREA] + 1)
    data["c-summary"] = [too_long]
    response = client.post(reverse("drafts:editor", args=[at_limits.pk]), data)
    assert response.status_code == 200
    assert "at most 2000 characters" in response.text
    assert response.context["form"]["c-summary"].value() == too_long
    assert at_limits.revisions.count() == 1


def test_no_badge_is_added_beyond_the_cap(client, proposer, at_limits):
    client.force_login(proposer)
    response = client.post(
        reverse("drafts:add_badge", args=[at_limits.pk]),
        {"level": "1", "based_on": 1},
        follow=True,
    )
    assert f"at most {schema.MAX_BADGES} badges" in response.text
    assert at_limits.revisions.count() == 1


def test_a_draft_over_the_caps_is_not_saved_until_trimmed(client, proposer, team):
    content = content_at_limits(lambda n: "x")
    content["badges"].append({**schema.blank_badge("1"), "name": "Seventh"})
    content["badges"][0]["alignments"].append(
        {"key": "extra", "framework": "F", "code": "C", "name": "N", "url": ""}
    )
    Revision.objects.create(proposal=team.proposal, number=1, content=content)
    client.force_login(team.proposal.proposer)
    data = _editor_post(client, team.proposal)
    response = client.post(reverse("drafts:editor", args=[team.proposal_id]), data)
    assert response.status_code == 200
    assert f"at most {schema.MAX_BADGES} badges" in response.text
    assert f"at most {schema.MAX_ALIGNMENTS} alignments" in response.text
    assert team.proposal.revisions.count() == 1


def test_the_summary_prints_the_newest_entries_of_each_list(proposer, team):
    log_meetings(team, pdf.LIST_LIMIT + 3)
    context = pdf.office_context(team.proposal)
    assert len(context["meetings"]) == pdf.LIST_LIMIT
    assert context["left_out"]["meetings"] == 3
    newest = team.meetings.order_by("-held_on").first()
    assert context["meetings"][-1] == newest
    assert context["left_out"]["employer_inputs"] == 0


def test_a_line_break_in_the_category_does_not_break_the_badge_image():
    shape = badge_image.layout("Welder", "1", "Welding\r\nand cutting")
    assert "WELDING AND CUTTING" in [t.value for t in shape.texts]


def test_every_editor_section_at_the_caps_stays_under_300_kb(
    client, proposer, at_limits
):
    client.force_login(proposer)
    url = reverse("drafts:editor", args=[at_limits.pk])
    sections = client.get(url).context["section_list"]
    assert len(sections) == 1 + schema.MAX_BADGES
    for section in [*sections, {"id": "images"}]:
        page = client.get(url, {"section": section["id"]})
        assert len(page.content) < 300_000, section["id"]

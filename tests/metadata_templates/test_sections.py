"""The sectioned editor: one section at a time (the credential, each badge, the
images), whose save changes that section only and merges like any save; prerequisite
choices and defaults; "Submit draft for review" beside a draft that passes."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from approvals import services as workflow
from metadata_templates import services
from metadata_templates.schema import normalise
from tests.factories import complete_draft
from tests.metadata_templates.posted import posted


def _url(proposal, name="drafts:editor"):
    return reverse(name, args=[proposal.pk])


def _keys(proposal) -> dict[str, str]:
    """Badge keys of the newest revision by level."""
    return {b["level"]: b["key"] for b in services.latest(proposal).content["badges"]}


def _open(client, proposal, section, **changes):
    page = client.get(_url(proposal), {"section": section})
    assert page.status_code == 200
    return posted(page.context["form"], **changes)


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _without(content: dict, key: str, field: str) -> dict:
    content = normalise(content)
    for badge in content["badges"]:
        if badge["key"] == key:
            badge.pop(field)
    return content


def test_the_editor_opens_on_the_credential_section(client, drafting, proposer):
    client.force_login(proposer)
    response = client.get(_url(drafting))
    form = response.context["form"]
    assert form.section == "credential"
    assert not [name for name in form.fields if name.startswith("b-")]
    titles = [s["title"] for s in response.context["section_list"]]
    assert titles[0] == "The micro-credential"
    # A badge named after its level is not labelled with the level twice.
    assert "Welding Fundamentals Level 1" in titles
    assert not [t for t in titles if "(Level" in t]


def test_a_section_save_changes_that_section_only(client, drafting, proposer):
    client.force_login(proposer)
    level2 = _keys(drafting)["2"]
    before = services.latest(drafting).content
    data = _open(client, drafting, f"badge-{level2}", **{f"b-{level2}-criteria": "X"})
    # Fields of other sections posted anyway (a tampered page) change nothing.
    data["c-summary"] = "Not from this section"
    response = client.post(_url(drafting), data)
    assert response.url == f"{_url(drafting)}?section=badge-{level2}"
    assert "Saved as revision 2." in _messages(response)
    after = services.latest(drafting).content
    assert _without(after, level2, "criteria") == _without(before, level2, "criteria")
    assert next(b for b in after["badges"] if b["key"] == level2)["criteria"] == "X"


def test_a_save_of_the_whole_form_returns_to_the_whole_form(client, drafting, proposer):
    client.force_login(proposer)
    data = _open(client, drafting, "all", **{"c-summary": "All at once"})
    response = client.post(_url(drafting), data)
    assert "Saved as revision 2." in _messages(response)
    assert response.url == f"{_url(drafting)}?section=all"


def test_a_stale_section_save_merges_what_others_saved(
    client, drafting, proposer, teammate
):
    level1 = _keys(drafting)["1"]
    client.force_login(proposer)
    stale = _open(client, drafting, f"badge-{level1}", **{f"b-{level1}-name": "Mine"})
    client.force_login(teammate)
    client.post(
        _url(drafting), _open(client, drafting, "credential", **{"c-summary": "T"})
    )
    client.force_login(proposer)
    response = client.post(_url(drafting), stale)
    assert "Saved as revision 3." in _messages(response)
    content = services.latest(drafting).content
    assert content["credential"]["summary"] == "T"
    assert content["badges"][0]["name"] == "Mine"


def test_a_conflict_in_a_section_shows_the_whole_form_to_decide(
    client, drafting, proposer, teammate
):
    client.force_login(proposer)
    stale = _open(client, drafting, "credential", **{"c-category": "Mine"})
    client.force_login(teammate)
    client.post(
        _url(drafting), _open(client, drafting, "credential", **{"c-category": "T"})
    )
    client.force_login(proposer)
    page = client.post(_url(drafting), stale)
    assert page.status_code == 200
    assert [c.label for c in page.context["conflicts"]] == ["Category"]
    form = page.context["form"]
    assert form.section is None and page.context["section"] == "all"
    assert form["c-category"].value() == "Mine"
    response = client.post(_url(drafting), posted(form))
    assert "Saved as revision 3." in _messages(response)
    assert services.latest(drafting).content["credential"]["category"] == "Mine"


def test_an_unknown_section_is_refused_on_save_and_ignored_on_view(
    client, drafting, proposer
):
    client.force_login(proposer)
    data = _open(client, drafting, "credential", **{"c-summary": "typed"})
    data["section"] = "badge-nosuchbadge"
    response = client.post(_url(drafting), data)
    assert response.status_code == 302
    assert "That section is not part of the draft; reload it." in _messages(response)
    assert drafting.revisions.count() == 1
    response = client.get(_url(drafting), {"section": "badge-gone"})
    assert response.context["form"].section == "credential"


def test_the_live_check_of_a_section_keeps_the_other_sections(
    client, drafting, proposer
):
    complete_draft(drafting)
    client.force_login(proposer)
    data = _open(client, drafting, "credential")
    response = client.post(_url(drafting, "drafts:check"), data)
    assert "Meets the UMS framework" in response.text
    data["c-title"] = ""
    response = client.post(_url(drafting, "drafts:check"), data)
    assert f'href="{_url(drafting)}?section=credential#credential"' in response.text


def test_prerequisites_offer_only_badges_that_can_precede(client, drafting, proposer):
    client.force_login(proposer)
    keys = _keys(drafting)
    offered = {}
    for level, key in keys.items():
        form = client.get(_url(drafting), {"section": f"badge-{key}"}).context["form"]
        choices = form.fields[f"b-{key}-prerequisites"].choices
        offered[level] = {choice for choice, _label in choices}
    assert offered == {
        "1": set(),
        "2": {keys["1"]},
        "3": {keys["1"], keys["2"]},
        "macro": {keys["1"], keys["2"], keys["3"]},
    }


def test_a_new_pathway_names_each_level_below_as_prerequisite(drafting):
    badges = services.latest(drafting).content["badges"]
    keys = {b["level"]: b["key"] for b in badges}
    assert {b["level"]: b["prerequisites"] for b in badges} == {
        "1": [],
        "2": [keys["1"]],
        "3": [keys["2"]],
        "macro": [keys["3"]],
    }


def test_an_added_badge_is_preceded_by_the_level_below_and_opens(
    client, drafting, proposer
):
    client.force_login(proposer)
    keys = _keys(drafting)
    response = client.post(
        _url(drafting, "drafts:add_badge"), {"level": "2", "based_on": 1}
    )
    added = next(
        b
        for b in services.latest(drafting).content["badges"]
        if b["key"] not in keys.values()
    )
    assert added["prerequisites"] == [keys["1"]]
    assert response.url == f"{_url(drafting)}?section=badge-{added['key']}"


@pytest.mark.parametrize("complete", [False, True])
def test_submit_is_offered_beside_a_draft_that_meets_the_framework(
    client, drafting, proposer, complete
):
    if complete:
        complete_draft(drafting)
    client.force_login(proposer)
    response = client.get(_url(drafting))
    submit = reverse("proposals:transition", args=[drafting.pk, "submit_draft"])
    assert (submit in response.text) is complete
    assert bool(response.context["submit_offer"]) is complete


def test_submit_is_not_offered_to_a_reader_who_may_not_edit(client, drafting, staff):
    complete_draft(drafting)
    client.force_login(staff)
    response = client.get(_url(drafting))
    assert not response.context["submit_offer"]
    assert "submit_draft" not in response.text


def test_a_badge_section_does_not_grow_with_the_number_of_badges(
    client, drafting, proposer, django_assert_max_num_queries
):
    client.force_login(proposer)
    keys = _keys(drafting)
    page = client.get(_url(drafting), {"section": f"badge-{keys['1']}"})
    sizes = [len(page.content)]
    for level in ("1", "2"):
        client.post(_url(drafting, "drafts:add_badge"), {"level": level, "based_on": 1})
        client.post(
            _url(drafting, "drafts:add_badge"),
            {"level": level, "based_on": services.latest(drafting).number},
        )
    # session, user, groups, committee term, proposal, membership, latest revision,
    # last seen, open comments, published badges for prerequisites, unread count
    with django_assert_max_num_queries(11):
        page = client.get(_url(drafting), {"section": f"badge-{keys['1']}"})
    sizes.append(len(page.content))
    # Four more badges add a link and their framework gaps each, not their fields.
    assert sizes[1] - sizes[0] < 4 * 2_000


def test_a_section_save_after_submission_is_refused_and_kept(
    client, drafting, proposer
):
    complete_draft(drafting)
    client.force_login(proposer)
    data = _open(client, drafting, "credential", **{"c-summary": "Typed late"})
    workflow.perform(drafting, "submit_draft", user=proposer)
    count = drafting.revisions.count()
    response = client.post(_url(drafting), data)
    assert response.status_code == 200
    assert "Nothing was saved" in response.text
    assert response.context["form"]["c-summary"].value() == "Typed late"
    assert response.context["section"] == "credential"
    assert drafting.revisions.count() == count

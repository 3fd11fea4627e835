"""The conflict page's round trip through the editor's own views: what the page shows
is what it posts back, and a badge removed on one side and changed on the other is
kept or removed only by the resolving person's explicit choice."""

import json

from django.contrib.messages import get_messages
from django.urls import reverse

from metadata_templates import services
from teams.models import Membership, Role
from tests.factories import UserFactory
from tests.metadata_templates.posted import posted


def _url(proposal):
    return reverse("drafts:editor", args=[proposal.pk])


def _open(client, proposal, **changes):
    page = client.get(_url(proposal), {"section": "all"})
    return posted(page.context["form"], **changes)


def _key(proposal, level, number=1):
    content = proposal.revisions.get(number=number).content
    return next(b["key"] for b in content["badges"] if b["level"] == level)


def _badge(revision, key):
    return next((b for b in revision.content["badges"] if b["key"] == key), None)


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _conflict_page(client, proposal, user, mine, theirs_user, theirs):
    """`theirs_user` saves `theirs` (a dict of posted changes) first, from revision 1;
    then `user` posts `mine` from revision 1 and gets the conflict page."""
    client.force_login(user)
    stale = _open(client, proposal, **mine)
    client.force_login(theirs_user)
    saved = client.post(_url(proposal), _open(client, proposal, **theirs))
    assert "Saved as revision 2." in _messages(saved)
    client.force_login(user)
    page = client.post(_url(proposal), stale)
    assert page.status_code == 200 and page.context["conflicts"]
    return page


def test_a_badge_i_removed_stays_removed_when_another_field_conflicts(
    client, drafting, proposer, teammate
):
    macro = _key(drafting, "macro")
    page = _conflict_page(
        client,
        drafting,
        proposer,
        {f"b-{macro}-remove": "on", "c-summary": "Mine"},
        teammate,
        {"c-summary": "Theirs"},
    )
    assert [c.label for c in page.context["conflicts"]] == ["Summary"]
    response = client.post(_url(drafting), posted(page.context["form"]))
    assert "Saved as revision 3." in _messages(response)
    latest = services.latest(drafting)
    assert _badge(latest, macro) is None
    assert [b["level"] for b in latest.content["badges"]] == ["1", "2", "3"]
    assert latest.content["credential"]["summary"] == "Mine"


def test_a_badge_removed_meanwhile_keeps_my_edit_when_i_choose_to_keep_it(
    client, drafting, proposer, teammate
):
    macro = _key(drafting, "macro")
    page = _conflict_page(
        client,
        drafting,
        teammate,
        {f"b-{macro}-criteria": "Hold Levels 1 to 3"},
        proposer,
        {f"b-{macro}-remove": "on"},
    )
    html = page.content.decode()
    assert "Hold Levels 1 to 3" in html
    assert "Keep the badge" in html and "Remove the badge" in html
    form = page.context["form"]
    # Without a choice nothing is saved, and what was typed is still on the page.
    refused = client.post(_url(drafting), posted(form))
    assert refused.status_code == 200
    assert "Hold Levels 1 to 3" in refused.content.decode()
    assert "Keep the badge or remove it" in refused.content.decode()
    assert drafting.revisions.count() == 2
    response = client.post(
        _url(drafting), posted(form, **{f"b-{macro}-decide": "keep"})
    )
    assert "Saved as revision 3." in _messages(response)
    kept = _badge(services.latest(drafting), macro)
    assert (kept["criteria"], kept["level"]) == ("Hold Levels 1 to 3", "macro")
    assert kept["name"] == _badge(drafting.revisions.get(number=1), macro)["name"]


def test_a_badge_removed_meanwhile_goes_when_i_choose_to_remove_it(
    client, drafting, proposer, teammate
):
    macro = _key(drafting, "macro")
    page = _conflict_page(
        client,
        drafting,
        teammate,
        {f"b-{macro}-criteria": "Hold Levels 1 to 3", "c-category": "Trades"},
        proposer,
        {f"b-{macro}-remove": "on"},
    )
    form = page.context["form"]
    client.post(_url(drafting), posted(form, **{f"b-{macro}-decide": "remove"}))
    latest = services.latest(drafting)
    assert latest.number == 3 and _badge(latest, macro) is None
    assert latest.content["credential"]["category"] == "Trades"


def test_a_badge_i_removed_but_they_changed_is_mine_to_decide(
    client, drafting, proposer, teammate
):
    level3 = _key(drafting, "3")
    page = _conflict_page(
        client,
        drafting,
        teammate,
        {f"b-{level3}-remove": "on"},
        proposer,
        {f"b-{level3}-feedback": "Weekly supervisor feedback"},
    )
    assert "Weekly supervisor feedback" in page.content.decode()
    form = page.context["form"]
    client.post(_url(drafting), posted(form, **{f"b-{level3}-decide": "remove"}))
    latest = services.latest(drafting)
    assert latest.number == 3 and _badge(latest, level3) is None


def test_a_new_alignment_survives_a_conflict_elsewhere(
    client, drafting, proposer, teammate
):
    level1 = _key(drafting, "1")
    prefix = f"b-{level1}-al-new"
    page = _conflict_page(
        client,
        drafting,
        teammate,
        {
            f"{prefix}-framework": "ANSI/ASME",
            f"{prefix}-code": "Y14.1-2009",
            "c-summary": "Mine",
        },
        proposer,
        {"c-summary": "Theirs"},
    )
    assert "Y14.1-2009" in page.content.decode()
    response = client.post(_url(drafting), posted(page.context["form"]))
    assert "Saved as revision 3." in _messages(response)
    alignments = _badge(services.latest(drafting), level1)["alignments"]
    assert [(a["framework"], a["code"]) for a in alignments] == [
        ("ANSI/ASME", "Y14.1-2009")
    ]


def test_a_prerequisite_on_a_badge_removed_meanwhile_is_a_conflict(
    client, drafting, proposer, teammate
):
    level1, level2 = _key(drafting, "1"), _key(drafting, "2")
    level3 = _key(drafting, "3")
    page = _conflict_page(
        client,
        drafting,
        teammate,
        {f"b-{level3}-prerequisites": [level2, level1]},
        proposer,
        {f"b-{level1}-remove": "on"},
    )
    assert [c.path for c in page.context["conflicts"]] == [("badges", level1)]
    form = page.context["form"]
    client.post(_url(drafting), posted(form, **{f"b-{level1}-decide": "keep"}))
    latest = services.latest(drafting)
    assert _badge(latest, level1) is not None
    assert _badge(latest, level3)["prerequisites"] == [level2, level1]


def test_their_prerequisite_on_a_badge_i_removed_waits_with_it(
    client, drafting, proposer, teammate
):
    """I ticked Level 1 under Level 3 and then removed Level 1 (my tick went with
    it); meanwhile they saved the same prerequisite. Their tick is theirs: it shows
    beside my pending removal, and goes only if I remove the badge."""
    level1, level3 = _key(drafting, "1"), _key(drafting, "3")
    mine = {f"b-{level3}-prerequisites": [level1], f"b-{level1}-remove": "on"}
    page = _conflict_page(
        client,
        drafting,
        proposer,
        mine,
        teammate,
        {f"b-{level3}-prerequisites": [level1]},
    )
    form = page.context["form"]
    assert json.loads(form["layout"].value())["decide"] == {level1: "mine"}
    assert posted(form)[f"b-{level3}-prerequisites"] == [level1]
    client.post(_url(drafting), posted(form, **{f"b-{level1}-decide": "remove"}))
    latest = services.latest(drafting)
    assert latest.number == 3 and _badge(latest, level1) is None
    assert _badge(latest, level3)["prerequisites"] == []


def test_removing_a_badge_drops_the_prerequisites_that_named_it(
    client, drafting, proposer
):
    client.force_login(proposer)
    level1, level2 = _key(drafting, "1"), _key(drafting, "2")
    client.post(
        _url(drafting),
        _open(client, drafting, **{f"b-{level2}-prerequisites": [level1]}),
    )
    client.post(_url(drafting), _open(client, drafting, **{f"b-{level1}-remove": "on"}))
    latest = services.latest(drafting)
    assert _badge(latest, level1) is None
    assert _badge(latest, level2)["prerequisites"] == []


def test_a_layout_alone_adds_no_badge(client, drafting, proposer):
    client.force_login(proposer)
    data = _open(client, drafting)
    layout = json.loads(data["layout"])
    for n in range(20):
        layout["badges"][f"forged{n}"] = []
        layout["decide"][f"forged{n}"] = "theirs"
    data["layout"] = json.dumps(layout)
    response = client.post(_url(drafting), {**data, "b-forged0-decide": "keep"})
    assert "No changes to save." in _messages(response)
    for n in range(20, 2000):
        layout["badges"][f"forged{n}"] = []
    data["layout"] = json.dumps(layout)
    response = client.post(_url(drafting), {**data, "b-forged0-decide": "keep"})
    assert any("Nothing was saved" in m for m in _messages(response))
    assert drafting.revisions.count() == 1


def test_a_badge_kept_by_decision_survives_a_second_conflict(
    client, drafting, proposer, teammate
):
    macro = _key(drafting, "macro")
    first = _conflict_page(
        client,
        drafting,
        teammate,
        {f"b-{macro}-criteria": "Hold Levels 1 to 3", "c-summary": "Mine"},
        proposer,
        {f"b-{macro}-remove": "on"},
    )
    kept = posted(first.context["form"], **{f"b-{macro}-decide": "keep"})
    # Before the kept badge is saved, someone else changes the summary again.
    client.force_login(proposer)
    client.post(_url(drafting), _open(client, drafting, **{"c-summary": "Theirs"}))
    client.force_login(teammate)
    second = client.post(_url(drafting), kept)
    assert [c.label for c in second.context["conflicts"]] == ["Summary"]
    assert "Hold Levels 1 to 3" in second.content.decode()
    form = second.context["form"]
    response = client.post(
        _url(drafting), posted(form, **{f"b-{macro}-decide": "keep"})
    )
    assert "Saved as revision 4." in _messages(response)
    badge = _badge(services.latest(drafting), macro)
    assert badge["criteria"] == "Hold Levels 1 to 3"


def test_a_deeply_nested_layout_is_ignored_not_a_server_error(
    client, drafting, proposer
):
    client.force_login(proposer)
    data = _open(client, drafting, **{"c-summary": "Still saved"})
    data["layout"] = "[" * 5000 + "]" * 5000
    response = client.post(_url(drafting), data)
    assert response.status_code == 302
    assert services.latest(drafting).content["credential"]["summary"] == "Still saved"


def test_a_prerequisite_ticked_again_after_my_untick_was_saved_is_theirs(
    client, drafting, proposer, teammate
):
    """I untick Level 3 on the macro-badge and get a conflict elsewhere; the
    revision I resolve against already has it unticked (the teammate did the
    same). A third member ticks it again after that revision: my resave, whose
    page only shows the saved untick, keeps their newer tick and says so."""
    third = UserFactory(username="erin")
    Membership.objects.create(team=drafting.team, user=third, role=Role.DESIGNER)
    macro, level3 = _key(drafting, "macro"), _key(drafting, "3")
    page = _conflict_page(
        client,
        drafting,
        proposer,
        {f"b-{macro}-prerequisites": [], "c-summary": "Mine"},
        teammate,
        {f"b-{macro}-prerequisites": [], "c-summary": "Theirs"},
    )
    mine = posted(page.context["form"], **{f"b-{level3}-name": "Welding Level 3"})
    assert level3 not in mine.get(f"b-{macro}-prerequisites", [])
    client.force_login(third)
    ticked = {f"b-{macro}-prerequisites": [level3]}
    client.post(_url(drafting), _open(client, drafting, **ticked))
    client.force_login(proposer)
    response = client.post(_url(drafting), mine)
    assert "Saved as revision 4." in _messages(response)
    assert any("Prerequisites" in m for m in _messages(response) if "Merged" in m)
    latest = services.latest(drafting)
    assert _badge(latest, macro)["prerequisites"] == [level3]
    assert _badge(latest, level3)["name"] == "Welding Level 3"

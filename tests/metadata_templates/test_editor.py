import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from metadata_templates import services
from metadata_templates.models import Revision
from tests.factories import complete_draft
from tests.metadata_templates.posted import posted


def _url(proposal, name="drafts:editor", *args):
    return reverse(name, args=[proposal.pk, *args])


def _form_data(client, proposal, **changes):
    """The editor's current values as a browser would post them (every section on
    one page), with changes."""
    page = client.get(_url(proposal), {"section": "all"})
    return posted(page.context["form"], **changes)


def _badge_field(proposal, level, field, number=None):
    revision = (
        proposal.revisions.get(number=number) if number else services.latest(proposal)
    )
    badge = next(b for b in revision.content["badges"] if b["level"] == level)
    return f"b-{badge['key']}-{field}"


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_development_starts_with_a_draft_from_the_interest_form(drafting):
    first = services.latest(drafting)
    assert first.number == 1
    assert first.content["credential"]["title"] == "Welding Fundamentals"
    assert [b["level"] for b in first.content["badges"]] == ["1", "2", "3", "macro"]


def test_revisions_are_immutable(drafting):
    revision = services.latest(drafting)
    revision.note = "changed"
    with pytest.raises(ValueError):
        revision.save()
    with pytest.raises(ValueError):
        revision.delete()
    assert Revision.objects.get(pk=revision.pk).note != "changed"


def test_every_save_makes_a_new_numbered_revision(client, drafting, proposer):
    client.force_login(proposer)
    response = client.post(
        _url(drafting), _form_data(client, drafting, **{"c-category": "Trades"})
    )
    assert response.url == f"{_url(drafting)}?section=all"
    assert "Saved as revision 2." in _messages(response)
    latest = services.latest(drafting)
    assert (latest.number, latest.author, latest.based_on) == (2, proposer, 1)
    assert latest.content["credential"]["category"] == "Trades"
    assert services.latest(drafting).content != drafting.revisions.get(number=1).content


def test_saving_without_changes_adds_no_revision(client, drafting, proposer):
    client.force_login(proposer)
    response = client.post(_url(drafting), _form_data(client, drafting))
    assert "No changes to save." in _messages(response)
    assert drafting.revisions.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hours", "about six", "Enter a number"),
        ("hours", "-3", "greater than or equal to 0"),
        ("level", "7", "Select a valid choice"),
    ],
)
def test_bad_input_is_explained_and_nothing_typed_is_lost(
    client, drafting, proposer, field, value, message
):
    client.force_login(proposer)
    name = _badge_field(drafting, "1", field)
    criteria = _badge_field(drafting, "1", "criteria")
    data = _form_data(client, drafting, **{name: value, criteria: "Typed criteria"})
    response = client.post(_url(drafting), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Typed criteria" in response.content.decode()
    assert drafting.revisions.count() == 1


def test_a_bad_alignment_address_is_refused(client, drafting, proposer):
    client.force_login(proposer)
    name = _badge_field(drafting, "1", "al-new-url")
    response = client.post(
        _url(drafting), _form_data(client, drafting, **{name: "not a url"})
    )
    assert "Enter a valid URL" in response.content.decode()


def test_alignments_are_added_one_row_at_a_time(client, drafting, proposer):
    client.force_login(proposer)
    prefix = _badge_field(drafting, "1", "al-new")
    client.post(
        _url(drafting),
        _form_data(
            client,
            drafting,
            **{
                f"{prefix}-framework": "ANSI/ASME",
                f"{prefix}-code": "Y14.1-2009",
                f"{prefix}-url": "https://www.asme.org/",
            },
        ),
    )
    badge = services.latest(drafting).content["badges"][0]
    assert [(a["framework"], a["code"]) for a in badge["alignments"]] == [
        ("ANSI/ASME", "Y14.1-2009")
    ]


def test_a_save_from_an_older_revision_merges_other_fields(
    client, drafting, proposer, teammate
):
    client.force_login(proposer)
    mine = _form_data(
        client, drafting, **{_badge_field(drafting, "1", "criteria"): "Mine"}
    )
    services.save(
        drafting,
        teammate,
        {
            **services.latest(drafting).content,
            "credential": {
                **services.latest(drafting).content["credential"],
                "summary": "Theirs",
            },
        },
        based_on=1,
    )
    response = client.post(_url(drafting), mine)
    latest = services.latest(drafting)
    assert latest.number == 3
    assert latest.content["credential"]["summary"] == "Theirs"
    assert latest.content["badges"][0]["criteria"] == "Mine"
    assert any(
        "Merged with changes saved meanwhile by others: Summary" in m
        for m in _messages(response)
    )


def test_overlapping_changes_show_a_conflict_and_lose_nothing(
    client, drafting, proposer, teammate
):
    client.force_login(proposer)
    summary = "c-summary"
    mine = _form_data(
        client, drafting, **{summary: "My summary", "c-category": "Mine too"}
    )
    content = services.latest(drafting).content
    services.save(
        drafting,
        teammate,
        {
            **content,
            "credential": {**content["credential"], "summary": "Their summary"},
        },
        based_on=1,
    )
    response = client.post(_url(drafting), mine)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Their summary" in html and "My summary" in html and "Mine too" in html
    assert [c.label for c in response.context["conflicts"]] == ["Summary"]
    assert drafting.revisions.count() == 2
    # The editor keeps theirs and saves again from the current revision.
    resolved = _form_data(
        client, drafting, **{summary: "Their summary", "c-category": "Mine too"}
    )
    assert resolved["based_on"] == 2
    client.post(_url(drafting), resolved)
    latest = services.latest(drafting)
    assert (latest.number, latest.content["credential"]["category"]) == (3, "Mine too")


def test_restore_an_old_revision_as_a_new_one(client, drafting, proposer):
    client.force_login(proposer)
    client.post(
        _url(drafting), _form_data(client, drafting, **{"c-category": "Trades"})
    )
    client.post(_url(drafting, "drafts:restore", 1))
    latest = services.latest(drafting)
    assert latest.number == 3
    assert latest.content == drafting.revisions.get(number=1).content
    assert latest.note == "Restored revision 1"


def test_compare_marks_the_changed_fields(client, drafting, proposer):
    client.force_login(proposer)
    client.post(
        _url(drafting), _form_data(client, drafting, **{"c-category": "Trades"})
    )
    response = client.get(_url(drafting, "drafts:compare") + "?a=1&b=2")
    assert [(c.label, c.old, c.new) for c in response.context["changes"]] == [
        ("Category", "", "Trades")
    ]
    assert client.get(_url(drafting, "drafts:compare") + "?a=1&b=9").status_code == 404


def test_what_changed_since_i_last_looked(client, drafting, proposer, teammate):
    client.force_login(teammate)
    client.get(_url(drafting))
    client.force_login(proposer)
    client.post(
        _url(drafting), _form_data(client, drafting, **{"c-category": "Trades"})
    )
    client.force_login(teammate)
    since = client.get(_url(drafting)).context["since"]
    assert since["since"] == 1
    assert [c.label for c in since["changes"]] == ["Category"]
    assert client.get(_url(drafting)).context["since"] is None


def test_add_a_badge(client, drafting, proposer):
    client.force_login(proposer)
    client.post(_url(drafting, "drafts:add_badge"), {"level": "2", "based_on": 1})
    levels = [b["level"] for b in services.latest(drafting).content["badges"]]
    assert levels == ["1", "2", "2", "3", "macro"]


def test_remove_a_badge(client, drafting, proposer):
    client.force_login(proposer)
    remove = _badge_field(drafting, "macro", "remove")
    client.post(_url(drafting), _form_data(client, drafting, **{remove: "on"}))
    levels = [b["level"] for b in services.latest(drafting).content["badges"]]
    assert levels == ["1", "2", "3"]


def test_the_live_check_reports_gaps(client, drafting, proposer):
    client.force_login(proposer)
    response = client.post(_url(drafting, "drafts:check"), _form_data(client, drafting))
    assert "gaps to close before submitting" in response.content.decode()
    complete_draft(drafting)
    response = client.post(_url(drafting, "drafts:check"), _form_data(client, drafting))
    assert "Meets the UMS framework" in response.content.decode()


def test_submission_needs_the_framework_check(client, drafting, proposer):
    client.force_login(proposer)
    response = client.get(drafting.get_absolute_url())
    blocked = {t.name: problems for t, problems in response.context["blocked"]}
    assert "framework check finds" in blocked["submit_draft"][0]
    complete_draft(drafting)
    response = client.get(drafting.get_absolute_url())
    assert "submit_draft" in [t.name for t in response.context["actions"]]


def test_compare_says_what_it_could_not_use(client, drafting, proposer):
    client.force_login(proposer)
    compare = _url(drafting, "drafts:compare")
    html = client.get(compare + "?a=-1").content.decode()
    assert "“-1” is not a revision number: this draft has revision 1 only" in html
    assert "nothing to compare it with yet" in html
    client.post(
        _url(drafting), _form_data(client, drafting, **{"c-category": "Trades"})
    )
    html = client.get(compare + "?a=2&b=2").content.decode()
    assert "You chose the same revision twice" in html
    html = client.get(compare + "?a=x").content.decode()
    assert "“x” is not a revision number: choose revisions 1 to 2" in html

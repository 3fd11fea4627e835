"""Members see an open round's count only once they have voted (a setting, on by
default); staff are told in words why they do not vote."""

from django.urls import reverse

from approvals import services
from proposals import policy
from teams.models import Membership, Team

HIDDEN = "The count is shown once you have voted"


def _page(client, user, round_) -> str:
    client.force_login(user)
    return client.get(reverse("committee:round", args=[round_.pk])).text


def test_a_member_sees_the_count_only_after_voting(client, round_, committee):
    member = committee[1]
    services.cast_vote(round_, committee[2], "reject")
    before = _page(client, member, round_)
    assert HIDDEN in before and ">Reject<" not in before
    assert not policy.can_see_tally(round_, member)
    services.cast_vote(round_, member, "approve")
    after = _page(client, member, round_)
    assert HIDDEN not in after and ">Reject<" in after


def test_the_chair_and_staff_always_see_the_count(client, round_, chair, staff):
    for user in (chair, staff):
        assert HIDDEN not in _page(client, user, round_)


def test_everyone_sees_the_count_once_the_round_closes(client, round_, committee):
    for voter in committee[:3]:
        services.cast_vote(round_, voter, "approve")
    services.close_round(round_, committee[0])
    round_.refresh_from_db()
    assert HIDDEN not in _page(client, committee[4], round_)
    assert policy.can_see_tally(round_, round_.proposal.proposer)


def test_the_setting_off_shows_members_the_count_at_once(
    settings, client, round_, committee
):
    settings.COMMITTEE_TALLY_AFTER_VOTE = False
    assert HIDDEN not in _page(client, committee[1], round_)


def test_staff_are_told_why_they_do_not_vote(client, round_, staff):
    page = _page(client, staff, round_)
    assert "micro-credential staff are not members of the Steering Committee" in page


def test_a_recused_member_is_told_of_their_conflict(client, round_, committee):
    services.recuse(round_, committee[1], "I advised the team.")
    assert "you declared a conflict of interest" in _page(client, committee[1], round_)


def test_a_member_on_the_team_is_told_so(client, round_, committee):
    team = Team.objects.get_or_create(proposal=round_.proposal)[0]
    Membership.objects.create(team=team, user=committee[2], role="faculty")
    page = _page(client, committee[2], round_)
    assert "you are on this proposal&#x27;s development team" in page

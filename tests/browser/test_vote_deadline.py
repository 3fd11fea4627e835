"""In real Chromium: staff set the voting deadline when forwarding, the daily
reminders email the member who has not voted (two days before) and the chair (once the
deadline passed), and each follows the emailed link to act."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from approvals.models import VotingRound
from proposals.models import State
from tests.browser.test_interest_to_accept import sign_in
from tests.factories import (
    ProposalFactory,
    UserFactory,
    chair_user,
    committee_member,
    complete_draft,
    staff_user,
)

pytestmark = pytest.mark.browser


def _days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _remind(round_: VotingRound, *, deadline_in: int) -> list:
    """The reminders the daily run sends once the deadline is `deadline_in` days
    away (time passing, as the deadline moving closer)."""
    VotingRound.objects.filter(pk=round_.pk).update(
        deadline=_days_from_today(deadline_in)
    )
    mail.outbox.clear()
    call_command("send_vote_reminders", stdout=io.StringIO())
    return list(mail.outbox)


def _link(message, live_server) -> str:
    return re.search(r"https?://\S+/committee/rounds/\d+/", message.body).group(0)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_deadline_set_on_forwarding_reminds_and_the_chair_closes(
    new_page, step, live_server, settings
):
    settings.SITE_URL = live_server.url
    proposal = ProposalFactory(
        proposer=UserFactory(),
        title="Marine Aquaculture Technician",
        state=State.UNDER_REVIEW,
    )
    complete_draft(proposal)
    staff_user(username="sam", first_name="Sam", last_name="Taylor")
    chair_user(
        username="chair", first_name="Chris", last_name="Hale", email="chair@maine.edu"
    )
    committee_member(
        username="member1", first_name="Mira", last_name="Lee", email="mira@maine.edu"
    )
    committee_member(
        username="member2", first_name="Noor", last_name="Diaz", email="noor@maine.edu"
    )

    sam = new_page()
    sign_in(sam, "sam")
    sam.goto(proposal.get_absolute_url())
    forward = "Forward to the Steering Committee"
    offer = sam.locator("details.confirm-inline").filter(
        has=sam.locator("summary", has_text=forward)
    )
    offer.locator("summary").click()
    offer.get_by_label("Voting deadline").fill(_days_from_today(5).isoformat())
    step(sam, "40-forward-with-deadline")
    offer.get_by_role("button", name=f"Confirm: {forward}").click()
    sam.get_by_text("the proposal is now").wait_for()
    round_ = VotingRound.objects.get(proposal=proposal)
    assert round_.deadline == _days_from_today(5)

    mira = new_page()
    sign_in(mira, "member1")
    mira.get_by_role("link", name="Committee", exact=True).click()
    mira.get_by_text("5 days left").wait_for()

    due = _remind(round_, deadline_in=2)
    assert sorted(m.to[0] for m in due) == [
        "chair@maine.edu",
        "mira@maine.edu",
        "noor@maine.edu",
    ]
    mira.goto(_link(next(m for m in due if m.to == ["mira@maine.edu"]), live_server))
    mira.get_by_text("2 days left").first.wait_for()
    step(mira, "41-member-follows-reminder")
    mira.get_by_label("Approve", exact=True).check()
    mira.get_by_role("button", name="Record my vote").click()
    mira.get_by_text("Your vote is recorded").wait_for()
    assert _remind(round_, deadline_in=1) == []  # each reminder goes once

    overdue = _remind(round_, deadline_in=-1)
    assert [m.to for m in overdue] == [["chair@maine.edu"]]
    assert "Voting deadline passed" in overdue[0].subject
    chair = new_page()
    sign_in(chair, "chair")
    chair.goto(_link(overdue[0], live_server))
    not_voted = chair.get_by_role("region", name="Not voted yet")
    assert "Noor Diaz" in not_voted.inner_text()
    assert "Mira Lee" not in not_voted.inner_text()
    step(chair, "42-chair-after-deadline")
    # Without quorum there is nothing to close: the chair gives the round a week more.
    assert chair.get_by_role("link", name="Review and close the round").count() == 0
    chair.get_by_role("button", name="Extend the round").click()
    chair.get_by_text("The round is extended: members may vote until").wait_for()
    round_.refresh_from_db()
    assert round_.deadline == _days_from_today(7)

    noor = new_page()
    sign_in(noor, "member2")
    noor.goto(_link(due[0], live_server))
    noor.get_by_label("Approve", exact=True).check()
    noor.get_by_role("button", name="Record my vote").click()
    noor.get_by_text("Your vote is recorded").wait_for()

    chair.reload()
    chair.get_by_role("link", name="Review and close the round").click()
    chair.get_by_text("Closing records the committee's decision: approved").wait_for()
    step(chair, "43-close-round-confirmation")
    chair.get_by_role("button", name="Close the round and record the decision").click()
    chair.get_by_text(
        "The committee approved “Marine Aquaculture Technician”."
    ).wait_for()
    round_.refresh_from_db()
    assert round_.closed_at is not None

"""The daily `send_vote_reminders` command: members who have not voted are emailed
two days before the deadline, the chair once it has passed, each reminder once."""

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from approvals import services
from approvals.models import VoteReminder


def _due_in(round_, days: int) -> None:
    round_.deadline = timezone.localdate() + datetime.timedelta(days=days)
    round_.save(update_fields=["deadline"])


def _run() -> str:
    out = io.StringIO()
    call_command("send_vote_reminders", stdout=out)
    return out.getvalue()


def _emails(committee, address: str = "{}@example.edu"):
    for user in committee:
        user.email = address.format(user.username)
        user.save()


def test_members_who_have_not_voted_are_reminded_two_days_before(
    round_, committee, mailoutbox
):
    _emails(committee)
    services.cast_vote(round_, committee[1], "approve")
    _due_in(round_, 2)
    assert "4 reminder(s) sent." in _run()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        u.email for u in committee if u != committee[1]
    )
    message = mailoutbox[0]
    assert round_.proposal.title in message.subject
    assert "2 days left" in message.body
    assert f"/committee/rounds/{round_.pk}/" in message.body


def test_no_reminder_earlier_than_two_days_before(round_, committee, mailoutbox):
    _emails(committee)
    _due_in(round_, 3)
    assert "0 reminder(s) sent." in _run()
    assert mailoutbox == []


def test_each_reminder_is_sent_once(round_, committee, mailoutbox):
    _emails(committee)
    _due_in(round_, 1)
    _run()
    first = len(mailoutbox)
    assert first == 5
    _due_in(round_, 0)
    assert "0 reminder(s) sent." in _run()
    assert len(mailoutbox) == first
    assert VoteReminder.objects.count() == first


def test_the_chair_is_told_once_when_the_deadline_has_passed(
    round_, committee, mailoutbox
):
    _emails(committee)
    services.cast_vote(round_, committee[2], "approve")
    _due_in(round_, -1)
    assert "1 reminder(s) sent." in _run()
    [message] = mailoutbox
    assert message.to == [committee[0].email]
    assert "passed" in message.subject
    assert "1 of 5 eligible members have voted; quorum is 3." in message.body
    _run()
    assert len(mailoutbox) == 1


def test_closed_rounds_and_members_without_email_get_nothing(
    round_, committee, mailoutbox
):
    _emails(committee, "")
    _due_in(round_, 1)
    assert "0 reminder(s) sent." in _run()
    _emails(committee)
    for voter in committee:
        services.cast_vote(round_, voter, "approve")
    services.close_round(round_, committee[0])
    _due_in(round_, -3)
    assert "0 reminder(s) sent." in _run()
    assert mailoutbox == []


def test_a_failed_send_is_not_recorded_and_is_tried_again(
    round_, committee, mailoutbox, monkeypatch
):
    _emails(committee[1:], "")
    _due_in(round_, 1)

    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(services, "send_mail", refuse)
    assert services.send_vote_reminders() == 0
    assert not VoteReminder.objects.exists()
    monkeypatch.undo()
    assert services.send_vote_reminders() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_overlapping_runs_send_each_reminder_once(round_, committee, mailoutbox):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent PostgreSQL connections")
    _emails(committee)
    _due_in(round_, 1)
    # Forwarding's own notifications went out on commit.
    mailoutbox.clear()
    barrier = threading.Barrier(2)
    counts = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            counts.append(services.send_vote_reminders())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 5
    assert VoteReminder.objects.count() == 5
    assert len(mailoutbox) == 5

"""Emails go through the database task queue and a real worker (`db_worker`): nothing
is sent in the request, a server that is down gets the email later, and nobody gets
the same email twice."""

import smtplib
from datetime import timedelta

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts import mail
from approvals import services
from proposals.models import State

DOWN: set[str] = set()
REFUSED: set[str] = set()


class FlakyBackend(EmailBackend):
    """The test outbox, with a server that cannot be reached for the addresses in
    DOWN and refuses those in REFUSED."""

    def send_messages(self, messages):
        for message in messages:
            if DOWN & set(message.to):
                raise ConnectionRefusedError("the mail server is down")
            if REFUSED & set(message.to):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no")})
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    yield
    DOWN.clear()
    REFUSED.clear()


def _waiting() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status=TaskResultStatus.READY))


def test_a_step_queues_its_emails_and_the_worker_sends_them(
    proposal,
    proposer,
    staff,
    mailoutbox,
    run_worker,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.perform(proposal, "triage", user=staff)
    proposal.refresh_from_db()
    assert proposal.state == State.IN_TRIAGE
    assert mailoutbox == []
    [queued] = _waiting()
    assert queued.task_path == "accounts.mail.deliver"

    run_worker()

    assert [m.to for m in mailoutbox] == [[proposer.email]]
    assert "started the triage of your proposal" in mailoutbox[0].subject
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    assert queued.return_value == 1


def test_a_server_down_gets_the_rest_later_and_nobody_twice(
    run_worker, mailoutbox, flaky
):
    REFUSED.add("gone@example.org")
    DOWN.add("b@example.org")
    addresses = ["gone@example.org", "a@example.org", "b@example.org", "c@x.org"]
    mail.send_quietly("News", "Body", addresses)
    run_worker()
    # A refused address is dropped (trying again would not help); the rest waits.
    assert [m.to for m in mailoutbox] == [["a@example.org"]]
    [retry] = _waiting()
    left = ["b@example.org", "c@x.org"]
    assert retry.args_kwargs["args"] == ["News", "Body", left, 2]
    assert retry.run_after > timezone.now() + timedelta(seconds=50)

    # Not before its time; then the server is back.
    run_worker()
    assert len(mailoutbox) == 1
    DOWN.clear()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    assert [m.to for m in mailoutbox] == [
        ["a@example.org"],
        ["b@example.org"],
        ["c@x.org"],
    ]
    assert _waiting() == []


def test_the_last_attempt_gives_up_and_logs(db, settings, mailoutbox, flaky, caplog):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    DOWN.add("a@example.org")
    assert mail.deliver.call("News", "Body", ["a@example.org"], mail.ATTEMPTS) == 0
    assert mailoutbox == []
    assert _waiting() == []
    assert "Gave up sending 'News' to 1 address(es) after 5 attempt(s)" in caplog.text


def test_without_a_worker_a_failure_is_logged_and_the_step_stands(
    proposal, staff, settings, caplog, django_capture_on_commit_callbacks
):
    """TASKS_IMMEDIATE (the tests' default) sends in the request: a real SMTP server
    that cannot be reached is logged, not shown, and nothing waits in a queue."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    with django_capture_on_commit_callbacks(execute=True):
        services.perform(proposal, "triage", user=staff)
    proposal.refresh_from_db()
    assert proposal.state == State.IN_TRIAGE
    assert "Gave up sending" in caplog.text
    assert not DBTaskResult.objects.exists()

"""Emails leave through the task queue, after the work they tell of: the person who
acted never waits on the mail server, and a server that is down gets the email
later instead of never."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# A send that fails because the server cannot be reached is tried again after 1, 5,
# 25 and 125 minutes (about two and a half hours in all), then given up and logged.
ATTEMPTS = 5
FIRST_RETRY = timedelta(minutes=1)
BACKOFF = 5


def send_quietly(subject: str, body: str, addresses: list[str]) -> None:
    """Queue one email per address. Callers call it once their transaction has
    committed; the step already happened, so a failure to queue is logged, never
    shown to the user."""
    addresses = [address for address in addresses if address]
    if not addresses:
        return
    try:
        # Translated subjects are lazy strings: the queue stores text.
        deliver.enqueue(str(subject), body, addresses)
    except DatabaseError:
        logger.exception(
            "Could not queue %r for %d address(es)", subject, len(addresses)
        )


@task()
def deliver(subject: str, body: str, addresses: list[str], attempt: int = 1) -> int:
    """Send one email per address, so no one sees the others' addresses; returns how
    many went. An address the server refuses is logged and dropped (trying again
    would not help); when the server cannot be reached, the addresses not yet served
    are queued again, later, so nobody gets the same email twice."""
    connection = get_connection()
    sent = 0
    try:
        for index, address in enumerate(addresses):
            message = EmailMessage(
                subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                [address],
                connection=connection,
            )
            try:
                sent += message.send()
            except smtplib.SMTPRecipientsRefused:
                logger.warning("The mail server refused an address for %r", subject)
            except OSError:
                _try_again(subject, body, addresses[index:], attempt)
                break
    finally:
        connection.close()
    return sent


def _try_again(subject: str, body: str, addresses: list[str], attempt: int) -> None:
    # The immediate backend (TASKS_IMMEDIATE) cannot wait: without a worker the
    # email is only logged as lost, as before the queue.
    if attempt >= ATTEMPTS or not deliver.get_backend().supports_defer:
        logger.exception(
            "Gave up sending %r to %d address(es) after %d attempt(s)",
            subject,
            len(addresses),
            attempt,
        )
        return
    logger.warning(
        "Could not send %r to %d address(es) (attempt %d of %d); trying again later",
        subject,
        len(addresses),
        attempt,
        ATTEMPTS,
        exc_info=True,
    )
    later = timezone.now() + FIRST_RETRY * BACKOFF ** (attempt - 1)
    deliver.using(run_after=later).enqueue(subject, body, addresses, attempt + 1)

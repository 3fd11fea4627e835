import logging

from django.conf import settings
from django.core.mail import send_mass_mail

logger = logging.getLogger(__name__)


def send_quietly(subject: str, body: str, addresses: list[str]) -> int:
    """Send one email per address after the work it tells of is done: a mail server
    failure is logged, not shown to the user, whose action already succeeded."""
    messages = [
        (subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses
    ]
    try:
        return send_mass_mail(messages, fail_silently=False)
    except OSError:
        logger.exception("Could not send %r to %d address(es)", subject, len(addresses))
        return 0

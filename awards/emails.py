"""The emails about awards, built apart from sending so that a task queue can send
them later."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.mail import send_quietly
from awards.models import Award
from awards.services import claim_token
from credentials.openbadges import absolute


def claim_message(award: Award) -> tuple[str, str, list[str]]:
    """Subject, body and address of the email that brings the recipient their
    claim link."""
    subject = _("You have earned the %(badge)s badge") % {"badge": award.badge.name}
    body = render_to_string(
        "emails/award_claim.txt",
        {
            "award": award,
            "issuer": award.badge.proposal.issuer,
            "url": absolute(reverse("awards:claim", args=[claim_token(award)])),
            "office_email": settings.OFFICE_EMAIL,
        },
    )
    return subject, body, [award.recipient_email]


def send_claim(award: Award) -> int:
    return send_quietly(*claim_message(award))

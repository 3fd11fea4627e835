from django.core.management.base import BaseCommand

from approvals.services import send_vote_reminders


class Command(BaseCommand):
    help = (
        "Email committee members who have not voted two days before a round's "
        "deadline, and the chair once a deadline has passed; each reminder once. "
        "Run daily (cron or a systemd timer)."
    )

    def handle(self, *args, **options) -> None:
        sent = send_vote_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")

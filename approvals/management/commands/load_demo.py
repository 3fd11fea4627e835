from django.core.management.base import BaseCommand

from approvals.demo import ACCOUNTS, PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Create the demo accounts and a proposal in every workflow state (idempotent)."
    )

    def handle(self, *args, **options) -> None:
        accounts, created = load_demo()
        self.stdout.write(
            f"Demo data ready: {accounts} accounts, {created} new proposals."
        )
        self.stdout.write(f"Demo accounts (password '{PASSWORD}'):")
        for username, first, last, *_roles, does in ACCOUNTS:
            self.stdout.write(f"  {username:<10} {first} {last} — {does}")

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from development import pathway


class Command(BaseCommand):
    help = (
        "Publish the UMS Micro-Credential Development pathway (seed 003) in the "
        "catalog, unless it is there. Run after `migrate` on every deployment."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--by",
            help="Username recorded as its proposer (default: the first superuser).",
        )

    def handle(self, *args, by: str | None = None, **options) -> None:
        users = (
            User.objects.filter(username=by)
            if by
            else User.objects.filter(is_superuser=True, is_active=True).order_by("pk")
        )
        account = users.first()
        if account is None:
            raise CommandError(
                f"No account {by!r}."
                if by
                else "Create a superuser first "
                "(manage.py createsuperuser): the pathway is recorded as theirs."
            )
        proposal = pathway.ensure(account)
        if proposal is None:
            self.stdout.write("The development pathway is already in the catalog.")
        else:
            self.stdout.write(f"Published {proposal.title} ({proposal.reference}).")

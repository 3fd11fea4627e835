from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from credentials.pdf import render_pdf
from proposals.models import Proposal


class Command(BaseCommand):
    help = "Write the PDF summary of one proposal to a file."

    def add_arguments(self, parser):
        parser.add_argument("proposal", type=int, help="the proposal's number")
        parser.add_argument("out", help="the PDF file to write")
        parser.add_argument(
            "--public",
            action="store_true",
            help="the public summary, without meeting notes, comments or notes",
        )

    def handle(self, *args, proposal, out, public, **options):
        try:
            subject = Proposal.objects.select_related("campus", "issuer").get(
                pk=proposal
            )
        except Proposal.DoesNotExist as error:
            raise CommandError(f"No proposal {proposal}.") from error
        path = Path(out)
        try:
            path.write_bytes(render_pdf(subject, internal=not public))
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error}") from error
        self.stdout.write(f"Wrote {path} ({path.stat().st_size:,} bytes).")

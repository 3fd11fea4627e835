"""`manage.py make_issuer_key`: print the settings for a new issuer signing key."""

from django.core.management.base import BaseCommand

from credentials.proofs import keys


class Command(BaseCommand):
    help = (
        "Make a new Ed25519 signing key for awards; the current key, if any, is "
        "retired but keeps verifying what it signed. Prints the settings to set on "
        "every app server; stores nothing."
    )

    def handle(self, *args, **options) -> None:
        for name, value in keys.rotation().items():
            self.stdout.write(f"{name}={value}")
        self.stdout.write(
            "Set these on every app server and restart; until then the old key signs.",
            self.style.SUCCESS,
        )

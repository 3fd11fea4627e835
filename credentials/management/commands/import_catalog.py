from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from credentials.catalog_import import CatalogFormatError, import_catalog
from credentials.models import Issuer
from teams.models import Campus


class Command(BaseCommand):
    help = (
        "Import a catalog table (Category | Badge Name | Course(s) Required | Level | "
        "Badge Image | Description | Link) as published credentials of an issuer."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the catalog table, as text")
        parser.add_argument(
            "--issuer", required=True, help="slug of the issuer profile (see admin)"
        )
        parser.add_argument(
            "--campus",
            required=True,
            help="short name of the campus or partner institution that offers them",
        )
        parser.add_argument(
            "--by", required=True, help="username recorded as importing them"
        )

    def handle(self, *args, file, issuer, campus, by, **options):
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            issuer_profile = Issuer.objects.get(slug=issuer)
            institution = Campus.objects.get(short_name=campus)
            user = get_user_model().objects.get(username=by)
        except Issuer.DoesNotExist as error:
            raise CommandError(f"No issuer {issuer!r}; add it in the admin.") from error
        except Campus.DoesNotExist as error:
            raise CommandError(f"No campus {campus!r}; add it in the admin.") from error
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user {by!r}.") from error
        try:
            result = import_catalog(
                text,
                issuer=issuer_profile,
                campus=institution,
                by=user,
                source=path.name,
            )
        except CatalogFormatError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Imported {result.badges} badges as {result.credentials} published "
            f"credentials; {len(result.skipped)} already in the catalog."
        )

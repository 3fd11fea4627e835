"""`manage.py export_awards DIR`: every issued award's signed credential, as issued."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from awards.models import Award


class Command(BaseCommand):
    help = (
        "Write the signed Open Badges 3.0 credential of every issued award to "
        "DIR/<award id>.json, exactly as issued (revoked ones too: their status "
        "list says they are revoked)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        count = 0
        awards = Award.objects.order_by("pk").values_list("uuid", "credential")
        for uuid, credential in awards.iterator(chunk_size=500):
            path = directory / f"{uuid}.json"
            path.write_text(json.dumps(credential, indent=2, ensure_ascii=False))
            count += 1
        self.stdout.write(f"Wrote {count} awards to {directory}", self.style.SUCCESS)

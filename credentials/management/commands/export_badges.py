import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from credentials import exports, openbadges
from credentials.models import CatalogBadge


class Command(BaseCommand):
    help = (
        "Write the Open Badges exports of approved, published and retired credentials "
        "(one, several or all) to a folder: a sub-folder per credential."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="folder to write to (created if missing)")
        parser.add_argument(
            "--proposal",
            type=int,
            action="append",
            dest="proposals",
            help="a proposal number; repeat for several (default: all approved)",
        )
        parser.add_argument(
            "--format",
            action="append",
            dest="formats",
            choices=exports.GROUPS,
            help="ob3, ob2, image or specimen; repeat for several (default: all)",
        )

    def handle(self, *args, out, proposals, formats, **options):
        badges = CatalogBadge.objects.public().select_related(
            "proposal__issuer", "revision"
        )
        if proposals:
            badges = badges.filter(proposal_id__in=proposals)
            missing = set(proposals) - set(badges.values_list("proposal_id", flat=True))
            if missing:
                raise CommandError(
                    "Not approved, or unknown: " + ", ".join(map(str, sorted(missing)))
                )
        badges = [
            b for b in badges.order_by("proposal_id", "position") if b.proposal.issuer
        ]
        if not badges:
            raise CommandError("No approved credential to export.")
        chosen = set(formats or exports.GROUPS)
        root = Path(out)
        written, problems = 0, []
        issuers = {}
        for badge in badges:
            folder = (
                root / f"{badge.proposal.reference}-{slugify(badge.proposal.title)}"
            )
            folder.mkdir(parents=True, exist_ok=True)
            problems += [
                f"{badge.proposal.reference} {p}"
                for p in openbadges.export_problems(badge)
            ]
            for name, export in exports.EXPORTS.items():
                if export.group in chosen:
                    body, _type = exports.render(badge, name)
                    (folder / f"{slugify(badge.name) or badge.key}-{name}").write_bytes(
                        body
                    )
                    written += 1
            issuers[badge.proposal.issuer.slug] = badge.proposal.issuer
        if chosen & {"ob2", "ob3"}:
            (root / "issuers").mkdir(parents=True, exist_ok=True)
            for slug, issuer in issuers.items():
                documents = {
                    "issuer.json": openbadges.ob2_issuer(issuer),
                    "profile.json": {
                        "@context": openbadges.OB3_CONTEXT,
                        **openbadges.ob3_profile(issuer),
                    },
                }
                for name, document in documents.items():
                    (root / "issuers" / f"{slug}-{name}").write_text(
                        json.dumps(document, indent=2, ensure_ascii=False)
                    )
                    written += 1
        self.stdout.write(f"Wrote {written} files for {len(badges)} badges to {root}.")
        if problems:
            raise CommandError(
                "Exports that fail the Open Badges checks:\n" + "\n".join(problems)
            )

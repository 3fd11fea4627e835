"""The move of the issuer and the catalog index to credentials/ keeps an existing
database's data: a database at the last release's migrations, filled by load_demo,
migrates forward with every row, link and admin content type in place."""

import io

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from credentials import catalog_hooks
from credentials.models import CatalogBadge, Issuer
from proposals import hooks
from proposals.models import State
from tests.factories import UserFactory

# Apps the last release did not have, whose demo steps need their tables.
LATER_APPS = ("courses.", "awards.", "development.")
# The last release: the models still in the workflow apps, no credentials app.
BEFORE_THE_MOVE = [
    ("proposals", "0005_text_limits"),
    ("metadata_templates", "0005_text_limits"),
    ("credentials", None),
]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor


@pytest.mark.django_db(transaction=True)
def test_a_database_filled_before_the_move_keeps_its_data(
    client, reference_data, monkeypatch
):
    old = _migrate(BEFORE_THE_MOVE).loader.project_state(BEFORE_THE_MOVE[:2]).apps
    # The last release had no course mappings, awards nor development pathway (their
    # tables come after the move).
    steps = [
        step for step in hooks.demo_steps if not step.__module__.startswith(LATER_APPS)
    ]
    monkeypatch.setattr(hooks, "demo_steps", steps)
    monkeypatch.setattr(catalog_hooks, "_sources", [])
    call_command("load_demo", stdout=io.StringIO())
    OldIssuer = old.get_model("metadata_templates", "Issuer")
    OldBadge = old.get_model("proposals", "CatalogBadge")
    before = {
        "issuers": sorted(OldIssuer.objects.values_list("pk", "slug")),
        "badges": sorted(
            OldBadge.objects.values_list("pk", "proposal_id", "key", "revision_id")
        ),
        "prerequisites": sorted(
            OldBadge.prerequisites.through.objects.values_list(
                "from_catalogbadge_id", "to_catalogbadge_id"
            )
        ),
        "issued_by": sorted(
            old.get_model("proposals", "Proposal")
            .objects.filter(issuer__isnull=False)
            .values_list("pk", "issuer__slug")
        ),
    }
    old_type = ContentType.objects.get(app_label="metadata_templates", model="issuer")
    admin = UserFactory(is_staff=True, is_superuser=True)
    LogEntry.objects.create(
        user=admin,
        content_type=old_type,
        object_id=str(before["issuers"][0][0]),
        object_repr="issuer",
        action_flag=CHANGE,
    )
    assert len(before["badges"]) > 30 and before["prerequisites"]

    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())

    assert sorted(Issuer.objects.values_list("pk", "slug")) == before["issuers"]
    assert (
        sorted(
            CatalogBadge.objects.values_list("pk", "proposal_id", "key", "revision_id")
        )
        == before["badges"]
    )
    assert (
        sorted(
            CatalogBadge.prerequisites.through.objects.values_list(
                "from_catalogbadge_id", "to_catalogbadge_id"
            )
        )
        == before["prerequisites"]
    )
    # The admin's history follows the model to its new app.
    entry = LogEntry.objects.get()
    assert (entry.content_type.app_label, entry.content_type.model) == (
        "credentials",
        "issuer",
    )
    assert not ContentType.objects.filter(
        app_label="metadata_templates", model="issuer"
    )
    # The public addresses answer from the moved rows.
    badge = CatalogBadge.objects.filter(proposal__state=State.PUBLISHED).first()
    assert client.get(badge.export_url("achievement.json")).status_code == 200
    issuer = badge.proposal.issuer
    assert (issuer.slug, badge.proposal_id) in [
        (slug, pk) for pk, slug in before["issued_by"]
    ]
    assert (
        client.get(reverse("catalog:issuer", args=[issuer.slug, "issuer.json"]))
    ).status_code == 200

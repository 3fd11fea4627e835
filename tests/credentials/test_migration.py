"""The move of the issuer and the catalog index to credentials/ keeps an existing
database's data: a database at the migrations before the move, holding issuers and
published credentials with their catalog badges, migrates forward with every row, link
and admin content type in place."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from credentials.models import CatalogBadge, Issuer
from metadata_templates.demo_content import complete_content
from proposals.models import State
from tests.factories import UserFactory

# Before the move: the models still in the workflow apps, no credentials app.
BEFORE_THE_MOVE = [
    ("proposals", "0005_text_limits"),
    ("metadata_templates", "0005_text_limits"),
    ("credentials", None),
]


def _fill(old) -> None:
    """Issuers, and credentials in each exported state naming one, each with its
    approved revision and catalog badges, a level requiring the level before it."""
    proposer = old.get_model("auth", "User").objects.create(username="fran")
    campus = old.get_model("teams", "Campus").objects.first()
    issuers = [
        old.get_model("metadata_templates", "Issuer").objects.create(
            name=f"Issuer {n}",
            slug=f"issuer-{n}",
            url="https://maine.edu",
            email=f"issuer{n}@maine.edu",
        )
        for n in (1, 2)
    ]
    Proposal = old.get_model("proposals", "Proposal")
    Revision = old.get_model("metadata_templates", "Revision")
    Badge = old.get_model("proposals", "CatalogBadge")
    for n, state in enumerate([State.PUBLISHED, State.APPROVED, State.RETIRED]):
        title = f"Credential {n}"
        proposal = Proposal.objects.create(
            title=title,
            state=state,
            proposer=proposer,
            proposer_name="Fran Acker",
            proposer_email="fran@maine.edu",
            pathway_type="workforce",
            description="Skills.",
            target_audience="Adults",
            campus=campus,
            credential_type="pathway",
            issuer=issuers[n % 2],
        )
        content = complete_content(
            title,
            ["1", "2", "3", "macro"],
            pathway_type="workforce",
            audience="Adults",
            campus=str(campus),
        )
        revision = Revision.objects.create(proposal=proposal, number=1, content=content)
        made = []
        for position, badge in enumerate(content["badges"]):
            made.append(
                Badge.objects.create(
                    proposal=proposal,
                    revision=revision,
                    key=badge["key"],
                    position=position,
                    name=badge["name"],
                    level=badge["level"],
                    description=badge["description"],
                )
            )
        for earlier, later in zip(made, made[1:], strict=False):
            later.prerequisites.add(earlier)


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor


@pytest.mark.django_db(transaction=True)
def test_a_database_filled_before_the_move_keeps_its_data(client, reference_data):
    old = _migrate(BEFORE_THE_MOVE).loader.project_state(BEFORE_THE_MOVE[:2]).apps
    # Filled through the models as they were then (today's services and demo write
    # tables that came after the move).
    _fill(old)
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
    assert len(before["badges"]) == 12 and len(before["prerequisites"]) == 9

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

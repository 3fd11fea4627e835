import django.utils.timezone
from django.db import migrations, models
from django.db.models import DateTimeField, F, OuterRef, Subquery
from django.db.models.functions import Coalesce


def entered_state(apps, schema_editor):
    """Each proposal's newest history entry (else its submission) is when it entered
    its state, as the action queues read it before the column existed."""
    Proposal = apps.get_model("proposals", "Proposal")
    TransitionLog = apps.get_model("proposals", "TransitionLog")
    newest = (
        TransitionLog.objects.filter(proposal=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    Proposal.objects.update(
        state_changed_at=Coalesce(
            Subquery(newest, output_field=DateTimeField()), F("created_at")
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ("proposals", "0007_interest_form_edits"),
    ]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="state_changed_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="in this state since",
            ),
        ),
        migrations.RunPython(entered_state, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(
                fields=["state", "state_changed_at"],
                name="proposals_p_state_0bb354_idx",
            ),
        ),
    ]

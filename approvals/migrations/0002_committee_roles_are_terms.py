from django.db import migrations

# Committee membership now comes from committee terms; the groups that stood for it
# would mislead an administrator who assigned them.
RETIRED_GROUPS = ("Steering committee", "Committee chair")


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=RETIRED_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0001_committee_rounds_votes"),
        ("accounts", "0001_role_groups"),
    ]

    operations = [migrations.RunPython(remove_groups, migrations.RunPython.noop)]

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('metadata_templates', '0005_text_limits'),
        ('proposals', '0006_catalog_moves_to_credentials'),
    ]

    # The issuer moved to credentials with its table: only Django's state changes.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Issuer')],
            database_operations=[],
        ),
    ]

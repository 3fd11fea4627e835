import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('credentials', '0001_issuer_and_catalog_from_the_workflow'),
        ('proposals', '0005_text_limits'),
    ]

    # The issuer and the catalog index moved to credentials with their tables:
    # only Django's state changes.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='proposal',
                    name='issuer',
                    field=models.ForeignKey(blank=True, help_text='Empty: the default issuer, set when the credential is approved.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='proposals', to='credentials.issuer', verbose_name='issuer'),
                ),
                migrations.DeleteModel(
                    name='CatalogBadge',
                ),
            ],
            database_operations=[],
        ),
    ]

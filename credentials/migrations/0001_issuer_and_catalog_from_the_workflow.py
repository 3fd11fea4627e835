import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

# The models that moved here, with the app they came from. Their tables keep their
# names, so the move changes Django's state and the content types, not the data.
MOVED = {"issuer": "metadata_templates", "catalogbadge": "proposals"}


def relabel_content_types(apps, schema_editor, forward=True):
    """Admin history and permissions point at content types: move those rows too."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, old in MOVED.items():
        source, target = (old, "credentials") if forward else ("credentials", old)
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(
                app_label=target
            )


def restore_content_types(apps, schema_editor):
    relabel_content_types(apps, schema_editor, forward=False)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('metadata_templates', '0005_text_limits'),
        ('proposals', '0005_text_limits'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Issuer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='organisation name')),
                        ('slug', models.SlugField(help_text="Part of the issuer's public address; never change it.", unique=True, verbose_name='short name in addresses')),
                        ('url', models.URLField(verbose_name='web site')),
                        ('email', models.EmailField(max_length=254, verbose_name='contact email')),
                        ('description', models.TextField(blank=True, max_length=2000, verbose_name='description')),
                        ('image', models.BinaryField(blank=True, default=b'', verbose_name='logo')),
                        ('image_type', models.CharField(blank=True, editable=False, max_length=40)),
                        ('is_default', models.BooleanField(default=False, help_text='Issues every approved credential that names no other issuer.', verbose_name='default issuer')),
                    ],
                    options={
                        'db_table': 'metadata_templates_issuer',
                        'ordering': ['name'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('is_default', True)), fields=('is_default',), name='one_default_issuer')],
                    },
                ),
                migrations.CreateModel(
                    name='CatalogBadge',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=40)),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('name', models.CharField(max_length=200, verbose_name='badge name')),
                        ('level', models.CharField(choices=[('1', 'Level 1 – Introduction and foundation'), ('2', 'Level 2 – Training and practice'), ('3', 'Level 3 – Application and feedback'), ('macro', 'Stacked macro-badge')], max_length=8, verbose_name='level')),
                        ('category', models.CharField(blank=True, max_length=200, verbose_name='category')),
                        ('courses', models.TextField(blank=True, max_length=5000, verbose_name='courses required')),
                        ('human_code', models.CharField(blank=True, max_length=40, verbose_name='course code')),
                        ('description', models.TextField(max_length=5000, verbose_name='description')),
                        ('draft_number', models.PositiveIntegerField(default=1, verbose_name='approved draft')),
                        ('approved_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='approved at')),
                        ('prerequisites', models.ManyToManyField(blank=True, related_name='leads_to', to='credentials.catalogbadge')),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='catalog_badges', to='proposals.proposal')),
                        ('revision', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='metadata_templates.revision')),
                    ],
                    options={
                        'db_table': 'proposals_catalogbadge',
                        'ordering': ['category', 'name', 'pk'],
                        'indexes': [models.Index(fields=['category', 'name'], name='proposals_c_categor_e4bf17_idx'), models.Index(fields=['level'], name='proposals_c_level_228a01_idx')],
                        'constraints': [models.UniqueConstraint(fields=('proposal', 'key'), name='one_badge_per_key')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_types, restore_content_types),
    ]

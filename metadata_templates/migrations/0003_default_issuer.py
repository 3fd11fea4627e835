from django.db import migrations


def add_default_issuer(apps, schema_editor, app_label="metadata_templates"):
    """The University of Maine System issues its micro-credentials unless staff name
    another issuer; its profile is editable in the admin. (`app_label`: where the
    model lives when tests put the row back, since it moved to credentials.)"""
    Issuer = apps.get_model(app_label, "Issuer")
    if not Issuer.objects.filter(is_default=True).exists():
        Issuer.objects.get_or_create(
            slug="ums",
            defaults={
                "name": "University of Maine System",
                "url": "https://www.maine.edu/",
                "email": "ums.mc@maine.edu",
                "description": (
                    "The University of Maine System: seven universities and the "
                    "University of Maine School of Law."
                ),
                "is_default": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("metadata_templates", "0002_issuers")]

    operations = [migrations.RunPython(add_default_issuer, migrations.RunPython.noop)]

from django.db import migrations

# The seven universities of the University of Maine System and its School of Law.
CAMPUSES = [
    ("University of Maine", "UMaine"),
    ("University of Maine at Augusta", "UMA"),
    ("University of Maine at Farmington", "UMF"),
    ("University of Maine at Fort Kent", "UMFK"),
    ("University of Maine at Machias", "UMM"),
    ("University of Maine at Presque Isle", "UMPI"),
    ("University of Southern Maine", "USM"),
    ("University of Maine School of Law", "Maine Law"),
]


def add_campuses(apps, schema_editor):
    Campus = apps.get_model("teams", "Campus")
    for position, (name, short_name) in enumerate(CAMPUSES):
        Campus.objects.get_or_create(
            short_name=short_name, defaults={"name": name, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("teams", "0001_initial")]

    operations = [migrations.RunPython(add_campuses, migrations.RunPython.noop)]

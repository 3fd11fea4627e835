"""Sessions opened before accounts.backends.RoleBackend replaced Django's
ModelBackend name the old backend, which Django no longer accepts: without this,
everyone signed in would be signed out by the upgrade."""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import migrations
from django.utils import timezone

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
ROLE_BACKEND = "accounts.backends.RoleBackend"


def _restamp(apps, old: str, new: str) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    sessions = apps.get_model("sessions", "Session").objects.filter(
        expire_date__gt=timezone.now()
    )
    for session in sessions.iterator():
        data = store.decode(session.session_data)
        if data.get(BACKEND_SESSION_KEY) == old:
            data[BACKEND_SESSION_KEY] = new
            session.session_data = store.encode(data)
            session.save(update_fields=["session_data"])


def forwards(apps, schema_editor) -> None:
    _restamp(apps, MODEL_BACKEND, ROLE_BACKEND)


def backwards(apps, schema_editor) -> None:
    _restamp(apps, ROLE_BACKEND, MODEL_BACKEND)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_campus_profile"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

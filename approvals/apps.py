from django.apps import AppConfig
from django.core import checks

from approvals.rules import settings_problems


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "Reviews and approvals"

    def ready(self) -> None:
        checks.register(check_committee_settings)


def check_committee_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """`manage.py check` (and every server start) refuses committee settings under
    which rounds could never be decided."""
    return [
        checks.Error(problem, id="approvals.E001") for problem in settings_problems()
    ]

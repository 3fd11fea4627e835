from django.apps import AppConfig
from django.core import checks

from approvals.rules import settings_problems


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "Reviews and approvals"

    def ready(self) -> None:
        from accounts import permissions
        from approvals.models import CommitteeTerm

        checks.register(check_committee_settings)
        permissions.current_committee_terms = CommitteeTerm.objects.current


def check_committee_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """`manage.py check` (and every server start) refuses committee settings under
    which rounds could never be decided."""
    return [
        checks.Error(problem, id="approvals.E001") for problem in settings_problems()
    ]

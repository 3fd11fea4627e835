from django.apps import AppConfig
from django.conf import settings
from django.core import checks


def signing_key_is_set(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Production never signs with the development key (credentials.proofs.keys):
    without CREDENTIAL_SIGNING_KEY, `migrate` and `check` stop here, before any
    award could be issued."""
    if settings.DEBUG or settings.CREDENTIAL_SIGNING_KEY:
        return []
    return [
        checks.Error(
            "CREDENTIAL_SIGNING_KEY is not set, so no award can be signed.",
            hint="manage.py make_issuer_key makes one; set it on every app server.",
            id="awards.E001",
        )
    ]


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = "Awards"

    def ready(self) -> None:
        from awards import demo
        from proposals import hooks

        checks.register(signing_key_is_set)
        hooks.demo_steps.append(demo.learner_awards)

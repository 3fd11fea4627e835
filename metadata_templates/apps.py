from django.apps import AppConfig


class MetadataTemplatesConfig(AppConfig):
    name = "metadata_templates"
    verbose_name = "Meta-data templates"

    def ready(self) -> None:
        from metadata_templates import framework
        from proposals import hooks

        hooks.submission_checks.append(framework.submission_problems)

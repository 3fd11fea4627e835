from django.apps import AppConfig


class MetadataTemplatesConfig(AppConfig):
    name = "metadata_templates"
    verbose_name = "Meta-data templates"

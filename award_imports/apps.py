from django.apps import AppConfig


class AwardImportsConfig(AppConfig):
    name = "award_imports"
    verbose_name = "Awards from CSV files"

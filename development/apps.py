from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "development"
    verbose_name = "Development pathway"

    def ready(self) -> None:
        # The workflow pages show the launch checklist and a person's progress
        # through these hooks; the workflow never imports this app.
        from development import demo, sections
        from proposals import hooks

        hooks.page_sections["proposal"].append(sections.checklist_panel)
        hooks.page_sections["confirm:publish"].append(sections.checklist_panel)
        hooks.page_sections["dashboard"].append(sections.dashboard_progress)
        hooks.demo_steps.append(demo.load)

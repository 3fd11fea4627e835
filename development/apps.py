from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "development"
    verbose_name = "Development pathway"

    def ready(self) -> None:
        # The workflow pages show the launch checklist and a person's progress, and
        # awarding keeps to the pathway's rules, through these hooks; neither the
        # workflow nor awards imports this app.
        from awards import hooks as award_hooks
        from development import awarding, demo, sections
        from proposals import hooks

        hooks.page_sections["proposal"].append(sections.checklist_panel)
        hooks.page_sections["confirm:publish"].append(sections.checklist_panel)
        hooks.page_sections["dashboard"].append(sections.dashboard_progress)
        hooks.demo_steps.append(demo.load)
        award_hooks.own_paths.append(awarding.own_path)
        award_hooks.own_path_badges.append(awarding.pathway_badge_keys)
        award_hooks.resting_on.append(awarding.resting_on)

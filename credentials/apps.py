from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = "Credentials"

    def ready(self) -> None:
        # The workflow never imports this app: it asks what is registered here.
        from credentials import catalog, demo
        from proposals import hooks

        hooks.transition_effects["approve"].append(catalog.index_credential)
        hooks.publication_checks.append(catalog.publication_problems)
        hooks.prerequisite_choices.append(catalog.prerequisite_choices)
        hooks.demo_steps += [demo.date_approvals, demo.import_partner_catalog]

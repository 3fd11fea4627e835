from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.verification import flag_session

        user_logged_in.connect(flag_session, dispatch_uid="accounts.flag_session")

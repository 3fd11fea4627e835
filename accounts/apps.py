from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from allauth.account.signals import user_logged_in as sso_logged_in
        from django.contrib.auth.signals import user_logged_in

        from accounts.sso import record_directory
        from accounts.verification import flag_session

        user_logged_in.connect(flag_session, dispatch_uid="accounts.flag_session")
        sso_logged_in.connect(record_directory, dispatch_uid="accounts.sso_directory")

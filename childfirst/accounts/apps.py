from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "childfirst.accounts"
    label = "accounts"

    def ready(self):
        from childfirst.accounts import permissions, signals  # noqa: F401

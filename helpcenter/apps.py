from django.apps import AppConfig


class HelpcenterConfig(AppConfig):
    name = "helpcenter"
    verbose_name = "商户帮助中心"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from helpcenter import (
            checks,  # noqa: F401  (registers the content checks)
            deadline,
        )

        # Every connection gets the deadline (kept only in threads that run with a budget).
        connection_created.connect(deadline.install, dispatch_uid="helpcenter.deadline")

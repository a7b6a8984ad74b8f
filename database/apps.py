from django.apps import AppConfig


class DatabaseConfig(AppConfig):
    name = "database"
    verbose_name = "数据库的好日子和坏日子"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from database import deadline
        from database.health import health_report
        from helpcenter import status

        # Every connection gets the deadline (kept only in threads that run with a budget).
        connection_created.connect(deadline.install, dispatch_uid="database.deadline")
        status.register_probe("database", health_report)

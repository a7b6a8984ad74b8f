from django.apps import AppConfig


class HelpcenterConfig(AppConfig):
    name = "helpcenter"
    verbose_name = "商户帮助中心"

    def ready(self) -> None:
        from helpcenter import checks  # noqa: F401  (registers the content checks)

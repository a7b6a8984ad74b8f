from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "智能助手"

    def ready(self) -> None:
        from triage import checks  # noqa: F401  (registers the triage tree check)

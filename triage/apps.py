from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "智能助手"

    def ready(self) -> None:
        from helpcenter import search
        from triage import checks  # noqa: F401  (registers the triage tree check)
        from triage.flow import outcome_documents

        # Free text and /search/ find the assistant's outcomes through the search registry.
        search.register_documents("outcome", outcome_documents)

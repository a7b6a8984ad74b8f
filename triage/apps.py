from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "智能助手"

    def ready(self) -> None:
        from codes.content import register_service_codes
        from guides.library import get_library
        from helpcenter import status
        from search import registry
        from triage import checks  # noqa: F401  (registers the triage tree check)
        from triage.loading import get_tree
        from triage.reading import get_model, understood
        from triage.search import outcome_documents, service_code_pins

        # Free text and /search/ find the assistant's outcomes through the search registry.
        registry.register_documents("outcome", outcome_documents)
        # Search blends in what the assistant's reader makes of a query (and its safety answer).
        registry.register_reader(understood)
        # A service code an agent read out, typed into search, opens its outcome first.
        registry.register_pin(service_code_pins)
        # Trained (or loaded) before gunicorn forks its workers, like the search index.
        status.register_warm_up(lambda: get_model(get_library()))
        register_service_codes(lambda: get_tree(get_library()).service_codes)

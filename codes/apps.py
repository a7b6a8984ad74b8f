from django.apps import AppConfig


class CodesConfig(AppConfig):
    name = "codes"
    verbose_name = "返回码查询"

    def ready(self) -> None:
        from codes import checks  # noqa: F401  (registers the codes check)
        from codes.search import code_documents, code_pins
        from search import registry

        # /search/, the instant results, /api/search and the assistant's free text know codes.
        registry.register_documents("code", code_documents)
        registry.register_pin(code_pins)

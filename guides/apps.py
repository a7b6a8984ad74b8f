from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "guides"
    verbose_name = "指南"

    def ready(self) -> None:
        from guides import checks  # noqa: F401  (registers the content check)
        from guides.checks import overdue_reviews
        from guides.library import get_library
        from guides.search import guide_documents
        from helpcenter import caching, status
        from search import registry

        caching.register_content_version(lambda: get_library().version)
        registry.register_content(get_library)
        registry.register_documents("guide", guide_documents)
        status.register_warm_up(get_library)
        status.register_warm_up(registry.get_index)
        status.register_report("guides", lambda: len(get_library().guides))
        status.register_report(
            "overdue_reviews",
            lambda: [
                {"guide": g.slug, "reviewed": g.reviewed and g.reviewed.isoformat()}
                for g in overdue_reviews(get_library())
            ],
        )

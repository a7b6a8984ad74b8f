from django.urls import reverse

from guides.sitemaps import SiteSitemap


class AssistantSitemap(SiteSitemap):
    """The assistant's first question (its other states are answers, not pages to index)."""

    changefreq = "weekly"
    priority = 1.0

    def items(self) -> list[str]:
        return [reverse("triage:start")]

    def location(self, item: str) -> str:
        return item

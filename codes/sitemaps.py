from django.urls import reverse

from codes.content import get_codebook
from guides.library import get_library
from guides.sitemaps import SiteSitemap


class CodeSitemap(SiteSitemap):
    """/codes/ and a card per response code (a shared card once, at its main code)."""

    changefreq = "monthly"
    priority = 0.6

    def items(self) -> list[str]:
        entries = get_codebook(get_library()).entries
        return [reverse("codes:index"), *(entry.url for entry in entries)]

    def location(self, item: str) -> str:
        return item

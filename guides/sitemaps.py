from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from guides.content import Guide
from guides.library import get_library


class SiteSitemap(Sitemap):
    """Absolute URLs from DJANGO_SITE_URL, never from the request's Host header."""

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"


class GuideSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> list[Guide]:
        return sorted(get_library().guides.values(), key=lambda g: g.slug)

    def location(self, item: Guide) -> str:
        return item.url

    def lastmod(self, item: Guide):
        return item.updated


class PageSitemap(SiteSitemap):
    """Home and the categories."""

    changefreq = "weekly"
    priority = 1.0

    def items(self) -> list[str]:
        library = get_library()
        return [
            reverse("guides:home"),
            *(reverse("guides:category", args=[c]) for c in sorted(library.categories)),
        ]

    def location(self, item: str) -> str:
        return item

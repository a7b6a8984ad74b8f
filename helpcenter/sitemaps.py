from django.contrib.sitemaps import Sitemap

from helpcenter.content import Guide, get_library


class GuideSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> list[Guide]:
        return sorted(get_library().guides.values(), key=lambda g: g.slug)

    def location(self, item: Guide) -> str:
        return item.url

    def lastmod(self, item: Guide):
        return item.updated


class PageSitemap(Sitemap):
    changefreq = "weekly"
    priority = 1.0

    def items(self) -> list[str]:
        library = get_library()
        return ["/", "/triage/", *(f"/categories/{c}/" for c in sorted(library.categories))]

    def location(self, item: str) -> str:
        return item


SITEMAPS = {"pages": PageSitemap, "guides": GuideSitemap}

"""The root URLconf: the one place of the project package that names the apps."""

from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.http import require_safe

from codes.sitemaps import CodeSitemap
from guides.sitemaps import GuideSitemap, PageSitemap
from helpcenter import views
from helpcenter.caching import public_page
from triage.sitemaps import AssistantSitemap

SITEMAPS = {
    "pages": PageSitemap,
    "assistant": AssistantSitemap,
    "guides": GuideSitemap,
    "codes": CodeSitemap,
}

urlpatterns = [
    path("", include("guides.urls")),
    path("", include("search.urls")),
    path("triage/", include("triage.urls")),
    path("", include("offline.urls")),
    path("codes/", include("codes.urls")),
    path("photo/", include("photo.urls")),
    path("", include("insights.urls")),
    path("staff/content/", include("editor.urls")),
    path("staff/admin/", admin.site.urls),
    path("robots.txt", views.robots_txt, name="robots"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "sitemap.xml",
        require_safe(public_page()(sitemap_views.sitemap)),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
]

handler400 = views.bad_request
handler404 = views.page_not_found
handler500 = views.server_error

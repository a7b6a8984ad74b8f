from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.http import require_safe

from helpcenter import views
from helpcenter.caching import public_page
from helpcenter.sitemaps import SITEMAPS
from insights import views as insights_views

pages = [
    path("", views.home, name="home"),
    path("categories/<str:category_id>/", views.category, name="category"),
    path("guides/<str:slug>/", views.guide, name="guide"),
    path("guides/<str:slug>/feedback/", insights_views.guide_vote, name="guide-feedback"),
    path("search/", views.search_page, name="search"),
    path("api/search", views.search_api, name="search-api"),
]

urlpatterns = [
    path("", include((pages, "helpcenter"))),
    path("triage/", include("triage.urls")),
    path("", include("offline.urls")),
    path("codes/", include("codes.urls")),
    path("photo/", include("photo.urls")),
    path("", include("insights.urls")),
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

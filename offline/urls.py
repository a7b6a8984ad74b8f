from django.urls import path

from offline import views

app_name = "offline"

# The service worker is served from the root so that its scope is the whole site.
urlpatterns = [
    path("sw.js", views.service_worker, name="service-worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("offline/", views.offline_page, name="page"),
]

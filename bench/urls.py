"""The site's URLs plus /bench/trivial/, which exists only under bench.settings.

The trivial view goes through the same middleware as every page, so its throughput is the
ceiling a page could reach on this machine.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from helpcenter.urls import handler400, handler404, handler500
from helpcenter.urls import urlpatterns as site_urls

__all__ = ["handler400", "handler404", "handler500", "urlpatterns"]


@require_safe
def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *site_urls]

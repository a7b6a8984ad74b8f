"""Site-wide pages: robots.txt, /healthz for the load balancer, and the error pages."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from helpcenter import status
from helpcenter.caching import no_store, public_page

logger = logging.getLogger(__name__)


@require_safe
@public_page()
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('search:page')}",
        f"Disallow: {reverse('search:api')}",
        f"Disallow: {reverse('triage:start')}",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer and for editors: is the content whole, is the database there?

    Neither takes an instance out of rotation: guides, search and the assistant are served
    without the database, and a broken file leaves the rest of the content working. So the
    status stays 200 and the body says what is wrong; only votes and counts wait for the
    database.
    """
    errors = status.content_errors()
    problems, details = status.probes()  # "database", "database-slow" (the database app)
    problems = (["content-errors"] if errors else []) + problems
    return JsonResponse(
        {
            "status": "ok" if not problems else ",".join(problems),
            **details,
            "content_errors": errors,
            **status.reports(),  # "guides", "overdue_reviews" (the guides app)
        },
        json_dumps_params={"ensure_ascii": False},
    )


# Error pages are rendered without the request (so without its Host header, which may be
# the very thing that is wrong) and are never stored by a cache.


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    body = loader.render_to_string("404.html")
    return no_store(HttpResponse(body, status=404))


def bad_request(request: HttpRequest, exception: Exception | None) -> HttpResponse:
    body = loader.render_to_string("400.html", {})
    return no_store(HttpResponse(body, status=400))


def server_error(request: HttpRequest) -> HttpResponse:
    body = loader.render_to_string("500.html")
    return no_store(HttpResponse(body, status=500))

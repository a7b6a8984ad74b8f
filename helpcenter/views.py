"""Pages of the help center: home, categories, guides, search, and the error pages."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from helpcenter import search
from helpcenter.caching import no_store, public_page
from helpcenter.checks import current_errors, overdue_reviews
from helpcenter.content import Library, get_library
from helpcenter.health import database_health

logger = logging.getLogger(__name__)


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def channels_for(library: Library, ids: tuple[str, ...] | list[str]) -> list:
    return [library.channels[i] for i in ids if i in library.channels]


@require_safe
@public_page()
def home(request: HtmxHttpRequest) -> HttpResponse:
    library = get_library()
    categories = [(c, library.guides_in(c.id)) for c in library.ordered_categories()]
    # With categories.yaml broken (or a guide's category misspelt) the guides still show.
    elsewhere = sorted(
        (g for g in library.guides.values() if g.category not in library.categories),
        key=lambda g: (g.order, g.title),
    )
    return render(
        request,
        "helpcenter/home.html",
        {"categories": [(c, guides) for c, guides in categories if guides], "elsewhere": elsewhere},
    )


@require_safe
@public_page()
def category(request: HtmxHttpRequest, category_id: str) -> HttpResponse:
    library = get_library()
    found = library.categories.get(category_id)
    if found is None:
        raise Http404("没有这个分类")
    return render(
        request,
        "helpcenter/category.html",
        {"category": found, "guides": library.guides_in(found.id)},
    )


@require_safe
@public_page()
def guide(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    library = get_library()
    found = library.guides.get(slug)
    if found is None:
        if slug in library.aliases:
            # The fragment (#anchor) never reaches the server; browsers keep it across a 301.
            return HttpResponsePermanentRedirect(library.guides[library.aliases[slug]].url)
        raise Http404("没有这篇指南")
    related = [library.guides[s] for s in found.related if s in library.guides]
    return render(
        request,
        "helpcenter/guide.html",
        {
            "guide": found,
            "category": library.categories.get(found.category),
            "toc": [s for s in found.sections if s.level == 2],
            "related": related,
            "channels": channels_for(library, found.channels),
        },
    )


@require_safe
@public_page()
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /search/",
        "Disallow: /api/",
        "Disallow: /triage/",
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
    try:
        errors = current_errors()
    except Exception as exc:  # the check itself failed on a file: say so, never a 500
        logger.exception("content check failed")
        errors = [f"内容检查没有完成：{type(exc).__name__}"]
    database = database_health()
    database_problem = "database-slow" if database.slow else "database"
    problems = [
        name
        for name, bad in (("content-errors", errors), (database_problem, not database.ok))
        if bad
    ]
    try:
        library = get_library()
        guides, overdue = len(library.guides), overdue_reviews(library)
    except Exception:
        logger.exception("content could not be loaded")
        guides, overdue = 0, []
    return JsonResponse(
        {
            "status": "ok" if not problems else ",".join(problems),
            "database": {
                "ok": database.ok,
                "slow": database.slow,
                "detail": database.detail,
                "milliseconds": database.milliseconds,
            },
            "guides": guides,
            "content_errors": errors,
            "overdue_reviews": [
                {"guide": g.slug, "reviewed": g.reviewed and g.reviewed.isoformat()}
                for g in overdue
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


# Error pages are rendered without the request (so without its Host header, which may be
# the very thing that is wrong) and are never stored by a cache.


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    body = loader.render_to_string("404.html", {"popular": _popular_guides()})
    return no_store(HttpResponse(body, status=404))


def bad_request(request: HttpRequest, exception: Exception | None) -> HttpResponse:
    body = loader.render_to_string("400.html", {})
    return no_store(HttpResponse(body, status=400))


def server_error(request: HttpRequest) -> HttpResponse:
    body = loader.render_to_string("500.html", {"site_name": settings.SITE_NAME})
    return no_store(HttpResponse(body, status=500))


def _popular_guides() -> list:
    try:
        library = get_library()
    except Exception:  # the 404 page must render even when content does not
        return []
    return [g for c in library.ordered_categories() for g in library.guides_in(c.id)][:6]


# --- search ------------------------------------------------------------------------------

QUERY_LIMIT = 200  # characters of a query that are looked at and shown back
PAGE_SIZE = 10
# Assistant outcomes are good answers but several near-alike ones would push guides off a
# phone screen: keep the best few.
MOST_OUTCOMES = {"page": 3, "instant": 1}


def fewer_outcomes(hits: list, *, most: int) -> list:
    kept, outcomes = [], 0
    for hit in hits:
        if hit.kind == "outcome":
            outcomes += 1
            if outcomes > most:
                continue
        kept.append(hit)
    return kept


def clean_query(request: HttpRequest) -> str:
    """The visitor's query: first `q` only, control characters dropped, bounded."""
    raw = (request.GET.getlist("q") or [""])[0]
    printable = "".join(ch if ch.isprintable() else " " for ch in raw[: QUERY_LIMIT * 4])
    return " ".join(printable.split())[:QUERY_LIMIT]


def page_number(request: HttpRequest) -> int:
    raw = (request.GET.getlist("page") or ["1"])[0]
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 4 else 1


@require_safe
@public_page(vary=("HX-Request", "HX-Target"))
@vary_on_headers("HX-Request", "HX-Target")
def search_page(request: HtmxHttpRequest) -> HttpResponse:
    query = clean_query(request)
    results = search.search_with_hint(search.get_index(), query, limit=50, library=get_library())
    hits = results.hits
    instant = bool(request.htmx) and request.htmx.target == "instant-results"
    hits = fewer_outcomes(hits, most=MOST_OUTCOMES["instant" if instant else "page"])
    pages = max(1, -(-len(hits) // PAGE_SIZE))
    page = min(page_number(request), pages)
    library = get_library()
    context = {
        "query": query,
        "suggestion": results.suggestion,
        "hits": hits[:5] if instant else hits[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        "total": len(hits),
        "page": page,
        "pages": pages,
        "popular": _popular_guides(),
        "channels": channels_for(library, ["provider-hotline", "account-manager"]),
    }
    if instant:
        return render(request, "helpcenter/search.html#instant", context)
    if request.htmx:
        return render(request, "helpcenter/search.html#results", context)
    return render(request, "helpcenter/search.html", context)


@require_safe
@public_page()
def search_api(request: HttpRequest) -> HttpResponse:
    query = clean_query(request)
    results = search.search_with_hint(search.get_index(), query, limit=20, library=get_library())
    hits = results.hits
    return JsonResponse(
        {
            "query": query,
            "suggestion": results.suggestion,
            "count": len(hits),
            "results": [
                {
                    "slug": hit.guide_slug,
                    "title": hit.guide_title,
                    "section": hit.section_title,
                    "url": hit.url,
                    "absolute_url": settings.SITE_URL + hit.url,
                    "snippet": search.plain_text(hit.snippet_html),
                    "snippet_html": str(hit.snippet_html),
                    "score": round(hit.score, 4),
                    "kind": hit.kind,
                }
                for hit in hits
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )

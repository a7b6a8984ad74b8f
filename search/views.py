"""The search page (with its htmx fragments for instant results) and the JSON API."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from helpcenter.caching import public_page
from helpcenter.http import HtmxHttpRequest, clean_query, page_number
from search.query import search_with_hint
from search.registry import current_content, get_index
from search.snippets import plain_text
from search.text import looks_like_code

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


@require_safe
@public_page(vary=("HX-Request", "HX-Target"))
@vary_on_headers("HX-Request", "HX-Target")
def search_page(request: HtmxHttpRequest) -> HttpResponse:
    query = clean_query(request)
    content = current_content()
    results = search_with_hint(get_index(content), query, limit=50, content=content)
    instant = bool(request.htmx) and request.htmx.target == "instant-results"
    hits = fewer_outcomes(results.hits, most=MOST_OUTCOMES["instant" if instant else "page"])
    pages = max(1, -(-len(hits) // PAGE_SIZE))
    page = min(page_number(request), pages)
    context = {
        "query": query,
        "suggestion": results.suggestion,
        "hits": hits[:5] if instant else hits[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        "total": len(hits),
        "page": page,
        "pages": pages,
        # "93", "N6" or "C6" and no code's card among the hits (nothing, or only the service
        # code C6): point to the code lookup, and say what letter codes are.
        "code_like": looks_like_code(query) and not any(h.kind == "code" for h in hits),
    }
    if instant:
        return render(request, "search/search.html#instant", context)
    if request.htmx:
        return render(request, "search/search.html#results", context)
    return render(request, "search/search.html", context)


@require_safe
@public_page()
def search_api(request: HttpRequest) -> HttpResponse:
    query = clean_query(request)
    content = current_content()
    results = search_with_hint(get_index(content), query, limit=20, content=content)
    return JsonResponse(
        {
            "query": query,
            "suggestion": results.suggestion,
            "count": len(results.hits),
            "results": [
                {
                    "slug": hit.guide_slug,
                    "title": hit.title,
                    "section": hit.section_title,
                    "url": hit.url,
                    "absolute_url": settings.SITE_URL + hit.url,
                    "snippet": plain_text(hit.snippet_html),
                    "snippet_html": str(hit.snippet_html),
                    "score": round(hit.score, 4),
                    "kind": hit.kind,
                    "warning": hit.warning,  # a safety answer's: show it above the result
                }
                for hit in results.hits
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )

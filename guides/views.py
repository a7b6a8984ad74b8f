"""Pages of the guides: home, a category, a guide (an old slug answers 301 to the new one)."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from guides.library import get_library
from helpcenter.caching import public_page
from helpcenter.http import HtmxHttpRequest


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
        "guides/home.html",
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
        "guides/category.html",
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
        "guides/guide.html",
        {
            "guide": found,
            "category": library.categories.get(found.category),
            "toc": [s for s in found.sections if s.level == 2],
            "related": related,
            "channels": library.channels_for(found.channels),
        },
    )

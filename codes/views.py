"""Response code pages: every code grouped by who acts, a card per code, and a jump box.

What a visitor sees depends on the URL alone, so each page is the same bytes for everyone
(``public_page``): no session, no CSRF token, no cookie. The jump box is a plain GET form, so
it works without JavaScript.

Visitor input (a typed code, a path segment) is bounded and normalised by
``codes.content.normalize_code``, looked up in the loaded code book (never used to build a
file path), and reaches HTML only through Django's autoescaping.
"""

from __future__ import annotations

from django.http import HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from codes.content import CodeBook, ResponseCode, get_codebook, normalize_code, service_codes
from codes.screens import get_screens
from codes.search import codes_in
from guides.library import get_library
from helpcenter.caching import public_page
from helpcenter.http import HtmxHttpRequest

INDEX = "codes/index.html"
CARD = "codes/card.html"


@require_safe
@public_page()
def index(request: HtmxHttpRequest) -> HttpResponse:
    if "code" in request.GET:
        return _jump(request)
    return render(request, INDEX, _index_context(get_codebook(get_library())))


@require_safe
@public_page()
def jump(request: HtmxHttpRequest) -> HttpResponse:
    return _jump(request)


@require_safe
@public_page()
def card(request: HtmxHttpRequest, code: str) -> HttpResponse:
    library = get_library()
    book = get_codebook(library)
    entry = book.get(code)
    if entry is None:
        wanted = normalize_code(code)
        if wanted != code and book.get(wanted) is not None:
            # /codes/a0/ and /codes/Ａ０/ are links people type or paste: one address per card.
            return HttpResponsePermanentRedirect(reverse("codes:card", args=[wanted]))
        return _not_found(request, book, wanted)
    others = [c for c in entry.codes if c != code]
    context = {
        "entry": entry,
        "code": code,
        "others": others,
        "channels": library.channels_for(entry.who.channels),
        "group": [e for e in book.entries if e.who is entry.who and e is not entry],
    }
    return render(request, CARD, context)


def _jump(request: HtmxHttpRequest) -> HttpResponse:
    typed = (request.GET.getlist("code") or [""])[0]
    wanted = normalize_code(typed)
    if not wanted:
        return redirect("codes:index")
    book = get_codebook(get_library())
    entry = book.get(wanted) or _named_in(book, typed)
    if entry is not None:
        code = wanted if wanted in entry.codes else entry.code
        return HttpResponseRedirect(reverse("codes:card", args=[code]))
    # No code, but the message on the screen ("余额不足", "请先签到"): its one answer.
    screen = next((s for s in get_screens(get_library()).find(typed[:200]) if s.url), None)
    if screen is not None:
        return HttpResponseRedirect(screen.url)
    return _not_found(request, book, wanted)


def _named_in(book: CodeBook, typed: str) -> ResponseCode | None:
    """ "交易失败 51" typed into the box: the first known code it names."""
    found = codes_in(book, typed)
    return found[0] if found else None


def _not_found(request: HtmxHttpRequest, book: CodeBook, wanted: str) -> HttpResponse:
    context = _index_context(book)
    context["missing"] = wanted
    # Z1, C1 and the like are also the assistant's service codes: offer that door too.
    if wanted in service_codes():
        context["service_code_url"] = f"{reverse('triage:code')}?{urlencode({'code': wanted})}"
    context["search_url"] = f"{reverse('search:page')}?{urlencode({'q': wanted})}"
    return render(request, INDEX, context, status=404)


def _index_context(book: CodeBook) -> dict:
    return {"groups": book.grouped(), "missing": "", "service_code_url": "", "search_url": ""}

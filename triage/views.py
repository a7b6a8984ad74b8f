"""The assistant's pages. What a merchant sees is a function of the URL alone.

A full page renders the whole conversation up to the state in the URL. An HTMX click on an
answer asks for the same URL and gets only the next step (``#step``), which replaces the
answer buttons; a history restore (Back with an empty htmx cache) gets the full page.

Visitor input (free text, service codes, paths) is bounded here and reaches HTML only through
Django's autoescaping; nothing a visitor sends is marked safe or stored.
"""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

import segno
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from codes.content import get_codebook
from guides.content import Library
from guides.library import get_library
from helpcenter.caching import public_page
from helpcenter.http import HtmxHttpRequest, clean_query
from search import registry
from search.query import blend, search_with_hint
from search.registry import get_index
from search.text import looks_like_code
from triage import flow, reading
from triage.loading import get_tree

TEMPLATE = "triage/assistant.html"
MATCHED_GUIDES = 3


@require_safe
@public_page(vary=("HX-Request", "HX-History-Restore-Request"))
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def start(request: HtmxHttpRequest) -> HttpResponse:
    return _conversation(request, path=())


@require_safe
@public_page(vary=("HX-Request", "HX-History-Restore-Request"))
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def state(request: HtmxHttpRequest, path: str) -> HttpResponse:
    segments = flow.parse_path(path)
    if segments is None:
        # Not a path the assistant ever made (odd characters, far too deep): say so, start over.
        note = "这个链接不完整或已经失效，我们从头开始吧。"
        return _conversation(request, path=(), note=note, status=404)
    moved = _moved(request, segments)
    if moved is not None:
        return moved
    return _conversation(request, path=segments)


def _moved(request: HtmxHttpRequest, segments: tuple[str, ...]) -> HttpResponse | None:
    """A link from before an answer moved under another question (`moved:` in the tree)."""
    tree = get_tree(get_library())
    new = flow.moved_path(tree=tree, path=segments)
    if new is None:
        return None
    url = flow.state_url(path=new)
    if query := request.META.get("QUERY_STRING", ""):
        url = f"{url}?{query}"
    if _wants_step(request):
        # The page on screen was made from the old tree: load the new page whole, as for a
        # stale path, rather than swap a step of it into the old conversation.
        return HttpResponseClientRedirect(url)
    return HttpResponsePermanentRedirect(url)


@require_safe
@public_page(vary=("HX-Request", "HX-History-Restore-Request"))
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def ask(request: HtmxHttpRequest) -> HttpResponse:
    """Free text: the merchant's own words, answered with matching branches and guides."""
    tree = get_tree(get_library())
    if tree.root is None:
        return _unavailable(request)
    query = clean_query(request)
    at = flow.parse_path((request.GET.getlist("at") or [""])[0]) or ()
    at = flow.moved_path(tree=tree, path=at) or at
    if len(query) <= flow.CODE_INPUT_LIMIT:
        outcome = flow.outcome_for_service_code(tree=tree, code=query)
        url = outcome and flow.outcome_url(tree=tree, outcome=outcome)
        if url:
            return _jump(request, url)
    library = get_library()
    walked = flow.walk(tree=tree, path=at)
    reply = _understand(library, tree, query)
    return _reply(request, walked=walked, tree=tree, said=query or "（没有写内容）", reply=reply)


def _understand(library: Library, tree: flow.Tree, query: str) -> dict[str, Any]:
    """The reply to free text: what the reader makes of it (``triage.reading``), the answers of
    the screen messages and codes it quotes, and guides only when something fits."""
    understood = reading.read(library, query)
    screens = [hit for pin in registry.pins() for hit in pin(library, query)] if query else []
    found = understood.kind in reading.FOUND
    guides = []
    if found:
        # BM25 blended with this reading, as search would (without reading the text again).
        hits = search_with_hint(get_index(library), query, limit=12).hits
        if (blended := reading.understood_of(library, understood)) is not None:
            hits = blend(hits, blended)
        shown = {hit.url for hit in screens}
        guides = [h for h in hits if h.kind in ("guide", "section") and h.url not in shown]
        if understood.section_first:  # the likeliest answer is that section: it goes first
            section = understood.sections[0][0]
            guides = [reading.section_hit(section)] + [
                hit for hit in guides if hit.guide_slug != section.guide
            ]
    outcomes = understood.outcomes if found else ()
    # A message whose section an offered outcome leads to is answered by that outcome (it
    # also asks 解决了吗 and knows whom to call).
    landing = {o.guide_url for o in outcomes} | {
        h.url for h in guides[:1] if understood.section_first
    }
    screens = [hit for hit in screens if hit.url not in landing]
    # Nothing fits: the channels of the likeliest outcome, else whoever runs the terminal.
    likely = understood.outcomes[0].channels if understood.outcomes else ()
    channels = library.channels_for(likely) if likely else library.channels_for()
    return {
        "kind": "ask",
        "query": query,
        "reading": understood.kind if (found or not screens) else "screens",
        "warning": understood.warning,
        "outcomes": [
            flow.Choice(o.title, flow.outcome_url(tree=tree, outcome=o) or "") for o in outcomes
        ],
        "question": understood.question,
        "question_choices": understood.question_choices,
        "screens": screens,
        "guides": guides[:MATCHED_GUIDES],
        "guides_first": understood.section_first and bool(guides),
        "channels": [] if found else channels,
        "search_url": f"{reverse('search:page')}?{urlencode({'q': query})}",
        # "93", "N6": nothing found and no code's card shown: the code lookup, as search says.
        "code_like": not found and not screens and looks_like_code(query),
    }


@require_safe
@public_page(vary=("HX-Request",))
def code(request: HtmxHttpRequest) -> HttpResponse:
    """A service code from the home page or the assistant: jump to its outcome."""
    tree = get_tree(get_library())
    if tree.root is None:
        return _unavailable(request)
    typed = flow.normalize_service_code((request.GET.getlist("code") or [""])[0])
    if not typed:
        return redirect("triage:start")
    outcome = flow.outcome_for_service_code(tree=tree, code=typed)
    url = outcome and flow.outcome_url(tree=tree, outcome=outcome)
    if url:
        return HttpResponseRedirect(url)
    walked = flow.walk(tree=tree, path=())
    reply = {"kind": "code", "code": typed, "response_code_url": _response_code_url(typed)}
    return _reply(
        request, walked=walked, tree=tree, said=f"服务码 {typed}", reply=reply, status=404
    )


@require_safe
@public_page()
def qr(request: HtmxHttpRequest) -> HttpResponse:
    """A QR code of a state's link, so a merchant can carry it to a phone or show an agent."""
    segments = flow.parse_path((request.GET.getlist("path") or [""])[0])
    if segments is None:
        raise Http404("没有这个状态")
    tree = get_tree(get_library())
    walked = flow.walk(tree=tree, path=flow.moved_path(tree=tree, path=segments) or segments)
    link = settings.SITE_URL + flow.state_url(path=walked.path)
    out = io.BytesIO()
    # No size and no XML declaration: the <img> sets the size; attributes only, no style.
    segno.make(link, error="m").save(
        out, kind="svg", scale=1, border=2, xmldecl=False, omitsize=True, title="本页链接"
    )
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


def _response_code_url(typed: str) -> str:
    """ "51" typed into the service-code box is most likely the code on the terminal's screen."""
    if get_codebook(get_library()).get(typed) is None:
        return ""
    return reverse("codes:card", args=[typed])


# --- rendering ---------------------------------------------------------------------------------


def _conversation(
    request: HtmxHttpRequest, *, path: tuple[str, ...], note: str = "", status: int = 200
) -> HttpResponse:
    library = get_library()
    tree = get_tree(library)
    if tree.root is None:
        return _unavailable(request)
    walked = flow.walk(tree=tree, path=path)
    if walked.stale:
        note = "这个链接里的部分步骤已经更新，下面是最接近的一步。"
    if _wants_step(request):
        if walked.stale or status != 200:
            # The page on screen no longer matches the tree: load the whole page instead.
            return HttpResponseClientRedirect(request.get_full_path())
        return render(request, f"{TEMPLATE}#step", _context(request, walked=walked, tree=tree))
    context = _context(request, walked=walked, tree=tree, note=note)
    return render(request, TEMPLATE, context, status=status)


def _reply(
    request: HtmxHttpRequest,
    *,
    walked: flow.Walk,
    tree: flow.Tree,
    said: str,
    reply: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    """The merchant said something (free text, a code); the assistant answers in a new turn."""
    asked_at = replace(walked.current, chosen=said)
    answer = flow.Turn("reply", None, None, walked.path, asked_at.number + 1)
    walked = flow.Walk((*walked.turns[:-1], asked_at, answer), walked.path, ())
    context = _context(request, walked=walked, tree=tree, reply=reply)
    if _wants_step(request) and status == 200:
        return render(request, f"{TEMPLATE}#step", context)
    return render(request, TEMPLATE, context, status=status)


def _wants_step(request: HtmxHttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _jump(request: HtmxHttpRequest, url: str) -> HttpResponse:
    if request.htmx:
        # A jump starts a new conversation: have htmx load it as a whole page.
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def _context(
    request: HtmxHttpRequest,
    *,
    walked: flow.Walk,
    tree: flow.Tree,
    note: str = "",
    reply: dict[str, Any] | None = None,
) -> dict[str, Any]:
    library = get_library()
    current = walked.current
    outcome = current.outcome
    channels = []
    if current.kind in ("outcome", "contact") and outcome is not None:
        channels = library.channels_for(outcome.channels)
    elif current.kind == "reply" and reply and reply["kind"] == "ask":
        channels = reply["channels"]
    path_text = "/".join(walked.path)
    state_url = flow.state_url(path=walked.path)
    replying = current.kind == "reply"
    # After a reply the merchant is back at the top of the tree, whatever they typed.
    choices = flow.top_choices(tree=tree) if replying else flow.choices(turn=current)
    free_text = replying or (current.node is not None and current.node.free_text)
    return {
        "turns": walked.turns,
        "current": current,
        "previous": walked.turns[-2] if len(walked.turns) > 1 else None,
        "choices": choices,
        "free_text": free_text,
        "reply": reply,
        "channels": channels,
        "note": note,
        "at": path_text,
        "state_url": state_url,
        "share_url": settings.SITE_URL + state_url,
        "qr_url": f"{reverse('triage:qr')}?{urlencode({'path': path_text})}",
        "page_title": _title(current),
        # Only a page deep in a conversation takes focus: on /triage/ the merchant starts
        # reading at the top like on any page.
        "focus_current": bool(walked.path) or current.kind == "reply",
        "oob": _wants_step(request),
    }


def _title(turn: flow.Turn) -> str:
    if turn.node is not None:
        return turn.node.question
    if turn.kind == "outcome" and turn.outcome is not None:
        return turn.outcome.title
    if turn.kind == "solved":
        return "问题解决了"
    if turn.kind == "contact":
        return "联系客服"
    return "您的问题"


def _unavailable(request: HtmxHttpRequest) -> HttpResponse:
    # The tree file is broken or missing (the system check says why): never a 500.
    channels = get_library().channels_for()
    context = {"unavailable": True, "channels": channels, "page_title": "暂时不可用"}
    return render(request, TEMPLATE, context, status=503)

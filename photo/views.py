"""/photo/: a photo of the terminal's screen in, the answer out.

``GET /photo/`` is a public page like any other (the same bytes for everyone, no CSRF token):
a plain multipart form that works without JavaScript. ``POST /photo/`` reads the photo:

* the same-origin check and per-client limit of every anonymous write
  (``helpcenter.anonymous``, scope ``photo``) run before a byte of the body is read, and a
  body declared larger than ``PHOTO_MAX_BYTES`` is refused (413) before it is read;
* the upload stays in memory (``FILE_UPLOAD_HANDLERS``), is checked and decoded by
  ``photo.images``, read by ``photo.reader`` inside one of the host's reading slots
  (``photo.slots``; none free in time: 503 with ``Retry-After``), and matched by
  ``photo.matching``;
* one clear answer: 303 to the code card or the guide section (with ``HX-Request``, a 204
  whose ``HX-Redirect`` names it, because a script's request follows a redirect but loses the
  ``#section``); otherwise a page (never kept: ``no-store``) with what was read, line by line,
  what it matched, and a box prefilled with the text to search or ask the assistant.

Nothing of the photo is written, logged or kept: insights get one count per photo read, with
the matched code as its item (kind ``photo``). What was read reaches the page only through
Django's autoescaping.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from codes.content import get_codebook
from codes.screens import get_screens
from guides.library import get_library
from helpcenter.anonymous import anonymous_write
from helpcenter.caching import no_store, public_page
from helpcenter.http import HtmxHttpRequest
from insights import counting
from photo import matching, slots

logger = logging.getLogger(__name__)

PAGE = "photo/photo.html"
PHOTO = "photo"  # the insights kind: one per photo read; item = the matched code, or ""
MULTIPART_SLACK = 64 * 1024  # a form's boundaries and headers around the photo's bytes
QUERY_LIMIT = 200  # what search and the assistant take
RETRY_AFTER = 10


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


# The page is public (no token); a POST carries none either: the origin check of
# anonymous_write stands in for it, as for votes.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def photo(request: HtmxHttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _post(request)
    return _form(request)


@public_page()
def _form(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, PAGE, {"enabled": settings.PHOTO_ENABLED, "state": "form"})


def _post(request: HtmxHttpRequest) -> HttpResponse:
    if not settings.PHOTO_ENABLED:
        return _page(request, "off", status=404)
    return _read(request)


def _page(request: HtmxHttpRequest, state: str, *, status: int = 200, **context) -> HttpResponse:
    context = {"enabled": settings.PHOTO_ENABLED, "state": state, **context}
    return no_store(render(request, PAGE, context, status=status))


@anonymous_write(scope="photo")
def _read(request: HtmxHttpRequest) -> HttpResponse:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > settings.PHOTO_MAX_BYTES + MULTIPART_SLACK:
        response = _page(request, "refused", status=413, message=TOO_BIG)
        response["Connection"] = "close"  # the rest of the body is not read
        return response
    try:
        upload = request.FILES.get("image")
    except Exception:  # a malformed multipart body; Django raises several kinds
        return _page(request, "refused", status=400, message=NOT_A_FORM)
    data = upload.read() if upload is not None else b""
    if len(data) > settings.PHOTO_MAX_BYTES:
        return _page(request, "refused", status=413, message=TOO_BIG)
    # Imported here, not at the top: numpy and Pillow cost every new process 55 ms, and only a
    # photo needs them.
    from photo import images, reader

    try:
        pixels = images.decode(data, max_pixels=settings.PHOTO_MAX_PIXELS)
    except images.Refused as refused:
        return _page(request, "refused", status=refused.status, message=refused.message)
    finally:
        del data
    try:
        with slots.slot():
            lines = reader.read(pixels)
    except slots.Busy:
        response = _page(request, "busy", status=503, wait=RETRY_AFTER)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    except Exception:
        # The reader's own failure, never the photo's content, goes to the log.
        logger.exception("photo reader failed")
        response = _page(request, "busy", status=503, wait=RETRY_AFTER)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    del pixels
    library = get_library()
    texts = [line.text for line in lines]
    found = matching.match(get_codebook(library), get_screens(library), texts)
    counting.count(PHOTO, found.code)
    if found.url:
        if request.htmx:
            return HttpResponse(status=204, headers={"HX-Redirect": found.url})
        return HttpResponseSeeOther(found.url)
    query = " ".join(texts)[:QUERY_LIMIT]
    return _page(request, "read", lines=lines, found=found, query=query)


TOO_BIG = "照片太大了（最大 10 MB）。请直接用手机相机拍一张，或截图后上传。"
NOT_A_FORM = "没有收到照片，请重新选择或重新拍一张。"

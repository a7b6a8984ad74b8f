"""The service worker, the web app manifest and the page shown when there is no network."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import condition, require_safe

from guides.library import get_library
from helpcenter.caching import public_page
from offline import worker

THEME_COLOR = "#0b5cad"  # as <meta name="theme-color"> in _base.html
BACKGROUND_COLOR = "#ffffff"
# Browsers check /sw.js on every visit; with an ETag that check is a 304 of a few bytes.
ALWAYS_REVALIDATE = "no-cache"


def _service_worker_etag(request: HttpRequest) -> str:
    return worker.service_worker().version


@require_safe
@condition(etag_func=_service_worker_etag)
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        worker.service_worker().source, content_type="text/javascript; charset=utf-8"
    )
    response["Cache-Control"] = ALWAYS_REVALIDATE
    return response


def manifest_data() -> dict:
    icons = [
        {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        # The artwork keeps to the middle 80 %, so launchers may crop it to any shape.
        {
            "src": static("icons/icon-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    return {
        "id": "/",
        "name": settings.SITE_NAME,
        "short_name": "商户帮助",
        "description": "POS 机锁机、激活、停机、操作员密码、签到等问题的解决办法和联系方式。",
        "lang": "zh-CN",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": icons,
    }


def _manifest_body() -> bytes:
    return json.dumps(manifest_data(), ensure_ascii=False, indent=2).encode()


@require_safe
@condition(etag_func=lambda request: hashlib.sha256(_manifest_body()).hexdigest()[:16])
def manifest(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_manifest_body(), content_type="application/manifest+json")
    response["Cache-Control"] = ALWAYS_REVALIDATE
    return response


@require_safe
@public_page()
def offline_page(request: HttpRequest) -> HttpResponse:
    """The same for everyone: the saved pages are listed in the browser by js/saved-pages.js."""
    library = get_library()
    return render(
        request,
        "offline/offline.html",
        {
            "channels": list(library.channels.values()),
            "pages_cache": worker.PAGES_CACHE,
            "max_pages": worker.MAX_PAGES,
            "codes_url": "/codes/" if worker.routable("/codes/") else "",
        },
    )

"""Anonymous writes (a vote, an event) without a CSRF token, so public pages stay cacheable.

A page that carries a CSRF token is a page per visitor: it sets a cookie and varies on it, and
no shared cache may keep it. The writes a merchant makes here are anonymous counts, so instead
of a token each one is checked the way a browser lets us check it:

* **Same origin.** The ``Origin`` header must name this site (``SITE_URL``, the request's own
  validated host, or ``CSRF_TRUSTED_ORIGINS``). Where a browser sends no ``Origin``, its
  ``Sec-Fetch-Site`` must say ``same-origin``. With neither, or a foreign one: a 403 page.
* **Rate limited per client,** through Django's cache (the database cache by default, so the
  limit holds across workers and instances). The client is known to the cache only as a keyed
  hash of its address for the length of one window; nothing about it reaches the database.
  Over the limit: a 429 page with ``Retry-After``.
* When the shared cache (the database) cannot be reached, each process limits on its own for
  a few seconds (``helpcenter.health`` remembers the failure), so a database that hangs holds
  no more worker threads than the first few requests that found out, and a merchant's vote is
  not refused for our outage: counts wait in memory until the database is back
  (``insights.counting``). Only a write that cannot be kept at all gets the 503 page.

Usage, under ``@require_POST``::

    @require_POST
    @anonymous_write(scope="vote")
    def guide_feedback(request, slug): ...
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.decorators.csrf import csrf_exempt

from helpcenter.health import database_down, mark_database_down

logger = logging.getLogger(__name__)

# scope -> (writes allowed, per this many seconds). A merchant votes once or twice a visit;
# events from one page arrive in a handful of beacons.
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "vote": (10, 60),
    "event": (120, 60),
    # A photo of the screen (photo/): a merchant retakes one or two; each costs a second of CPU.
    "photo": (10, 60),
}


def allowed_origins(request: HttpRequest) -> set[str]:
    origins = {_origin(o) for o in settings.CSRF_TRUSTED_ORIGINS}
    if settings.SITE_URL:
        origins.add(_origin(settings.SITE_URL))
    # The Host header has passed ALLOWED_HOSTS by now; a bad one raises and adds nothing.
    with contextlib.suppress(DisallowedHost):
        origins.add(f"{request.scheme}://{request.get_host()}")
    return {o for o in origins if o}


def _origin(url: str) -> str:
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def same_origin(request: HttpRequest) -> bool:
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin != "null" and _origin(origin) in allowed_origins(request)
    return request.headers.get("Sec-Fetch-Site", "").lower() == "same-origin"


def client_address(request: HttpRequest) -> str:
    """The client's address: the proxy's X-Forwarded-For entry when the peer is a trusted proxy."""
    peer = request.META.get("REMOTE_ADDR", "")
    if peer in settings.TRUSTED_PROXIES:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-1]  # the entry our own proxy appended; earlier ones are client-made
    return peer


def _limit(scope: str) -> tuple[int, int]:
    return settings.ANONYMOUS_WRITE_LIMITS.get(scope) or DEFAULT_LIMITS.get(scope, (30, 60))


# While the shared cache (the database) is down, each process limits on its own: the limit
# is looser across workers for those minutes, but a vote is never refused for our outage.
_local = LocMemCache("anonymous-writes-fallback", {"OPTIONS": {"MAX_ENTRIES": 20000}})


def over_limit(request: HttpRequest, scope: str) -> int:
    """Count this write; return 0 when allowed, else the seconds until the window ends."""
    allowed, window = _limit(scope)
    now = int(time.time())
    window_start = now - now % window
    client = hmac.new(
        settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256
    ).hexdigest()[:24]
    key = f"anon:{scope}:{window_start}:{client}"
    store = _local if database_down() else cache
    try:
        count = _count(store, key, window)
    except Exception:  # the shared cache lives in the database, which may be down
        logger.warning("anonymous %s: shared rate limit store unavailable, limiting locally", scope)
        mark_database_down()
        count = _count(_local, key, window)
    return 0 if count <= allowed else max(1, window_start + window - now)


def _count(store, key: str, window: int) -> int:
    store.add(key, 0, timeout=window + 5)
    try:
        return store.incr(key)
    except ValueError:  # expired between add and incr
        store.set(key, 1, timeout=window + 5)
        return 1


def refusal(request: HttpRequest, *, status: int, wait: int = 0) -> HttpResponse:
    template = {403: "403.html", 429: "429.html", 503: "503.html"}[status]
    body = loader.render_to_string(template, {"wait": wait, "site_name": settings.SITE_NAME})
    response = HttpResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    if wait:
        response["Retry-After"] = str(wait)
    return response


def anonymous_write(*, scope: str) -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt  # the origin check below replaces the token; see the module docstring
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not same_origin(request):
                return refusal(request, status=403)
            wait = over_limit(request, scope)
            if wait:
                return refusal(request, status=429, wait=wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

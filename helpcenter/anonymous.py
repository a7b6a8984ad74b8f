"""Anonymous writes (a vote, an event) without a CSRF token, so public pages stay cacheable.

A page that carries a CSRF token is a page per visitor: it sets a cookie and varies on it, and
no shared cache may keep it. The writes a merchant makes here are anonymous counts, so instead
of a token each one is checked the way a browser lets us check it:

* **Same origin.** The ``Origin`` header must name this site (``SITE_URL``, the request's own
  validated host, or ``CSRF_TRUSTED_ORIGINS``). Where a browser sends no ``Origin``, its
  ``Sec-Fetch-Site`` must say ``same-origin``. With neither, or a foreign one: a 403 page.
* **Rate limited per client, in this process's memory** (``WindowCounts``): one count under
  a lock, so a burst cannot race past the limit, and no database on the way, so a database
  that is down, hangs or holds a lock never holds a vote or a beacon. The client is known only
  as a keyed hash of its address, for the length of one window; nothing about it reaches the
  database. Each worker process counts on its own (the proxy in front limits floods per
  address across instances). Over the limit: a 429 page with ``Retry-After``.
* A merchant's vote is not refused for our outage: counts wait in memory until the database
  is back (``insights.counting``). Only a write that cannot be kept at all gets the 503 page.

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
import math
import threading
import time
from array import array
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.decorators.csrf import csrf_exempt

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


class WindowCounts:
    """At most ``allowed`` takes per key in any ``window`` seconds, in this process's memory.

    Each key keeps the times of its last ``allowed`` takes in a ring (8 bytes each): a take is
    allowed when the oldest of them is more than a window ago. That is exact over any span (a
    burst across a minute's boundary gets no second allowance, as fixed windows would give),
    and ``take`` checks and counts under one lock: 300 concurrent requests against a limit of
    120 get exactly 120 through. Keys whose newest take is a window old are dropped as time
    goes on, and at most ``max_keys`` keys are kept (the oldest go first), so a flood of
    addresses cannot grow a worker.
    """

    def __init__(self, *, max_keys: int = 20_000) -> None:
        self._lock = threading.Lock()
        # key -> [ring of take times, next slot, window]
        self._rings: dict[str, list] = {}
        self._max_keys = max_keys
        self._next_sweep = 0.0

    def take(self, key: str, *, allowed: int, window: int) -> int:
        """Count one for ``key``: 0 when allowed, else the seconds until a take is allowed."""
        now = time.monotonic()
        full_key = f"{key}:{allowed}:{window}"
        with self._lock:
            self._sweep(now)
            entry = self._rings.get(full_key)
            if entry is None:
                while len(self._rings) >= self._max_keys:
                    del self._rings[next(iter(self._rings))]
                entry = self._rings[full_key] = [array("d", [-math.inf] * allowed), 0, window]
            ring, slot = entry[0], entry[1]
            if ring[slot] > now - window:  # the allowed-th latest take is within the window
                return max(1, math.ceil(ring[slot] + window - now))
            ring[slot] = now
            entry[1] = (slot + 1) % len(ring)
            return 0

    def give_back(self, key: str, *, allowed: int, window: int) -> None:
        """Undo the latest ``take`` (a login that turned out right)."""
        with self._lock:
            entry = self._rings.get(f"{key}:{allowed}:{window}")
            if entry:
                entry[1] = (entry[1] - 1) % len(entry[0])
                entry[0][entry[1]] = -math.inf

    def _sweep(self, now: float) -> None:
        if now < self._next_sweep:
            return
        self._next_sweep = now + 5
        for key in [
            k for k, (ring, slot, window) in self._rings.items() if ring[slot - 1] <= now - window
        ]:
            del self._rings[key]

    def clear(self) -> None:
        with self._lock:
            self._rings.clear()

    def __len__(self) -> int:
        return len(self._rings)


counts = WindowCounts()


def client_key(request: HttpRequest) -> str:
    """The client as the limits know it: a keyed hash of its address, never the address."""
    return hmac.new(
        settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256
    ).hexdigest()[:24]


def over_limit(request: HttpRequest, scope: str) -> int:
    """Count this write; return 0 when allowed, else the seconds until the window ends."""
    allowed, window = _limit(scope)
    return counts.take(f"anon:{scope}:{client_key(request)}", allowed=allowed, window=window)


def refusal(request: HttpRequest, *, status: int, wait: int = 0) -> HttpResponse:
    template = {403: "403.html", 429: "429.html", 503: "503.html"}[status]
    body = loader.render_to_string(template, {"wait": wait})
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

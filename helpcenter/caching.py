"""Public pages: the same bytes for every visitor, rendered once per content version.

A public page depends only on its URL, the few request headers it declares (``HX-Request``
and the like) and the content, so:

* its ETag is the content version plus the code release, and a matching ``If-None-Match`` is
  answered 304 before the view runs;
* it carries ``Cache-Control: public`` with a short ``max-age`` and ``stale-while-revalidate``
  / ``stale-if-error`` (settings ``PAGE_*``), so a proxy or CDN in front may keep it;
* the first render of a URL is kept in the worker's memory (bounded, least recently used out
  first) together with its gzip encoding, and ``page_memory`` (a middleware) serves it from
  there until the content changes, without running the view or the middleware inside it.

Anything that is not a 200 or a redirect (a 404, a 503) is ``no-store``.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import brotli
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

CACHEABLE_STATUS = frozenset({200, 301, 302, 308})
GZIP_MIN_BYTES = 200
# What the release hash reads: code and its templates and static files, not content, tests,
# the virtualenv or build output.
_RELEASE_SKIP = {".git", ".venv", "node_modules", "var", "staticfiles", "content", "tests"}
_RELEASE_SUFFIXES = (".py", ".html", ".css", ".js", ".svg", ".json", ".txt", ".webmanifest")


def _release_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _RELEASE_SKIP and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(_RELEASE_SUFFIXES):
                path = Path(folder, name)
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


_release: str | None = None


def release() -> str:
    """The code release: HELPCENTER_RELEASE, or a hash of the code, templates and static files."""
    global _release
    if _release is None:
        _release = os.environ.get("HELPCENTER_RELEASE") or _release_hash(Path(settings.BASE_DIR))
    return _release


_content_version: Callable[[], str] = str  # "" until an app registers its content


def register_content_version(source: Callable[[], str]) -> None:
    """Name what says which content is served (a digest of the files, the same on every host);
    the guides app registers its library's version from ``AppConfig.ready()``."""
    global _content_version
    _content_version = source


def content_version() -> str:
    """A short name for the content as loaded: the same files give the same name on every host."""
    return _content_version()


def _public_headers(response: HttpResponse, etag: str) -> None:
    response["ETag"] = etag
    response["Cache-Control"] = (
        f"public, max-age={settings.PAGE_MAX_AGE}, "
        f"stale-while-revalidate={settings.PAGE_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.PAGE_STALE_IF_ERROR}"
    )


def no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _matches(request: HttpRequest, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    if not header or len(header) > 2000:
        return False
    if header.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.removeprefix("W/") == wanted for tag in parse_etags(header))


@dataclass(frozen=True, slots=True)
class _Rendered:
    status: int
    body: bytes
    encoded: dict[str, bytes]  # "br", "gzip" -> the body compressed once
    headers: tuple[tuple[str, str], ...]

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(data) for data in self.encoded.values())


class _Memory:
    """Rendered pages of one content version, least recently used out first, bounded in count
    and in bytes (searches are many and different: they must not grow a worker without end)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version = ""
        self.pages: OrderedDict[tuple, _Rendered] = OrderedDict()
        self.bytes = 0

    def _reset(self, version: str) -> None:
        self.version, self.pages, self.bytes = version, OrderedDict(), 0

    def get(self, version: str, key: tuple) -> _Rendered | None:
        with self.lock:
            if version != self.version:
                self._reset(version)
                return None
            found = self.pages.get(key)
            if found is not None:
                self.pages.move_to_end(key)
            return found

    def put(self, version: str, key: tuple, rendered: _Rendered) -> None:
        with self.lock:
            if version != self.version:
                self._reset(version)
            old = self.pages.pop(key, None)
            if old is not None:
                self.bytes -= old.size
            self.pages[key] = rendered
            self.bytes += rendered.size
            while self.pages and (
                len(self.pages) > settings.PAGE_MEMORY_ENTRIES
                or self.bytes > settings.PAGE_MEMORY_BYTES
            ):
                _, evicted = self.pages.popitem(last=False)
                self.bytes -= evicted.size

    def clear(self) -> None:
        with self.lock:
            self._reset("")


memory = _Memory()


def _keep(response: HttpResponse) -> _Rendered:
    if hasattr(response, "render"):
        response.render()  # a TemplateResponse (the sitemap) renders late; keep its bytes
    body = response.content
    encoded = {}
    if len(body) >= GZIP_MIN_BYTES and not response.has_header("Content-Encoding"):
        # Once per page and content version. Brotli 8 is about a ninth smaller than gzip on
        # the guides for 3 ms (11 would save 7% more for 75 ms: too slow for search pages).
        encoded["br"] = brotli.compress(body, quality=8)
        encoded["gzip"] = gzip.compress(body, compresslevel=6, mtime=0)
        encoded = {name: data for name, data in encoded.items() if len(data) < len(body)}
    headers = tuple(
        (name, value) for name, value in response.items() if name.lower() != "content-length"
    )
    return _Rendered(response.status_code, body, encoded, headers)


def _accepted(header: str) -> dict[str, float]:
    """Accept-Encoding as {coding: q}; ``br;q=0`` means "not brotli" (RFC 9110 12.5.3)."""
    found: dict[str, float] = {}
    for part in header[:500].lower().split(","):
        name, _, params = part.partition(";")
        q = 1.0
        match = re.search(r"\bq\s*=\s*([0-9.]+)", params)
        if match:
            try:
                q = float(match.group(1))
            except ValueError:
                q = 0.0
        if name.strip():
            found[name.strip()] = q
    return found


def _encoding(request: HttpRequest, rendered: _Rendered) -> str:
    accepted = _accepted(request.headers.get("Accept-Encoding", ""))
    for name in ("br", "gzip"):
        if name in rendered.encoded and accepted.get(name, accepted.get("*", 0.0)) > 0:
            return name
    return ""


def _replay(request: HttpRequest, rendered: _Rendered) -> HttpResponse:
    encoding = _encoding(request, rendered)
    body = rendered.encoded[encoding] if encoding else rendered.body
    response = HttpResponse(body, status=rendered.status)
    for name, value in rendered.headers:
        response[name] = value
    if encoding:
        response["Content-Encoding"] = encoding
    response["Content-Length"] = str(len(body))
    if request.method == "HEAD":
        _drop_body(response)
    return response


def _drop_body(response: HttpResponse) -> None:
    """The headers of the GET, without its body (not every server drops it for HEAD)."""
    if hasattr(response, "render") and not response.is_rendered:
        response.render()  # a TemplateResponse (the sitemap) renders late
    length = response.get("Content-Length") or str(len(response.content))
    response.content = b""
    response["Content-Length"] = length


def _not_modified(etag: str, vary: Iterable[str]) -> HttpResponse:
    response = HttpResponseNotModified()
    _public_headers(response, etag)
    patch_vary_headers(response, tuple(vary))
    return response


def public_page(*, vary: Iterable[str] = ()) -> Callable:
    """Make a GET view's answers public and revalidatable; ``page_memory`` keeps them.

    ``vary`` names the request headers the view's answer depends on besides the URL (they
    must be among ``MEMORY_HEADERS``); they become part of ``Vary``.
    """
    response_vary = (*vary, "Accept-Encoding")
    assert set(vary) <= set(MEMORY_HEADERS), vary

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            etag = _variant_etag(request, vary)
            if _matches(request, etag):
                return _not_modified(etag, response_vary)
            response = view(request, *args, **kwargs)
            if response.status_code not in CACHEABLE_STATUS or response.streaming:
                return no_store(response)
            _public_headers(response, etag)
            patch_vary_headers(response, response_vary)
            response.keep_in_memory = True
            if request.method == "HEAD":
                _drop_body(response)
            return response

        return wrapped

    return decorator


def _variant_etag(request: HttpRequest, vary: Iterable[str]) -> str:
    """The ETag of this answer: the version, and which variant (fragment or page) it is.

    A browser that holds the htmx fragment of a URL and then navigates to the page itself
    revalidates its copy with If-None-Match; the fragment's ETag must not match the page's,
    or a 304 would make it show the fragment as the page.
    """
    values = [request.headers.get(h, "") for h in vary]
    if not any(values):
        return f'W/"{current_version()}"'
    variant = hashlib.sha256("\n".join(values).encode()).hexdigest()[:8]
    return f'W/"{current_version()}-{variant}"'


def current_version() -> str:
    """The content version and the code release: what a public page's bytes depend on."""
    return f"{content_version()}-{release()}"


# Request headers a public page may vary on: part of every memory key.
MEMORY_HEADERS = ("HX-Request", "HX-Target", "HX-History-Restore-Request")


def _memory_key(request: HttpRequest) -> tuple:
    """The URL as the site sees it (path and query, never SCRIPT_NAME or the Host) and the
    request headers a page may vary on."""
    return (
        request.path_info,
        request.META.get("QUERY_STRING", ""),
        *(request.headers.get(h, "") for h in MEMORY_HEADERS),
    )


def page_memory(get_response: Callable) -> Callable:
    """Serve public pages from memory, skipping the view and the middleware inside this one.

    Sits after SecurityMiddleware (whose headers depend on the scheme) and GZipMiddleware
    (which leaves an already-encoded answer alone). What it keeps is the complete answer the
    inner middleware produced (CSP, X-Frame-Options, Vary included), identical for everyone.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return get_response(request)
        # A Host outside ALLOWED_HOSTS gets the 400 page, kept page or not (raises here).
        request.get_host()
        version = current_version()
        key = _memory_key(request)
        rendered = memory.get(version, key)
        if rendered is not None:
            etag = dict(rendered.headers).get("ETag", "")
            if etag and _matches(request, etag):
                vary = dict(rendered.headers).get("Vary", "")
                return _not_modified(etag, [v.strip() for v in vary.split(",") if v.strip()])
            return _replay(request, rendered)
        response = get_response(request)
        if (
            getattr(response, "keep_in_memory", False)
            and request.method == "GET"
            # A page rendered under another script prefix (a forwarded SCRIPT_NAME) carries
            # links for it: serve it to that request only, never keep it for everyone.
            and request.META.get("SCRIPT_NAME", "") == (settings.FORCE_SCRIPT_NAME or "")
            # Never replay a cookie or a per-visitor answer to everyone (belt and braces:
            # public views touch neither the session nor the CSRF token).
            and not response.cookies
            and "cookie" not in response.get("Vary", "").lower()
        ):
            rendered = _keep(response)
            memory.put(version, key, rendered)
            return _replay(request, rendered)  # the first visitor gets brotli too
        return response

    return middleware

"""What the service worker keeps, and the version that makes browsers pick up a new one.

The worker script is rendered from ``templates/offline/sw.js`` with a config built here. Its
bytes depend only on the release and the content version (``helpcenter.caching``, the same
names as the pages' ETags), so every visitor and every instance gets the same bytes, and the
browser installs a new worker exactly when one of those changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib.staticfiles.finders import FileSystemFinder
from django.template import loader
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse

from guides.content import Library
from guides.library import get_library
from helpcenter.caching import content_version, release

SCRIPT_TEMPLATE = "offline/sw.js"
# Stable across versions: the guides a merchant opened survive an update of the worker.
PAGES_CACHE = "hc-pages-v1"
CACHE_PREFIX = "hc-"
MAX_PAGES = 30
# Slower than this, a page that is kept on the phone is shown from there (the network answer
# still refreshes the kept copy for next time).
SLOW_NETWORK_MS = 3000
# Pages worth reading offline (URL names; their prefixes come from the URLconf). Search
# results and free-text questions are not kept: they are many, short-lived, and carry what the
# merchant typed. /photo/ answers a POST (never kept: the worker leaves non-GET requests
# alone); its form page is listed too, so a later prefix such as "/" cannot start keeping it.
KEPT = (("guides:guide", "x"), ("guides:category", "x"), ("codes:card", "x"), ("triage:start",))
NOT_KEPT = (("triage:ask",), ("triage:qr",), ("photo:photo",))
# Only what pages load. The PNG icons are for installing to the home screen, not for reading.
PRECACHED_SUFFIXES = (".css", ".js", ".svg")
NGINX_ONLY = "errors/"  # nginx's own error pages and their stylesheet (deploy/nginx.conf)
HTMX_SCRIPT = "django_htmx/htmx-2.min.js"  # what {% htmx_script %} loads
OPTIONAL_PAGES = ("guides:home", "codes:index")  # precached when they answer


@dataclass(frozen=True, slots=True)
class ServiceWorker:
    source: str
    version: str
    essential: tuple[str, ...]  # install fails without these
    optional: tuple[str, ...]  # pages fetched at install when they answer


def static_files() -> list[str]:
    """The project's own CSS, JS and SVG files (so a new stylesheet is precached unasked)."""
    names = {
        name.replace("\\", "/")
        for name, _storage in FileSystemFinder().list([])
        if name.endswith(PRECACHED_SUFFIXES) and not name.startswith(NGINX_ONLY)
    }
    return sorted([*names, HTMX_SCRIPT])


def routable(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def prefix(name: str, *args: str) -> str:
    """The part of a URL before its argument: reverse("guides:guide", ["x"]) gives /guides/."""
    url = reverse(name, args=args)
    return url[: url.rindex(args[0])] if args else url


def build(library: Library) -> ServiceWorker:
    names = static_files()
    essential = (reverse("offline:page"), *(static(name) for name in names))
    optional = tuple(p for p in (reverse(name) for name in OPTIONAL_PAGES) if routable(p))
    config = {
        "pages_cache": PAGES_CACHE,
        "prefix": CACHE_PREFIX,
        "offline_url": reverse("offline:page"),
        "essential": essential,
        "optional": optional,
        # unhashed URL -> the current hashed one, to style an old kept page offline
        "static_url": settings.STATIC_URL,
        "static_now": {settings.STATIC_URL + name: static(name) for name in names},
        "max_pages": MAX_PAGES,
        "slow_ms": SLOW_NETWORK_MS,
        "kept": [prefix(*name) for name in KEPT],
        "not_kept": [prefix(*name) for name in NOT_KEPT],
    }
    # The release hash covers this script's template and the static files.
    version = config["version"] = f"{content_version()}-{release()}"
    source = loader.render_to_string(
        SCRIPT_TEMPLATE, {"config": json.dumps(config, indent=2, ensure_ascii=False)}
    )
    return ServiceWorker(source=source, version=version, essential=essential, optional=optional)


def service_worker() -> ServiceWorker:
    """Built once per content version (and so once per release in a running process)."""
    return get_library().derive("offline:service-worker", build)

"""Page weight: a first visit (HTML, CSS, JS, icons) stays under 30 KB on every kind of page.

Measured as a phone gets it: the page compressed by the site itself (brotli, as
helpcenter.caching keeps it) and the static files as WhiteNoise precompresses them (brotli,
quality 11). The gzip-only figure is printed too. A repeat visit fetches only the HTML: static
files have hashed names and a year's expiry (tests/stack/test_serving.py checks that via gunicorn).
The apple-touch-icon is not counted: a browser fetches it only when the site is added to the
home screen.
"""

from __future__ import annotations

import gzip
import re

import brotli
import pytest
from django.contrib.staticfiles import finders

BUDGET = 30 * 1024
PAGES = [
    "/",
    "/guides/basic-troubleshooting/",  # the longest guide
    "/triage/status/locked/frozen/",
    "/search/?q=签到",
]
ASSET = re.compile(
    r'<(?:link rel="(?:stylesheet|icon)"|script)[^>]*?\s(?:href|src)="(/static/[^"]+)"'
)


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def brotli_size(data: bytes, quality: int) -> int:
    return len(brotli.compress(data, quality=quality))


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_a_first_visit_stays_under_30_kb(client, url):
    response = client.get(url, headers={"Accept-Encoding": "br, gzip"})
    assert response["Content-Encoding"] == "br"
    html = brotli.decompress(response.content)
    assets = sorted(set(ASSET.findall(html.decode())))
    sizes = {url: len(response.content)}
    gzip_only = gzipped_size(html)
    for asset in assets:
        found = finders.find(asset.removeprefix("/static/"))
        assert found, asset
        with open(found, "rb") as handle:
            data = handle.read()
        sizes[asset] = brotli_size(data, 11)
        gzip_only += gzipped_size(data)
    total = sum(sizes.values())
    detail = ", ".join(f"{name} {size / 1024:.1f}" for name, size in sizes.items())
    print(f"{url}: {total / 1024:.1f} KB with brotli, {gzip_only / 1024:.1f} KB gzip only")
    assert total < BUDGET, f"{total / 1024:.1f} KB: {detail}"
    assert any("htmx" in a for a in assets) and any(a.endswith(".css") for a in assets)

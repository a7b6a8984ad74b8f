"""helpcenter.caching: every public URL is the same bytes for every visitor, revalidatable, and
rendered once per content version."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.test import Client

from guides.library import get_library
from helpcenter import caching
from tests.factories import write_guide
from triage import flow
from triage.loading import get_tree

pytestmark = pytest.mark.django_db

HTMX_STEP = {"HX-Request": "true"}
INSTANT = {"HX-Request": "true", "HX-Target": "instant-results"}


def public_urls(client: Client) -> list[tuple[str, dict[str, str]]]:
    """Every public URL: the sitemap, every assistant state (page and step), search, API."""
    sitemap = client.get("/sitemap.xml").content
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [
        urlsplit(loc.text).path for loc in ET.fromstring(sitemap).findall("s:url/s:loc", namespace)
    ]
    tree = get_tree(get_library())
    states = {flow.state_url(path=route) for route in tree.routes.values()}
    states |= {
        flow.state_url(path=(*tree.routes[o], flow.SOLVED))
        for o in tree.outcomes
        if o in tree.routes
    }
    found = [(url, {}) for url in [*urls, "/robots.txt", "/sitemap.xml"]]
    found += [(url, {}) for url in sorted(states)] + [(url, HTMX_STEP) for url in sorted(states)]
    found += [
        ("/search/?q=签到", {}),
        ("/search/?q=签到", HTMX_STEP),
        ("/search/?q=签到", INSTANT),
        ("/search/?q=火星快递", {}),
        ("/search/", {}),
        ("/api/search?q=机器锁住了", {}),
        ("/triage/ask/?q=机器锁住了", {}),
        ("/triage/qr/?path=locked", {}),
    ]
    return found


def test_the_crawl_covers_guides_categories_and_every_assistant_state(client):
    urls = [url for url, _ in public_urls(client)]
    library = get_library()
    tree = get_tree(library)
    assert all(g.url in urls for g in library.guides.values())
    assert all(f"/categories/{c}/" in urls for c in library.categories)
    assert len(tree.routes) > 40 and flow.state_url(path=tree.routes[tree.start]) in urls


def test_every_public_url_is_the_same_bytes_for_every_visitor_and_revalidates(client):
    problems = []
    for url, headers in public_urls(client):
        first = client.get(url, headers=headers)
        # A second visitor: another client, another cookie jar, another address.
        other = Client(REMOTE_ADDR="198.51.100.23").get(
            url, headers={**headers, "Cookie": "sessionid=abc; csrftoken=xyz"}
        )
        head = client.head(url, headers=headers)
        where = f"{url} {headers}"
        if first.status_code != 200:
            problems.append(f"{where}: GET {first.status_code}")
            continue
        if head.status_code != 200 or head.content:
            problems.append(f"{where}: HEAD {head.status_code} with {len(head.content)} bytes")
        if first.cookies or other.cookies or "Set-Cookie" in first:
            problems.append(f"{where}: sets a cookie")
        if "cookie" in first.get("Vary", "").lower():
            problems.append(f"{where}: Vary {first['Vary']}")
        if first.content != other.content:
            problems.append(f"{where}: two visitors got different bytes")
        if first.headers.get("Content-Security-Policy") != other.headers.get(
            "Content-Security-Policy"
        ):
            problems.append(f"{where}: the CSP differs between responses")
        control = first.get("Cache-Control", "")
        age = re.search(r"max-age=(\d+)", control)
        if not control.startswith("public") or not age or int(age.group(1)) <= 0:
            problems.append(f"{where}: Cache-Control {control!r}")
        again = client.get(url, headers={**headers, "If-None-Match": first["ETag"]})
        if again.status_code != 304 or again.content:
            problems.append(f"{where}: revalidation gave {again.status_code}")
    assert not problems, "\n".join(problems)


def test_a_page_is_rendered_once_per_content_version(client, content_dir, monkeypatch):
    from guides import views

    calls = []
    real_render = views.render
    monkeypatch.setattr(views, "render", lambda *a, **k: calls.append(a[1]) or real_render(*a, **k))
    url = "/guides/unlock-locked-terminal/"
    first = client.get(url)
    assert client.get(url).content == first.content
    assert client.get(url, headers={"Accept-Encoding": "gzip"})["Content-Encoding"] == "gzip"
    assert len(calls) == 1

    write_guide(content_dir, "a-new-guide", title="新加的一篇指南")
    changed = client.get(url)
    assert len(calls) == 2
    assert changed["ETag"] != first["ETag"]
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 200


def test_304_comes_before_the_view_runs(client, monkeypatch):
    from guides import views

    etag = client.get("/").headers["ETag"]
    monkeypatch.setattr(views, "render", lambda *a, **k: pytest.fail("rendered"))
    caching.memory.clear()
    response = client.get("/", headers={"If-None-Match": f'"junk", {etag}'})
    assert response.status_code == 304
    assert response["ETag"] == etag and response["Cache-Control"].startswith("public")


@pytest.mark.parametrize(
    "junk",
    ['"', "W/", "*" * 5000, '"a", , "b"', "\x00\x01", 'W/"x" "y"', "💥"],
)
def test_junk_if_none_match_gets_the_page_not_a_500(client, junk):
    response = client.get("/guides/unlock-locked-terminal/", headers={"If-None-Match": junk})
    assert response.status_code == 200


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options"])
@pytest.mark.parametrize(
    "url",
    ["/", "/guides/unlock-locked-terminal/", "/triage/status/locked/", "/search/?q=a", "/healthz"],
)
def test_other_methods_get_a_clear_405(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert "GET" in response["Allow"]
    assert "不支持这种请求" in response.content.decode()


def test_error_pages_and_healthz_are_never_stored(client):
    for url in ("/no-such-page/", "/guides/no-such-guide/", "/healthz"):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_the_content_version_is_the_same_for_the_same_files_whatever_their_dates(content_dir):
    import os

    before = caching.content_version()
    for path in content_dir.rglob("*"):
        os.utime(path, (1, 1))
    from guides import library as guides_library

    guides_library._cached = None
    assert caching.content_version() == before


def test_the_fragment_and_the_page_of_one_url_have_different_etags(client):
    # A browser revalidates its cached fragment when it navigates to the page (Vary differs);
    # a shared ETag would answer 304 and the fragment would be shown as the whole page.
    page = client.get("/search/?q=签到")
    instant = client.get("/search/?q=签到", headers=INSTANT)
    step = client.get("/triage/status/locked/", headers=HTMX_STEP)
    full = client.get("/triage/status/locked/")
    assert page["ETag"] != instant["ETag"] and step["ETag"] != full["ETag"]
    again = client.get("/search/?q=签到", headers={"If-None-Match": instant["ETag"]})
    assert again.status_code == 200 and b"<html" in again.content
    reload = client.get("/triage/status/locked/", headers={"If-None-Match": step["ETag"]})
    assert reload.status_code == 200 and b"<html" in reload.content


def test_the_page_memory_is_bounded_in_bytes(client, settings):
    # Every search is a page of its own: a flood of different queries must not grow a worker.
    settings.PAGE_MEMORY_BYTES = 200_000
    for n in range(60):
        client.get("/search/", {"q": f"签到 {n}"})
    assert 0 < caching.memory.bytes <= 200_000
    assert len(caching.memory.pages) < 60
    assert caching.memory.bytes == sum(page.size for page in caching.memory.pages.values())


GUIDE = "/guides/sign-in-after-power-off/"


@pytest.mark.django_db
def test_a_forwarded_script_name_cannot_store_a_page_under_another_url():
    from helpcenter import caching

    client = Client()
    clean = {url: client.get(url).content for url in (GUIDE, "/")}
    caching.memory.clear()
    # "/" under a script prefix that makes its full path read as the guide's URL, and a
    # guide under a prefix of its own.
    client.get("/", SCRIPT_NAME=GUIDE.rstrip("/"))
    client.get(GUIDE, SCRIPT_NAME="/evil")
    assert client.get(GUIDE).content == clean[GUIDE]
    assert client.get("/").content == clean["/"]
    assert b"/evil/" not in client.get(GUIDE).content


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", GUIDE, "/sitemap.xml", "/search/?q=签到"])
def test_an_unknown_host_gets_the_400_page_even_for_a_page_in_memory(url):
    client = Client(raise_request_exception=False)
    assert client.get(url).status_code == 200  # now kept in memory
    for method in (client.get, client.head):
        response = method(url, headers={"Host": "evil.example"})
        assert response.status_code == 400, (method, url)
        assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("br;q=0, gzip", "gzip"),
        ("br;q=0", None),
        ("br;q=0.0", None),
        ("gzip;q=0, br", "br"),
        ("br; q=0.5, gzip", "br"),
        ("gzip, deflate, br", "br"),
        ("*;q=0", None),
        ("identity", None),
    ],
)
def test_accept_encoding_q_values_are_honoured(accept, expected):
    client = Client()
    for _ in range(2):  # rendered, then from memory
        response = client.get(GUIDE, headers={"Accept-Encoding": accept})
        assert response.get("Content-Encoding") == expected, accept

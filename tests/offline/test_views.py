"""Offline reading: the service worker script, the web app manifest, the offline page."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from django.contrib.staticfiles import finders
from django.utils.html import escape

from guides.library import get_library
from offline import worker

PRECACHE_BUDGET = 150 * 1024  # bytes, uncompressed


def sw_config(response) -> dict:
    source = response.content.decode()
    found = re.search(r"^const config = (\{.*?\n\});$", source, re.DOTALL | re.MULTILINE)
    assert found, "the worker script starts with its config"
    return json.loads(found.group(1))


def test_service_worker_is_javascript_from_the_root_and_always_revalidated(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert "Service-Worker-Allowed" not in response  # the default scope, /, is what we want
    assert not response.cookies
    source = response.content.decode()
    for event in ("install", "activate", "fetch"):
        assert f'addEventListener("{event}"' in source


@pytest.mark.skipif(not shutil.which("node"), reason="node checks the JavaScript syntax")
def test_service_worker_and_its_registration_are_valid_javascript(client, tmp_path):
    script = tmp_path / "sw.js"
    script.write_bytes(client.get("/sw.js").content)
    registration = finders.find("js/offline.js")
    saved_pages = finders.find("js/saved-pages.js")
    for path in (script, registration, saved_pages):
        result = subprocess.run(["node", "--check", path], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_service_worker_answers_304_to_its_etag_and_head(client):
    first = client.get("/sw.js")
    again = client.get("/sw.js", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    head = client.head("/sw.js")
    assert head.status_code == 200 and head.content == b""
    assert client.post("/sw.js").status_code == 405


def test_service_worker_is_the_same_bytes_until_content_changes(client, content_dir):
    first = client.get("/sw.js")
    assert client.get("/sw.js").content == first.content
    guide = content_dir / "guides" / "unlock-locked-terminal.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n编辑补充了一句。\n", encoding="utf-8")
    changed = client.get("/sw.js")
    assert changed.content != first.content
    assert changed["ETag"] != first["ETag"]
    assert sw_config(changed)["version"] != sw_config(first)["version"]


def test_precache_lists_the_offline_page_home_static_files_and_codes_when_routable(client):
    config = sw_config(client.get("/sw.js"))
    assert config["offline_url"] == "/offline/" and "/offline/" in config["essential"]
    assert "/" in config["optional"]
    for name in ("css/site.css", "js/site.js", "js/offline.js", "favicon.svg", "icons/icon.svg"):
        assert f"/static/{name}" in config["essential"]
    assert "/static/django_htmx/htmx-2.min.js" in config["essential"]
    assert not any(url.endswith(".png") for url in config["essential"])
    assert ("/codes/" in config["optional"]) == worker.routable("/codes/")
    assert config["max_pages"] == 30 and config["slow_ms"] == 3000
    assert "/search/" not in config["kept"] and "/guides/" in config["kept"]


@pytest.mark.parametrize(
    "url", ["/", "/guides/unlock-locked-terminal/", "/triage/", "/offline/", "/no-such-page/"]
)
def test_every_static_file_a_page_loads_is_precached(client, url):
    config = sw_config(client.get("/sw.js"))
    html = client.get(url).content.decode()
    loaded = set(re.findall(r'<(?:script|link)[^>]*(?:src|href)="(/static/[^"]+)"', html))
    loaded -= {u for u in loaded if u.endswith(".png")}  # apple-touch-icon: for installing
    assert loaded and loaded <= set(config["essential"])


def test_precache_stays_under_150_kb(client):
    config = sw_config(client.get("/sw.js"))
    sizes = {}
    for url in [*config["essential"], *config["optional"]]:
        if url.startswith(config["static_url"]):
            found = finders.find(url.removeprefix(config["static_url"]))
            assert found, url
            sizes[url] = len(open(found, "rb").read())  # noqa: SIM115
        else:
            response = client.get(url)
            assert response.status_code == 200, url
            sizes[url] = len(response.content)
    assert sum(sizes.values()) < PRECACHE_BUDGET, sizes


def test_manifest_names_the_site_icons_and_standalone_start(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert response["Cache-Control"] == "no-cache"
    manifest = json.loads(response.content)
    assert manifest["name"] == "商户帮助中心" and manifest["short_name"]
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone" and manifest["lang"] == "zh-CN"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    sizes = {(icon["type"], icon["sizes"]) for icon in manifest["icons"]}
    assert {("image/svg+xml", "any"), ("image/png", "192x192"), ("image/png", "512x512")} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]
    head = client.head("/manifest.webmanifest")
    assert head.status_code == 200 and head.content == b""
    assert (
        client.get("/manifest.webmanifest", headers={"If-None-Match": response["ETag"]}).status_code
        == 304
    )


def test_png_icons_are_the_sizes_the_manifest_says():
    for size in (192, 512):
        data = open(finders.find(f"icons/icon-{size}.png"), "rb").read()  # noqa: SIM115
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(data[16:20]), int.from_bytes(data[20:24])
        assert (width, height) == (size, size)


def test_every_page_links_the_manifest_and_registers_the_worker_from_a_static_file(client):
    html = client.get("/guides/unlock-locked-terminal/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert re.search(
        r'<script src="/static/js/offline\.js" data-service-worker="/sw\.js" defer>', html
    )
    assert "serviceWorker" not in html  # registration lives in the static file, not inline


def test_csp_allows_the_worker_and_manifest_from_this_site_only(client):
    policy = client.get("/offline/")["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_offline_page_says_there_is_no_network_and_lists_every_contact(client):
    response = client.get("/offline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>现在连不上网络</h1>" in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'id="saved-pages"' in html and 'data-pages-cache="hc-pages-v1"' in html
    # Every channel of contacts.yaml; numbers as text a person can read out or dial from
    # another phone.
    channels = get_library().channels.values()
    assert channels
    for channel in channels:
        assert escape(channel.name) in html and escape(channel.where) in html
        if channel.phone:
            assert f'href="tel:{channel.phone}">{channel.phone}</a>' in html
    assert '<a class="channel-phone" href="tel:110">110</a>' in html
    assert "服务码怎么用" in html and "A3" in html
    assert "<li><a" not in html.split('id="saved-pages"')[1].split("</ul>")[0]


def test_offline_page_shows_contacts_as_editors_change_them(client, content_dir):
    contacts = content_dir / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8").replace('phone: "95516"', 'phone: "95599"')
    contacts.write_text(text, encoding="utf-8")
    assert ">95599</a>" in client.get("/offline/").content.decode()


def test_offline_page_is_the_same_bytes_for_everyone_and_answers_head(client):
    first = client.get("/offline/")
    second = client.get("/offline/", headers={"Cookie": "csrftoken=abc"})
    assert first.content == second.content
    assert client.head("/offline/").status_code == 200
    assert client.post("/offline/").status_code == 405

"""A merchant with one bar of signal: guides opened online open offline; the offline page helps.

Service workers need a secure context: live_server's http://localhost qualifies.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from guides.library import get_library
from tests.factories import write_guide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES_CACHE = "hc-pages-v1"
GUIDE = "/guides/unlock-locked-terminal/"
NEVER_OPENED = "/guides/activate-new-terminal/"
PRECACHES = "async () => (await caches.keys()).filter((name) => name.startsWith('hc-precache-'))"


def controlled(page) -> None:
    """Wait until the service worker is installed and controls this page."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def kept(page, path: str) -> bool:
    return page.evaluate(
        "async ([name, path]) => !!(await (await caches.open(name)).match(path))",
        [PAGES_CACHE, path],
    )


def wait_until_kept(page, path: str) -> None:
    page.wait_for_function(
        "async ([name, path]) => !!(await (await caches.open(name)).match(path))",
        arg=[PAGES_CACHE, path],
    )


def wait_until_gone(page, path: str) -> None:
    page.wait_for_function(
        "async ([name, path]) => !(await (await caches.open(name)).match(path))",
        arg=[PAGES_CACHE, path],
    )


def test_opened_guides_read_offline_and_others_get_the_offline_page(
    live_server, context, phone, content_dir, axe, artifacts
):
    assert live_server.url.startswith("http://localhost:")
    phone.goto(live_server.url + "/")
    controlled(phone)
    first_precache = phone.evaluate(PRECACHES)
    assert len(first_precache) == 1
    phone.goto(live_server.url + GUIDE)
    title = phone.get_by_role("heading", level=1).inner_text()
    wait_until_kept(phone, GUIDE)

    context.set_offline(True)
    phone.reload()
    expect(phone.get_by_role("heading", level=1)).to_have_text(title)
    expect(phone.locator("link[rel=stylesheet]")).to_have_count(1)
    assert phone.evaluate("getComputedStyle(document.body).margin") == "0px"  # CSS came from cache

    phone.goto(live_server.url + "/")  # precached at install
    expect(phone.get_by_role("heading", level=1)).to_have_text("POS 机出问题了？")

    phone.goto(live_server.url + NEVER_OPENED)
    expect(phone).to_have_url(live_server.url + NEVER_OPENED)
    expect(phone.get_by_role("heading", level=1)).to_have_text("现在连不上网络")
    contacts = phone.get_by_role("region", name="联系客服")
    expect(contacts.get_by_role("link", name="95516")).to_be_visible()
    for channel in get_library().channels.values():
        expect(contacts.get_by_role("heading", name=channel.name)).to_be_visible()
    saved = phone.locator("#saved-pages")
    expect(saved.get_by_role("link", name=re.compile(re.escape(title[:6])))).to_have_attribute(
        "href", GUIDE
    )
    expect(phone.locator("#saved-none")).to_be_hidden()
    phone.screenshot(path=artifacts / "offline-360x740.png", full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe(phone) == []

    # Back online: an editor's change shows on the next visit, and the kept copy follows it.
    context.set_offline(False)
    path = content_dir / "guides" / "unlock-locked-terminal.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## 症状 {#symptoms}", "## 症状 {#symptoms}\n编辑刚刚改过。\n", 1))
    phone.goto(live_server.url + GUIDE)
    expect(phone.locator("#main")).to_contain_text("编辑刚刚改过。")
    phone.wait_for_function(
        "async ([name, path]) => (await (await (await caches.open(name)).match(path)).text())"
        ".includes('编辑刚刚改过')",
        arg=[PAGES_CACHE, GUIDE],
    )
    # The content changed, so /sw.js did: the new worker took over quietly, its precache
    # replaced the old one, and the kept pages stayed.
    phone.wait_for_function(
        f"async (old) => {{ const names = await ({PRECACHES})(); "
        "return names.length === 1 && names[0] !== old; }",
        arg=first_precache[0],
    )
    context.set_offline(True)
    phone.reload()
    expect(phone.locator("#main")).to_contain_text("编辑刚刚改过。")


def test_a_slow_network_shows_the_kept_copy_and_refreshes_it_behind(
    live_server, context, phone, content_dir
):
    phone.goto(live_server.url + "/")
    controlled(phone)
    phone.goto(live_server.url + GUIDE)
    wait_until_kept(phone, GUIDE)
    path = content_dir / "guides" / "unlock-locked-terminal.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## 症状 {#symptoms}", "## 症状 {#symptoms}\n新的一版。\n", 1))

    held = []  # the server's answer is held back until the test lets it go

    def hold(route):
        held.append(route)

    context.route("**" + GUIDE, hold)
    phone.goto(live_server.url + GUIDE, wait_until="commit")
    # Past the worker's few seconds, the kept copy shows rather than a blank screen.
    expect(phone.get_by_role("heading", level=1)).to_be_visible(timeout=15_000)
    expect(phone.locator("#main")).not_to_contain_text("新的一版。")
    assert len(held) == 1
    held[0].continue_()
    phone.wait_for_function(
        "async ([name, path]) => (await (await (await caches.open(name)).match(path)).text())"
        ".includes('新的一版')",
        arg=[PAGES_CACHE, GUIDE],
    )
    context.unroute("**" + GUIDE)


def test_a_removed_guide_leaves_the_cache_and_a_moved_one_follows(
    live_server, context, phone, content_dir
):
    phone.goto(live_server.url + "/")
    controlled(phone)
    removed, moved = "/guides/sign-in-after-power-off/", "/guides/forgotten-operator-password/"
    for path in (removed, moved):
        phone.goto(live_server.url + path)
        wait_until_kept(phone, path)

    (content_dir / "guides" / "sign-in-after-power-off.md").unlink()
    response = phone.goto(live_server.url + removed)
    assert response.status == 404
    wait_until_gone(phone, removed)

    # The guide moves to a new slug; the old one answers 301 and its kept copy goes.
    old = content_dir / "guides" / "forgotten-operator-password.md"
    text = old.read_text(encoding="utf-8").replace(
        "---\n", "---\naliases: [forgotten-operator-password]\n", 1
    )
    old.unlink()
    (content_dir / "guides" / "operator-password.md").write_text(text, encoding="utf-8")
    phone.goto(live_server.url + moved)
    expect(phone).to_have_url(live_server.url + "/guides/operator-password/")
    wait_until_gone(phone, moved)
    wait_until_kept(phone, "/guides/operator-password/")


def test_the_last_30_pages_are_kept_and_search_pages_never(live_server, phone, content_dir):
    for number in range(31):
        write_guide(content_dir, f"kept-{number}", title=f"第 {number} 篇")
    phone.goto(live_server.url + "/")
    controlled(phone)
    phone.goto(live_server.url + "/search/?q=签到")
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    opened = [f"/guides/kept-{number}/" for number in range(31)]
    for path in opened:
        phone.goto(live_server.url + path)
        wait_until_kept(phone, path)
    phone.goto(live_server.url + opened[1])  # opened again: now the most recent
    # The worker deletes the old copy, then puts the new one at the end: wait for the put
    # (reading the keys in between saw 29).
    phone.wait_for_function(
        "async ([name, url]) => (await (await caches.open(name)).keys()).at(-1)?.url === url",
        arg=[PAGES_CACHE, live_server.url + opened[1]],
    )
    keys = phone.evaluate(
        f"async () => (await (await caches.open('{PAGES_CACHE}')).keys()).map(r => r.url)"
    )
    assert len(keys) == 30
    assert not any("/search/" in url for url in keys)
    assert keys[-1] == live_server.url + opened[1]
    assert live_server.url + opened[0] not in keys


def test_the_site_is_installable(live_server, browser_type, browser_type_launch_args, tmp_path):
    # Chromium never offers to install from an incognito profile, which new_context() is.
    context = browser_type.launch_persistent_context(
        tmp_path / "profile", **browser_type_launch_args
    )
    page = context.new_page()
    page.goto(live_server.url + "/")
    controlled(page)
    cdp = context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert manifest["url"] == live_server.url + "/manifest.webmanifest"
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    context.close()


def test_without_service_workers_every_page_works_as_before(live_server, browser):
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=re.compile("POS 机被锁定")).first.click()
    expect(page).to_have_url(live_server.url + GUIDE)
    assert page.evaluate("navigator.serviceWorker?.controller ?? null") is None
    assert errors == []
    context.close()


def test_an_assistant_step_offline_becomes_a_visit_the_worker_answers(live_server, context, phone):
    phone.goto(live_server.url + "/")
    controlled(phone)
    phone.goto(live_server.url + "/triage/")
    wait_until_kept(phone, "/triage/")
    context.set_offline(True)
    choice = phone.locator("a.choice[data-hx-get]").first
    href = choice.get_attribute("href")
    choice.click()
    # htmx cannot reach the server; js/offline.js turns the click into a plain visit.
    expect(phone).to_have_url(live_server.url + href)
    expect(phone.get_by_role("heading", level=1)).to_have_text("现在连不上网络")

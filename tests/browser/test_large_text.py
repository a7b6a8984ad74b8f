"""关怀模式 (large text) on a phone, and pages that reflow without JavaScript at 320 px.

The mode is a class that care.js puts on <html> from localStorage, so pages stay the same
bytes for everyone; it survives a reload, keeps targets at 48 px or more, and axe finds
nothing in either mode.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/guides/sign-in-after-power-off/",
    "/guides/basic-troubleshooting/",
    "/triage/card-declined/",
    "/triage/locked/frozen/",
    "/codes/51/",
    "/photo/",
    "/search/?q=签到",
]
# What a finger taps (inline links inside a sentence are exempt, as in WCAG 2.5.8).
TARGETS = (
    "main button, .site-header button, main .button, main input,"
    " .choice, .guide-list a, .code-list a, .breadcrumbs a, .site-footer nav a,"
    " .header-assistant, .brand, summary"
)
SMALL_TARGETS = f"""() => [...document.querySelectorAll({TARGETS!r})]
  .filter(el => el.getClientRects().length)
  .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect().height])
  .filter(([, h]) => h < 48)"""


def test_large_text_toggles_survives_a_reload_and_passes_axe(live_server, phone, axe, artifacts):
    phone.goto(live_server.url + "/guides/sign-in-after-power-off/")
    toggle = phone.get_by_role("button", name="大字")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    normal = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert axe(phone) == []

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert phone.evaluate("document.documentElement.classList.contains('care')")
    large = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert large >= 1.2 * normal and large >= 19

    phone.reload()
    assert phone.evaluate("document.documentElement.classList.contains('care')")
    expect(phone.get_by_role("button", name="大字")).to_have_attribute("aria-pressed", "true")
    phone.screenshot(path=artifacts / "large-text-guide-360x740.png", full_page=False)
    assert axe(phone) == []

    phone.get_by_role("button", name="大字").click()
    phone.reload()
    assert not phone.evaluate("document.documentElement.classList.contains('care')")


@pytest.mark.parametrize("path", PAGES)
def test_in_large_text_every_page_fits_360px_with_48px_targets_and_no_axe_finding(
    live_server, phone, axe, path
):
    phone.add_init_script("localStorage.setItem('hc-care', '1')")
    phone.goto(live_server.url + path)
    assert phone.evaluate("document.documentElement.classList.contains('care')")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.evaluate(SMALL_TARGETS) == []
    assert axe(phone) == []


def test_the_class_is_set_before_the_body_is_parsed(live_server, phone):
    # care.js runs from <head> without defer: by the time the body's first element exists
    # the class is there, so the first paint is already large.
    phone.add_init_script(
        """localStorage.setItem('hc-care', '1');
        new MutationObserver((records, observer) => {
          if (document.body) {
            window.__careAtBody = document.documentElement.classList.contains('care');
            observer.disconnect();
          }
        }).observe(document, {childList: true, subtree: true});"""
    )
    phone.goto(live_server.url + "/")
    assert phone.evaluate("window.__careAtBody") is True


def test_public_pages_are_the_same_bytes_in_either_mode(client):
    # The server never learns the mode: nothing to vary on.
    first = client.get("/guides/sign-in-after-power-off/")
    assert b"data-care-toggle" in first.content
    assert "cookie" not in first.get("Vary", "").lower()


@pytest.mark.parametrize("path", PAGES)
def test_without_javascript_pages_reflow_at_320px(live_server, browser, path):
    # 320 CSS px is also what a 640 px window shows at 200% zoom.
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server.url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    expect(page.get_by_role("button", name="大字")).to_be_hidden()
    context.close()

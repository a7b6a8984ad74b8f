"""A merchant on a phone: home → guide → a section; an agent copies a section link."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def csp_errors(phone):
    """Console messages about blocked content: a strict CSP must block nothing of ours."""
    errors = []
    phone.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return errors


def test_home_to_guide_to_section_and_copy_link(live_server, phone, context, csp_errors, artifacts):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    phone.goto(live_server.url + "/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("POS 机出问题了？")
    phone.screenshot(path=artifacts / "home-360x740.png")
    phone.screenshot(path=artifacts / "home-360-full.png", full_page=True)

    phone.get_by_role("link", name=re.compile("POS 机被锁定")).first.click()
    expect(phone).to_have_url(live_server.url + "/guides/unlock-locked-terminal/")

    toc = phone.get_by_role("navigation", name="本页目录")
    toc.get_by_role("link", name=re.compile("可能原因")).click()
    expect(phone).to_have_url(re.compile(r"/guides/unlock-locked-terminal/#causes$"))
    expect(phone.locator("#causes")).to_be_in_viewport()

    phone.locator("#wrong-password .heading-link").click()
    expect(phone).to_have_url(re.compile(r"#wrong-password$"))
    expect(phone.get_by_role("status")).to_have_text("已复制本节链接")
    copied = phone.evaluate("navigator.clipboard.readText()")
    assert copied == live_server.url + "/guides/unlock-locked-terminal/#wrong-password"

    phone.goto(live_server.url + "/guides/unlock-locked-terminal/")
    phone.screenshot(path=artifacts / "guide-360x740.png")
    phone.locator("#wrong-password").scroll_into_view_if_needed()
    phone.screenshot(path=artifacts / "guide-section-360x740.png")
    assert csp_errors == []


def test_a_shared_section_link_lands_on_that_section(live_server, phone):
    phone.goto(live_server.url + "/guides/sign-in-after-power-off/#sign-in-failed")
    expect(phone.locator("#sign-in-failed")).to_be_in_viewport()


@pytest.mark.parametrize(
    "path", ["/", "/guides/unlock-locked-terminal/", "/categories/terminal-status/", "/nope/"]
)
def test_pages_fit_a_360px_screen_and_have_no_axe_violations(live_server, phone, axe, path):
    phone.goto(live_server.url + path)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe(phone) == []


def test_pages_work_with_javascript_off(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=re.compile("关机或重启后怎么签到")).first.click()
    expect(page).to_have_url(live_server.url + "/guides/sign-in-after-power-off/")
    page.get_by_label("搜索帮助").fill("签到")
    page.get_by_label("搜索帮助").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    context.close()


def test_feedback_box_swaps_in_place_with_htmx(live_server, phone, axe):
    from insights.models import DailyCount

    phone.goto(live_server.url + "/guides/basic-troubleshooting/")
    phone.get_by_role("button", name="没解决").click()
    expect(phone.locator("#feedback")).to_contain_text("抱歉没有帮上忙")
    expect(phone).to_have_url(live_server.url + "/guides/basic-troubleshooting/")
    votes = DailyCount.objects.filter(kind="vote-no", item="basic-troubleshooting")
    assert sum(v.count for v in votes) == 1
    assert axe(phone) == []


def test_feedback_works_with_javascript_off(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/guides/activate-new-terminal/")
    page.get_by_role("button", name="有帮助").click()
    # The answer lands on its own (uncached) thanks page, not on the cached guide's URL.
    expect(page).to_have_url(re.compile(r"/feedback/thanks/\?answer=yes#feedback$"))
    expect(page.locator("#feedback")).to_contain_text("很高兴帮上了忙")
    context.close()

"""A cashier on a phone looks up the code on the terminal's screen, from the home page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_look_up_a_code_from_home_at_360px(live_server, phone, context, artifacts):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    blocked = []
    phone.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    phone.goto(live_server.url + "/")
    box = phone.get_by_label("输入提示后面的代码，看是谁的问题、现在怎么做")
    box.fill("a0")
    box.press("Enter")
    expect(phone).to_have_url(live_server.url + "/codes/A0/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("A0")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("MAC 校验错")
    expect(phone.get_by_text("签到后再试一次")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=artifacts / "code-card-360x740.png")

    phone.get_by_role("link", name="复制本页链接").click()
    expect(phone.get_by_role("status")).to_have_text("已复制本节链接")
    assert phone.evaluate("navigator.clipboard.readText()") == live_server.url + "/codes/A0/#card"
    assert blocked == []


@pytest.mark.parametrize(
    "path", ["/codes/", "/codes/51/", "/codes/97/", "/codes/QQ/", "/triage/card-declined/"]
)
def test_code_pages_fit_360px_and_have_no_axe_violations(live_server, phone, axe, path):
    phone.goto(live_server.url + path)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe(phone) == []


def test_the_jump_box_and_the_assistant_step_work_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/codes/")
    page.get_by_label("屏幕上的代码").fill("交易失败 51")
    page.get_by_role("button", name="查询").click()
    expect(page).to_have_url(live_server.url + "/codes/51/")

    page.goto(live_server.url + "/triage/")
    page.get_by_role("link", name="刷卡失败，屏幕上有提示或代码").click()
    expect(page).to_have_url(re.compile(r"/triage/card-declined/$"))
    page.get_by_label("屏幕上的代码").fill("97")
    page.get_by_role("button", name="查看").click()
    expect(page).to_have_url(live_server.url + "/codes/97/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("终端未登记")
    context.close()


def test_the_assistant_step_with_htmx_ends_on_the_card(live_server, phone):
    phone.goto(live_server.url + "/triage/")
    phone.get_by_role("link", name="刷卡失败，屏幕上有提示或代码").click()
    box = phone.get_by_label("屏幕上的代码")
    expect(box).to_be_visible()
    box.fill("55")
    box.press("Enter")
    expect(phone).to_have_url(live_server.url + "/codes/55/")
    expect(phone.get_by_text("不要替顾客输密码，也不要问他的密码。")).to_be_visible()

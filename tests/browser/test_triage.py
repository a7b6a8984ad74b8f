"""The assistant in chromium: the five problems by clicking, reload, Back, codes, free text."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def mark_page(page: Page) -> None:
    """Leave a mark in the window: it survives HTMX steps and vanishes on a real page load."""
    page.evaluate("window.__sameDocument = true")


def still_same_document(page: Page) -> bool:
    return page.evaluate("window.__sameDocument === true")


def click_answer(page: Page, label: str, url: str, base: str) -> None:
    """Click an answer button, then check the URL and that the new question has focus."""
    page.locator("#answers").get_by_role("link", name=label, exact=False).first.click()
    expect(page).to_have_url(base + url)
    current = page.locator("#conversation .question").last
    expect(current).to_be_focused()


def open_assistant(page: Page, base: str) -> None:
    page.goto(base + "/triage/")
    expect(page.locator("#conversation .question")).to_have_text(["您的 POS 机遇到了什么问题？"])
    mark_page(page)


def merchant_bubbles(page: Page):
    return page.locator("#conversation .msg-merchant")


# --- the five problems ------------------------------------------------------------------------


def test_locked_frozen_by_clicking_then_not_solved(live_server, phone, axe):
    base = live_server.url
    open_assistant(phone, base)
    assert axe(phone) == []
    click_answer(phone, "提示已锁定、已停用", "/triage/status/", base)
    assert axe(phone) == []  # a question mid-way, after an HTMX step
    click_answer(phone, "机器被锁了", "/triage/status/locked/", base)
    expect(phone.locator("#conversation .question").last).to_have_text("屏幕上的提示最像哪一句？")
    click_answer(phone, "账户被冻结", "/triage/status/locked/frozen/", base)
    card = phone.locator(".outcome-card").last
    expect(card.get_by_role("heading", level=2)).to_have_text("商户号或结算卡被冻结")
    expect(card.get_by_role("link", name=re.compile("看解决步骤"))).to_have_attribute(
        "href", "/guides/account-frozen/#which-account"
    )
    expect(card).to_contain_text("服务码 L2：告诉客服这个码")
    expect(card.locator(".channel")).to_have_count(2)
    assert still_same_document(phone), "the steps should not reload the page"
    said = [re.compile("提示已锁定、已停用"), re.compile("机器被锁了"), re.compile("账户被冻结")]
    expect(merchant_bubbles(phone)).to_have_text(said)
    assert axe(phone) == []  # an outcome
    click_answer(phone, "还没解决", "/triage/status/locked/frozen/unsolved/", base)
    expect(phone.locator("#conversation .question").last).to_have_text("抱歉，没能帮您解决")
    assert still_same_document(phone)


def test_activation_review_then_solved(live_server, phone):
    base = live_server.url
    open_assistant(phone, base)
    click_answer(phone, "新机器激活", "/triage/account/", base)
    click_answer(phone, "新机器要激活", "/triage/account/activation/", base)
    click_answer(phone, "资料还在审核", "/triage/account/activation/review/", base)
    expect(phone.locator(".outcome-card").last).to_contain_text("服务码 A3")
    expect(phone.get_by_role("link", name=re.compile("看解决步骤"))).to_have_attribute(
        "href", "/guides/activate-new-terminal/#review-pending"
    )
    click_answer(phone, "解决了", "/triage/account/activation/review/solved/", base)
    expect(phone.locator("#conversation .question").last).to_have_text("太好了，问题解决了！")
    assert still_same_document(phone)


def test_suspended_with_a_reload_mid_way(live_server, phone):
    base = live_server.url
    open_assistant(phone, base)
    click_answer(phone, "提示已锁定、已停用", "/triage/status/", base)
    click_answer(phone, "提示“已停用”", "/triage/status/suspended/", base)
    phone.reload()
    # The server renders the conversation so far, and focus goes to the current question.
    expect(merchant_bubbles(phone)).to_have_count(2)
    expect(phone.locator("#conversation .question").last).to_be_focused()
    mark_page(phone)
    click_answer(phone, "不知道原因", "/triage/status/suspended/unsure/", base)
    expect(phone.get_by_role("link", name=re.compile("看解决步骤"))).to_have_attribute(
        "href", "/guides/restore-suspended-terminal/#find-out-why"
    )
    expect(phone.locator(".outcome-card").last).to_contain_text("服务码 S5")
    assert still_same_document(phone)


def test_password_then_back_undoes_each_step(live_server, phone):
    base = live_server.url
    open_assistant(phone, base)
    click_answer(phone, "操作员号、密码忘了", "/triage/sign-in/", base)
    click_answer(phone, "主管密码忘了", "/triage/sign-in/password/", base)
    click_answer(phone, "店主的主管密码忘了", "/triage/sign-in/password/supervisor/", base)
    expect(phone.get_by_role("link", name=re.compile("看解决步骤"))).to_have_attribute(
        "href", "/guides/forgotten-operator-password/#supervisor-password-forgotten"
    )
    phone.go_back()
    expect(phone).to_have_url(base + "/triage/sign-in/password/")
    expect(phone.locator("#conversation .question").last).to_have_text("忘的是哪一个？")
    expect(phone.locator(".outcome-card")).to_have_count(0)
    phone.go_back()
    expect(phone).to_have_url(base + "/triage/sign-in/")
    phone.go_back()
    expect(phone).to_have_url(base + "/triage/")
    expect(merchant_bubbles(phone)).to_have_count(0)
    # ...and the restored page still works.
    click_answer(phone, "操作员号、密码忘了", "/triage/sign-in/", base)
    click_answer(phone, "主管密码忘了", "/triage/sign-in/password/", base)
    click_answer(phone, "店员的操作员密码忘了", "/triage/sign-in/password/operator/", base)
    expect(phone.locator(".outcome-card").last).to_contain_text("服务码 P2")


def test_sign_in_by_way_of_the_password_question(live_server, phone):
    base = live_server.url
    open_assistant(phone, base)
    click_answer(phone, "开机要签到", "/triage/sign-in/", base)
    click_answer(phone, "提示“请先签到”", "/triage/sign-in/how/", base)
    expect(phone.get_by_role("link", name=re.compile("看解决步骤"))).to_have_attribute(
        "href", "/guides/sign-in-after-power-off/#sign-in-steps"
    )
    # Not solved leads to the outcome's next suggestion, as one more step.
    click_answer(phone, "还没解决", "/triage/sign-in/how/unsolved/", base)
    expect(phone.locator(".outcome-card").last).to_contain_text("服务码 Q2")
    assert still_same_document(phone)


def test_the_guide_link_opens_the_section(live_server, phone):
    base = live_server.url
    phone.goto(base + "/triage/sign-in/failed/")
    phone.get_by_role("link", name=re.compile("看解决步骤")).click()
    expect(phone).to_have_url(base + "/guides/sign-in-after-power-off/#sign-in-failed")
    expect(phone.locator("#sign-in-failed")).to_be_in_viewport()


# --- codes, free text, without JavaScript ------------------------------------------------------


def test_service_code_from_the_home_page_and_the_assistant(live_server, phone):
    base = live_server.url
    phone.goto(base + "/")
    phone.get_by_label("客服给了您一个服务码？").fill(" ｌ２ ")
    phone.get_by_role("button", name="前往").click()
    expect(phone).to_have_url(base + "/triage/money/frozen/")
    expect(phone.locator(".outcome-card").last).to_contain_text("服务码 L2")
    box = phone.locator("#assistant-tools").get_by_label("客服给了您一个服务码？")
    box.fill("zz9")
    box.press("Enter")
    expect(phone.get_by_role("heading", name="没有找到服务码“ZZ9”")).to_be_visible()
    phone.locator("#answers").get_by_label("客服给了您一个服务码？").fill("p3")
    phone.locator("#answers").get_by_role("button", name="前往").click()
    expect(phone).to_have_url(base + "/triage/sign-in/password/supervisor/")


def test_free_text_problem(live_server, phone, axe):
    base = live_server.url
    open_assistant(phone, base)
    phone.get_by_label("或者用自己的话说说问题").fill("机器提示操作员已锁定")
    phone.get_by_role("button", name="发送").click()
    expect(phone).to_have_url(re.compile(r"/triage/ask/\?q="))
    expect(phone.locator("#conversation .question").last).to_have_text("这些可能和您的问题有关")
    expect(phone.locator("#conversation .question").last).to_be_focused()
    expect(merchant_bubbles(phone).last).to_contain_text("机器提示操作员已锁定")
    assert still_same_document(phone)
    assert axe(phone) == []
    phone.locator("#answers .choice-match").first.click()
    expect(phone).to_have_url(base + "/triage/status/locked/wrong-password/")


def test_nonsense_gets_a_kind_answer(live_server, phone):
    base = live_server.url
    open_assistant(phone, base)
    phone.get_by_label("或者用自己的话说说问题").fill("qwzxv")
    phone.get_by_label("或者用自己的话说说问题").press("Enter")
    expect(phone.locator("#conversation .question").last).to_contain_text("没有找到")
    expect(phone.locator("#answers").get_by_role("link", name="扫码收款有问题")).to_be_visible()


def test_works_with_javascript_off(live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    base = live_server.url
    page.goto(base + "/triage/")
    page.get_by_role("link", name=re.compile("提示已锁定")).click()
    expect(page).to_have_url(base + "/triage/status/")
    page.get_by_role("link", name=re.compile("机器被锁了")).click()
    expect(page).to_have_url(base + "/triage/status/locked/")
    page.get_by_role("link", name="不确定").click()
    expect(page).to_have_url(base + "/triage/status/locked/unsure/")
    expect(page.locator(".outcome-card")).to_contain_text("服务码 L5")
    page.get_by_role("link", name="还没解决").click()
    # The before-you-call card asks to write things down; its inputs need JavaScript.
    expect(page.get_by_text("请把上面这些写在纸上")).to_be_visible()
    expect(page.locator("[data-call-builder]")).to_be_hidden()
    context.close()


def test_a_link_from_before_the_move_lands_on_the_new_page(live_server, phone):
    # Shared before issue 19 moved 锁机 under 「提示已锁定、已停用、商户异常」.
    base = live_server.url
    phone.goto(base + "/triage/locked/frozen/")
    expect(phone).to_have_url(base + "/triage/status/locked/frozen/")
    expect(phone.locator(".outcome-card").last).to_contain_text("服务码 L2")
    mark_page(phone)
    click_answer(phone, "还没解决", "/triage/status/locked/frozen/unsolved/", base)
    assert still_same_document(phone)


# --- the outcome card --------------------------------------------------------------------------


def test_before_you_call_text_is_built_in_the_browser_only(live_server, phone):
    base = live_server.url
    sent: list[str] = []
    phone.on("request", lambda request: sent.append(request.url + (request.post_data or "")))
    phone.goto(base + "/triage/status/locked/risk/")
    card = phone.locator(".call-card")
    expect(card.get_by_label("终端 SN")).to_be_hidden()  # folded: the card is a checklist first
    card.get_by_text("在这里填好，一键复制给客服").click()
    card.get_by_label("终端 SN").fill("SN123XYZ")
    card.get_by_label("终端号").fill("12345678")
    card.get_by_label("屏幕上的提示").fill("交易受限")
    summary = card.get_by_label("要告诉客服的内容")
    expect(summary).to_have_value(re.compile("服务码：L3"))
    expect(summary).to_have_value(re.compile("终端 SN：SN123XYZ"))
    expect(summary).to_have_value(re.compile("屏幕提示：交易受限"))
    expect(card.get_by_text("请把上面这些写在纸上")).to_be_hidden()
    card.get_by_label("终端号").press("Enter")
    expect(phone).to_have_url(base + "/triage/status/locked/risk/")
    assert not [url for url in sent if "SN123XYZ" in url or "12345678" in url]
    expect(card.get_by_role("button", name="复制")).to_be_visible()


def test_outcome_shows_a_qr_code_and_open_now_status(live_server, phone):
    base = live_server.url
    phone.goto(base + "/triage/hardware/power/danger/")
    qr = phone.locator(".outcome-card img.qr")
    expect(qr).to_be_hidden()  # folded away: the guide link and "solved?" come first
    phone.get_by_text("在手机上打开，或发给客服").click()
    expect(qr).to_be_visible()
    assert phone.evaluate("(img) => img.naturalWidth > 0", qr.element_handle())
    link = phone.locator(".outcome-card .share input")
    expect(link).to_have_value(base + "/triage/hardware/power/danger/")
    phone.goto(base + "/triage/safety/call/")  # the police channel is always open
    expect(phone.locator(".channel .status-open").first).to_have_text("24 小时服务")


def test_progress_indicator_shows_while_waiting(live_server, phone):
    phone.goto(live_server.url + "/triage/")
    thinking = phone.locator("#answers .thinking")
    expect(thinking).to_be_hidden()
    phone.evaluate("document.getElementById('answers').classList.add('htmx-request')")
    expect(thinking).to_be_visible()


def test_tap_targets_and_no_horizontal_scroll_at_360(live_server, phone):
    phone.goto(live_server.url + "/triage/status/locked/frozen/")
    for link in phone.locator("#answers .choice").all():
        box = link.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_keyboard_only(live_server, phone):
    base = live_server.url
    phone.goto(base + "/triage/status/locked/")
    expect(phone.locator("#conversation .question").last).to_be_focused()
    for _ in range(40):
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.textContent").startswith("风控限制"):
            break
    phone.keyboard.press("Enter")
    expect(phone).to_have_url(base + "/triage/status/locked/risk/")
    expect(phone.locator("#conversation .question").last).to_be_focused()


def test_outcome_screenshot(live_server, phone, artifacts, axe):
    phone.goto(live_server.url + "/triage/status/locked/wrong-password/")
    expect(phone.locator(".outcome-card")).to_be_visible()
    phone.locator(".outcome-card").scroll_into_view_if_needed()
    phone.screenshot(path=artifacts / "triage-outcome.png")
    phone.screenshot(path=artifacts / "triage-outcome-full.png", full_page=True)
    assert axe(phone) == []

"""The header search box answers as the merchant types; the full page works without it."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_in_the_header_box_shows_instant_results(live_server, phone):
    phone.goto(live_server.url + "/")
    box = phone.get_by_label("搜索帮助")
    box.press_sequentially("密码想不起来", delay=30)
    results = phone.locator("#instant-results")
    first = results.get_by_role("link").first
    expect(first).to_contain_text("操作员号或密码忘了")
    expect(phone).to_have_url(live_server.url + "/")  # instant results do not navigate
    first.click()
    expect(phone).to_have_url(re.compile(r"/guides/forgotten-operator-password/"))


def test_stale_answers_do_not_overwrite_newer_ones(live_server, phone):
    phone.goto(live_server.url + "/")
    box = phone.get_by_label("搜索帮助")
    box.fill("打印")
    box.fill("签到失败")
    expect(phone.locator("#instant-results")).to_contain_text("签")
    expect(phone.locator("#instant-results")).not_to_contain_text("打印不出小票")


def test_enter_opens_the_full_results_page(live_server, phone, axe):
    phone.goto(live_server.url + "/")
    box = phone.get_by_label("搜索帮助")
    box.fill("刷卡没反应")
    box.press("Enter")
    expect(phone).to_have_url(re.compile(r"/search/\?q="))
    expect(phone.locator(".result").first).to_contain_text("通用故障排查")
    expect(phone.locator("mark").first).to_be_visible()
    assert axe(phone) == []


def test_no_results_page_is_accessible(live_server, phone, axe):
    phone.goto(live_server.url + "/search/?q=恐龙化石")
    expect(phone.get_by_text("没有找到和“恐龙化石”相关的内容。")).to_be_visible()
    assert axe(phone) == []

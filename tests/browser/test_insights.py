"""In chromium: walk the assistant, vote 没解决 with a reason, then read it on the staff page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.factories import write_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def beacon_after(page: Page, action, kind: str) -> None:
    """Do something that makes the page send a beacon of this kind, and wait until the server
    took it. The kind matters: an earlier page's beacon may still be on its way, and waiting
    for any beacon would then return before this one is counted."""

    def this_beacon(response) -> bool:
        body = response.request.post_data or ""
        return response.url.endswith("/insights/event") and f"kind={kind}&" in body + "&"

    with page.expect_response(this_beacon) as answered:
        action()
    assert answered.value.status == 204


def test_counts_from_the_assistant_and_a_vote_reach_the_staff_page(
    live_server, phone, axe, content_dir, artifacts
):
    from django.contrib.auth.models import User

    write_tree(content_dir)
    User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    base = live_server.url

    # The assistant: in, two answers, an outcome, then "not solved".
    beacon_after(phone, lambda: phone.goto(base + "/triage/"), "step")
    for label in ("机器被锁了", "不确定", "还没解决"):
        link = phone.locator("#answers").get_by_role("link", name=label).first
        beacon_after(phone, link.click, "step")
    expect(phone.locator("#conversation .question").last).to_have_text("抱歉，没能帮您解决")

    # A guide: read it, answer 没解决, give a reason.
    beacon_after(
        phone, lambda: phone.goto(base + "/guides/unlock-locked-terminal/#symptoms"), "view"
    )
    phone.get_by_role("button", name="没解决").click()
    box = phone.locator("#feedback")
    expect(box).to_contain_text("抱歉没有帮上忙")
    expect(box.locator("textarea.agent-text")).to_contain_text("里的“症状”")
    expect(box.get_by_role("button", name="复制这段话")).to_be_visible()
    box.get_by_label("步骤不管用").check()
    box.get_by_role("button", name="告诉我们").click()
    expect(box).to_contain_text("收到，谢谢")
    assert axe(phone) == []  # the answer box on the guide, after two htmx swaps

    # Staff: the login first, then the page with those counts and charts.
    phone.goto(base + "/staff/insights/")
    expect(phone).to_have_url(base + "/staff/login/?next=/staff/insights/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("编辑登录")
    assert axe(phone) == []
    phone.get_by_label("用户名").fill("editor")
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    expect(phone).to_have_url(base + "/staff/insights/")

    least_helpful = phone.locator("section", has=phone.locator("#least-helpful"))
    row = least_helpful.get_by_role("row", name="POS 机被锁定")
    expect(row).to_contain_text("步骤不管用 1")
    expect(row.locator("td").first).to_have_text("1")
    most_viewed = phone.locator("section", has=phone.locator("#most-viewed"))
    expect(most_viewed.get_by_role("row", name="POS 机被锁定").locator("td").first).to_have_text(
        "1"
    )
    funnel = phone.locator(".funnel-table")
    first = funnel.get_by_role("row", name="您的 POS 机遇到了什么问题？")
    expect(first).to_contain_text("机器被锁了 1")
    expect(first.locator("td").nth(0)).to_have_text("1")  # arrived
    expect(funnel.get_by_role("row", name="锁机的原因是哪一种？")).to_contain_text("不确定 1")
    outcome = phone.get_by_role("row", name="看不出为什么被锁")
    expect(outcome).to_contain_text("T2")
    expect(outcome.locator("td").nth(3)).to_have_text("1")  # 没解决
    expect(phone.locator("svg.chart-spark")).to_have_count(4)
    expect(phone.locator(".funnel-table svg .chart-fill").first).to_have_attribute("width", "100.0")
    # Works on a 360 px phone: nothing wider than the screen except inside scrolling tables.
    overflow = phone.evaluate("document.documentElement.scrollWidth")
    wide = phone.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > 360.5 && !e.closest('.table-scroll'))"
        ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
    )
    assert overflow <= 360, wide
    assert axe(phone) == []
    phone.screenshot(path=str(artifacts / "insights-staff-360.png"), full_page=True)


def test_searches_opened_results_and_code_look_ups_are_counted(live_server, page):
    from insights.models import DailyCount

    base = live_server.url
    beacon_after(page, lambda: page.goto(base + "/search/?q=机器锁住了"), "search")
    result = page.locator(".results a").first
    href = result.get_attribute("href")
    # The page navigates away as the beacon leaves: its answer is not the page's to see.
    # The guide it opens sends its own "view" beacon; wait for that one to be counted.
    with page.expect_request(
        lambda r: r.url.endswith("/insights/event") and "kind=open" in (r.post_data or "")
    ):
        beacon_after(page, result.click, "view")
    beacon_after(page, lambda: page.goto(base + "/search/?q=恐龙蛋"), "search")
    beacon_after(page, lambda: page.goto(base + "/codes/51/"), "code")
    kinds = set(DailyCount.objects.values_list("kind", "item"))
    assert ("search-hit", "") in kinds and ("search-empty", "") in kinds
    assert ("gap", "恐龙蛋") in kinds and ("code", "51") in kinds
    assert href.startswith("/guides/") and ("search-open", href.split("/")[2]) in kinds


def test_the_thanks_page_after_a_vote_without_javascript_is_accessible(live_server, phone, axe):
    phone.goto(live_server.url + "/guides/unlock-locked-terminal/feedback/thanks/?answer=no")
    expect(phone.get_by_role("heading", level=2)).to_have_text("谢谢您的反馈")
    expect(phone.locator("textarea.agent-text")).to_contain_text("POS 机被锁定")
    assert axe(phone) == []


def test_words_typed_to_the_assistant_are_told_once_with_the_answer_they_ended_on(
    live_server, phone
):
    from insights.models import DailyCount

    base = live_server.url
    beacon_after(phone, lambda: phone.goto(base + "/triage/"), "step")
    box = phone.get_by_label("或者用自己的话说说问题")
    box.fill("机器提示操作员已锁定 13812345678")
    beacon_after(phone, lambda: box.press("Enter"), "ask")
    first = phone.locator("#answers .choice-match").first
    beacon_after(phone, first.click, "step")
    solved = phone.locator("#answers").get_by_role("link", name="解决了")
    beacon_after(phone, solved.click, "said")
    said = DailyCount.objects.get(kind="said-yes")
    assert said.item == "机器提示操作员已锁定 #"  # masked like the gaps
    assert said.detail.startswith("o:") and said.count == 1
    # Told once: a vote later in the same tab counts the vote, and no second phrase.
    beacon_after(phone, lambda: phone.goto(base + "/guides/unlock-locked-terminal/"), "view")
    phone.get_by_role("button", name="有帮助").click()
    expect(phone.locator("#feedback")).to_contain_text("谢谢")
    assert DailyCount.objects.filter(kind__startswith="said").count() == 1

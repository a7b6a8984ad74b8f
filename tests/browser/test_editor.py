"""In chromium: an editor logs in, changes a guide with the live preview, publishes, sees it on
the public page; a broken link is refused with its line; a revert brings the old text back;
the staff pages pass axe. At 360 px and on a desktop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
GUIDE = "unlock-locked-terminal"
OLD = "一般就是“锁机”了"
NEW = "一般就是“锁机”了，先别关机"


@pytest.fixture(autouse=True)
def _sync_from_the_start():
    from editor import sync

    sync.forget()
    yield
    sync.forget()


@pytest.fixture(params=[(360, 740), (1280, 900)], ids=["phone", "desktop"])
def screen(page, request):
    page.set_viewport_size({"width": request.param[0], "height": request.param[1]})
    return page


def test_an_editor_previews_publishes_is_refused_and_reverts(
    live_server, screen, axe, content_dir, artifacts
):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="editors")[0])
    base = live_server.url
    page = screen
    editor_url = f"{base}/staff/content/guides/{GUIDE}/"

    page.goto(editor_url)
    expect(page).to_have_url(f"{base}/staff/login/?next=/staff/content/guides/{GUIDE}/")
    page.get_by_label("用户名").fill("editor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(editor_url)
    assert axe(page) == []

    # Typing shows the preview (htmx, debounced); publishing puts it on the public page.
    text = page.get_by_label("整个文件（front matter 和正文）")
    original = text.input_value()
    text.fill(original.replace(OLD, NEW))
    preview = page.locator("#preview")
    expect(preview).to_contain_text(NEW)
    expect(preview).to_contain_text("检查通过")
    assert axe(page) == []
    page.get_by_label("这次改了什么（会记在历史里）").fill("提醒先别关机")
    page.get_by_role("button", name="发布").click()
    expect(page.locator(".editor-messages")).to_contain_text("已发布第 1 版")
    page.goto(f"{base}/guides/{GUIDE}/")
    expect(page.locator("main")).to_contain_text(NEW)

    # A broken link: refused with its line, the text stays in the form, nothing published.
    page.goto(editor_url)
    current = text.input_value()
    broken = current.replace(NEW, NEW + "，见[这里](/guides/no-such-guide/)")
    line = next(n for n, x in enumerate(broken.splitlines(), 1) if "no-such-guide" in x)
    text.fill(broken)
    page.get_by_role("button", name="发布").click()
    expect(page.locator("#preview")).to_contain_text(
        f"第 {line} 行：链接的指南 no-such-guide 不存在"
    )
    expect(page.locator("#preview")).to_contain_text("什么也没有发布")
    assert "no-such-guide" in text.input_value()
    assert axe(page) == []
    page.screenshot(path=artifacts / f"editor-refused-{page.viewport_size['width']}.png")

    # History: the version, who and why; revert brings the old text back.
    page.goto(editor_url + "history/")
    expect(page.locator("main")).to_contain_text("提醒先别关机")
    expect(page.locator(".diff-add").first).to_contain_text("先别关机")
    assert axe(page) == []
    page.get_by_role("button", name="恢复到第 1 版之前").click()
    expect(page.locator(".editor-messages")).to_contain_text("已恢复到第 1 版之前")
    page.goto(f"{base}/guides/{GUIDE}/")
    expect(page.locator("main")).to_contain_text(OLD)
    expect(page.locator("main")).not_to_contain_text(NEW)


def test_the_content_list_and_the_tree_picture_pass_axe(live_server, screen, axe, content_dir):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="editors")[0])
    page = screen
    page.goto(f"{live_server.url}/staff/login/?next=/staff/content/")
    page.get_by_label("用户名").fill("editor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("内容")
    assert axe(page) == []
    page.get_by_role("link", name="问答树图").click()
    expect(page.locator("svg.tree-graph")).to_be_visible()
    assert axe(page) == []
    page.locator("svg.tree-graph a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("编辑 triage.yaml")
    assert axe(page) == []
    page.goto(f"{live_server.url}/staff/content/new/")
    assert axe(page) == []

    # A file saved by hand while the editor was open: both texts side by side, and axe.
    page.goto(f"{live_server.url}/staff/content/guides/{GUIDE}/")
    text = page.get_by_label("整个文件（front matter 和正文）")
    text.fill(text.input_value().replace(OLD, NEW))
    path = content_dir / "guides" / f"{GUIDE}.md"
    path.write_text(path.read_text(encoding="utf-8").replace(OLD, "手改的"), encoding="utf-8")
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("已经变了")
    expect(page.get_by_label("您的版本")).to_have_value(re.compile("先别关机"))
    expect(page.get_by_label("现在的内容（只读）")).to_have_value(re.compile("手改的"))
    assert axe(page) == []

"""The editor's pages: who may use them, preview, publish, the bad inputs, conflicts, history."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from editor import files, publishing, sync
from editor.models import Revision
from guides.library import get_library

GUIDE = "unlock-locked-terminal"
URL = f"/staff/content/guides/{GUIDE}/"


def _text(content_dir) -> str:
    return (content_dir / "guides" / f"{GUIDE}.md").read_text(encoding="utf-8")


def _post(client, text, base, action="publish", url=URL, **extra):
    return client.post(url, {"text": text, "base": base, "action": action, **extra})


# --- who may do what ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/staff/content/", URL, f"{URL}history/", "/staff/content/triage/"]
)
def test_anonymous_visitors_are_sent_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=")


def test_an_anonymous_publish_changes_nothing(client, content_dir, db):
    before = _text(content_dir)
    response = _post(client, before + "\n新的一行\n", files.digest(before))
    assert response.status_code == 302
    assert _text(content_dir) == before
    assert not Revision.objects.exists()


@pytest.mark.parametrize(
    "url", ["/staff/content/", URL, f"{URL}history/", "/staff/content/triage/"]
)
def test_staff_outside_the_editors_group_get_403(staff_client, url):
    assert staff_client.get(url).status_code == 403


def test_staff_outside_the_group_cannot_publish_but_can_read_insights(staff_client, content_dir):
    before = _text(content_dir)
    assert _post(staff_client, before + "x\n", files.digest(before)).status_code == 403
    assert _text(content_dir) == before
    assert staff_client.get("/staff/insights/").status_code == 200


def test_the_permission_alone_also_lets_staff_edit(client, db, django_user_model, content_dir):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("zhao", password="pw-123456", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="publish_content"))
    client.force_login(user)
    assert client.get(URL).status_code == 200


def test_a_forged_post_without_csrf_token_is_refused(editor_user, content_dir):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor_user)
    before = _text(content_dir)
    response = _post(client, before + "伪造\n", files.digest(before))
    assert response.status_code == 403
    assert _text(content_dir) == before
    assert not Revision.objects.exists()


def test_staff_pages_are_never_cached_and_carry_a_csrf_token(editor_client):
    response = editor_client.get(URL)
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert b"csrfmiddlewaretoken" in response.content


# --- the list ------------------------------------------------------------------------------


def test_the_list_shows_every_guide_with_its_votes_and_last_editor(editor_client, editor_user):
    import datetime as dt

    from django.utils import timezone

    from insights.models import DailyCount

    day = timezone.localdate() - dt.timedelta(days=3)
    DailyCount.objects.create(day=day, kind="vote-yes", item=GUIDE, count=7)
    DailyCount.objects.create(day=day, kind="vote-no", item=GUIDE, count=2)
    DailyCount.objects.create(day=day - dt.timedelta(days=40), kind="vote-no", item=GUIDE, count=50)
    Revision.objects.create(path=f"guides/{GUIDE}.md", number=1, text="x", editor=editor_user)
    page = editor_client.get("/staff/content/").content.decode()
    row = re.search(rf'href="{URL}".*?</tr>', page, re.S).group(0)
    reviewed = f"{get_library().guides[GUIDE].reviewed:%Y-%m-%d}"
    assert ">7<" in row and ">2<" in row and "wang" in row and reviewed in row
    for name in [*files.DATA_FILES, *files.examples_files()]:
        assert f"/staff/content/files/{name}/" in page
    assert "/staff/content/files/examples/scams.yaml/" in page
    assert page.count('href="/staff/content/guides/') == len(get_library().guides)


# --- preview --------------------------------------------------------------------------------


def test_the_editor_holds_the_whole_file_and_its_version(editor_client, content_dir):
    page = editor_client.get(URL).content.decode()
    assert 'name="text"' in page and "终端已锁定" in page
    assert f'name="base" value="{files.digest(_text(content_dir))}"' in page


def test_a_preview_renders_the_draft_and_publishes_nothing(editor_client, content_dir):
    before = _text(content_dir)
    draft = before.replace("## 症状 {#symptoms}", "## 症状 {#symptoms}\n\n草稿里的新句子。")
    response = _post(editor_client, draft, files.digest(before), action="preview")
    assert response.status_code == 200
    assert "<p>草稿里的新句子。</p>" in response.content.decode()
    assert "检查通过" in response.content.decode()
    assert _text(content_dir) == before


def test_htmx_preview_answers_with_the_preview_fragment(editor_client, content_dir):
    before = _text(content_dir)
    response = editor_client.post(
        URL,
        {"text": before + "\n尾巴\n", "base": files.digest(before), "action": "preview"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="preview"')
    assert "<textarea" not in body and "<p>尾巴</p>" in body
    assert "HX-Request" in response["Vary"]
    full = _post(editor_client, before, files.digest(before), action="preview")
    assert "<textarea" in full.content.decode() and "HX-Request" in full["Vary"]


# --- publish ------------------------------------------------------------------------------


def test_publish_writes_the_file_records_the_editor_and_is_live(editor_client, content_dir):
    before = _text(content_dir)
    after = before.replace("一般就是“锁机”了", "一般就是“锁机”了（已更新）")
    response = _post(editor_client, after, files.digest(before), message="说得更清楚")
    assert response.status_code == 302 and response["Location"] == URL
    assert _text(content_dir) == after
    revision = Revision.objects.get()
    assert (revision.number, revision.editor.username, revision.message) == (
        1,
        "wang",
        "说得更清楚",
    )
    assert revision.previous == before
    assert "已发布第 1 版" in editor_client.get(URL).content.decode()
    assert "（已更新）" in Client().get(f"/guides/{GUIDE}/").content.decode()


def test_a_warning_is_shown_and_publishing_is_allowed(editor_client, content_dir):
    before = _text(content_dir)
    after = re.sub(r"reviewed: \d{4}-\d{2}-\d{2}", "reviewed: 2020-01-01", before)
    assert after != before
    preview = _post(editor_client, after, files.digest(before), action="preview").content.decode()
    assert "提醒" in preview and "第 7 行" in preview
    assert _post(editor_client, after, files.digest(before)).status_code == 302
    assert _text(content_dir) == after


def _refused(client, content_dir, draft, *, url=URL, path=None):
    path = path or content_dir / "guides" / f"{GUIDE}.md"
    before = path.read_text(encoding="utf-8")
    response = _post(client, draft, files.digest(before), url=url)
    assert response.status_code == 422
    assert path.read_text(encoding="utf-8") == before
    assert not Revision.objects.exists()
    page = response.content.decode()
    assert "什么也没有发布" in page
    return page


def test_broken_front_matter_is_refused_with_its_line(editor_client, content_dir):
    draft = _text(content_dir).replace("category: terminal-status", "category: [oops")
    page = _refused(editor_client, content_dir, draft)
    assert "front matter 的 YAML 格式错误" in page and re.search(r"第 \d+ 行", page)
    assert "category: [oops" in page  # the form keeps the text


def test_a_duplicate_anchor_is_refused_with_its_line(editor_client, content_dir):
    draft = _text(content_dir).replace("{#prevention}", "{#causes}")
    page = _refused(editor_client, content_dir, draft)
    assert "锚点 #causes 重复" in page
    number = (
        draft.splitlines().index(
            next(x for x in draft.splitlines() if "{#causes}" in x and "预防" in x)
        )
        + 1
    )
    assert f"第 {number} 行" in page


def test_removing_an_anchor_the_tree_links_is_refused(editor_client, content_dir):
    draft = _text(content_dir).replace("{#wrong-password}", "{#too-many-tries}")
    page = _refused(editor_client, content_dir, draft)
    assert "triage.yaml" in page and "wrong-password" in page


@pytest.mark.parametrize(
    "line, expected",
    [
        ("客服电话 400-123-4567，随时打。", "电话"),
        ("详见 [官网](https://example.com/)。", "外部网址"),
    ],
)
def test_a_phone_number_or_url_in_a_guide_is_refused(editor_client, content_dir, line, expected):
    draft = _text(content_dir).replace(
        "## 症状 {#symptoms}\n", f"## 症状 {{#symptoms}}\n\n{line}\n"
    )
    page = _refused(editor_client, content_dir, draft)
    number = draft.splitlines().index(line) + 1
    assert expected in page and f"第 {number} 行" in page


def test_a_broken_link_is_refused_with_its_line(editor_client, content_dir):
    line = "见[签到](/guides/no-such-guide/#x)。"
    draft = _text(content_dir).replace(
        "## 症状 {#symptoms}\n", f"## 症状 {{#symptoms}}\n\n{line}\n"
    )
    page = _refused(editor_client, content_dir, draft)
    assert "no-such-guide 不存在" in page
    assert f"第 {draft.splitlines().index(line) + 1} 行" in page


def test_a_tree_with_a_loop_is_refused_with_its_line(editor_client, content_dir):
    path = content_dir / "triage.yaml"
    before = path.read_text(encoding="utf-8")
    draft = before.replace("    next: password\n", "    next: problem\n", 1)
    assert draft != before
    page = _refused(
        editor_client, content_dir, draft, url="/staff/content/files/triage.yaml/", path=path
    )
    assert "形成了循环" in page and re.search(r"第 \d+ 行", page)


def test_examples_naming_an_outcome_the_tree_lacks_are_refused_with_their_line(
    editor_client, content_dir
):
    path = content_dir / "examples" / "locked.yaml"
    before = path.read_text(encoding="utf-8")
    draft = before.replace("  locked-wrong-password:\n", "  locked-wrong-pasword:\n", 1)
    assert draft != before
    url = "/staff/content/files/examples/locked.yaml/"
    page = _refused(editor_client, content_dir, draft, url=url, path=path)
    number = draft.splitlines().index("  locked-wrong-pasword:") + 1
    assert "结果 locked-wrong-pasword 不在 triage.yaml 的 outcomes 里" in page
    assert f"第 {number} 行" in page


def test_an_example_published_in_an_examples_file_reaches_the_outcome(editor_client, content_dir):
    from triage.loading import get_tree

    path = content_dir / "examples" / "locked.yaml"
    before = path.read_text(encoding="utf-8")
    said = "机器突然就所定了 我啥也没按"
    draft = before.replace(
        "  locked-wrong-password:\n", f"  locked-wrong-password:\n    - {said}\n", 1
    )
    response = _post(
        editor_client, draft, files.digest(before), url="/staff/content/files/examples/locked.yaml/"
    )
    assert response.status_code == 302
    assert said in get_tree(get_library()).outcomes["locked-wrong-password"].examples
    history = editor_client.get("/staff/content/files/examples/locked.yaml/history/")
    assert history.status_code == 200 and said in history.content.decode()
    # Undone from the history page, as a guide is.
    reverted = editor_client.post(
        "/staff/content/files/examples/locked.yaml/revert/",
        {"revision": Revision.objects.get().id, "to": "before", "base": files.digest(draft)},
    )
    assert reverted.status_code == 302 and path.read_text(encoding="utf-8") == before
    assert said not in get_tree(get_library()).outcomes["locked-wrong-password"].examples


def test_an_unknown_slug_or_file_is_404(editor_client):
    assert editor_client.get("/staff/content/guides/no-such-guide/").status_code == 404
    assert editor_client.get("/staff/content/guides/..%2Fsettings/").status_code == 404
    assert editor_client.get("/staff/content/files/settings.py/").status_code == 404
    # The examples folder's files only, and only those that exist.
    assert editor_client.get("/staff/content/files/examples/nothing.yaml/").status_code == 404
    assert editor_client.get("/staff/content/files/examples/../codes.yaml/").status_code == 404
    assert editor_client.get("/staff/content/files/guides/home.md/").status_code == 404
    assert editor_client.get("/staff/content/files/examples.yaml/").status_code == 404  # retired
    assert (
        editor_client.post(
            "/staff/content/guides/no-such-guide/", {"text": "x", "base": "b"}
        ).status_code
        == 404
    )


def test_a_20_mb_text_is_refused(editor_client, content_dir):
    before = _text(content_dir)
    # URL-encoded, a character of Chinese is 9 bytes: over views.MAX_BODY_BYTES.
    response = _post(editor_client, before + "锁" * 2_240_000, files.digest(before))
    assert response.status_code == 413
    assert "内容太长" in response.content.decode()
    assert _text(content_dir) == before


def test_a_text_over_the_character_limit_is_refused(editor_client, content_dir):
    before = _text(content_dir)
    response = _post(editor_client, "a" * (files.MAX_CHARS + 1), files.digest(before))
    assert response.status_code == 413
    assert _text(content_dir) == before


def test_the_tree_and_each_examples_file_fit_the_editor():
    content = Path(settings.BASE_DIR) / "content"
    names = ["triage.yaml", *files.examples_files(content)]
    assert len(names) > 10
    for name in names:
        text = (content / name).read_text(encoding="utf-8")
        assert len(text) * 10 < files.MAX_CHARS, name  # room to grow tenfold


# --- conflicts ---------------------------------------------------------------------------------


def test_a_stale_base_shows_both_texts_and_loses_neither(editor_client, content_dir):
    before = _text(content_dir)
    hand_edit = before.replace("一般就是“锁机”了", "一般就是“锁机”了（手改）")
    (content_dir / "guides" / f"{GUIDE}.md").write_text(hand_edit, encoding="utf-8")
    mine = before.replace("一般就是“锁机”了", "一般就是“锁机”了（网页）")
    response = _post(editor_client, mine, files.digest(before))
    page = response.content.decode()
    assert response.status_code == 409
    assert "（手改）" in page and "（网页）" in page
    assert _text(content_dir) == hand_edit
    # The page's form carries the current version: publishing from it now succeeds.
    assert f'value="{files.digest(hand_edit)}"' in page
    assert _post(editor_client, mine, files.digest(hand_edit)).status_code == 302


def test_two_editors_publishing_from_the_same_version_one_wins(editor_client, content_dir):
    before = _text(content_dir)
    base = files.digest(before)
    first = before.replace("一般就是“锁机”了", "一般就是“锁机”了（甲）")
    second = before.replace("一般就是“锁机”了", "一般就是“锁机”了（乙）")
    assert _post(editor_client, first, base).status_code == 302
    response = _post(editor_client, second, base)
    assert response.status_code == 409 and "（甲）" in response.content.decode()
    assert Revision.objects.count() == 1 and _text(content_dir) == first


def test_a_publish_committed_on_another_instance_mid_way_makes_ours_a_conflict(
    editor_user, content_dir, monkeypatch
):
    """The race itself: the other publish lands after our file check; the version number,
    unique per file, lets only one in."""
    relative = f"guides/{GUIDE}.md"
    before = files.read(relative)
    real_current = publishing.current

    def other_instance_publishes_now(path):
        text = real_current(path)
        if not Revision.objects.exists():
            Revision.objects.create(
                path=relative, number=1, text="别人", digest=files.digest("别人"), base="x"
            )
        return text

    monkeypatch.setattr(publishing, "current", other_instance_publishes_now)
    with pytest.raises(publishing.Conflict):
        publishing.publish(
            relative=relative,
            text=before + "我\n",
            base=files.digest(before),
            user=editor_user,
            message="",
        )
    assert Revision.objects.count() == 1


# --- history and revert ------------------------------------------------------------------------


def test_history_lists_each_version_with_diff_and_revert_brings_the_old_text_back(
    editor_client, content_dir
):
    before = _text(content_dir)
    after = before.replace("一般就是“锁机”了", "一般就是<b>“锁机”</b>了")
    _post(editor_client, after, files.digest(before), message="加粗")
    page = editor_client.get(f"{URL}history/").content.decode()
    assert "第 1 版" in page and "wang" in page and "加粗" in page
    assert "+- 开机或收款时" not in page
    assert "&lt;b&gt;" in page and "<b>“锁机”</b>" not in page  # the diff is escaped
    revision = Revision.objects.get()
    response = editor_client.post(
        f"{URL}revert/",
        {"revision": revision.id, "to": "before", "base": files.digest(after)},
    )
    assert response.status_code == 302
    assert _text(content_dir) == before
    revert = Revision.objects.order_by("-number").first()
    assert (revert.number, revert.reverts_id, revert.editor.username) == (2, revision.id, "wang")
    assert "恢复到第 1 版之前" in editor_client.get(f"{URL}history/").content.decode()


def test_a_revert_from_a_stale_page_is_a_conflict(editor_client, content_dir):
    before = _text(content_dir)
    _post(editor_client, before + "一\n", files.digest(before))
    revision = Revision.objects.get()
    response = editor_client.post(
        f"{URL}revert/", {"revision": revision.id, "to": "before", "base": files.digest(before)}
    )
    assert response.status_code == 409
    assert _text(content_dir) == before + "一\n"


# --- new guide ---------------------------------------------------------------------------------


def test_a_new_guide_starts_from_the_house_template_and_checks_its_slug(editor_client, content_dir):
    assert editor_client.post("/staff/content/new/", {"slug": "Bad Slug"}).status_code == 422
    assert editor_client.post("/staff/content/new/", {"slug": GUIDE}).status_code == 422
    page = editor_client.post("/staff/content/new/", {"slug": "paper-jam"}).content.decode()
    assert "{#symptoms}" in page and "{#when-to-contact}" in page and 'name="base" value=""' in page
    text = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1)
    import html

    text = (
        html.unescape(text)
        .removeprefix("\n")
        .replace("（标题：商户会怎么说这个问题）", "打印机卡纸")
    )
    text = text.replace("[（商户会搜的说法）]", "[卡纸]")
    response = _post(editor_client, text, "", url="/staff/content/guides/paper-jam/")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert (content_dir / "guides" / "paper-jam.md").exists()
    assert Client().get("/guides/paper-jam/").status_code == 200


# --- the tree ----------------------------------------------------------------------------------


def test_the_tree_picture_has_a_box_per_item_linking_to_its_line(editor_client):
    import datetime as dt

    from django.utils import timezone

    from guides.library import get_library
    from insights import events
    from insights.models import DailyCount
    from triage.loading import get_tree

    library = get_library()
    tree = get_tree(library)
    version = events.tree_version(library)
    day = timezone.localdate() - dt.timedelta(days=1)
    first = tree.nodes[tree.start].answers[0]
    DailyCount.objects.create(
        day=day, kind="answer", item=f"{tree.start}/{first.id}", detail=version, count=41
    )
    DailyCount.objects.create(
        day=day, kind="solved", item="locked-wrong-password", detail=version, count=3
    )
    DailyCount.objects.create(
        day=day, kind="unsolved", item="locked-wrong-password", detail=version, count=1
    )
    page = editor_client.get("/staff/content/triage/").content.decode()
    assert "<svg" in page
    assert page.count("<rect") == len(tree.nodes) + len(tree.outcomes)
    line = tree.outcomes["locked-wrong-password"].line
    assert f"/staff/content/files/triage.yaml/?line={line}#editor" in page
    assert "解决率 75%" in page
    assert f"{first.label[:7]}" in page and " 41<" in page
    linked = editor_client.get(f"/staff/content/files/triage.yaml/?line={line}").content.decode()
    assert f'data-line="{line}"' in linked and f"第 {line} 行" in linked


# --- every instance ------------------------------------------------------------------------------


def test_revisions_reach_another_instance_folder_unless_changed_by_hand(
    editor_client, content_dir, tmp_path, settings
):
    before = _text(content_dir)
    other = tmp_path / "other"
    import shutil

    shutil.copytree(content_dir, other)
    after = before + "\n新的一段。\n"
    _post(editor_client, after, files.digest(before))
    settings.CONTENT_DIR = other
    sync.forget()
    assert sync.apply_pending() == 1
    assert (other / "guides" / f"{GUIDE}.md").read_text(encoding="utf-8") == after
    # A file changed by hand on that instance is kept.
    (other / "triage.yaml").write_text("# 手改\n", encoding="utf-8")
    Revision.objects.create(
        path="triage.yaml", number=1, text="x\n", digest=files.digest("x\n"), base="other"
    )
    assert sync.apply_pending() == 1
    assert (other / "triage.yaml").read_text(encoding="utf-8") == "# 手改\n"


def test_a_new_process_replays_a_chain_of_versions_onto_an_old_release(
    editor_client, content_dir, tmp_path, settings, caplog
):
    import shutil

    old_release = tmp_path / "old"
    shutil.copytree(content_dir, old_release)
    first = _text(content_dir)
    second = first + "一\n"
    third = second + "二\n"
    _post(editor_client, second, files.digest(first))
    _post(editor_client, third, files.digest(second))
    settings.CONTENT_DIR = old_release
    sync.forget()
    assert sync.apply_pending() == 2
    assert (old_release / "guides" / f"{GUIDE}.md").read_text(encoding="utf-8") == third
    sync.forget()
    assert sync.apply_pending() == 2  # already there: nothing written, nothing said
    assert "changed by hand" not in caplog.text


def test_an_old_revision_of_the_retired_examples_yaml_is_never_written_back(content_dir, caplog):
    old = "outcomes:\n  locked-wrong-password:\n    - 锁了\n"
    Revision.objects.create(path="examples.yaml", number=1, text=old, digest=files.digest(old))
    sync.forget()
    assert sync.apply_pending() == 1  # gone through, and nothing written
    assert not (content_dir / "examples.yaml").exists()
    assert "not editable" not in caplog.text


def test_the_editor_starts_from_a_version_published_on_another_instance(editor_client, content_dir):
    relative = f"guides/{GUIDE}.md"
    before = _text(content_dir)
    elsewhere = before + "别处发布的一句。\n"
    Revision.objects.create(
        path=relative,
        number=1,
        text=elsewhere,
        digest=files.digest(elsewhere),
        base=files.digest(before),
    )
    page = editor_client.get(URL).content.decode()
    assert "别处发布的一句。" in page
    assert f'name="base" value="{files.digest(elsewhere)}"' in page


def test_versions_are_listed_read_only_in_the_admin(admin_client, content_dir, admin_user):
    Revision.objects.create(path=f"guides/{GUIDE}.md", number=1, text="x", editor=admin_user)
    page = admin_client.get("/staff/admin/editor/revision/")
    assert page.status_code == 200 and f"guides/{GUIDE}.md" in page.content.decode()
    assert admin_client.get("/staff/admin/editor/revision/add/").status_code == 403


def test_publishing_the_text_already_there_records_no_version(editor_client, content_dir):
    before = _text(content_dir)
    response = _post(editor_client, before, files.digest(before))
    assert response.status_code == 302
    assert not Revision.objects.exists()
    assert "内容没有变化" in editor_client.get(URL).content.decode()


def test_the_textarea_keeps_a_leading_blank_line(editor_client, content_dir):
    path = content_dir / "synonyms.yaml"
    path.write_text("\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    page = editor_client.get("/staff/content/files/synonyms.yaml/").content.decode()
    assert re.search(r"<textarea[^>]*>\n\n", page)

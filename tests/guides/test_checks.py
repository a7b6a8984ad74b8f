"""The content check passes on shipped content and names file and line for each defect."""

import datetime as dt

import pytest
from django.core import checks as django_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from guides.checks import check_library, overdue_reviews
from guides.library import get_library
from tests.factories import VALID_BODY, write_guide


def problems_in(path):
    return [p for p in check_library(get_library()) if p.path == path]


def test_shipped_content_passes_the_check():
    problems = check_library(get_library())
    assert problems == [], "\n".join(str(p) for p in problems)


def test_manage_py_check_runs_the_content_check(content_dir):
    call_command("check")  # clean content: no exception
    write_guide(content_dir, "bad-guide", body=VALID_BODY + "\n联系 13812345678\n")
    with pytest.raises(SystemCheckError, match=r"content/guides/bad-guide.md:\d+: 疑似电话号码"):
        call_command("check")


# Each defect, on a line of its own, with what the message must say.
DEFECTS = [
    ("客服电话 13812345678。", "疑似电话号码 13812345678"),
    ("热线 400-123-4567。", "疑似电话号码 400-123-4567"),
    ("打 0755-12345678。", "疑似电话号码 0755-12345678"),
    ("银联 95516。", "疑似电话号码 95516"),
    ("网址 https://example.com/pos 可以申请。", "指南里不能有网址"),
    ("也可以上 www.example.com 看看。", "指南里不能有网址"),
    ("[去官网](https://example.com)", "不能链接外部网址"),
    ("[打电话](tel:4001234567)", "不能写联系方式链接"),
    ("[签到](/guides/no-such-guide/)", "链接的指南 no-such-guide 不存在"),
    ("[签到](/guides/sign-in-after-power-off/#no-such-anchor)", "没有锚点 #no-such-anchor"),
    ("[本页](#nowhere)", "本页没有锚点 #nowhere"),
    ("[分类](/categories/nowhere/)", "分类 nowhere 不存在"),
    ("[别处](/admin/)", "指向不存在的页面"),
    ("请准备好身份信xi息。", "xi息"),
    ("银行ka卡也要带上。", "ka卡"),
    ("带上身份zheng证。", "zheng证"),
    ("提供POSS信息。", "POSS"),
    ("现在免费申请，包邮到家。", "广告用语"),
    ("拉卡拉的机器也一样。", "广告品牌"),
    ("默认密码是 0000。", "不得公布默认密码"),
]


@pytest.mark.parametrize(("line", "expected"), DEFECTS)
def test_each_kind_of_defect_is_named_with_file_and_line(content_dir, line, expected):
    path = write_guide(content_dir, "bad-guide", body=VALID_BODY + "\n" + line + "\n")
    problems = problems_in(path)
    line_number = path.read_text(encoding="utf-8").splitlines().index(line) + 1
    assert any(expected in p.message and p.line == line_number for p in problems), problems


def test_a_fixture_with_every_defect_fails_with_one_message_each(content_dir):
    body = VALID_BODY + "\n" + "\n\n".join(line for line, _ in DEFECTS) + "\n"
    path = write_guide(content_dir, "bad-guide", body=body)
    messages = [p.message for p in problems_in(path)]
    for _, expected in DEFECTS:
        assert any(expected in m for m in messages), (expected, messages)


def test_numbers_that_are_not_phone_numbers_pass(content_dir):
    body = VALID_BODY + "\n输错 3 次会锁定，等 30 分钟。2026 年起执行。操作员 01 到 99。\n"
    assert problems_in(write_guide(content_dir, "ok-guide", body=body)) == []


def test_a_number_in_a_code_line_is_no_phone_number_but_one_further_down_is(content_dir):
    # What the screen prints is quoted as code; a number there is not a number to call.
    quoted = "    终端号 12345678"
    body = VALID_BODY + "\n" + quoted + "\n" + "\n".join(["正文"] * 300)
    path = write_guide(content_dir, "code-guide", body=body + "\n")
    assert problems_in(path) == []
    write_guide(content_dir, "code-guide", body=body + "\n客服 13812345678\n")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [(p.line, p.message[:12]) for p in problems_in(path)] == [
        (len(lines), "疑似电话号码 13812345678"[:12])
    ]


def test_missing_required_sections_are_errors(content_dir):
    path = write_guide(content_dir, "thin-guide", body="## 症状 {#symptoms}\n\n文字\n")
    messages = [p.message for p in problems_in(path)]
    for anchor in ("causes", "when-to-contact", "prevention", "faq"):
        assert any(f"{{#{anchor}}}" in m for m in messages)
    assert any("至少要 5 个" in m for m in messages)


def test_heading_without_ascii_anchor_is_a_warning_with_its_line(content_dir):
    path = write_guide(content_dir, "anchorless", body=VALID_BODY + "\n## 打印机无法连接\n\n文字\n")
    [problem] = problems_in(path)
    assert not problem.serious
    assert "没有英文锚点" in problem.message
    assert path.read_text(encoding="utf-8").splitlines()[problem.line - 1] == "## 打印机无法连接"


def test_links_to_an_alias_ask_for_the_current_slug(content_dir):
    write_guide(content_dir, "new-name", aliases=["old-name"])
    path = write_guide(content_dir, "linker", body=VALID_BODY + "\n[旧](/guides/old-name/)\n")
    assert any("请改成 new-name" in p.message for p in problems_in(path))


def test_synonyms_file_errors_are_reported(content_dir):
    (content_dir / "synonyms.yaml").write_text("groups:\n  - [锁机]\n  - 签到\n", encoding="utf-8")
    messages = [str(p) for p in check_library(get_library())]
    assert any("synonyms.yaml" in m and "至少要有两个词" in m for m in messages)


def test_a_word_in_two_synonym_groups_is_a_warning(content_dir):
    (content_dir / "synonyms.yaml").write_text(
        "groups:\n  - [锁机, 锁定]\n  - [锁定, 冻结]\n", encoding="utf-8"
    )
    [problem] = [p for p in check_library(get_library()) if "同时出现" in p.message]
    assert not problem.serious


def test_english_readings_are_loaded_longest_first_and_their_errors_named(content_dir):
    (content_dir / "synonyms.yaml").write_text(
        "groups:\n  - [锁机, 锁定]\n"
        "english:\n"
        "  lost: 丢了\n"
        "  Lost Signal: 没信号\n"
        "  no: 没\n"  # YAML reads a bare no as false
        "  机器: 机器\n"
        "  stolen: stolen\n"
        "  lostsignal: 没信号\n",
        encoding="utf-8",
    )
    library = get_library()
    messages = {p.line: p.message for p in check_library(library) if "english" in p.message}

    assert library.readings == (("lost signal", "没信号"), ("lost", "丢了"))
    assert "要加引号" in messages[6]
    assert "应是英文字母" in messages[7]
    assert "读法应是中文" in messages[8]
    assert "重复" in messages[9]


def test_check_messages_carry_ids_and_levels(content_dir):
    write_guide(content_dir, "bad-guide", body=VALID_BODY + "\n13812345678\n")
    messages = django_checks.run_checks(tags=["content"])
    assert any(m.id == "helpcenter.E001" and m.level == django_checks.ERROR for m in messages)


# --- verification dates -------------------------------------------------------------------------

TODAY = dt.date(2026, 11, 21)


def review_problems(path, today=TODAY):
    return [
        p
        for p in check_library(get_library(), today=today)
        if p.path == path and "核实" in p.message
    ]


def test_guide_without_reviewed_date_is_a_warning_not_an_error(content_dir):
    path = write_guide(content_dir, "never-checked", reviewed=None)
    [problem] = review_problems(path)
    assert not problem.serious
    assert "没有写 reviewed" in problem.message


def test_review_older_than_the_setting_is_a_warning_on_the_reviewed_line(content_dir, settings):
    settings.CONTENT_REVIEW_DAYS = 30
    path = write_guide(content_dir, "stale", reviewed=TODAY - dt.timedelta(days=31))
    [problem] = review_problems(path)
    assert not problem.serious
    assert "已超过 30 天" in problem.message
    assert path.read_text(encoding="utf-8").splitlines()[problem.line - 1].startswith("reviewed:")
    fresh = write_guide(content_dir, "fresh", reviewed=TODAY - dt.timedelta(days=30))
    assert review_problems(fresh) == []


def test_overdue_reviews_lists_never_reviewed_first_then_oldest(content_dir, settings):
    settings.CONTENT_REVIEW_DAYS = 180
    write_guide(content_dir, "zz-old", reviewed=dt.date(2025, 1, 1))
    write_guide(content_dir, "zz-older", reviewed=dt.date(2024, 1, 1))
    write_guide(content_dir, "zz-never", reviewed=None)
    overdue = [g.slug for g in overdue_reviews(get_library(), today=TODAY)]
    assert overdue == ["zz-never", "zz-older", "zz-old"]


def test_every_shipped_guide_carries_a_review_date():
    unreviewed = [g.slug for g in get_library().guides.values() if g.reviewed is None]
    assert unreviewed == []


def test_review_warning_fails_manage_py_check_at_warning_level(content_dir):
    write_guide(content_dir, "never-checked", reviewed=None)
    call_command("check")  # a warning alone does not fail the default level
    with pytest.raises(SystemCheckError, match=r"never-checked.md:\d+: 没有写 reviewed"):
        call_command("check", fail_level="WARNING")


UNSAFE = [
    "[点这里](javascript:alert(1))",
    "[点这里](JaVaScRiPt:alert(1))",
    "[点这里]( java\tscript:alert(1))",
    "[点这里](java&#115;cript:alert(1))",
    "![图](data:image/svg+xml;base64,PHN2Zz4=)",
    "[点这里](vbscript:msgbox(1))",
    "[点这里][r]\n\n[r]: javascript:alert(1)",
    '[点这里](/guides/sign-in-after-power-off/){: href="javascript:alert(1)"}',
]


@pytest.mark.django_db
@pytest.mark.parametrize("link", UNSAFE)
def test_javascript_data_and_vbscript_links_are_errors_and_never_published(content_dir, link):
    from guides.checks import check_library
    from guides.library import get_library

    write_guide(content_dir, "unsafe-link", body=VALID_BODY + f"\n\n{link}\n")
    html = Client().get("/guides/unsafe-link/").content.decode().lower()
    for scheme in ("javascript:", "vbscript:", "data:image"):
        assert scheme not in html, link
    assert "java&#115;cript" not in html
    problems = [p for p in check_library(get_library()) if p.path.stem == "unsafe-link"]
    assert any(p.serious and "不安全的链接" in p.message for p in problems), problems

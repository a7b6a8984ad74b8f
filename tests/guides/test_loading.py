import datetime as dt
import os
import pathlib
import time
from pathlib import Path

import pytest

from guides import library as guides_library
from guides import loading as guides_loading
from guides.last_good import LAST_GOOD_NOTE
from tests.factories import SITE_GUIDE as GUIDE
from tests.factories import VALID_BODY, assert_site_serves, lenient_client, write_guide

pytestmark = pytest.mark.usefixtures("content_dir")


def test_shipped_content_loads_without_errors():
    library = guides_library.get_library()
    assert library.errors == ()
    assert {"unlock-locked-terminal", "basic-troubleshooting"} <= set(library.guides)


def test_guide_fields_come_from_front_matter(content_dir):
    write_guide(content_dir, "test-guide", keywords=["锁机", "锁住"], aliases=["old-test"])
    guide = guides_library.get_library().guides["test-guide"]
    assert guide.title == "测试指南"
    assert guide.keywords == ("锁机", "锁住")
    assert guide.updated == dt.date(2026, 11, 21)
    assert guide.url == "/guides/test-guide/"
    assert guide.section("faq-how-long").title == "要多久？"
    assert guides_library.get_library().aliases["old-test"] == "test-guide"


def test_broken_front_matter_is_reported_with_file_and_line_and_left_out(content_dir):
    path = content_dir / "guides" / "broken.md"
    path.write_text("---\ntitle: 好\nkeywords: [a, b\n---\n正文", encoding="utf-8")
    library = guides_library.get_library()
    assert "broken" not in library.guides
    assert "unlock-locked-terminal" in library.guides  # the rest of the site stays up
    [error] = [e for e in library.errors if e.path == path]
    assert error.line >= 2
    assert "YAML" in error.message


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ({"title": None}, "缺少必填字段 title"),
        ({"updated": "昨天"}, "updated 应是日期"),
        ({"keywords": {"a": 1}}, "keywords 应是列表"),
        ({"colour": "red"}, "未知字段 colour"),
        ({"category": "nowhere"}, "分类 'nowhere' 不在 categories.yaml"),
        ({"related": ["no-such-guide"]}, "related 里的指南 'no-such-guide' 不存在"),
        ({"channels": ["no-such-channel"]}, "联系渠道 'no-such-channel'"),
    ],
)
def test_front_matter_mistakes_are_named(content_dir, front, expected):
    write_guide(content_dir, "bad-guide", **front)
    messages = [e.message for e in guides_library.get_library().errors]
    assert any(expected in m for m in messages), messages


def test_file_without_front_matter_is_an_error(content_dir):
    path = content_dir / "guides" / "plain.md"
    path.write_text("## 标题\n", encoding="utf-8")
    [error] = [e for e in guides_library.get_library().errors if e.path == path]
    assert "front matter" in error.message


def test_non_slug_file_name_is_rejected(content_dir):
    write_guide(content_dir, "Bad_Name")
    assert "Bad_Name" not in guides_library.get_library().guides
    assert any("不是合法的 slug" in e.message for e in guides_library.get_library().errors)


def test_alias_may_not_shadow_a_guide(content_dir):
    write_guide(content_dir, "test-guide", aliases=["basic-troubleshooting"])
    assert any("与现有指南的文件名相同" in e.message for e in guides_library.get_library().errors)


def test_an_edit_is_picked_up_without_a_restart(content_dir):
    path = write_guide(content_dir, "test-guide", title="旧标题")
    assert guides_library.get_library().guides["test-guide"].title == "旧标题"
    write_guide(content_dir, "test-guide", title="新标题")
    later = time.time() + 5  # make the change visible even on coarse mtime clocks
    os.utime(path, (later, later))
    assert guides_library.get_library().guides["test-guide"].title == "新标题"


def test_unchanged_content_is_not_reloaded():
    assert guides_library.get_library() is guides_library.get_library()


def test_removed_guide_disappears(content_dir):
    path = write_guide(content_dir, "test-guide")
    assert "test-guide" in guides_library.get_library().guides
    path.unlink()
    assert "test-guide" not in guides_library.get_library().guides


def test_derived_values_are_built_once_per_library():
    library = guides_library.get_library()
    calls = []
    assert library.derive("x", lambda lib: calls.append(1) or 42) == 42
    assert library.derive("x", lambda lib: calls.append(1) or 43) == 42
    assert calls == [1]


SHANGHAI = dt.timezone(dt.timedelta(hours=8))


CONTACTS_WITH_HOURS = """\
channels:
  - id: desk
    name: 服务台
    handles: 报修
    where: 店里
    hours:
      - {days: mon-fri, open: "09:00", close: "18:00"}
    hours_note: 节假日另行通知
"""


def test_channel_open_now_follows_hours_in_shanghai_time(content_dir):
    (content_dir / "contacts.yaml").write_text(CONTACTS_WITH_HOURS, encoding="utf-8")
    desk = guides_library.get_library().channels["desk"]
    monday_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
    monday_20 = dt.datetime(2026, 11, 23, 20, 0, tzinfo=SHANGHAI)
    sunday_10 = dt.datetime(2026, 11, 22, 10, 0, tzinfo=SHANGHAI)
    assert desk.status(monday_10).open
    assert not desk.status(monday_20).open
    assert not desk.status(sunday_10).open
    # 02:00 UTC is 10:00 in Shanghai
    assert desk.status(dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)).open


def test_written_hours_still_show_the_hours_note(content_dir):
    (content_dir / "contacts.yaml").write_text(CONTACTS_WITH_HOURS, encoding="utf-8")
    desk = guides_library.get_library().channels["desk"]
    assert desk.hours_text == "周一至周五 09:00–18:00（节假日另行通知）"


def test_channel_without_hours_says_so_instead_of_guessing():
    status = guides_library.get_library().channels["provider-hotline"].status()
    assert not status.known
    assert status.label == "不确定现在有没有人接听"
    assert guides_library.get_library().channels["unionpay"].status().open


def test_no_shipped_channel_claims_hours_nobody_checked():
    # Only round-the-clock public lines state hours; everyone else's time is a note.
    channels = guides_library.get_library().channels
    assert not channels["account-manager"].hours
    assert not channels["account-manager"].status().known
    assert {c.id for c in channels.values() if c.hours} == set()


def test_complaint_and_anti_fraud_lines_are_shipped():
    channels = guides_library.get_library().channels
    assert channels["complaints-12363"].phone == "12363"
    assert channels["anti-fraud-96110"].phone == "96110"
    assert "110" in channels["anti-fraud-96110"].handles  # money already gone: call the police


def test_reviewed_date_comes_from_front_matter(content_dir):
    write_guide(content_dir, "checked", reviewed=dt.date(2026, 5, 1))
    write_guide(content_dir, "unchecked", reviewed=None)
    guides = guides_library.get_library().guides
    assert guides["checked"].reviewed == dt.date(2026, 5, 1)
    assert guides["unchecked"].reviewed is None


def test_reviewed_must_be_a_date(content_dir):
    path = write_guide(content_dir, "bad-review", reviewed="上个月")
    [error] = [e for e in guides_library.get_library().errors if e.path == path]
    assert "reviewed 应是日期" in error.message
    assert path.read_text(encoding="utf-8").splitlines()[error.line - 1].startswith("reviewed:")


def test_invalid_channel_hours_are_reported(content_dir):
    (content_dir / "contacts.yaml").write_text(
        "channels:\n  - id: x\n    name: X\n    handles: y\n    where: z\n"
        "    hours:\n      - {days: someday, open: '09:00', close: '18:00'}\n",
        encoding="utf-8",
    )
    assert any("hours 规则" in e.message for e in guides_library.get_library().errors)


def test_renders_are_kept_on_disk_and_reused_by_the_next_process(tmp_path, settings, monkeypatch):
    from guides import markup

    settings.CONTENT_CACHE_DIR = str(tmp_path / "cache")
    root = Path(settings.BASE_DIR) / "content"
    first = guides_loading.load_library(root)
    assert list((tmp_path / "cache").glob("guides-*.pickle"))

    def no_rendering(text):
        raise AssertionError("rendered again")

    monkeypatch.setattr(markup, "render", no_rendering)
    again = guides_loading.load_library(root)
    assert {s: g.html for s, g in again.guides.items()} == {
        s: g.html for s, g in first.guides.items()
    }


def test_a_damaged_render_file_is_rendered_afresh(tmp_path, settings):
    settings.CONTENT_CACHE_DIR = str(tmp_path)
    root = Path(settings.BASE_DIR) / "content"
    guides_loading.load_library(root)
    for file in tmp_path.glob("guides-*.pickle"):
        file.write_bytes(b"not a pickle")
    assert guides_loading.load_library(root).guides


def test_loading_pauses_the_cyclic_collector_and_gives_it_back(content_dir, monkeypatch):
    import gc

    seen: list[bool] = []
    real_load_guide = guides_loading.load_guide

    def spying_load_guide(*args, **kwargs):
        seen.append(gc.isenabled())
        return real_load_guide(*args, **kwargs)

    monkeypatch.setattr(guides_loading, "load_guide", spying_load_guide)
    assert gc.isenabled()
    library = guides_loading.load_library(content_dir)
    assert seen and not any(seen)  # paused while the guides load
    assert gc.isenabled()  # and back afterwards
    seen.clear()

    def failing_build(_library):
        seen.append(gc.isenabled())
        raise RuntimeError("a broken build")

    with pytest.raises(RuntimeError):
        library.derive("broken", failing_build)
    assert seen == [False] and gc.isenabled()  # given back after a failure too

    gc.disable()  # a process that runs without the collector keeps it off
    try:
        guides_loading.load_library(content_dir)
        assert not gc.isenabled()
    finally:
        gc.enable()


def _unreadable(monkeypatch, target: pathlib.Path, error: type[OSError]) -> None:
    real_read_text, real_read_bytes = pathlib.Path.read_text, pathlib.Path.read_bytes

    def read_text(self, *args, **kwargs):
        if self == target:
            raise error(13, "simulated", str(self))
        return real_read_text(self, *args, **kwargs)

    def read_bytes(self, *args, **kwargs):
        if self == target:
            raise error(13, "simulated", str(self))
        return real_read_bytes(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "read_text", read_text)
    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)


@pytest.mark.django_db
def test_a_folder_named_like_a_guide_is_reported_and_the_rest_serves(content_dir):
    client = lenient_client()
    assert client.get(GUIDE).status_code == 200
    (content_dir / "guides" / "x.md").mkdir()
    body = assert_site_serves(client)
    assert body["status"] == "content-errors"
    assert any("x.md" in error for error in body["content_errors"]), body["content_errors"]


@pytest.mark.django_db
def test_a_folder_named_like_a_guide_at_start_is_reported_too(content_dir):
    (content_dir / "guides" / "x.md").mkdir()
    body = assert_site_serves(lenient_client())
    assert any("x.md" in error for error in body["content_errors"])


@pytest.mark.django_db
@pytest.mark.parametrize("error", [PermissionError, FileNotFoundError, OSError])
def test_a_guide_that_cannot_be_read_keeps_its_last_good_version(content_dir, monkeypatch, error):
    client = lenient_client()
    path = content_dir / "guides" / "sign-in-after-power-off.md"
    assert "签到" in client.get(GUIDE).content.decode()
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # a new save
    _unreadable(monkeypatch, path, error)
    body = assert_site_serves(client)
    assert "签到" in client.get(GUIDE).content.decode()  # the last good version
    errors = [e for e in guides_library.get_library().errors if e.path == path]
    assert [e.message for e in errors][-1] == LAST_GOOD_NOTE
    assert any("sign-in-after-power-off.md" in e for e in body["content_errors"])


@pytest.mark.django_db
@pytest.mark.parametrize("error", [PermissionError, FileNotFoundError])
def test_a_new_guide_that_cannot_be_read_is_left_out_and_reported(content_dir, monkeypatch, error):
    client = lenient_client()
    assert client.get(GUIDE).status_code == 200
    path = write_guide(content_dir, "brand-new-guide")
    _unreadable(monkeypatch, path, error)
    body = assert_site_serves(client)
    assert client.get("/guides/brand-new-guide/").status_code == 404
    assert any("brand-new-guide.md" in e for e in body["content_errors"])


@pytest.mark.django_db
def test_a_guide_deleted_between_listing_and_reading_is_left_out(content_dir, monkeypatch):
    client = lenient_client()
    assert client.get(GUIDE).status_code == 200
    path = write_guide(content_dir, "short-lived")
    real_glob = pathlib.Path.glob

    def glob(self, pattern, *args, **kwargs):
        found = list(real_glob(self, pattern, *args, **kwargs))
        if path in found:
            path.unlink()  # gone after the listing, before the read
        return iter(found)

    monkeypatch.setattr(pathlib.Path, "glob", glob)
    assert_site_serves(client)
    assert client.get("/guides/short-lived/").status_code == 404


def test_no_unreadable_test_file_is_left_behind(content_dir):
    # The simulations above never chmod or leave files the next test could trip on.
    assert all(os.access(p, os.R_OK) for p in content_dir.rglob("*"))


def test_front_matter_that_passed_is_not_checked_again_and_a_broken_one_always_is(
    content_dir, settings, monkeypatch
):
    settings.CONTENT_CACHE_DIR = str(content_dir.parent / "cache")
    broken = content_dir / "guides" / "broken-front-matter.md"
    broken.write_text("---\ntitle: 只有标题\n---\n\n## 一 {#one}\n\n正文\n", encoding="utf-8")
    first = guides_loading.load_library(content_dir)
    checked: list[str] = []
    real_check = guides_loading._front_matter_problems

    def counting_check(path, *args):
        checked.append(path.name)
        return real_check(path, *args)

    monkeypatch.setattr(guides_loading, "_front_matter_problems", counting_check)
    again = guides_loading.load_library(content_dir)
    assert checked == ["broken-front-matter.md"]  # the shipped guides passed last time
    assert again.guides.keys() == first.guides.keys()
    assert {g.slug: g.keywords for g in again.guides.values()} == {
        g.slug: g.keywords for g in first.guides.values()
    }
    assert [e.message for e in again.errors] == [e.message for e in first.errors]
    assert any("缺少必填字段 summary" in e.message for e in again.errors)


def test_section_examples_come_from_front_matter(content_dir):
    examples = {"faq-how-long": ["锁了要等多久", "多久能好"], "read-screen": ["屏幕写的啥"]}
    write_guide(content_dir, "with-examples", examples=examples)
    write_guide(content_dir, "without-examples")
    library = guides_library.get_library()
    assert library.guides["with-examples"].examples == (
        ("faq-how-long", ("锁了要等多久", "多久能好")),
        ("read-screen", ("屏幕写的啥",)),
    )
    assert library.guides["without-examples"].examples == ()


@pytest.mark.parametrize(
    ("examples", "expected"),
    [
        ({"no-such-anchor": ["锁了要等多久"]}, "小节 #no-such-anchor 在这篇指南里不存在"),
        (["锁了要等多久"], "字段 examples 应写成"),
        ({"faq-how-long": "锁了要等多久"}, "字段 examples 应写成"),
        ({"faq-how-long": [""]}, "faq-how-long 的第 1 句应是 1 到 200 个字"),
        ({"faq-how-long": ["长" * 201]}, "faq-how-long 的第 1 句应是 1 到 200 个字"),
        (
            {"faq-how-long": ["锁了要等多久"], "read-screen": ["锁了 要等多久"]},
            "写在了两个小节（faq-how-long 和 read-screen）",
        ),
    ],
)
def test_section_example_mistakes_are_named_with_their_line(content_dir, examples, expected):
    path = write_guide(content_dir, "bad-examples", examples=examples)
    library = guides_library.get_library()
    assert "bad-examples" not in library.guides
    [error] = [e for e in library.errors if e.path == path]
    assert expected in error.message, error.message
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[error.line - 1].strip().startswith(("examples", "-", "faq-how-long", "no-such"))


def test_an_example_in_two_guides_names_the_other(content_dir):
    write_guide(content_dir, "one", examples={"faq-how-long": ["锁了要等多久"]})
    path = write_guide(content_dir, "two", examples={"faq-how-long": ["锁了要等多久"]})
    [error] = [e for e in guides_library.get_library().errors if e.path == path]
    assert "也写在指南 one#faq-how-long" in error.message
    assert "锁了要等多久" in path.read_text(encoding="utf-8").splitlines()[error.line - 1]


def test_phrasings_alike_but_for_punctuation_case_or_width_count_as_one(content_dir):
    write_guide(content_dir, "one", examples={"faq-how-long": ["POS锁了怎么办？"]})
    path = write_guide(content_dir, "two", examples={"faq-how-long": ["pos锁了怎么办"]})
    [error] = [e for e in guides_library.get_library().errors if e.path == path]
    assert "也写在指南 one#faq-how-long" in error.message


def test_an_unknown_anchor_is_named_at_its_own_line_not_a_longer_one_ending_alike(content_dir):
    body = VALID_BODY + "\n### 其他 {#other-water}\n内容。\n"
    path = write_guide(
        content_dir,
        "bad-anchor",
        body=body,
        examples={"other-water": ["泡水了"], "water": ["进水了"]},
    )
    [error] = [e for e in guides_library.get_library().errors if e.path == path]
    assert "#water" in error.message
    assert path.read_text(encoding="utf-8").splitlines()[error.line - 1].strip() == "water:"

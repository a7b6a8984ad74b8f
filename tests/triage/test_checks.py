"""The triage tree check: each broken tree fails with a message naming the node, file and line."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from codes.content import get_codebook
from guides.library import get_library
from tests.factories import (
    CODES,
    EXAMPLES_TREE,
    SMALL_TREE,
    add_section_examples,
    without_section_examples,
    write_codes,
    write_tree,
)
from triage.checks import response_code_problems, triage_check


def messages(content_dir, text: str) -> list[str]:
    write_tree(content_dir, text)
    return [m.msg for m in triage_check()]


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_shipped_tree_passes_the_check():
    assert triage_check() == []


def test_check_is_registered_with_manage_py_check(content_dir):
    write_tree(content_dir, SMALL_TREE.replace("goto: unsure}", "goto: nowhere}", 1))
    with pytest.raises(SystemCheckError, match=r"triage\.E001"):
        call_command("check")


def test_small_tree_passes(content_dir):
    assert messages(content_dir, SMALL_TREE) == []


def test_dangling_reference_names_node_answer_and_line(content_dir):
    text = SMALL_TREE.replace(
        "{id: unsure, label: 不确定, goto: unsure}", "{id: unsure, label: 不确定, goto: unsrue}"
    )
    [message] = messages(content_dir, text)
    assert f"content/triage.yaml:{line_of(text, 'goto: unsrue')}: " in message
    assert "问题 locked 的回答 unsure" in message
    assert "'unsrue'" in message


def test_dangling_next_names_the_outcome(content_dir):
    text = SMALL_TREE.replace("next: unsure", "next: missing")
    [message] = messages(content_dir, text)
    assert "结果 wrong-password" in message and "'missing'" in message


def test_cycle_names_the_node_and_the_answer(content_dir):
    # `locked` answers back to `problem`, which leads to `locked`.
    text = SMALL_TREE.replace(
        "{id: unsure, label: 不确定, goto: unsure}",
        "{id: unsure, label: 不确定, goto: unsure}\n      - {id: back, label: 返回, goto: problem}",
    )
    [message] = messages(content_dir, text)
    assert f":{line_of(text, 'goto: problem')}: " in message
    assert "问题 locked 的回答 back" in message and "循环" in message and "restart" in message


def test_cycle_through_next_is_caught(content_dir):
    text = SMALL_TREE.replace("    contact: true\n", "    contact: true\n    next: locked\n")
    found = messages(content_dir, text)
    assert any("结果 unsure" in m and "循环" in m for m in found), found


def test_restart_is_the_one_allowed_way_back(content_dir):
    assert "restart: true" in SMALL_TREE
    assert messages(content_dir, SMALL_TREE) == []


def test_unknown_guide_names_the_outcome(content_dir):
    text = SMALL_TREE.replace("guide: unlock-locked-terminal", "guide: no-such-guide", 1)
    [message] = messages(content_dir, text)
    assert f":{line_of(text, 'no-such-guide')}: " in message
    assert "结果 wrong-password" in message and "no-such-guide" in message


def test_unknown_anchor_names_the_outcome_and_guide(content_dir):
    text = SMALL_TREE.replace("anchor: unsure-cause", "anchor: not-there")
    [message] = messages(content_dir, text)
    assert f":{line_of(text, 'not-there')}: " in message
    assert "结果 unsure" in message and "#not-there" in message


def test_duplicate_code_names_both_outcomes(content_dir):
    text = SMALL_TREE.replace("code: T2", "code: T1")
    [message] = messages(content_dir, text)
    assert "结果 unsure" in message and "T1" in message and "wrong-password" in message


@pytest.mark.parametrize("code", ["t1", "A", "AB1", "A123", "1A", "Ａ1"])
def test_bad_code_format_is_reported(content_dir, code):
    text = SMALL_TREE.replace("code: T1", f"code: {code}")
    [message] = messages(content_dir, text)
    assert "结果 wrong-password" in message and "格式" in message


def test_unreachable_node_is_named(content_dir):
    text = SMALL_TREE.replace(
        "outcomes:\n",
        "  orphan:\n    question: 没人指向我\n"
        "    answers:\n      - {id: a, label: 甲, goto: unsure}\n"
        "outcomes:\n",
    )
    [message] = messages(content_dir, text)
    assert f":{line_of(text, 'orphan:')}: " in message
    assert "问题 orphan" in message and "走不到" in message


def test_bad_yaml_names_the_line(content_dir):
    text = SMALL_TREE.replace("    help: 看一眼屏幕上的原话。", "    help: [看一眼屏幕上的原话。")
    [message] = messages(content_dir, text)
    assert "YAML 格式错误" in message
    line = int(message.split("triage.yaml:")[1].split(":")[0])
    assert line >= line_of(text, "help: [")


def test_duplicate_node_id_is_reported(content_dir):
    text = SMALL_TREE.replace(
        "outcomes:\n", "  other:\n    question: 又一个\n    answers: []\noutcomes:\n"
    )
    found = messages(content_dir, text)
    assert any("other 写了两次" in m for m in found), found


def test_same_id_for_question_and_outcome_is_reported(content_dir):
    text = SMALL_TREE + (
        "  other:\n    code: T3\n    title: 冲突\n    summary: 冲突\n"
        "    guide: unlock-locked-terminal\n    anchor: faq\n    channels: [provider-hotline]\n"
    )
    found = messages(content_dir, text)
    assert any("id other 同时用在问题和结果里" in m for m in found), found


@pytest.mark.parametrize("reserved", ["solved", "unsolved", "code", "qr", "ask"])
def test_reserved_answer_ids_are_refused(content_dir, reserved):
    text = SMALL_TREE.replace("{id: other, label: 其他问题", f"{{id: {reserved}, label: 其他问题")
    found = messages(content_dir, text)
    assert any(f"问题 problem 的回答 {reserved}" in m and "不能用" in m for m in found), found


def test_unknown_channel_and_unknown_field_are_reported(content_dir):
    text = SMALL_TREE.replace("channels: [provider-hotline]", "channels: [fax]").replace(
        "    help: 看一眼", "    hepl: typo\n    help: 看一眼"
    )
    found = messages(content_dir, text)
    assert any("结果 wrong-password" in m and "'fax'" in m for m in found), found
    assert any("问题 locked" in m and "未知字段 hepl" in m for m in found), found


def test_missing_answers_and_label_are_reported(content_dir):
    text = SMALL_TREE.replace(
        "{id: unsure, label: 不确定, goto: unsure}", "{id: unsure, goto: unsure}"
    )
    found = messages(content_dir, text)
    assert any("问题 locked 的回答 unsure" in m and "label" in m for m in found), found


def test_start_must_be_a_question(content_dir):
    found = messages(content_dir, SMALL_TREE.replace("start: problem", "start: nothing"))
    assert any("start" in m and "'nothing'" in m for m in found), found


def test_missing_file_is_reported(content_dir):
    (content_dir / "triage.yaml").unlink()
    [message] = [m.msg for m in triage_check()]
    assert message.endswith("content/triage.yaml:0: 文件不存在")


def test_too_deep_a_tree_is_reported(content_dir):
    # A chain of 13 questions: longer than a URL may be.
    chain = "".join(
        f"  q{i}:\n    question: 第 {i} 问\n    answers:\n"
        f"      - {{id: a, label: 下一步, goto: {f'q{i + 1}' if i < 13 else 'unsure'}}}\n"
        for i in range(1, 14)
    )
    text = SMALL_TREE.replace(
        "      - {id: other, label: 其他问题, goto: other}",
        "      - {id: other, label: 其他问题, goto: other}\n"
        "      - {id: deep, label: 深, goto: q1}",
    ).replace("outcomes:\n", chain + "outcomes:\n")
    found = messages(content_dir, text)
    assert any("问题 problem" in m and "最长" in m for m in found), found


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("打 13812345678 找客服。", "疑似电话号码 13812345678"),
        ("上 https://example.com 看看。", "这里不能有网址"),
        ("拉卡拉的机器常这样。", "出现“拉卡拉”"),
    ],
)
def test_numbers_urls_and_source_residue_in_the_tree_are_named_with_their_line(
    content_dir, said, expected
):
    text = SMALL_TREE.replace("summary: 马上停下别再试。", f"summary: 马上停下别再试。{said}")
    [message] = messages(content_dir, text)
    assert f"content/triage.yaml:{line_of(text, said)}: {expected}" in message


def test_a_channel_id_with_digits_is_not_taken_for_a_phone_number(content_dir):
    text = SMALL_TREE.replace("channels: [", "channels: [anti-fraud-96110, ", 1)
    assert "anti-fraud-96110" in text
    assert not [m for m in messages(content_dir, text) if "电话" in m]


def test_an_outcome_naming_an_unknown_response_code_is_an_error(content_dir):
    write_codes(content_dir, CODES)
    tree = content_dir / "triage.yaml"
    text = re.sub(r"    response_codes: .*\n", "", tree.read_text(encoding="utf-8"))
    tree.write_text(text.replace("    code: Q2\n", '    code: Q2\n    response_codes: ["ZZ"]\n'))
    lines = tree.read_text(encoding="utf-8").splitlines()
    outcome_line = lines.index("  sign-in-failed:") + 1
    library = get_library()
    found = [
        f"{p.path.name}:{p.line}: {p.message}"
        for p in response_code_problems(library, get_codebook(library))
    ]
    assert f"triage.yaml:{outcome_line}: 结果 sign-in-failed：返回码 ZZ 不在 codes.yaml 里" in found


# --- moved: (issue 19) --------------------------------------------------------------------------

MOVED = SMALL_TREE.replace("questions:\n", "moved:\n  printer: locked/unsure\nquestions:\n")


def test_a_good_moved_entry_passes(content_dir):
    assert messages(content_dir, MOVED) == []


def test_moved_target_must_be_a_live_path(content_dir):
    text = MOVED.replace("printer: locked/unsure", "printer: locked/gone")
    [message] = messages(content_dir, text)
    assert f"content/triage.yaml:{line_of(text, 'printer: locked/gone')}: " in message
    assert "moved 里的 printer" in message and "locked/gone" in message and "走不通" in message


def test_moved_old_prefix_must_no_longer_be_a_path(content_dir):
    # Moving a live path away would make its page unreachable for good.
    text = MOVED.replace("printer: locked/unsure", "locked: other")
    [message] = messages(content_dir, text)
    assert f"content/triage.yaml:{line_of(text, 'locked: other')}: " in message
    assert "moved 里的 locked" in message and "还能走通" in message


@pytest.mark.parametrize(
    "entry", ["Printer: locked/unsure", "printer: /", "printer: [locked]", "printer: 锁机"]
)
def test_moved_paths_must_be_answer_ids(content_dir, entry):
    text = MOVED.replace("printer: locked/unsure", entry)
    [message] = messages(content_dir, text)
    assert f"content/triage.yaml:{line_of(text, entry)}: " in message
    assert "回答 id" in message


def test_moved_must_be_a_mapping(content_dir):
    text = SMALL_TREE.replace("questions:\n", "moved: [printer]\nquestions:\n")
    [message] = messages(content_dir, text)
    assert f"content/triage.yaml:{line_of(text, 'moved:')}: " in message
    assert "旧路径: 新路径" in message


# --- examples: phrasings the reader learns from ----------------------------------------------


def test_examples_are_read_and_pass(content_dir):
    from triage.loading import get_tree

    assert messages(content_dir, EXAMPLES_TREE) == []
    tree = get_tree(get_library())
    assert tree.outcomes["wrong-password"].examples == ("密码输错三次锁了", "mima shu cuo le")
    assert tree.outcomes["unsure"].examples == ("不知道为啥锁了",)


def test_an_example_claimed_by_two_outcomes_names_both_lines(content_dir):
    # The same phrasing, written differently (full-width, punctuation, case), under another.
    text = EXAMPLES_TREE.replace("      - 不知道为啥锁了\n", "      - 密码输错三次，锁了！\n")
    found = messages(content_dir, text)
    first, second = line_of(text, "密码输错三次锁了"), line_of(text, "密码输错三次，锁了！")
    assert len(found) == 1
    assert f"triage.yaml:{second}:" in found[0] and f"（第 {first} 行）" in found[0]
    assert "结果 unsure" in found[0] and "结果 wrong-password" in found[0]


def test_off_topic_phrasings_may_not_repeat_an_outcome_example(content_dir):
    text = EXAMPLES_TREE + "off_topic:\n  - 今天天气怎么样\n  - 不知道为啥锁了\n"
    found = messages(content_dir, text)
    assert len(found) == 1 and "off_topic" in found[0] and "结果 unsure" in found[0]


# --- content/examples/: the outcomes' phrasings kept apart from the tree ------------------------

EXAMPLES_FILE = """\
# 例句
outcomes:
  unsure:
    - 也不晓得为啥子锁了
    - 莫名其妙就锁了
  wrong-password:
    - 店员把密码按错好几次
off_topic:
  - 今天天气怎么样
"""


def examples_messages(content_dir, examples: str, tree: str = EXAMPLES_TREE) -> list[str]:
    write_tree(content_dir, tree, examples=examples)
    return [m.msg for m in triage_check()]


def test_the_examples_files_add_to_each_outcome_and_to_off_topic(content_dir):
    from triage.loading import get_tree

    assert examples_messages(content_dir, EXAMPLES_FILE) == []
    tree = get_tree(get_library())
    # The tree's own first, then the examples file's; the line is where an editor adds more.
    assert tree.outcomes["unsure"].examples == (
        "不知道为啥锁了",
        "也不晓得为啥子锁了",
        "莫名其妙就锁了",
    )
    assert tree.outcomes["unsure"].examples_file == "examples/locked.yaml"
    assert tree.outcomes["unsure"].examples_line == line_of(EXAMPLES_FILE, "  unsure:")
    assert tree.outcomes["wrong-password"].examples[-1] == "店员把密码按错好几次"
    assert tree.off_topic == ("今天天气怎么样",)


def test_a_phrasing_in_the_tree_and_in_an_examples_file_names_both_files(content_dir):
    examples = EXAMPLES_FILE.replace("    - 莫名其妙就锁了\n", "    - 密码输错三次，锁了\n")
    found = examples_messages(content_dir, examples)
    assert len(found) == 1, found
    here, there = (
        line_of(examples, "密码输错三次，锁了"),
        line_of(EXAMPLES_TREE, "密码输错三次锁了"),
    )
    assert f"content/examples/locked.yaml:{here}: 结果 unsure" in found[0]
    assert f"结果 wrong-password（triage.yaml 第 {there} 行）" in found[0]


def test_an_outcome_an_examples_file_names_must_be_in_the_tree(content_dir):
    examples = EXAMPLES_FILE.replace("  unsure:\n", "  unsrue:\n")
    found = examples_messages(content_dir, examples)
    assert len(found) == 1, found
    assert found[0].endswith(
        f"content/examples/locked.yaml:{line_of(examples, 'unsrue')}: "
        "结果 unsrue 不在 triage.yaml 的 outcomes 里"
    )


@pytest.mark.parametrize(
    ("broken", "needle"),
    [
        ("outcomes:\n  unsure: [锁了\n", "YAML 格式错误"),
        ("outcomes:\n  unsure:\n    - 锁了\nexample:\n  - 天气\n", "未知字段 example"),
        ("outcomes: [锁了]\n", "outcomes: 下应是"),
        ("- 锁了\n", "文件应有 outcomes 或 off_topic"),
        ("outcomes:\n  unsure:\n    - 锁了 打13812345678问问\n", "电话"),
    ],
)
def test_a_broken_examples_file_is_named_and_the_tree_still_loads(content_dir, broken, needle):
    from triage.loading import get_tree

    found = examples_messages(content_dir, broken)
    assert found and all("content/examples/locked.yaml:" in m for m in found), found
    assert any(needle in m for m in found), found
    tree = get_tree(get_library())
    assert set(tree.outcomes) == {"wrong-password", "unsure"}
    assert tree.outcomes["wrong-password"].examples[:1] == ("密码输错三次锁了",)


def test_a_number_deep_in_a_long_clean_examples_file_is_named_with_its_line(content_dir):
    clean = "outcomes:\n  unsure:\n" + "".join(f"    - 锁了第{n}回\n" for n in range(2000))
    assert examples_messages(content_dir, clean) == []
    found = examples_messages(content_dir, clean + "    - 打13812345678问问\n")
    assert found == [m for m in found if "content/examples/locked.yaml:2003: 疑似电话号码" in m]
    assert len(found) == 1


def test_a_tree_that_does_not_load_is_not_blamed_on_its_examples(content_dir):
    found = examples_messages(content_dir, EXAMPLES_FILE, tree="start: [\n")
    assert found and not any("examples/" in m for m in found), found


def test_an_outcome_listed_in_two_examples_files_is_named_with_the_first(content_dir):
    from triage.loading import get_tree

    write_tree(content_dir, EXAMPLES_TREE, examples=EXAMPLES_FILE)
    second = "outcomes:\n  unsure:\n    - 不知道咋回事就锁住了\n"
    (content_dir / "examples" / "more.yaml").write_text(second, encoding="utf-8")
    found = [m.msg for m in triage_check()]
    assert len(found) == 1, found
    assert "content/examples/more.yaml:2: 结果 unsure" in found[0]
    assert f"examples/locked.yaml 第 {line_of(EXAMPLES_FILE, '  unsure:')} 行" in found[0]
    tree = get_tree(get_library())
    assert "不知道咋回事就锁住了" not in tree.outcomes["unsure"].examples


def test_off_topic_phrasings_of_every_examples_file_are_read(content_dir):
    from triage.loading import get_tree

    write_tree(content_dir, EXAMPLES_TREE, examples=EXAMPLES_FILE)
    more = "off_topic:\n  - 红烧肉怎么做\n"
    (content_dir / "examples" / "off-topic.yaml").write_text(more, encoding="utf-8")
    assert [m.msg for m in triage_check()] == []
    assert get_tree(get_library()).off_topic == ("今天天气怎么样", "红烧肉怎么做")


def test_a_file_in_the_examples_folder_that_is_not_read_is_named(content_dir):
    write_tree(content_dir, EXAMPLES_TREE, examples=EXAMPLES_FILE)
    (content_dir / "examples" / "fees.yml").write_text("outcomes:\n", encoding="utf-8")
    found = [m.msg for m in triage_check()]
    assert len(found) == 1 and "content/examples/fees.yml:1: " in found[0], found
    assert "没有读" in found[0]


def test_the_shipped_examples_are_apart_from_the_tree():
    from triage.loading import get_tree

    tree = get_tree(get_library())
    assert len(tree.examples_sources) > 10  # one file a topic
    assert all(o.examples_line for o in tree.outcomes.values() if o.id in tree.routes)
    shipped = tree.source.read_text(encoding="utf-8")
    assert "\n    examples:" not in shipped and "\noff_topic:" not in shipped


@pytest.mark.parametrize(
    "bad", ["examples: 锁了", "examples:\n      - ''", "examples:\n      - 123"]
)
def test_examples_must_be_a_list_of_texts(content_dir, bad):
    text = SMALL_TREE.replace(
        "    keywords: [操作员已锁定]\n", f"    keywords: [操作员已锁定]\n    {bad}\n"
    )
    found = messages(content_dir, text)
    assert len(found) == 1 and "examples" in found[0] and "wrong-password" in found[0]


def test_an_outcome_example_written_in_a_guide_section_too_names_the_guide_and_line(content_dir):
    without_section_examples(content_dir)
    path = add_section_examples(
        content_dir, "basic-troubleshooting", {"faq-receipt-fades": ["小票褪色", "不知道为啥锁了"]}
    )
    found = messages(content_dir, EXAMPLES_TREE)
    line = line_of(path.read_text(encoding="utf-8"), "不知道为啥锁了")
    assert len(found) == 1, found
    assert f"triage.yaml:{line_of(EXAMPLES_TREE, '不知道为啥锁了')}:" in found[0]
    assert (
        "结果 unsure" in found[0]
        and "basic-troubleshooting.md 的小节 #faq-receipt-fades" in found[0]
    )
    assert f"（第 {line} 行）" in found[0]


def test_section_phrasings_alike_only_in_traditional_and_simplified_are_named(content_dir):
    without_section_examples(content_dir)
    add_section_examples(content_dir, "basic-troubleshooting", {"faq-water": ["機器進水了"]})
    add_section_examples(content_dir, "fees-and-rates", {"faq-card-types": ["机器进水了"]})
    write_tree(content_dir, EXAMPLES_TREE)
    found = [m for m in (c.msg for c in triage_check()) if "读起来一样" in m]
    assert len(found) == 1, found
    # Named in the guide that repeats it, at its line.
    repeated = (
        "fees-and-rates"
        if "basic-troubleshooting#faq-water" in found[0]
        else "basic-troubleshooting"
    )
    path = content_dir / "guides" / f"{repeated}.md"
    line = int(found[0].split(f"{repeated}.md:")[1].split(":")[0])
    assert path.read_text(encoding="utf-8").splitlines()[line - 1].strip() in (
        "- 机器进水了",
        "- 機器進水了",
    )

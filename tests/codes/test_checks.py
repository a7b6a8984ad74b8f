"""codes/checks.py: every defect in codes.yaml, and in guides' and outcomes' use of codes, is
named with its file and line."""

from __future__ import annotations

import pytest
from django.core import checks

from codes.checks import codes_problems
from guides.library import get_library
from tests.factories import CODES, write_codes, write_guide


def found(*, serious: bool = True) -> list[str]:
    """The problems as an editor reads them: file:line: message."""
    return [
        f"{p.path.name}:{p.line}: {p.message}"
        for p in codes_problems(get_library())
        if p.serious is serious
    ]


def test_shipped_codes_and_outcomes_have_no_errors():
    assert found() == []


def test_a_good_file_has_no_problems(content_dir):
    write_codes(content_dir, CODES)
    assert [p for p in found() + found(serious=False) if p.startswith("codes.yaml")] == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    meaning: 余额不足\n", "", "codes.yaml:2: 返回码 51：缺少 meaning"),
        ("    say: 麻烦您换一张卡。\n", "", "codes.yaml:2: 返回码 51：缺少 say"),
        ("    screens: [余额不足]\n", "    screens: []\n", "codes.yaml:4: 返回码 51：screens 应是"),
        (
            "    steps: [请顾客换一张卡。]\n",
            "    steps: 换卡\n",
            "codes.yaml:7: 返回码 51：steps 应是",
        ),
        (
            "    who: card-bank\n",
            "    who: bank\n",
            "codes.yaml:5: 返回码 51：who 只能是 card-bank",
        ),
        ("    retry: never\n", "    retry: maybe\n", "codes.yaml:6: 返回码 51：retry 只能是 never"),
        ('  - code: "51"\n', '  - code: "5"\n', "codes.yaml:2: 第 1 条：代码 5 格式不对"),
        ('  - code: "51"\n', "  - meaning2: x\n", "codes.yaml:2: 第 1 条：缺少 code"),
        (
            'code: ["54", "33"]',
            'code: ["54", "51"]',
            "codes.yaml:11: 返回码 51 重复：第 2 行已经写过",
        ),
        (
            "    meaning: 余额不足\n",
            "    meaning: 余额不足\n    colour: red\n",
            "codes.yaml:4: 返回码 51：未知字段 colour",
        ),
        (
            "anchor: card-reader}",
            "anchor: nowhere}",
            "codes.yaml:10: 返回码 51：指南 basic-troubleshooting 里没有锚点 #nowhere",
        ),
        (
            "guide: basic-troubleshooting,",
            "guide: no-such-guide,",
            "codes.yaml:10: 返回码 51：指南 no-such-guide 不存在",
        ),
        (
            "    say: 麻烦您换一张卡。\n",
            "    say: 请打 13800138000 问银行。\n",
            "codes.yaml:8: 疑似电话号码 13800138000",
        ),
        (
            "    say: 麻烦您换一张卡。\n",
            "    say: 请看 https://example.com 。\n",
            "codes.yaml:8: 这里不能有网址（https://example.com",
        ),
        (
            "    say: 麻烦您换一张卡。\n",
            "    say: 默认密码是 0000。\n",
            "codes.yaml:8: 出现“默认密码是”",
        ),
    ],
)
def test_each_defect_is_named_with_file_and_line(content_dir, old, new, expected):
    assert CODES.count(old) >= 1
    write_codes(content_dir, CODES.replace(old, new, 1))
    problems = found()
    assert any(p.startswith(expected) for p in problems), problems


def test_a_yaml_error_is_named_with_its_line(content_dir):
    write_codes(content_dir, CODES.replace("    who: card-bank\n", "    who: [card-bank\n", 1))
    assert any(p.startswith("codes.yaml:6: YAML 格式错误") for p in found()), found()


def test_a_guide_that_names_a_code_without_linking_it_gets_a_warning(content_dir):
    write_codes(content_dir, CODES)
    body_line = "刷卡时提示“交易失败 51”或返回码 33、54：请顾客换卡。"
    path = write_guide(content_dir, "code-mentions", body=f"{body_line}\n\n" + _valid_body())
    number = path.read_text(encoding="utf-8").splitlines().index(body_line) + 1
    warnings = found(serious=False)
    assert (
        f"code-mentions.md:{number}: 提到了返回码 51，请链接它的页面：[51](/codes/51/)" in warnings
    )
    assert any(w.startswith(f"code-mentions.md:{number}: 提到了返回码 33") for w in warnings)
    assert any(w.startswith(f"code-mentions.md:{number}: 提到了返回码 54") for w in warnings)


def test_a_linked_mention_and_numbers_that_are_not_codes_pass(content_dir):
    write_codes(content_dir, CODES)
    body = (
        "提示“交易失败 [51](/codes/51/)”时请顾客换卡。\n\n"
        "操作员号常见是 01 到 99，余额 51 元。\n\n" + _valid_body()
    )
    write_guide(content_dir, "code-linked", body=body)
    assert [w for w in found(serious=False) if "code-linked" in w] == []
    assert [e for e in found() if "code-linked" in e] == []


def test_a_guide_link_to_an_unknown_code_is_an_error(content_dir):
    write_codes(content_dir, CODES)
    path = write_guide(
        content_dir, "bad-code-link", body="看[这里](/codes/ZZ/)。\n\n" + _valid_body()
    )
    number = path.read_text(encoding="utf-8").splitlines().index("看[这里](/codes/ZZ/)。") + 1
    assert f"bad-code-link.md:{number}: 链接的返回码 ZZ 不在 codes.yaml 里" in found()


def test_the_check_runs_with_manage_py_check(content_dir):
    write_codes(content_dir, CODES.replace("    meaning: 余额不足\n", "", 1))
    messages = checks.run_checks(tags=["content"])
    assert any(m.id == "codes.E001" and "codes.yaml:2:" in m.msg for m in messages)


def _valid_body() -> str:
    from tests.factories import VALID_BODY

    return VALID_BODY


def test_a_broken_codes_file_shows_up_in_the_content_errors_for_healthz(content_dir):
    from helpcenter.status import content_errors as current_errors

    write_codes(content_dir, CODES.replace("    who: card-bank\n", "    who: bank\n", 1))
    assert any("codes.yaml:5: 返回码 51：who 只能是" in error for error in current_errors())

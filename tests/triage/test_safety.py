"""triage.safety: the shapes of danger, in words that never say 骗."""

from __future__ import annotations

import pytest

from search.text import normalize
from triage.safety import danger


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("售后说我机器要解除风控 得下个app做人脸识别", "scam-remote-app"),
        ("年费到期 链接", "scam-remote-app"),
        ("下载辅助app提额", "scam-remote-app"),
        ("工作人员说要把结算卡换成他给我的那张卡才能秒到", "scam-card-changed"),
        ("交保证金解风控", "limits-scams"),
        ("测试交易 转回去", "scam-lend-terminal"),
        ("帮人点退货钱少了", "other-scam"),
        ("业务员说再交198就能升级成vip费率", "other-scam"),
        ("从来没申请过 家里寄来一台pos机", "other-scam"),
        ("来了个人挂着工牌 说给机器换芯片 已经拿到后面去了", "change-replace-terminal"),
        ("银联检查带走机器", "change-replace-terminal"),
    ],
)
def test_a_danger_in_plain_words_names_its_safety_answer(text, outcome):
    assert danger(normalize(text)) == outcome


@pytest.mark.parametrize(
    "text",
    [
        "手机pos要下个app吗",  # the provider's own app
        "费率怎么升级",
        "结算卡换成新卡了 钱还没到",
        "机器年检",
        "退货的钱少了",
        "不是骗子，是正经调单",  # ruled out
    ],
)
def test_ordinary_questions_signal_no_danger(text):
    assert danger(normalize(text)) == ""

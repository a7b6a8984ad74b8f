"""The screen-text index: exact messages terminals show, and where each one's answer is.

Two sources, one index:

* every ``screens:`` text of ``content/codes.yaml`` points at its code's card (a text several
  codes share, such as “交易失败，请重试”, names all of them and has no single answer);
* ``MESSAGES`` below: messages with no response code (“终端已锁定”, “请先签到”, “商户状态异常”)
  and the guide section that answers them, resolved against the loaded guides. A text that
  codes.yaml already has stays with its code.

Built once per loaded library (``library.derive``), so an editor's change to codes.yaml or a
renamed anchor shows up like any other content change; an entry whose guide or anchor is
missing is left out and named in ``problems``. The photo reader matches what it read against
this index; search and the assistant can ask it the same question (``find``).

Matching folds what a screen or a camera varies: full-width forms, spaces, punctuation and
letter case (``key``), so “校验错, 请重新签到” finds “校验错，请重新签到”.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from codes.content import get_codebook
from guides.content import Library
from search.text import simplified

# (texts as terminals show them, guide slug, section anchor). Only messages without a code:
# a message that has one belongs in codes.yaml, which points it at the code's card.
MESSAGES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("终端已锁定", "终端被锁定", "机具已锁定", "已锁定"), "unlock-locked-terminal", "symptoms"),
    (("操作员已锁定", "密码错误次数过多"), "unlock-locked-terminal", "wrong-password"),
    (("请输入解锁密码",), "unlock-locked-terminal", "local-lock"),
    (("交易受限", "终端限制交易", "请联系收单机构"), "unlock-locked-terminal", "risk-control"),
    (("账户已锁定", "登录受限"), "unlock-locked-terminal", "account-frozen"),
    (("请先签到", "终端未签到"), "sign-in-after-power-off", "sign-in-steps"),
    (("签到失败",), "sign-in-after-power-off", "sign-in-failed"),
    (("密钥错误",), "sign-in-after-power-off", "sign-in-failed"),
    # “请联系收单行” alone: the host refuses this merchant or terminal (labellers chose this
    # section 20 times of 27); inside a code's longer text (“没收卡，请联系收单行”) the code's.
    (("商户状态异常", "请联系收单行"), "restore-suspended-terminal", "host-status"),
    (("终端已停用", "终端未开通", "已停用"), "restore-suspended-terminal", "find-out-why"),
    (("版本过低",), "basic-troubleshooting", "software-update"),
    (
        ("通讯失败", "网络连接失败", "连接超时", "网络异常", "无网络", "无信号"),
        "basic-troubleshooting",
        "check-network",
    ),
    (("请插入SIM卡", "无SIM卡"), "basic-troubleshooting", "check-network"),
    (("打印机缺纸", "缺纸"), "basic-troubleshooting", "printer"),
    (("读卡失败", "请重新刷卡", "IC卡请插卡"), "basic-troubleshooting", "card-reader"),
    (("密码键盘未连接",), "basic-troubleshooting", "card-reader"),
    (("激活码无效", "激活码已使用", "激活码已过期"), "activate-new-terminal", "invalid-code"),
    (("终端未激活", "请先激活", "请输入激活码"), "activate-new-terminal", "activate-on-terminal"),
    (("激活失败", "该设备已被绑定"), "activate-new-terminal", "activation-failed"),
    (
        ("请下载参数", "请重新下载参数", "参数下载失败", "正在下载参数"),
        "sign-in-after-power-off",
        "faq-download-params",
    ),
    (("请先结算", "交易笔数已满"), "settlement-not-received", "batch-settlement"),
    (("商户已冻结",), "account-frozen", "merchant-account"),
    (("付款码已失效", "二维码已过期"), "qr-code-payment", "scan-fails"),
    (("操作员不存在", "无此操作员"), "forgotten-operator-password", "find-operator-id"),
    (("操作员密码错",), "forgotten-operator-password", "reset-by-supervisor"),
    (("请更新资料", "资料已过期"), "change-merchant-details", "update-documents"),
)

_DROP = re.compile(r"[^0-9A-Z\u3400-\u9fff]")


def key(text: str) -> str:
    """Text as compared: full-width folded, simplified (a Hong Kong or Taiwan terminal's
    "請先簽到" is "请先签到"), upper case, only letters, digits and hanzi."""
    return _DROP.sub("", simplified(unicodedata.normalize("NFKC", text)).upper())


@dataclass(frozen=True, slots=True)
class Screen:
    text: str  # as a terminal shows it
    key: str
    codes: tuple[str, ...]  # the cards that list this text (several: no single answer)
    url: str  # the one answer (a card or a guide section), "" when several codes share it
    label: str  # what a link to the answer says
    guide: str = ""  # the guide the answer is in, or (a card) the guide it leads on to


@dataclass(frozen=True, slots=True)
class ScreenIndex:
    screens: tuple[Screen, ...]  # longest key first
    problems: tuple[str, ...]

    def find(self, text: str) -> list[Screen]:
        """The messages ``text`` contains, longest first; one inside a longer match is dropped
        (“余额不足” inside “可用余额不足”)."""
        folded = key(text)
        found: list[Screen] = []
        for screen in self.screens:
            if screen.key in folded and not any(screen.key in f.key for f in found):
                found.append(screen)
        return found


def build(library: Library) -> ScreenIndex:
    book = get_codebook(library)
    by_key: dict[str, tuple[str, list[str]]] = {}
    for entry in book.entries:
        for text in entry.screens:
            k = key(text)
            if k:
                by_key.setdefault(k, (text, []))[1].append(entry.code)
    screens = []
    for k, (text, codes) in by_key.items():
        entry = book.get(codes[0])
        one = len(codes) == 1 and entry is not None
        label = f"返回码 {codes[0]}：{entry.meaning}" if one else ""
        guide = entry.links[0].slug if one and entry.links else ""
        screens.append(Screen(text, k, tuple(codes), entry.url if one else "", label, guide))
    problems = []
    for texts, slug, anchor in MESSAGES:
        guide = library.guides.get(slug)
        section = guide.section(anchor) if guide else None
        if section is None:
            problems.append(f"codes/screens.py：指南 {slug} 里没有 #{anchor}")
            continue
        for text in texts:
            k = key(text)
            if k and k not in by_key:
                by_key[k] = (text, [])
                url = f"{guide.url}#{anchor}"
                label = f"{guide.title} · {section.title}"
                screens.append(Screen(text, k, (), url, label, guide.slug))
    screens.sort(key=lambda s: (-len(s.key), s.key))
    return ScreenIndex(tuple(screens), tuple(problems))


def get_screens(library: Library) -> ScreenIndex:
    return library.derive("codes:screens", build)

"""What must never be published in a content file: URLs and phone numbers outside contacts.yaml,
and leftovers of the scraped sources (filter artifacts, reseller ads, "default passwords").

Guides, codes.yaml and the assistant's tree all run this one scan on each line.
"""

from __future__ import annotations

import re
from pathlib import Path

from guides.problems import Problem

# A Markdown link's target.
LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
BARE_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# Mobile numbers, 400/800 numbers, landlines with area code, and 5-digit service numbers such
# as 95xxx: none belongs in a guide (contacts.yaml is the one place for numbers).
PHONE = re.compile(
    r"(?<!\d)(?:1[3-9]\d{9}|[48]00[- ]?\d{3}[- ]?\d{4}|0\d{2,3}[- ]?\d{7,8}"
    r"|9[56]\d{3}|\d{7,})(?!\d)"
)
# Traces of the scraped source material: filter artifacts and reseller advertising.
FORBIDDEN = {
    "xi息": "内容过滤残留（应为“信息”）",
    "ka卡": "内容过滤残留（应为“卡”）",
    "zheng证": "内容过滤残留（应为“身份证”等）",
    "POSS": "内容过滤残留（被删掉的词）",
    "免费申请": "广告用语",
    "办理电话": "广告用语",
    "拉卡拉": "来源材料里的广告品牌",
    "mepos": "来源材料里的广告网址",
    "qianpos": "来源材料里的广告网址",
    "yycgcxx": "来源材料里的广告网址",
    "默认密码是": "不得公布默认密码",
    "初始密码是": "不得公布默认密码",
}


def in_code(line: str) -> bool:
    return line.startswith(("    ", "\t", "```"))


def residue_problems(
    path: Path, number: int, text: str, *, place: str, phones: bool = True
) -> list[Problem]:
    """What must not be published in a content file's line: URLs and phone numbers (they belong
    in contacts.yaml) and leftovers of the scraped sources. ``place`` says where, for editors
    ("指南里", "这里")."""
    problems = [
        Problem(path, number, f"{place}不能有网址（{match.group(0)[:40]}）：放到 contacts.yaml")
        for match in BARE_URL.finditer(text)
    ]
    if phones:
        problems += [
            Problem(
                path,
                number,
                f"疑似电话号码 {match.group(0)}："
                f"电话只能写在 contacts.yaml，{place}按名称提到联系渠道",
            )
            for match in PHONE.finditer(text)
        ]
    lowered = text.lower()
    problems += [
        Problem(path, number, f"出现“{phrase}”：{why}")
        for phrase, why in FORBIDDEN.items()
        if phrase.lower() in lowered
    ]
    return problems

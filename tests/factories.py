"""Small builders of content for tests: a minimal valid guide, written where a test wants it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

VALID_BODY = """\
## 症状 {#symptoms}
屏幕显示“终端已锁定”。

## 可能原因 {#causes}
1. 密码输错太多次。

## 第 1 步：看清提示 {#read-screen}
1. 记下屏幕上的原话。

## 何时联系谁 {#when-to-contact}
联系终端服务商客服。

## 预防 {#prevention}
不要把密码告诉别人。

## 常见问题 {#faq}

### 要多久？ {#faq-how-long}
一般当天。
"""


def guide_text(*, body: str = VALID_BODY, **front) -> str:
    meta = {
        "title": "测试指南",
        "summary": "用来测试的指南。",
        "category": "terminal-status",
        "keywords": ["测试"],
        "updated": "2026-11-21",
        "reviewed": dt.date.today(),  # a fresh review, so the check has nothing to warn about
    } | front
    meta = {k: v for k, v in meta.items() if v is not None}
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    # updated must stay a date, not a quoted string
    head = head.replace("'2026-11-21'", "2026-11-21")
    return f"---\n{head}---\n\n{body}"


def write_guide(content_dir: Path, slug: str, *, body: str = VALID_BODY, **front) -> Path:
    path = content_dir / "guides" / f"{slug}.md"
    path.write_text(guide_text(body=body, **front), encoding="utf-8")
    return path

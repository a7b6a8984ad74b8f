"""Small builders of content for tests: a minimal valid guide, written where a test wants it."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import yaml

import search
from guides import content
from guides import loading as guides_loading
from guides.search import guide_documents

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


# The assistant's tree: three questions, a few outcomes, enough for flow and view tests.
SMALL_TREE = """\
start: problem
questions:
  problem:
    question: 您的 POS 机遇到了什么问题？
    free_text: true
    answers:
      - {id: locked, label: 机器被锁了, goto: locked}
      - {id: other, label: 其他问题, goto: other}
  locked:
    question: 锁机的原因是哪一种？
    help: 看一眼屏幕上的原话。
    answers:
      - {id: wrong-password, label: 密码输错次数过多, goto: wrong-password}
      - {id: unsure, label: 不确定, goto: unsure}
  other:
    question: 请用自己的话说说
    free_text: true
    answers:
      - {id: contact, label: 直接联系客服, goto: unsure}
      - {id: restart, label: 重新选择, restart: true}
outcomes:
  wrong-password:
    code: T1
    title: 密码输错次数过多被锁
    summary: 马上停下别再试。
    guide: unlock-locked-terminal
    anchor: wrong-password
    channels: [provider-hotline]
    next: unsure
    keywords: [操作员已锁定]
  unsure:
    code: T2
    title: 看不出为什么被锁
    summary: 重启一次，再看提示。
    guide: unlock-locked-terminal
    anchor: unsure-cause
    channels: [provider-hotline, account-manager]
    contact: true
"""


EXAMPLES_TREE = SMALL_TREE.replace(
    "    keywords: [操作员已锁定]\n",
    "    keywords: [操作员已锁定]\n    examples:\n"
    "      - 密码输错三次锁了\n      - mima shu cuo le\n",
).replace(
    "    contact: true\n",
    "    contact: true\n    examples:\n      - 不知道为啥锁了\n",
)


def add_section_examples(content_dir: Path, slug: str, examples: dict[str, list[str]]) -> Path:
    """Give sections of a guide in ``content_dir`` ``examples:`` in its front matter (beside
    the ones it has)."""
    path = content_dir / "guides" / f"{slug}.md"
    text = path.read_text(encoding="utf-8")
    end = text.index("\n---", 3)
    lines = "".join(
        f"  {anchor}:\n" + "".join(f"    - {t}\n" for t in texts)
        for anchor, texts in examples.items()
    )
    head, rest = text[:end], text[end:]
    if "\nexamples:" in head:
        head = head.replace("\nexamples:", f"\nexamples:\n{lines.rstrip()}", 1)
    else:
        head = f"{head}\nexamples:\n{lines.rstrip()}"
    path.write_text(head + rest, encoding="utf-8")
    return path


def without_section_examples(content_dir: Path) -> None:
    """Take the ``examples:`` out of every guide's front matter in ``content_dir``."""
    for path in (content_dir / "guides").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        end = text.index("\n---", 3)
        head = re.sub(r"\nexamples:\n(?:  .*\n?)*", "\n", text[:end] + "\n").rstrip("\n")
        path.write_text(head + text[end:], encoding="utf-8")


def write_tree(content_dir: Path, text: str = SMALL_TREE, *, examples: str | None = None) -> Path:
    """A tree of its own in ``content_dir``, with ``examples`` as its one examples file
    (examples/locked.yaml), or none (the shipped examples name the shipped tree's outcomes)."""
    path = content_dir / "triage.yaml"
    path.write_text(text, encoding="utf-8")
    shutil.rmtree(content_dir / "examples", ignore_errors=True)
    if examples is not None:
        (content_dir / "examples").mkdir()
        (content_dir / "examples" / "locked.yaml").write_text(examples, encoding="utf-8")
    return path


MOVED_TREE = (
    SMALL_TREE.replace(
        "      - {id: locked, label: 机器被锁了, goto: locked}\n",
        "      - {id: status, label: 提示已锁定, goto: status}\n",
    )
    .replace(
        "  locked:\n",
        "  status:\n    question: 提示是哪一种？\n    answers:\n"
        "      - {id: locked, label: 已锁定, goto: locked}\n  locked:\n",
    )
    .replace("questions:\n", "moved:\n  locked: status/locked\n  other/gone: other\nquestions:\n")
)

# Today's first screen before issue 19, and where each answer lives now.
OLD_FIRST_SCREEN = {
    "card-declined": "card-declined", "money": "money", "refund": "refund",
    "network": "hardware/network", "sign-in": "sign-in", "locked": "status/locked",
    "suspended": "status/suspended", "password": "sign-in/password",
    "printer": "hardware/printer", "card-reader": "hardware/card-reader",
    "power": "hardware/power", "activation": "account/activation", "scam": "safety/call",
    "other": "other",
}  # fmt: skip


# codes.yaml with a few valid cards.
CODES = """\
codes:
  - code: "51"
    meaning: 余额不足
    screens: [余额不足]
    who: card-bank
    retry: never
    steps: [请顾客换一张卡。]
    say: 麻烦您换一张卡。
    links:
      - {guide: basic-troubleshooting, anchor: card-reader}
  - code: ["54", "33"]
    meaning: 过期的卡
    screens: [该卡已过期]
    who: card-bank
    retry: never
    steps: [请顾客换一张卡。]
    say: 麻烦您换一张卡。
"""


def write_codes(content_dir: Path, text: str) -> Path:
    path = content_dir / "codes.yaml"
    path.write_text(text, encoding="utf-8")
    return path


PHRASINGS = (
    Path(__file__).resolve().parent / "phrasings"
)  # merchant phrasings and the guide they ask for


# --- small libraries for search tests ----------------------------------------------------


def guide(
    slug: str,
    title: str,
    *sections: tuple[str, str],
    keywords: tuple[str, ...] = (),
    summary: str = "一篇测试用的指南。",
) -> dict:
    return {
        "slug": slug,
        "title": title,
        "summary": summary,
        # Keywords are required; the slug is a word no test searches for.
        "keywords": list(keywords) or [slug],
        "sections": sections or (("说明", "正文。"),),
    }


def make_library(
    root: Path,
    *guides: dict,
    synonyms: tuple[tuple[str, ...], ...] = (),
    english: dict[str, str] | None = None,
) -> content.Library:
    (root / "guides").mkdir(parents=True)
    (root / "categories.yaml").write_text(
        "categories:\n  - {id: general, title: 常见问题}\n", encoding="utf-8"
    )
    (root / "contacts.yaml").write_text("channels: []\n", encoding="utf-8")
    (root / "synonyms.yaml").write_text(
        yaml.safe_dump(
            {"groups": [list(g) for g in synonyms], **({"english": english} if english else {})},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    for g in guides:
        front = {
            "title": g["title"],
            "summary": g["summary"],
            "category": "general",
            "keywords": g["keywords"],
            "updated": dt.date(2026, 11, 21),
        }
        body = "".join(f"## {title}\n\n{text}\n\n" for title, text in g["sections"])
        (root / "guides" / f"{g['slug']}.md").write_text(
            f"---\n{yaml.safe_dump(front, allow_unicode=True)}---\n\n{body}", encoding="utf-8"
        )
    library = guides_loading.load_library(root)
    assert set(library.guides) == {g["slug"] for g in guides}, library.errors
    return library


def make_index(root: Path, *guides: dict, synonyms=(), english=None, extra=()) -> search.Index:
    library = make_library(root, *guides, synonyms=synonyms, english=english)
    return search.build_index(
        [*guide_documents(library), *extra], library.synonyms, library.readings
    )


def slugs(hits: list[search.Hit]) -> list[str]:
    return [hit.guide_slug for hit in hits]


LOCK = guide(
    "unlock",
    "机器被锁定了怎么解锁",
    ("症状", "屏幕提示终端已锁定，刷不了卡。"),
    ("解锁步骤", "联系服务商核实身份后解锁。"),
    keywords=("锁机", "解锁"),
)


NETWORK = guide(
    "network",
    "网络连不上",
    ("检查 Wi-Fi", "看屏幕上的 Wi-Fi 图标，POS 机要连上店里的无线网络。"),
    ("流量卡", "SIM 卡欠费也会连不上。"),
)


PRINTER = guide(
    "printer",
    "打印机不出纸",
    ("换纸", "打开仓盖，放入新的打印纸。"),
)


def phrasings(pattern: str = "*.tsv") -> list[tuple[str, str]]:
    rows = []
    for path in sorted(PHRASINGS.glob(pattern)):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                query, slug = line.split("\t")
                rows.append((query, slug.strip()))
    return rows


# --- the site as a whole, for tests that break something and check the rest still serves ---

SITE_GUIDE = "/guides/sign-in-after-power-off/"
SAME_ORIGIN = {"Origin": "http://testserver"}


def lenient_client():
    """A test client that answers a server error with the 500 page instead of raising."""
    from django.test import Client

    return Client(raise_request_exception=False)


def assert_site_serves(client) -> dict:
    """Pages, a code card, the assistant and a vote all answer; returns /healthz's body."""
    for url in ("/", SITE_GUIDE, "/search/?q=签到", "/triage/", "/codes/", "/codes/51/"):
        assert client.get(url).status_code == 200, url
    vote = client.post(SITE_GUIDE + "feedback/", {"helpful": "yes"}, headers=SAME_ORIGIN)
    assert vote.status_code == 302
    health = client.get("/healthz")
    assert health.status_code == 200
    return health.json()

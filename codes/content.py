"""Response codes (返回码): loaded from content/codes.yaml into frozen dataclasses.

The code book is built once per loaded library (``library.derive``), so an editor's save shows
up like any other content change. Loading never raises: whatever is wrong with the file becomes
a ``Problem`` (file, line and code named) for the system check, and the pages run on the entries
that could be understood. Codes are looked up in the loaded index, never built into a path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guides import yaml_lines
from guides.content import Library
from guides.last_good import kept_or_built
from guides.problems import Problem
from guides.yaml_lines import LineMapping, line_of
from search.text import fold_code

CODES_FILE = "codes.yaml"
# Two characters: digits ("51") or a capital letter and a digit ("A0"). Providers' own letter
# codes (Z1, N6, C1) have the same shape, so the shape alone never says a code is known.
CODE_RE = re.compile(r"[0-9A-Z]{2}")
INPUT_LIMIT = 16  # characters of a typed code that are looked at
ENTRY_KEYS = {"code", "meaning", "screens", "who", "retry", "steps", "say", "links", "note"}
REQUIRED_TEXT = ("meaning", "say")
LINK_KEYS = {"guide", "anchor", "label"}


@dataclass(frozen=True, slots=True)
class Who:
    id: str
    label: str  # the short badge on a card
    heading: str  # the group's heading on /codes/
    hint: str  # one line under the heading
    channels: tuple[str, ...]  # contacts.yaml ids shown on a card of this group


@dataclass(frozen=True, slots=True)
class Retry:
    id: str
    label: str


WHO = {
    w.id: w
    for w in (
        Who(
            "card-bank",
            "顾客的卡/银行",
            "顾客的卡或银行的问题",
            "机器没问题。请顾客换一张卡、换个方式付，或联系他的发卡银行。",
            ("card-issuer",),
        ),
        Who(
            "cashier",
            "收银操作",
            "收银操作的问题",
            "多半是撤销、退货、金额或刷卡方式不对，改正后再试。",
            ("provider-hotline",),
        ),
        Who(
            "terminal",
            "机器或服务商",
            "机器或服务商的问题",
            "和顾客的卡无关。先签到；还不行，联系终端服务商。",
            ("provider-hotline", "account-manager"),
        ),
        Who(
            "system",
            "系统，稍后再试",
            "系统的问题，稍后再试",
            "银行或网络暂时出了问题。过几分钟再试；超时的先查末笔，别重复收款。",
            ("provider-hotline",),
        ),
        # 00 is not a failure, but merchants look it up too ("does 00 mean it went through?").
        Who(
            "none",
            "没有问题",
            "交易成功",
            "不是错误：钱已经收到，不要再收一次。",
            (),
        ),
    )
}
RETRY = {
    r.id: r
    for r in (
        Retry("never", "不要重试"),
        Retry("chip", "插芯片（或挥卡）再试一次"),
        Retry("sign-in", "签到后再试一次"),
        Retry("once", "改正后再试一次"),
        Retry("later", "过几分钟再试"),
        Retry("check-first", "先查末笔，确认没成功再收"),
    )
}


@dataclass(frozen=True, slots=True)
class GuideLink:
    slug: str
    label: str
    url: str  # /guides/<slug>/#<anchor>, resolved against the library when loaded


@dataclass(frozen=True, slots=True)
class ResponseCode:
    codes: tuple[str, ...]  # the first is the main code; the others share the card
    meaning: str
    screens: tuple[str, ...]
    who: Who
    retry: Retry
    steps: tuple[str, ...]
    say: str
    links: tuple[GuideLink, ...]
    note: str
    line: int

    @property
    def code(self) -> str:
        return self.codes[0]

    @property
    def url(self) -> str:
        return f"/codes/{self.code}/"

    @property
    def codes_text(self) -> str:
        return " / ".join(self.codes)


@dataclass(frozen=True, slots=True)
class CodeBook:
    source: Path
    entries: tuple[ResponseCode, ...]  # in the file's order
    by_code: dict[str, ResponseCode]
    problems: tuple[Problem, ...]

    def get(self, code: str) -> ResponseCode | None:
        return self.by_code.get(code)

    def grouped(self) -> list[tuple[Who, list[ResponseCode]]]:
        """Entries by who acts, in WHO's order, each group sorted by code."""
        groups = []
        for who in WHO.values():
            entries = sorted((e for e in self.entries if e.who is who), key=lambda e: e.code)
            if entries:
                groups.append((who, entries))
        return groups


def normalize_code(raw: str) -> str:
    """What a merchant typed into the code box, as a response code."""
    return fold_code(raw, INPUT_LIMIT)


# --- loading --------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _texts(value: Any) -> tuple[str, ...] | None:
    """A list of non-empty texts, or None when the value is not such a list."""
    if not isinstance(value, list) or not value:
        return None
    if not all(isinstance(v, str | int) and str(v).strip() for v in value):
        return None
    return tuple(str(v).strip() for v in value)


class _Builder:
    def __init__(self, library: Library) -> None:
        self.library = library
        self.source = library.root / CODES_FILE
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.source, line, message))

    def codes(self, entry: LineMapping, index: int) -> tuple[str, ...] | None:
        written = entry.written.get("code")
        raw = written if isinstance(written, list) else [written]
        if written in (None, "", []) or not all(isinstance(c, str) and c for c in raw):
            self.problem(
                entry.line, f'第 {index} 条：缺少 code（写成 "51"，几个代码共用写成 ["54", "33"]）'
            )
            return None
        codes = tuple(c.strip().upper() for c in raw)
        bad = [c for c in codes if not CODE_RE.fullmatch(c)]
        if bad:
            self.problem(
                line_of(entry, "code"),
                f"第 {index} 条：代码 {'、'.join(bad)} 格式不对"
                "（两位数字，或大写字母加数字，如 A0）",
            )
            return None
        if len(set(codes)) != len(codes):
            self.problem(line_of(entry, "code"), f"第 {index} 条：同一个代码写了两次")
            return None
        return codes

    def entry(self, entry: Any, index: int, line: int) -> ResponseCode | None:
        if not isinstance(entry, LineMapping):
            self.problem(line, f"第 {index} 条：应是“字段: 值”的形式")
            return None
        codes = self.codes(entry, index)
        if codes is None:
            return None
        where = f"返回码 {' / '.join(codes)}"
        for key in entry:
            if key not in ENTRY_KEYS:
                self.problem(
                    line_of(entry, key),
                    f"{where}：未知字段 {key}（可用字段：{'、'.join(sorted(ENTRY_KEYS))}）",
                )
        failed = False
        for name in REQUIRED_TEXT:
            if not _text(entry.get(name)):
                self.problem(line_of(entry, name), f"{where}：缺少 {name}")
                failed = True
        lists = {}
        for name in ("screens", "steps"):
            lists[name] = _texts(entry.get(name))
            if lists[name] is None:
                self.problem(line_of(entry, name), f"{where}：{name} 应是至少一项文字的列表")
                failed = True
        chosen: dict[str, Any] = {}
        for name, allowed in (("who", WHO), ("retry", RETRY)):
            chosen[name] = allowed.get(_text(entry.get(name)))
            if chosen[name] is None:
                self.problem(
                    line_of(entry, name),
                    f"{where}：{name} 只能是 {'、'.join(allowed)}（现在是 {entry.get(name)!r}）",
                )
                failed = True
        if failed:
            return None
        return ResponseCode(
            codes=codes,
            meaning=_text(entry["meaning"]),
            screens=lists["screens"],
            who=chosen["who"],
            retry=chosen["retry"],
            steps=lists["steps"],
            say=_text(entry["say"]),
            links=self.links(entry, where),
            note=_text(entry.get("note")),
            line=line,
        )

    def links(self, entry: LineMapping, where: str) -> tuple[GuideLink, ...]:
        raw = entry.get("links")
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.problem(line_of(entry, "links"), f"{where}：links 应是列表")
            return ()
        links = []
        for item in raw:
            line = line_of(item) or line_of(entry, "links")
            if not isinstance(item, LineMapping) or not _text(item.get("guide")):
                self.problem(line, f"{where}：链接应写成 {{guide: 指南文件名, anchor: 锚点}}")
                continue
            for key in item:
                if key not in LINK_KEYS:
                    self.problem(line, f"{where}：链接里的未知字段 {key}")
            found = self.library.link(_text(item.get("guide")), _text(item.get("anchor")))
            if found.renamed_from:
                renamed = f"指南 {found.renamed_from} 已改名为 {found.guide.slug}，请改过来"
                self.problem(line, f"{where}：{renamed}")
            if found.problem:
                self.problem(line, f"{where}：{found.problem}")
                continue
            guide, section = found.guide, found.section
            label = _text(item.get("label")) or (section.title if section else guide.title)
            links.append(GuideLink(slug=guide.slug, label=label, url=found.url))
        return tuple(links)


def load_codebook(library: Library) -> CodeBook:
    source = library.root / CODES_FILE
    builder = _Builder(library)

    def result(entries: list[ResponseCode], by_code: dict[str, ResponseCode]) -> CodeBook:
        return CodeBook(source, tuple(entries), by_code, tuple(builder.problems))

    data, problems = yaml_lines.load(source)
    for line, message in problems:
        builder.problem(line, message)
    if data is None:
        return result([], {})
    raw_entries = data.get("codes") if isinstance(data, LineMapping) else None
    if not isinstance(raw_entries, list):
        builder.problem(line_of(data, "codes") or 1, "文件应有一个 codes: 列表")
        return result([], {})

    entries: list[ResponseCode] = []
    by_code: dict[str, ResponseCode] = {}
    for index, raw in enumerate(raw_entries, start=1):
        built = builder.entry(raw, index, line_of(raw) or line_of(data, "codes"))
        if built is None:
            continue
        taken = [c for c in built.codes if c in by_code]
        if taken:
            first = by_code[taken[0]]
            builder.problem(
                built.line, f"返回码 {taken[0]} 重复：第 {first.line} 行已经写过，这一条不生效"
            )
            continue
        entries.append(built)
        by_code.update(dict.fromkeys(built.codes, built))
    return result(entries, by_code)


_last_good: dict[Path, CodeBook] = {}


def get_codebook(library: Library) -> CodeBook:
    """The codes of this library; while codes.yaml is broken (an editor's half-written save),
    the last book that loaded, with the new file's problems attached for the check."""
    return library.derive("codes", _codebook_or_last_good)


def _codebook_or_last_good(library: Library) -> CodeBook:
    book = load_codebook(library)
    return kept_or_built(_last_good, book.source, book, usable=bool(book.entries))


# The assistant's service codes (Z1, C1, …) look like response codes. The triage app says which
# exist (from its AppConfig.ready), so a card's 404 can offer that door too; codes knows no
# assistant.
_service_codes: Callable[[], Collection[str]] = frozenset


def register_service_codes(source: Callable[[], Collection[str]]) -> None:
    global _service_codes
    _service_codes = source


def service_codes() -> Collection[str]:
    return _service_codes()

"""The help center's content: guides, categories, contact channels and synonyms.

Everything under ``CONTENT_DIR`` is read once into a frozen ``Library``, rendered once, and
read again only when a file there changes (an editor's save shows up without a restart).
A broken file never takes the site down: it is left out and reported as a ``ContentError``,
which the system checks (``manage.py check``) turn into a failure naming the file and line.

Slugs are looked up in the loaded index, never joined onto a path: the only files read are
the ones found by listing ``content/guides/*.md``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import logging
import os
import pickle
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from django.conf import settings
from markdown import __version__ as markdown_version

from helpcenter import markup

# libyaml when the system has it: front matter of thousands of guides parses ten times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CHANNEL_ID_RE = SLUG_RE
FRONT_MATTER_FIELDS = {
    "title",
    "summary",
    "category",
    "keywords",
    "updated",
    "aliases",
    "related",
    "channels",
    "order",
    "reviewed",
}
# Said of a broken file whose last good version is still served.
LAST_GOOD_NOTE = "网站仍在使用这个文件上一次正确保存的版本，改好后自动生效"
REQUIRED_FIELDS = ("title", "summary", "category", "keywords", "updated")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


@dataclass(frozen=True, slots=True)
class ContentError:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    title: str
    description: str
    order: int


@dataclass(frozen=True, slots=True)
class Guide:
    slug: str
    title: str
    summary: str
    category: str
    keywords: tuple[str, ...]
    updated: dt.date
    aliases: tuple[str, ...]
    related: tuple[str, ...]
    channels: tuple[str, ...]
    order: int
    html: str
    sections: tuple[markup.Section, ...]
    path: Path
    body_line: int  # line of the file where the Markdown body starts
    reviewed: dt.date | None = None  # when someone last checked the facts (None: never)

    @property
    def url(self) -> str:
        return f"/guides/{self.slug}/"

    def section(self, anchor: str) -> markup.Section | None:
        return next((s for s in self.sections if s.anchor == anchor), None)


@dataclass(frozen=True, slots=True)
class OpeningHours:
    days: frozenset[int]  # 0 = Monday, as datetime.weekday()
    opens: dt.time
    closes: dt.time  # 24:00 is written as time.max

    def covers(self, moment: dt.datetime) -> bool:
        return moment.weekday() in self.days and self.opens <= moment.time() < self.closes


@dataclass(frozen=True, slots=True)
class ChannelStatus:
    known: bool
    open: bool
    label: str


@dataclass(frozen=True, slots=True)
class Channel:
    id: str
    name: str
    handles: str
    phone: str
    url: str
    where: str
    always_open: bool
    hours: tuple[OpeningHours, ...]
    hours_note: str

    def status(self, now: dt.datetime | None = None) -> ChannelStatus:
        """Open or closed now, in the content's time zone (Asia/Shanghai).

        Without written hours nobody knows, so the status says that rather than guess.
        """
        if self.always_open:
            return ChannelStatus(known=True, open=True, label="24 小时服务")
        if not self.hours:
            return ChannelStatus(known=False, open=False, label="不确定现在有没有人接听")
        now = (now or dt.datetime.now(dt.UTC)).astimezone(ZoneInfo(settings.CONTENT_TIME_ZONE))
        if any(h.covers(now) for h in self.hours):
            return ChannelStatus(known=True, open=True, label="现在可联系")
        return ChannelStatus(known=True, open=False, label="现在不在服务时间")

    @property
    def hours_text(self) -> str:
        if self.always_open:
            return "24 小时"
        if not self.hours:
            return self.hours_note or "以服务方公布的时间为准"
        rules = "；".join(
            f"{_days_text(h.days)} {h.opens:%H:%M}–{_clock(h.closes)}" for h in self.hours
        )
        return f"{rules}（{self.hours_note}）" if self.hours_note else rules


@dataclass(frozen=True, slots=True)
class Library:
    root: Path
    guides: dict[str, Guide]
    aliases: dict[str, str]  # old slug -> current slug
    categories: dict[str, Category]
    channels: dict[str, Channel]
    synonyms: tuple[frozenset[str], ...]
    errors: tuple[ContentError, ...]
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # A digest of every content file as read: the same files give the same version anywhere.
    version: str = ""

    def derive(self, key: str, build: Callable[[Library], Any]) -> Any:
        """Build something from this library once (search index, triage tree) and keep it."""
        try:
            return self.memo[key]
        except KeyError:
            value = self.memo[key] = _collector_paused(build)(self)
            return value

    def guides_in(self, category_id: str) -> list[Guide]:
        return sorted(
            (g for g in self.guides.values() if g.category == category_id),
            key=lambda g: (g.order, g.title),
        )

    def ordered_categories(self) -> list[Category]:
        return sorted(self.categories.values(), key=lambda c: (c.order, c.title))


def _clock(moment: dt.time) -> str:
    return "24:00" if moment == dt.time.max else moment.strftime("%H:%M")


def _days_text(days: frozenset[int]) -> str:
    ordered = sorted(days)
    if ordered == list(range(7)):
        return "每天"
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{WEEKDAY_NAMES[ordered[0]]}至{WEEKDAY_NAMES[ordered[-1]]}"
    return "、".join(WEEKDAY_NAMES[d] for d in ordered)


# --- loading ---------------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.items: list[ContentError] = []

    def add(self, path: Path, line: int, message: str) -> None:
        self.items.append(ContentError(path, line, message))


def _read_yaml(path: Path, problems: _Problems) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.add(path, 0, "文件不存在")
    except UnicodeDecodeError:
        problems.add(path, 0, "文件不是 UTF-8 编码")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.add(path, (mark.line + 1) if mark else 0, f"YAML 格式错误：{exc}")
    except OSError as exc:  # a folder of that name, no permission to read it
        problems.add(path, 0, unreadable(exc))
    return None


def unreadable(exc: BaseException) -> str:
    return f"读不了这个文件（{type(exc).__name__}）"


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Return (front matter, body, line where the body starts); ValueError if there is none."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ValueError("文件开头缺少 front matter（第一行应为 ---）")
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2
    raise ValueError("front matter 没有结束的 --- 行")


def _str_list(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return None


# --- rendered Markdown, kept on disk between processes ---------------------------------------
#
# Rendering is most of the cost of loading (a few ms a guide: 13 s for 5,000). What a body
# renders to depends only on its text and on the pipeline's code, so the renders of the last
# load are written to one file under var/ and a new process (a restart, another instance on the
# same release) reads them back instead of rendering again. Only this site's own processes
# write that folder and read it back (pickle).

_MARKUP_VERSION = hashlib.sha256(
    Path(markup.__file__).read_bytes() + markdown_version.encode()
).hexdigest()[:12]


class _Renders:
    """Parsed front matter and rendered body of each guide file, by the file's text.

    A file whose path, size and modification time (to the nanosecond) match the last load is
    not even read again: the reload check (``_signature``) trusts the same three things.
    """

    def __init__(self, folder: Path | None) -> None:
        self.file = folder / f"guides-{_MARKUP_VERSION}.pickle" if folder else None
        self.known: dict[str, tuple] = {}
        self.used: dict[str, tuple] = {}
        self.stats: dict[tuple[str, int, int], str] = {}  # (path, mtime, size) -> text digest
        self.used_stats: dict[tuple[str, int, int], str] = {}
        self.seen: list[tuple[str, str]] = []  # (file name, digest of its text), every file read
        if self.file and self.file.exists():
            try:
                with open(self.file, "rb") as handle:
                    saved = pickle.load(handle)
                if isinstance(saved, dict) and set(saved) == {"entries", "stats"}:
                    self.known, self.stats = saved["entries"], saved["stats"]
            except Exception:  # a damaged or foreign file: parse afresh and rewrite it
                self.known, self.stats = {}, {}

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()

    def unchanged(self, path: Path) -> str | None:
        """The digest of a file known and untouched since the last load, without reading it."""
        try:
            stat = path.stat()
        except OSError:
            return None
        found = self.stats.get((str(path), stat.st_mtime_ns, stat.st_size))
        return found if found in self.known else None

    def remember(self, path: Path, key: str) -> None:
        with contextlib.suppress(OSError):
            stat = path.stat()
            self.used_stats[(str(path), stat.st_mtime_ns, stat.st_size)] = key

    def parsed(self, key: str) -> tuple[str, dict, int] | None:
        """(front matter, its fields, body line) of a file seen before."""
        found = self.known.get(key)
        return found[:3] if found else None

    def render(self, key: str, head: str, meta: dict, body_line: int, body: str) -> markup.Rendered:
        found = self.known.get(key)
        if found is None:
            rendered = markup.render(body)
            sections = tuple((s.anchor, s.title, s.level, s.text) for s in rendered.sections)
            found = (head, meta, body_line, rendered.html, sections)
        self.used[key] = found
        return markup.Rendered(found[3], tuple(markup.Section(*s) for s in found[4]))

    def save(self) -> None:
        if not self.file or (
            self.used.keys() == self.known.keys() and self.used_stats == self.stats
        ):
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            temp = self.file.with_suffix(f".{os.getpid()}.tmp")
            with open(temp, "wb") as handle:
                saved = {"entries": self.used, "stats": self.used_stats}
                pickle.dump(saved, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, self.file)
        except OSError:  # a read-only release folder: every process renders for itself
            pass


def _render_folder() -> Path | None:
    folder = getattr(settings, "CONTENT_CACHE_DIR", None)
    return Path(folder) if folder else None


def load_guide(path: Path, problems: _Problems, renders: _Renders | None = None) -> Guide | None:
    slug = path.stem
    if not SLUG_RE.fullmatch(slug):
        problems.add(path, 0, f"文件名 {slug!r} 不是合法的 slug（只用小写字母、数字和 -）")
        return None
    renders = renders or _Renders(None)
    try:
        key = renders.unchanged(path)
        if key is None:
            text = path.read_text(encoding="utf-8")
            key = renders.key(text)
        renders.remember(path, key)
        renders.seen.append((path.name, key))
        seen = renders.parsed(key)
        if seen:
            head, meta, body_line = seen
            body = ""  # rendered before: not needed again
        else:
            head, body, body_line = split_front_matter(text)
            meta = yaml.load(head, Loader=_YAML_LOADER) or {}
    except UnicodeDecodeError:
        problems.add(path, 0, "文件不是 UTF-8 编码")
        return None
    except ValueError as exc:
        problems.add(path, 1, str(exc))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.add(path, (mark.line + 2) if mark else 1, f"front matter 的 YAML 格式错误：{exc}")
        return None
    if not isinstance(meta, dict):
        problems.add(path, 2, "front matter 应是“字段: 值”的形式")
        return None

    failed = False

    def bad(message: str) -> None:
        nonlocal failed
        failed = True
        problems.add(path, _field_line(head, message), message)

    for name in REQUIRED_FIELDS:
        if meta.get(name) in (None, "", []):
            bad(f"缺少必填字段 {name}")
    for name in sorted(set(meta) - FRONT_MATTER_FIELDS):
        bad(f"未知字段 {name}（可用字段：{', '.join(sorted(FRONT_MATTER_FIELDS))}）")
    for name in ("title", "summary", "category"):
        if name in meta and not isinstance(meta[name], str):
            bad(f"字段 {name} 应是一段文字")
    updated = meta.get("updated")
    if updated is not None and not isinstance(updated, dt.date):
        bad("字段 updated 应是日期，写成 2026-11-21")
    reviewed = meta.get("reviewed")
    if reviewed is not None and not isinstance(reviewed, dt.date):
        bad("字段 reviewed 应是日期，写成 2026-11-21")
    lists = {}
    for name in ("keywords", "aliases", "related", "channels"):
        lists[name] = _str_list(meta.get(name))
        if lists[name] is None:
            bad(f"字段 {name} 应是列表，例如 [锁机, 锁住]")
    order = meta.get("order", 100)
    if not isinstance(order, int):
        bad("字段 order 应是整数")
    if failed:
        return None

    rendered = renders.render(key, head, meta, body_line, body)
    return Guide(
        slug=slug,
        title=meta["title"].strip(),
        summary=meta["summary"].strip(),
        category=meta["category"].strip(),
        keywords=lists["keywords"],
        updated=_as_date(updated),
        aliases=lists["aliases"],
        related=lists["related"],
        channels=lists["channels"],
        order=order,
        html=rendered.html,
        sections=rendered.sections,
        path=path,
        body_line=body_line,
        reviewed=_as_date(reviewed),
    )


def _as_date(value: dt.date | None) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def _field_line(head: str, message: str) -> int:
    """Best guess at the front matter line a message is about (for editors' error messages)."""
    for i, line in enumerate(head.splitlines(), start=2):
        name = line.split(":", 1)[0].strip()
        if name and name in message.split("（")[0]:
            return i
    return 1


def _parse_time(value: Any) -> dt.time | None:
    if isinstance(value, int):  # YAML reads 09:00 as sexagesimal 540
        value = f"{value // 60:02d}:{value % 60:02d}"
    if not isinstance(value, str) or not re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
        return None
    hours, minutes = (int(p) for p in value.strip().split(":"))
    if (hours, minutes) == (24, 0):
        return dt.time.max
    if hours > 23 or minutes > 59:
        return None
    return dt.time(hours, minutes)


def _parse_days(value: Any) -> frozenset[int] | None:
    if not isinstance(value, str):
        return None
    days: set[int] = set()
    for part in value.replace(" ", "").lower().split(","):
        first, _, last = part.partition("-")
        if first not in WEEKDAYS or (last and last not in WEEKDAYS):
            return None
        a, b = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
        days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    return frozenset(days)


def load_channels(path: Path, problems: _Problems) -> dict[str, Channel]:
    data = _read_yaml(path, problems)
    if data is None:
        return {}
    entries = data.get("channels") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        problems.add(path, 1, "contacts.yaml 应有一个 channels: 列表")
        return {}
    channels: dict[str, Channel] = {}
    for index, entry in enumerate(entries):
        where = f"第 {index + 1} 个联系渠道"
        if not isinstance(entry, dict):
            problems.add(path, 0, f"{where}应是“字段: 值”的形式")
            continue
        channel_id = entry.get("id")
        if not isinstance(channel_id, str) or not CHANNEL_ID_RE.fullmatch(channel_id):
            problems.add(path, 0, f"{where}的 id 缺失或不合法（小写字母、数字和 -）")
            continue
        where = f"联系渠道 {channel_id}"
        if channel_id in channels:
            problems.add(path, 0, f"{where} 重复")
            continue
        if not entry.get("name") or not entry.get("handles"):
            problems.add(path, 0, f"{where} 缺少 name 或 handles")
            continue
        if not (entry.get("phone") or entry.get("url") or entry.get("where")):
            problems.add(path, 0, f"{where} 至少要有 phone、url 或 where 之一")
            continue
        raw_hours = entry.get("hours")
        always = raw_hours == "always"
        hours: list[OpeningHours] = []
        if isinstance(raw_hours, list):
            for rule in raw_hours:
                days = _parse_days(rule.get("days")) if isinstance(rule, dict) else None
                opens = _parse_time(rule.get("open")) if isinstance(rule, dict) else None
                closes = _parse_time(rule.get("close")) if isinstance(rule, dict) else None
                if not days or opens is None or closes is None or opens >= closes:
                    problems.add(
                        path,
                        0,
                        f"{where} 的 hours 规则 {rule!r} 不合法，应写成 "
                        '{days: mon-fri, open: "09:00", close: "18:00"}',
                    )
                    continue
                hours.append(OpeningHours(days, opens, closes))
        elif raw_hours not in (None, "always"):
            problems.add(path, 0, f"{where} 的 hours 应是 always 或规则列表")
        channels[channel_id] = Channel(
            id=channel_id,
            name=str(entry["name"]).strip(),
            handles=str(entry["handles"]).strip(),
            phone=str(entry.get("phone") or "").strip(),
            url=str(entry.get("url") or "").strip(),
            where=str(entry.get("where") or "").strip(),
            always_open=always,
            hours=tuple(hours),
            hours_note=str(entry.get("hours_note") or "").strip(),
        )
    return channels


def load_categories(path: Path, problems: _Problems) -> dict[str, Category]:
    data = _read_yaml(path, problems)
    entries = data.get("categories") if isinstance(data, dict) else None
    if data is not None and not isinstance(entries, list):
        problems.add(path, 1, "categories.yaml 应有一个 categories: 列表")
    categories: dict[str, Category] = {}
    for index, entry in enumerate(entries or []):
        if not isinstance(entry, dict) or not SLUG_RE.fullmatch(str(entry.get("id", ""))):
            problems.add(path, 0, f"第 {index + 1} 个分类的 id 缺失或不合法")
            continue
        if not entry.get("title"):
            problems.add(path, 0, f"分类 {entry['id']} 缺少 title")
            continue
        categories[entry["id"]] = Category(
            id=entry["id"],
            title=str(entry["title"]).strip(),
            description=str(entry.get("description") or "").strip(),
            order=entry.get("order", index)
            if isinstance(entry.get("order", index), int)
            else index,
        )
    return categories


def load_synonyms(path: Path, problems: _Problems) -> tuple[frozenset[str], ...]:
    if not path.exists():
        return ()
    data = _read_yaml(path, problems)
    if data is None:
        return ()
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        problems.add(path, 1, "synonyms.yaml 应有一个 groups: 列表，每组是一串同义词")
        return ()
    result = []
    for index, group in enumerate(groups):
        words = _str_list(group)
        if not words or len(words) < 2:
            problems.add(path, 0, f"第 {index + 1} 组同义词至少要有两个词：{group!r}")
            continue
        result.append(frozenset(words))
    return tuple(result)


def _failed(path: Path, problems: _Problems, since: int) -> bool:
    return any(p.path == path for p in problems.items[since:])


def _collector_paused[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    """Run a bulk load with Python's cyclic garbage collector paused.

    Loading makes hundreds of thousands of objects that all stay alive; the collector,
    triggered by the allocations, would walk them again and again for nothing. At 5,000 guides
    that was 100-170 ms of a new process's 1.05-1.09 s start (bench_search.py). Reference
    counting still frees what is dropped; the few cycles Markdown leaves (a few KB a guide
    rendered) wait until the collector's previous state comes back, right afterwards.
    """

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused


@_collector_paused
def load_library(root: Path, previous: Library | None = None) -> Library:
    """Read everything under root. With ``previous`` (the library being replaced), a file that
    is broken now (an editor's half-written save, a YAML slip) keeps its last good version;
    the problem is still reported, so the check and /healthz name it."""
    problems = _Problems()
    loaded: dict[str, Any] = {}
    for name, loader, kept in (
        ("categories", load_categories, previous and previous.categories),
        ("channels", load_channels, previous and previous.channels),
        ("synonyms", load_synonyms, previous and previous.synonyms),
    ):
        path = root / f"{'contacts' if name == 'channels' else name}.yaml"
        mark = len(problems.items)
        loaded[name] = loader(path, problems)
        if kept and _failed(path, problems, mark):
            loaded[name] = kept
            problems.add(path, 0, LAST_GOOD_NOTE)
    categories, channels, synonyms = loaded["categories"], loaded["channels"], loaded["synonyms"]
    kept_guides = {g.path: g for g in previous.guides.values()} if previous else {}
    renders = _Renders(_render_folder())
    guides: dict[str, Guide] = {}
    for path in sorted((root / "guides").glob("*.md")):
        try:
            guide = load_guide(path, problems, renders)
        except Exception as exc:  # one file's fault stays with that file (a folder, gone…)
            problems.add(path, 0, unreadable(exc))
            guide = None
        if guide is None and path in kept_guides:
            guide = kept_guides[path]
            problems.add(path, 0, LAST_GOOD_NOTE)
        if guide is not None:
            guides[guide.slug] = guide
    aliases: dict[str, str] = {}
    for guide in guides.values():
        if guide.category not in categories:
            problems.add(guide.path, 2, f"分类 {guide.category!r} 不在 categories.yaml 里")
        for alias in guide.aliases:
            if not SLUG_RE.fullmatch(alias):
                problems.add(guide.path, 2, f"别名 {alias!r} 不是合法的 slug")
            elif alias in guides:
                problems.add(guide.path, 2, f"别名 {alias!r} 与现有指南的文件名相同")
            elif alias in aliases:
                problems.add(guide.path, 2, f"别名 {alias!r} 已被 {aliases[alias]} 使用")
            else:
                aliases[alias] = guide.slug
        for slug in guide.related:
            if slug not in guides:
                problems.add(guide.path, 2, f"related 里的指南 {slug!r} 不存在")
        for channel_id in guide.channels:
            if channel_id not in channels:
                problems.add(
                    guide.path, 2, f"channels 里的联系渠道 {channel_id!r} 不在 contacts.yaml 里"
                )
    renders.save()
    return Library(
        root=root,
        guides=guides,
        aliases=aliases,
        categories=categories,
        channels=channels,
        synonyms=synonyms,
        errors=tuple(problems.items),
        version=_version(root, renders.seen),
    )


def _version(root: Path, guide_digests: list[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.glob("*.y*ml")):  # the small files: read again, a few KB
        digest.update(path.name.encode())
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    for name, text_digest in sorted(guide_digests):
        digest.update(f"{name}\x1f{text_digest}\x1e".encode())
    return digest.hexdigest()[:12]


# --- the cached library ----------------------------------------------------------------


def _signature(root: Path) -> tuple:
    """What changes when an editor saves, adds, renames or removes a content file."""
    entries = []
    for folder in (root, root / "guides"):
        try:
            found = _scan(folder)
        except OSError:
            found = []
        with_stats = []
        for entry in found:
            try:  # a file deleted since the scan listed it is simply not there
                stat = entry.stat()
            except OSError:
                continue
            with_stats.append((entry.path, stat.st_mtime_ns, stat.st_size))
        entries.extend(sorted(with_stats))
    return tuple(entries)


def _scan(folder: Path) -> Iterable:
    with os.scandir(folder) as it:
        # A folder named x.md is listed too (the loader reports it), as is a file we may not read.
        return [e for e in it if e.name.endswith((".md", ".yaml", ".yml"))]


_lock = threading.Lock()
_cached: tuple[Path, tuple, Library] | None = None
_checked_at = 0.0


def get_library() -> Library:
    """The current library, re-read when a file under content/ changed since the last look.

    The look costs a directory scan, so it happens at most every CONTENT_CHECK_SECONDS.
    """
    global _cached, _checked_at
    root = Path(settings.CONTENT_DIR)
    now = time.monotonic()
    cached = _cached
    if cached and cached[0] == root and now - _checked_at < settings.CONTENT_CHECK_SECONDS:
        return cached[2]
    with _lock:
        signature = _signature(root)
        if _cached is None or _cached[0] != root or _cached[1] != signature:
            previous = _cached[2] if _cached and _cached[0] == root else None
            try:
                loaded = load_library(root, previous)
            except Exception:  # never expected; the last good library serves meanwhile
                if previous is None:
                    raise
                logging.getLogger(__name__).exception("content could not be loaded")
                loaded = previous
            _cached = (root, signature, loaded)
        _checked_at = now
        return _cached[2]

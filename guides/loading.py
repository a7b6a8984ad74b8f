"""Reading content/ into a ``Library``: guides (front matter and Markdown), categories,
contacts and synonyms.

A broken file never takes the site down: it is left out, or keeps its last good version when
the library is re-read, and is reported as a ``Problem`` that the content check
(``manage.py check``) and /healthz name with file and line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from guides import last_good, yaml_lines
from guides.channels import load_channels
from guides.content import Category, Guide, Library, collector_paused
from guides.problems import Problem, Problems
from guides.render_cache import RenderCache, render_folder
from guides.yaml_lines import line_of

# libyaml when the system has it: front matter of thousands of guides parses ten times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
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
    "examples",
}
MAX_EXAMPLE_CHARS = 200  # what the assistant's box accepts
# Said of a broken file whose last good version is still served.
REQUIRED_FIELDS = ("title", "summary", "category", "keywords", "updated")


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


def _front_matter_problems(
    path: Path, head: str, meta: dict, problems: Problems
) -> dict[str, tuple[str, ...]] | None:
    """The list fields of valid front matter; None (with each problem added) otherwise."""
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
    for line, message in _examples_problems(head, meta.get("examples")):
        failed = True
        problems.add(path, line, message)
    return None if failed else lists


def _examples_problems(head: str, raw: Any) -> list[tuple[int, str]]:
    """What is wrong with ``examples:`` (anchor: [phrasings]): (line, message) each."""
    if raw is None:
        return []
    if not isinstance(raw, dict):
        return [(_field_line(head, "examples"), _EXAMPLES_FORM)]
    found, seen = [], {}
    for anchor, phrasings in raw.items():
        if not isinstance(anchor, str) or not isinstance(phrasings, list):
            found.append((_field_line(head, "examples"), _EXAMPLES_FORM))
            continue
        for number, text in enumerate(phrasings, start=1):
            text = text.strip() if isinstance(text, str) else ""
            line = _text_line(head, text) if text else _field_line(head, "examples")
            if not text or len(text) > MAX_EXAMPLE_CHARS:
                found.append(
                    (
                        line,
                        f"examples 里 {anchor} 的第 {number} 句"
                        f"应是 1 到 {MAX_EXAMPLE_CHARS} 个字的文字",
                    )
                )
            elif (key := example_key(text)) in seen and seen[key] != anchor:
                found.append(
                    (
                        line,
                        f"例句“{text}”写在了两个小节（{seen[key]} 和 {anchor}），"
                        "一句话只能属于一个",
                    )
                )
            else:
                seen[key] = anchor
    return found


_EXAMPLES_FORM = "字段 examples 应写成“锚点: [商户的说法, …]”，每个小节的锚点一行"


def example_key(text: str) -> str:
    """How two phrasings count as the same: width, case, spaces and punctuation aside
    (traditional and simplified characters too, in the tree's check: triage/loading.py)."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


_NOT_WORD = re.compile(r"[\W_]+")


def section_examples(meta: dict) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The checked ``examples:`` of valid front matter, each phrasing once."""
    raw = meta.get("examples") or {}
    found = []
    for anchor, phrasings in raw.items():
        kept = tuple(dict.fromkeys(p.strip() for p in phrasings))
        if kept:
            found.append((anchor, kept))
    return tuple(found)


def line_in_file(path: Path, text: str, *, anchor: bool = False) -> int:
    """The front matter line of a phrasing (or, with ``anchor``, of that anchor's key)."""
    try:
        head = split_front_matter(path.read_text(encoding="utf-8"))[0]
    except (OSError, UnicodeDecodeError, ValueError):
        return 1
    return anchor_line(head, text) if anchor else _text_line(head, text)


def anchor_line(head: str, anchor: str) -> int:
    """The front matter line of ``anchor:`` under ``examples:``."""
    for i, line in enumerate(head.splitlines(), start=2):
        if line.strip() == f"{anchor}:":
            return i
    return _field_line(head, "examples")


def _text_line(head: str, text: str) -> int:
    """The front matter line that holds ``text`` (for editors' error messages)."""
    for i, line in enumerate(head.splitlines(), start=2):
        if text in line:
            return i
    return _field_line(head, "examples")


def load_guide(path: Path, problems: Problems, renders: RenderCache | None = None) -> Guide | None:
    slug = path.stem
    if not SLUG_RE.fullmatch(slug):
        problems.add(path, 0, f"文件名 {slug!r} 不是合法的 slug（只用小写字母、数字和 -）")
        return None
    renders = renders or RenderCache(None)
    try:
        stat = renders.stat(path)
        key = renders.unchanged(stat)
        if key is None:
            text = path.read_text(encoding="utf-8")
            key = renders.key(text)
        renders.remember(stat, key)
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

    lists = renders.checked(key) or _front_matter_problems(path, head, meta, problems)
    if lists is None:
        return None
    updated, reviewed, order = meta.get("updated"), meta.get("reviewed"), meta.get("order", 100)

    rendered = renders.render(key, head, meta, body_line, body, lists)
    examples = section_examples(meta) if "examples" in meta else ()
    anchors = {section.anchor for section in rendered.sections} if examples else set()
    unknown = [anchor for anchor, _ in examples if anchor not in anchors]
    for anchor in unknown:
        problems.add(
            path, anchor_line(head, anchor), f"examples 里的小节 #{anchor} 在这篇指南里不存在"
        )
    if unknown:
        return None
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
        examples=examples,
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


def load_categories(path: Path, problems: Problems) -> dict[str, Category]:
    data = yaml_lines.read(path, problems)
    entries = data.get("categories") if isinstance(data, dict) else None
    if data is not None and not isinstance(entries, list):
        problems.add(path, 1, "categories.yaml 应有一个 categories: 列表")
    categories: dict[str, Category] = {}
    for index, entry in enumerate(entries or []):
        if not isinstance(entry, dict) or not SLUG_RE.fullmatch(str(entry.get("id", ""))):
            problems.add(path, line_of(entry), f"第 {index + 1} 个分类的 id 缺失或不合法")
            continue
        if not entry.get("title"):
            problems.add(path, line_of(entry, "id"), f"分类 {entry['id']} 缺少 title")
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


def load_synonyms(path: Path, problems: Problems) -> tuple[frozenset[str], ...]:
    if not path.exists():
        return ()
    data = yaml_lines.read(path, problems)
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
            problems.add(
                path,
                line_of(data.get("groups")) + index + 1,
                f"第 {index + 1} 组同义词至少要有两个词：{group!r}",
            )
            continue
        result.append(frozenset(words))
    return tuple(result)


# An English word or phrase read as Chinese: letters, digits and single spaces, one letter at least.
_ENGLISH = re.compile(r"^[a-z0-9]+(?: [a-z0-9]+)*$")
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def load_readings(path: Path, problems: Problems) -> tuple[tuple[str, str], ...] | None:
    """synonyms.yaml's ``english:`` map: English words search and the assistant read as the
    Chinese beside them ("sms code: 验证码"), longest first so a phrase wins over its words.
    None when the file cannot be read at all (``load_synonyms`` reports why)."""
    if not path.exists():
        return ()
    data, found = yaml_lines.load(path)
    if data is None and found:
        return None
    english = data.get("english") if isinstance(data, dict) else None
    if english is None:
        return ()
    if not isinstance(english, dict):
        problems.add(path, line_of(data, "english"), "english: 应是“英文: 中文”的对照表")
        return ()
    result: dict[str, str] = {}
    written: dict[str, str] = {}  # without spaces: "sign in" and "signin" are one phrase
    for key, value in english.items():
        words = " ".join(str(key).lower().split())
        joined = words.replace(" ", "")
        line = line_of(english, key)
        if key in ("True", "False"):  # YAML reads a bare no, yes, on or off as true or false
            problems.add(path, line, f'english: 里的 {key!r} 要加引号，比如 "no": 没')
        elif not _ENGLISH.fullmatch(words) or not re.search(r"[a-z]", words):
            problems.add(path, line, f"english: 里的 {key!r} 应是英文字母、数字和空格")
        elif not isinstance(value, str) or not _CHINESE.search(value):
            problems.add(path, line, f"english: 里 {key!r} 的读法应是中文：{value!r}")
        elif joined in written:
            problems.add(path, line, f"english: 里的 {key!r} 和 {written[joined]!r} 重复")
        else:
            result[words] = value.strip()
            written[joined] = str(key)
    return tuple(sorted(result.items(), key=lambda kv: (-len(kv[0]), kv[0])))


# The file each loaded part comes from, where it is not the part's own name.
_FILES = {"channels": "contacts", "readings": "synonyms"}


@collector_paused
def load_library(
    root: Path, previous: Library | None = None, *, keep_renders: bool = True
) -> Library:
    """Read everything under root. With ``previous`` (the library being replaced), a file that
    is broken now (an editor's half-written save, a YAML slip) keeps its last good version;
    the problem is still reported, so the check and /healthz name it. ``keep_renders=False``
    (a draft checked in a scratch copy) reads the kept renders but writes none back."""
    problems = Problems()
    loaded: dict[str, Any] = {}
    for name, loader, kept in (
        ("categories", load_categories, previous and previous.categories),
        ("channels", load_channels, previous and previous.channels),
        ("synonyms", load_synonyms, previous and previous.synonyms),
        ("readings", load_readings, previous and previous.readings),
    ):
        path = root / f"{_FILES.get(name, name)}.yaml"
        mark = len(problems.items)
        loaded[name] = loader(path, problems)
        if kept and (problems.failed(path, mark) or loaded[name] is None):
            loaded[name] = kept
            problems.items.append(last_good.note(path))
    categories, channels, synonyms = loaded["categories"], loaded["channels"], loaded["synonyms"]
    readings = loaded["readings"] or ()
    kept_guides = {g.path: g for g in previous.guides.values()} if previous else {}
    renders = RenderCache(render_folder())
    guides: dict[str, Guide] = {}
    for path in sorted((root / "guides").glob("*.md"), key=lambda path: path.name):
        try:
            guide = load_guide(path, problems, renders)
        except Exception as exc:  # one file's fault stays with that file (a folder, gone…)
            problems.add(path, 0, unreadable(exc))
            guide = None
        if guide is None and path in kept_guides:
            guide = kept_guides[path]
            problems.items.append(last_good.note(path))
        if guide is not None:
            guides[guide.slug] = guide
    aliases: dict[str, str] = {}
    _examples_once(guides, problems)
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
    if keep_renders:
        renders.save()
    if renders.rendered:
        # Markdown leaves cycles (a few KB a guide): with the collector paused, and frozen once
        # warm-up ends (helpcenter/wsgi.py), they would stay for good. 0.14 s after 13 s of
        # rendering 5,000 guides; nothing when every body came from the render cache.
        gc.collect()
    return Library(
        root=root,
        guides=guides,
        aliases=aliases,
        categories=categories,
        channels=channels,
        synonyms=synonyms,
        readings=readings,
        errors=tuple(problems.items),
        version=_version(root, renders.seen, problems.items),
    )


def _examples_once(guides: dict[str, Guide], problems: Problems) -> None:
    """A phrasing belongs to one section of one guide."""
    claimed: dict[str, str] = {}  # example -> "slug#anchor" that claims it
    for guide in guides.values():
        for anchor, texts in guide.examples:
            for text in texts:
                where = claimed.setdefault(example_key(text), f"{guide.slug}#{anchor}")
                if where != f"{guide.slug}#{anchor}":
                    problems.add(
                        guide.path,
                        line_in_file(guide.path, text),
                        f"examples 里的例句“{text}”也写在指南 {where}，一句话只能属于一个小节",
                    )


def _version(root: Path, guide_digests: list[tuple[str, str]], problems: list[Problem] = ()) -> str:
    """The files as read, and what was wrong with them: a folder named x.md or an unreadable
    file changes no text but is a different state of the content (the check is cached by it)."""
    digest = hashlib.sha256()
    # The small files, read again (a few KB each), and the assistant's examples (2 MB, 3 ms).
    for path in sorted(root.glob("*.y*ml")) + sorted(root.glob("examples/*.y*ml")):
        digest.update(path.relative_to(root).as_posix().encode())
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    for name, text_digest in sorted(guide_digests):
        digest.update(f"{name}\x1f{text_digest}\x1e".encode())
    for problem in problems:
        digest.update(f"{problem.path.name}\x1f{problem.line}\x1f{problem.message}\x1e".encode())
    return digest.hexdigest()[:12]

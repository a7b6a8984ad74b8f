"""The content check: runs in `manage.py check`, at server start in development, and in the tests.

Every problem names the file and line so an editor can fix it without reading code.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import checks
from django.urls import Resolver404, resolve

from guides.content import Guide, Library
from guides.library import get_library
from guides.markup import INVISIBLE, UNSAFE_SCHEMES, unsafe_address
from guides.problems import Problem
from guides.residue import LINK, in_code, residue_problems

logger = logging.getLogger(__name__)

REQUIRED_SECTIONS = ("symptoms", "causes", "when-to-contact", "prevention", "faq")
MIN_SECTIONS = 5
ASCII_ANCHOR = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# A link, image, reference definition or attribute whose address runs code: an error, and
# guides.markup drops it from the page.
UNSAFE_LINK = re.compile(
    r"(?:\]\(\s*<?|^\s*\[[^\]]+\]:\s*<?|=\s*[\"']?|<)\s*(" + "|".join(UNSAFE_SCHEMES) + r")\s*:",
    re.IGNORECASE,
)


def _source_lines(guide: Guide) -> list[str]:
    """The guide's file as it is now. A guide kept at its last good version may have a broken
    file (not UTF-8, unreadable, gone): the loader has reported that; check what can be read."""
    try:
        return guide.path.read_bytes().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return []


def check_guide(guide: Guide, library: Library) -> list[Problem]:
    problems: list[Problem] = []
    anchors = {s.anchor for s in guide.sections}
    for anchor in REQUIRED_SECTIONS:
        if anchor not in anchors:
            problems.append(Problem(guide.path, guide.body_line, f"缺少必备的一节 {{#{anchor}}}"))
    h2 = [s for s in guide.sections if s.level == 2]
    if len(h2) < MIN_SECTIONS:
        problems.append(
            Problem(
                guide.path, guide.body_line, f"只有 {len(h2)} 个 ## 小节，至少要 {MIN_SECTIONS} 个"
            )
        )
    for section in guide.sections:
        if not ASCII_ANCHOR.fullmatch(section.anchor):
            line = _line_of(guide, section.title)
            problems.append(
                Problem(
                    guide.path,
                    line,
                    f"标题“{section.title}”没有英文锚点，"
                    f"请写成 “## {section.title} {{#english-id}}”，"
                    "否则改标题时链接会失效",
                    serious=False,
                )
            )

    lines = _source_lines(guide)
    body = lines[guide.body_line - 1 :]
    # No residue pattern crosses a line, and taking out link targets or code lines only removes
    # text: a body clean as a whole is clean line by line (one scan instead of one per line).
    clean = not residue_problems(guide.path, 0, "\n".join(body), place="指南里")
    for number, line in enumerate(body, start=guide.body_line):
        unsafe = UNSAFE_LINK.search(INVISIBLE.sub("", html.unescape(html.unescape(line))))
        if unsafe:
            problems.append(
                Problem(
                    guide.path,
                    number,
                    f"不安全的链接（{unsafe.group(1).lower()}:）：网站不会发布它，请删掉",
                )
            )
        for match in LINK.finditer(line):
            if unsafe_address(match.group(1)):
                continue  # reported above
            message = _check_link(match.group(1), guide, library)
            if message:
                problems.append(Problem(guide.path, number, message))
        if clean:
            continue
        problems.extend(
            residue_problems(
                guide.path,
                number,
                LINK.sub("]()", line),
                place="指南里",
                phones=not in_code(line),
            )
        )
    return problems


def _line_of(guide: Guide, text: str) -> int:
    lines = _source_lines(guide)
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("#") and text in line:
            return number
    return guide.body_line


def _check_link(target: str, guide: Guide, library: Library) -> str | None:
    parts = urlsplit(target)
    if parts.scheme in ("http", "https") or target.startswith("//"):
        return f"指南里不能链接外部网址（{target[:60]}）：需要时放到 contacts.yaml"
    if parts.scheme == "tel" or parts.scheme == "mailto":
        return f"指南里不能写联系方式链接（{target[:60]}）：放到 contacts.yaml"
    if parts.scheme:
        return f"不支持的链接 {target[:60]}"
    path, anchor = unquote(parts.path), unquote(parts.fragment)
    if not path:  # "#anchor" in the same guide
        return None if anchor in {s.anchor for s in guide.sections} else f"本页没有锚点 #{anchor}"
    try:
        match = resolve(path)
    except Resolver404:
        return f"站内链接 {target[:60]} 指向不存在的页面（应是 /guides/<slug>/#<锚点>）"
    # Other apps check their own pages (codes.yaml's cards, the assistant's paths).
    if match.view_name == "guides:guide":
        found = library.link(match.kwargs["slug"], anchor)
        if found.renamed_from:
            return f"链接用了旧地址 {found.renamed_from}，请改成 {found.guide.slug}"
        if found.guide is None:
            return f"链接的{found.problem}"
        if found.problem:
            return found.problem
    if (
        match.view_name == "guides:category"
        and match.kwargs["category_id"] not in library.categories
    ):
        return f"分类 {match.kwargs['category_id']} 不存在"
    return None


def content_today() -> dt.date:
    return dt.datetime.now(ZoneInfo(settings.CONTENT_TIME_ZONE)).date()


def overdue_reviews(library: Library, *, today: dt.date | None = None) -> list[Guide]:
    """Guides never reviewed, or last reviewed more than CONTENT_REVIEW_DAYS ago; oldest first."""
    cutoff = (today or content_today()) - dt.timedelta(days=settings.CONTENT_REVIEW_DAYS)
    overdue = [g for g in library.guides.values() if g.reviewed is None or g.reviewed < cutoff]
    return sorted(overdue, key=lambda g: (g.reviewed or dt.date.min, g.slug))


def _review_problem(guide: Guide) -> Problem:
    # A warning, not an error: an old review does not make a guide wrong, only unchecked.
    lines = _source_lines(guide)[: guide.body_line]
    line = next((n for n, text in enumerate(lines, 1) if text.startswith("reviewed:")), 2)
    if guide.reviewed is None:
        message = "没有写 reviewed（最近核实日期）：核实内容后在 front matter 写 reviewed: 日期"
    else:
        message = (
            f"最近核实是 {guide.reviewed:%Y-%m-%d}，已超过 {settings.CONTENT_REVIEW_DAYS} 天："
            "请重新核实内容，再更新 reviewed"
        )
    return Problem(guide.path, line, message, serious=False)


def check_library(library: Library, *, today: dt.date | None = None) -> list[Problem]:
    problems = [Problem(e.path, e.line, e.message) for e in library.errors]
    for guide in library.guides.values():
        problems.extend(check_guide(guide, library))
    problems.extend(_review_problem(g) for g in overdue_reviews(library, today=today))
    seen: dict[str, int] = {}
    for index, group in enumerate(library.synonyms):
        for word in group:
            if word in seen and seen[word] != index:
                problems.append(
                    Problem(
                        library.root / "synonyms.yaml",
                        0,
                        f"“{word}”同时出现在第 {seen[word] + 1} 组和第 {index + 1} 组同义词里",
                        serious=False,
                    )
                )
            seen.setdefault(word, index)
    if not library.guides:
        problems.append(Problem(library.root / "guides", 0, "一篇指南也没有加载到"))
    return problems


@checks.register("content")
def content_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [
        p.as_check("helpcenter.E001" if p.serious else "helpcenter.W001")
        for p in check_library(get_library())
    ]

"""The help center's content as plain frozen dataclasses: guides, categories and the library.

Everything under ``CONTENT_DIR`` is read once into a frozen ``Library`` (``guides.loading``),
rendered once, and read again only when a file there changes (``guides.library``). Slugs are
looked up in the loaded index, never joined onto a path.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guides import markup
from guides.channels import FALLBACK_CHANNELS, Channel
from guides.problems import Problem


def collector_paused[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    """Run a bulk load with Python's cyclic garbage collector paused.

    Loading makes hundreds of thousands of objects that all stay alive; the collector,
    triggered by the allocations, would walk them again and again for nothing. At 5,000 guides
    that was 100-170 ms of a new process's 1.05-1.09 s start (bench_search.py). Reference
    counting still frees what is dropped; the cycles Markdown leaves (a few KB a guide rendered)
    are collected at the end of a load that rendered (guides/loading.py).
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
    # Phrasings merchants use for the problem a section answers: (anchor, phrasings), in the
    # order of the front matter's ``examples:``. The assistant's reader learns from them.
    examples: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def url(self) -> str:
        # The one place a guide's URL is written (guides/urls.py routes it); reverse() would cost
        # a second at start-up for 5,000 guides' sections.
        return f"/guides/{self.slug}/"

    def section(self, anchor: str) -> markup.Section | None:
        return next((s for s in self.sections if s.anchor == anchor), None)


@dataclass(frozen=True, slots=True)
class SectionLink:
    """Where a link to /guides/<slug>/#<anchor> lands, or why it does not (``problem``)."""

    guide: Guide | None
    section: markup.Section | None
    problem: str = ""  # in Chinese, for the editor; "" when the link is good
    renamed_from: str = ""  # the old slug, when the link used an alias

    @property
    def url(self) -> str:
        if self.guide is None:
            return ""
        return f"{self.guide.url}#{self.section.anchor}" if self.section else self.guide.url


@dataclass(frozen=True, slots=True)
class Library:
    root: Path
    guides: dict[str, Guide]
    aliases: dict[str, str]  # old slug -> current slug
    categories: dict[str, Category]
    channels: dict[str, Channel]
    synonyms: tuple[frozenset[str], ...]
    readings: tuple[tuple[str, str], ...]  # English read as Chinese, longest first
    errors: tuple[Problem, ...]
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # A digest of every content file as read: the same files give the same version anywhere.
    version: str = ""

    def derive(self, key: str, build: Callable[[Library], Any]) -> Any:
        """Build something from this library once (search index, triage tree) and keep it."""
        try:
            return self.memo[key]
        except KeyError:
            value = self.memo[key] = collector_paused(build)(self)
            return value

    def channels_for(self, ids: tuple[str, ...] | list[str] = FALLBACK_CHANNELS) -> list[Channel]:
        """The channels named (by default whoever runs the terminal), in that order; unknown ids
        are left out (the check names them)."""
        return [self.channels[i] for i in ids if i in self.channels]

    def popular(self, count: int = 6) -> list[Guide]:
        """The first guides of the first categories: what home leads with."""
        return [g for c in self.ordered_categories() for g in self.guides_in(c.id)][:count]

    def link(self, slug: str, anchor: str = "") -> SectionLink:
        """Resolve a guide and section named in content (the check, codes.yaml, the tree): one
        lookup, one set of messages. An old slug still resolves and says so."""
        renamed_from = ""
        if slug in self.aliases:
            renamed_from, slug = slug, self.aliases[slug]
        guide = self.guides.get(slug)
        if guide is None:
            return SectionLink(None, None, f"指南 {slug} 不存在")
        section = guide.section(anchor) if anchor else None
        if anchor and section is None:
            return SectionLink(guide, None, f"指南 {slug} 里没有锚点 #{anchor}", renamed_from)
        return SectionLink(guide, section, "", renamed_from)

    def guides_in(self, category_id: str) -> list[Guide]:
        return sorted(
            (g for g in self.guides.values() if g.category == category_id),
            key=lambda g: (g.order, g.title),
        )

    def ordered_categories(self) -> list[Category]:
        return sorted(self.categories.values(), key=lambda c: (c.order, c.title))

"""The one Markdown pipeline: guide Markdown in, HTML and its sections out.

Trust boundary. The Markdown under ``content/`` is committed by editors and reviewed, so it
is trusted to choose structure (headings, lists, tables, admonitions, links). It is not
trusted to carry raw HTML: editors paste from the web, and a pasted ``<script>`` or tracking
pixel must not reach a merchant. Raw HTML blocks and inline tags are therefore escaped and
shown as text, never rendered. Links and images whose address would run code or smuggle a
document (``javascript:``, ``vbscript:``, ``data:``, however cased, spaced or entity-encoded),
and ``on…`` attributes set through ``{: …}``, are dropped from the HTML; the content check
reports them as errors. Nothing a visitor sends ever passes through here: search
queries and triage input are escaped by Django's templates (or, for highlighted snippets, by
``search.snippets.highlight``, which escapes before it marks).
"""

from __future__ import annotations

import html
import re
import threading
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
from markdown.extensions.toc import TocExtension, slugify_unicode
from markdown.treeprocessors import Treeprocessor

HEADINGS = {"h2": 2, "h3": 3}


@dataclass(frozen=True, slots=True)
class Section:
    anchor: str
    title: str
    level: int
    text: str  # plain text of what follows the heading, up to the next h2/h3


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    sections: tuple[Section, ...]


class _SectionCollector(Treeprocessor):
    """Runs after toc: gives each h2/h3 a "copy link" anchor and collects section text."""

    def run(self, root: etree.Element) -> None:
        sections: list[list] = []
        for element in root:
            level = HEADINGS.get(element.tag)
            if level and element.get("id"):
                title = "".join(element.itertext()).strip()
                sections.append([element.get("id"), title, level, []])
                link = etree.SubElement(element, "a")
                link.set("class", "heading-link")
                link.set("href", f"#{element.get('id')}")
                link.set("aria-label", f"复制本节链接：{title}")
                link.set("data-copy-link", "")
                link.text = "#"
            elif sections:
                sections[-1][3].append(" ".join("".join(element.itertext()).split()))
        self.md.collected_sections = tuple(
            Section(anchor, title, level, " ".join(t for t in texts if t))
            for anchor, title, level, texts in sections
        )


UNSAFE_SCHEMES = ("javascript", "vbscript", "data")
INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def unsafe_address(value: str) -> bool:
    """Would a browser run (or open as a document) this link or image address?"""
    folded = INVISIBLE.sub("", html.unescape(html.unescape(value))).lower()
    return folded.startswith(tuple(f"{scheme}:" for scheme in UNSAFE_SCHEMES))


class _UnsafeLinks(Treeprocessor):
    """Drops addresses that run code and event-handler attributes (see the module docstring)."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for name, value in list(element.attrib.items()):
                if name.lower().startswith("on") or (
                    name.lower() in ("href", "src", "action", "formaction", "xlink:href")
                    and unsafe_address(value)
                ):
                    del element.attrib[name]


class _Sections(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_SectionCollector(md), "help_sections", 1)
        # After inline links and attr_list have set every attribute.
        md.treeprocessors.register(_UnsafeLinks(md), "help_unsafe_links", 0)
        # Raw HTML is escaped, not rendered (see the module docstring).
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[
            "tables",
            "admonition",
            "attr_list",
            "sane_lists",
            "fenced_code",
            TocExtension(slugify=slugify_unicode, toc_depth="2-3"),
            _Sections(),
        ],
        output_format="html",
    )


# One converter per thread, reset before each document: building a converter (its extensions'
# registries) costs more than many a guide's conversion, and each one left behind is a
# reference cycle for the garbage collector. reset() clears what a document leaves behind
# (the HTML stash, link references, the table of contents); heading ids are made unique per
# document by the toc extension itself.
_converters = threading.local()


def render(text: str) -> Rendered:
    md = getattr(_converters, "md", None)
    if md is None:
        md = _converters.md = _markdown()
    md.reset()
    md.collected_sections = ()
    html = md.convert(text)
    return Rendered(html=html, sections=md.collected_sections)

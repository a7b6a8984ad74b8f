"""The codes check: runs with `manage.py check`, next to the content check.

Errors: what the loader could not use (missing fields, duplicate codes, bad links), phone
numbers or URLs in codes.yaml, and links to /codes/<code>/ (from guides or the assistant's
outcomes) whose code is not in codes.yaml. A warning: a guide line that names a known code
("交易失败 03", "返回码 A0") without linking its page, so a merchant reading a guide is one tap
from the card.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.core import checks

from codes.content import CodeBook, get_codebook
from guides.content import Library
from guides.library import get_library
from guides.problems import Problem
from guides.residue import LINK, residue_problems

_CODE = r"(?:[0-9]{2}|[A-Za-z][0-9])"
# A code named in a guide: a cue word, then one code or a list ("返回码 12、22、25").
MENTION = re.compile(
    rf"(?:返回码|应答码|错误码|响应码|代码|交易失败)\s*[：:“\"「（(]?\s*"
    rf"({_CODE}(?:\s*[、/,，和或]\s*{_CODE})*)(?![0-9A-Za-z])"
)
CODE_LINK = re.compile(r"^/codes/([^/]+)/$")


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def check_codebook(book: CodeBook) -> list[Problem]:
    problems = list(book.problems)
    for number, line in enumerate(_lines(book.source), start=1):
        problems += residue_problems(book.source, number, line, place="这里")
    return problems


def check_guides(library: Library, book: CodeBook) -> list[Problem]:
    problems = []
    for guide in library.guides.values():
        lines = _lines(guide.path)
        for number, line in enumerate(lines[guide.body_line - 1 :], start=guide.body_line):
            if line.startswith(("    ", "\t", "```", "#")):
                continue
            linked = set()
            for match in LINK.finditer(line):
                target = match.group(1).split("#", 1)[0]
                found = CODE_LINK.match(target)
                if not found:
                    continue
                code = found.group(1)
                if book.get(code) is None:
                    problems.append(
                        Problem(guide.path, number, f"链接的返回码 {code} 不在 codes.yaml 里")
                    )
                linked.add(code)
            for match in MENTION.finditer(line):
                for code in re.findall(_CODE, match.group(1)):
                    code = code.upper()
                    if book.get(code) is not None and code not in linked:
                        problems.append(
                            Problem(
                                guide.path,
                                number,
                                f"提到了返回码 {code}，请链接它的页面：[{code}](/codes/{code}/)",
                                serious=False,
                            )
                        )
    return problems


def codes_problems(library: Library) -> list[Problem]:
    book = get_codebook(library)
    return [
        *check_codebook(book),
        *check_guides(library, book),
    ]


@checks.register("content")
def codes_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [
        p.as_check("codes.E001" if p.serious else "codes.W001")
        for p in codes_problems(get_library())
    ]

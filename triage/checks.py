"""The triage tree check: runs with `manage.py check`, next to the content check.

Each message names the file, the line and the question or outcome, so an editor can fix the
tree without reading code. Like guides and codes.yaml, the tree may not carry phone numbers,
URLs or leftovers of the scraped sources.
"""

from __future__ import annotations

import re

from django.core import checks

from codes.content import CODE_RE, CodeBook, get_codebook
from guides.content import Library
from guides.library import get_library
from guides.problems import Problem, display_path
from guides.residue import residue_problems
from triage import flow
from triage.loading import get_tree

IDENTIFIER = re.compile(r"(?<![\w-])[a-z]+(?:-[a-z0-9]+)+(?![\w-])")


def tree_messages(tree: flow.Tree) -> list[checks.CheckMessage]:
    # A problem is about triage.yaml, an examples file, or a guide's section examples (its path).
    messages = [
        checks.Error(
            f"{display_path(problem.path)}:{problem.line}: {problem.message}", id="triage.E001"
        )
        for problem in tree.problems
    ]
    # What the assistant says is published as much as a guide: no numbers or URLs there either,
    # nor in the phrasings it learns from (editors copy them from what merchants typed).
    for source in (tree.source, *tree.examples_sources):
        try:
            # Ids such as the channel anti-fraud-96110 name things; they are not published text.
            text = IDENTIFIER.sub(" ", source.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue  # the loader has already said so
        # No pattern crosses a line, so a clean file is clean line by line: one scan of the
        # whole file spares 50,000 line scans (an editor's preview runs this on every pause).
        if not residue_problems(source, 0, text, place="这里"):
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            messages += [
                problem.as_check("triage.E002")
                for problem in residue_problems(source, number, line, place="这里")
            ]
    return messages


def response_code_problems(library: Library, book: CodeBook) -> list[Problem]:
    """The assistant's outcomes may list typical codes (response_codes); each must exist."""
    tree = get_tree(library)
    problems = []
    for outcome in tree.outcomes.values():
        for code in getattr(outcome, "response_codes", ()):
            if not CODE_RE.fullmatch(code) or book.get(code) is None:
                problems.append(
                    Problem(
                        tree.source,
                        outcome.line,
                        f"结果 {outcome.id}：返回码 {code} 不在 codes.yaml 里",
                    )
                )
    return problems


@checks.register("content")
def triage_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    library = get_library()
    messages = tree_messages(get_tree(library))
    book = get_codebook(library)
    return messages + [p.as_check("codes.E001") for p in response_code_problems(library, book)]

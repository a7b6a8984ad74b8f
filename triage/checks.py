"""The triage tree check: runs with `manage.py check`, next to the content check.

Each message names the file, the line and the question or outcome, so an editor can fix the
tree without reading code. Like guides and codes.yaml, the tree may not carry phone numbers,
URLs or leftovers of the scraped sources.
"""

from __future__ import annotations

import re

from django.core import checks

from helpcenter.checks import display_path, residue_problems
from helpcenter.content import get_library
from triage import flow

IDENTIFIER = re.compile(r"(?<![\w-])[a-z]+(?:-[a-z0-9]+)+(?![\w-])")


def tree_messages(tree: flow.Tree) -> list[checks.CheckMessage]:
    where = display_path(tree.source)
    messages = [
        checks.Error(f"{where}:{problem.line}: {problem.message}", id="triage.E001")
        for problem in tree.problems
    ]
    # What the assistant says is published as much as a guide: no numbers or URLs there either.
    try:
        lines = tree.source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []  # the loader has already said so
    for number, line in enumerate(lines, start=1):
        # Ids such as the channel anti-fraud-96110 name things; they are not published text.
        text = IDENTIFIER.sub(" ", line)
        messages += [
            problem.as_check("triage.E002")
            for problem in residue_problems(tree.source, number, text, place="这里")
        ]
    return messages


@checks.register("content")
def triage_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return tree_messages(flow.get_tree(get_library()))

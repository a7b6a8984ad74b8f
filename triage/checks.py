"""The triage tree check: runs with `manage.py check`, next to the content check.

Each message names the file, the line and the question or outcome, so an editor can fix the
tree without reading code.
"""

from __future__ import annotations

from django.core import checks

from helpcenter.checks import display_path
from helpcenter.content import get_library
from triage import flow


def tree_messages(tree: flow.Tree) -> list[checks.CheckMessage]:
    where = display_path(tree.source)
    return [
        checks.Error(f"{where}:{problem.line}: {problem.message}", id="triage.E001")
        for problem in tree.problems
    ]


@checks.register("content")
def triage_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return tree_messages(flow.get_tree(get_library()))

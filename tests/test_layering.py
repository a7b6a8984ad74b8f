"""The shape of the code: which package may import which, and how big a module may grow.

The project package (helpcenter) holds configuration and the site-wide HTTP policy; only its
root URLconf names the apps. Search knows documents, not the apps that register them. No two
packages import each other, directly or around a circle. Each rule is checked on the real tree
and shown to fail on a small tree that breaks it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIPPED = {"tests", "bench", "migrations", "node_modules", "staticfiles", "var", "content"}
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def packages(root: Path) -> dict[str, list[Path]]:
    """Top-level packages of the project (folders with __init__.py) and their modules."""
    found = {}
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and (folder / "__init__.py").exists() and folder.name not in SKIPPED:
            found[folder.name] = [
                path
                for path in sorted(folder.rglob("*.py"))
                if not SKIPPED.intersection(path.relative_to(root).parts)
            ]
    return found


def imported_packages(path: Path) -> set[str]:
    """First names of every absolute import in a module, at any depth (also in functions)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def layering_problems(root: Path) -> list[str]:
    found = packages(root)
    apps = set(found) - {"helpcenter"}
    problems = []
    graph: dict[str, set[str]] = {name: set() for name in found}
    for package, modules in found.items():
        for path in modules:
            where = path.relative_to(root).as_posix()
            uses = (imported_packages(path) & set(found)) - {package}
            if package == "helpcenter":
                if where != "helpcenter/urls.py" and uses & apps:
                    problems.append(f"{where} imports {sorted(uses & apps)}: only urls.py may")
                continue  # the root URLconf naming the apps is no dependency of theirs
            if package == "search" and uses - {"helpcenter"}:
                problems.append(
                    f"{where} imports {sorted(uses - {'helpcenter'})}: search imports no app"
                )
            graph[package].update(uses)
    problems += [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(graph)]
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each package that is on one (depth-first search)."""
    found, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append([*trail[trail.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def size_problems(root: Path) -> list[str]:
    problems = []
    for modules in packages(root).values():
        for path in modules:
            text = path.read_text(encoding="utf-8")
            where = path.relative_to(root).as_posix()
            if len(text.splitlines()) > MAX_MODULE_LINES:
                problems.append(f"{where}: {len(text.splitlines())} lines")
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = node.end_lineno - node.lineno + 1
                    if length > MAX_FUNCTION_LINES:
                        problems.append(f"{where}: {node.name} is {length} lines")
    return problems


def test_no_package_imports_the_wrong_way():
    assert layering_problems(ROOT) == []


def test_no_module_or_function_is_too_big_to_hold_one_idea():
    assert size_problems(ROOT) == []


def test_the_project_package_is_configuration_not_domain():
    # About 1,200 lines (issue 17): settings, urls, wsgi, middleware, error pages and the
    # site-wide HTTP policy. More means domain code has crept in; move it to its app.
    lines = sum(len(p.read_text().splitlines()) for p in packages(ROOT)["helpcenter"])
    assert lines <= 1250, lines


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in {"helpcenter/__init__.py": "", "helpcenter/urls.py": "", **files}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"guides/__init__.py": "", "helpcenter/caching.py": "from guides import content\n"},
            "helpcenter/caching.py imports ['guides']: only urls.py may",
        ),
        (
            {"search/__init__.py": "", "guides/__init__.py": "", "search/q.py": "import guides\n"},
            "search/q.py imports ['guides']: search imports no app",
        ),
        (
            {
                "codes/__init__.py": "",
                "triage/__init__.py": "",
                "codes/views.py": "def f():\n    from triage import flow\n",
                "triage/views.py": "from codes.content import get_codebook\n",
            },
            "import cycle: codes -> triage -> codes",
        ),
    ],
)
def test_the_layering_check_finds_a_wrong_way_import(tmp_path, files, expected):
    assert expected in layering_problems(_tree(tmp_path, files))


def test_the_layering_check_accepts_the_root_urlconf_naming_apps(tmp_path):
    root = _tree(tmp_path, {"guides/__init__.py": "", "helpcenter/urls.py": "import guides\n"})
    assert layering_problems(root) == []


def test_the_size_check_finds_a_long_function(tmp_path):
    body = "\n".join(f"    x{n} = {n}" for n in range(MAX_FUNCTION_LINES))
    root = _tree(tmp_path, {"guides/__init__.py": "", "guides/long.py": f"def f():\n{body}\n"})
    assert size_problems(root) == [f"guides/long.py: f is {MAX_FUNCTION_LINES + 1} lines"]

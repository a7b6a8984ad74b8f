"""YAML with line numbers, for the content files whose mistakes editors fix by line.

Every mapping remembers its line, the line of each key, and each value as written (so a code
written 03 is still "03" where YAML reads the number 3). Loading never raises: what is wrong
with the file comes back as (line, message) pairs, in Chinese, for the content check.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from guides.problems import Problems


class LineMapping(dict):
    """A YAML mapping that remembers its line, each key's line and each value as written."""

    line: int = 0
    key_lines: dict[str, int]
    written: dict[str, Any]


# libyaml's parser when PyYAML has it: several times faster, and it keeps the same marks.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    duplicates: list[tuple[str, int]]


def _as_written(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_as_written(child) for child in node.value]
    return None


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineMapping:
    loader.flatten_mapping(node)
    mapping = LineMapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    mapping.written = {}
    for key_node, value_node in node.value:
        key = str(loader.construct_object(key_node, deep=True))  # an id like 404 or yes
        line = key_node.start_mark.line + 1
        if key in mapping:
            # Plain YAML keeps the last of two same-named nodes without a word; an editor who
            # copied a block would lose one silently.
            loader.duplicates.append((key, line))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
        mapping.written[key] = _as_written(value_node)
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse(text: str) -> tuple[Any, list[tuple[str, int]]]:
    """The data, and the (key, line) of every key written twice in one mapping."""
    loader = _Loader(text)
    loader.duplicates = []
    try:
        return loader.get_single_data(), loader.duplicates
    finally:
        loader.dispose()


def load(path: Path) -> tuple[Any, list[tuple[int, str]]]:
    """The file's data (None when it cannot be read) and its problems as (line, message)."""
    try:
        data, duplicates = parse(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [(0, "文件不存在")]
    except UnicodeDecodeError:
        return None, [(0, "文件不是 UTF-8 编码")]
    except OSError as exc:  # a folder of that name, no permission to read it
        return None, [(0, f"读不了这个文件（{type(exc).__name__}）")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # The first line of PyYAML's message says what it expected; the rest repeats the mark.
        what = " ".join(
            filter(None, (getattr(exc, "context", None), getattr(exc, "problem", None)))
        )
        return None, [((mark.line + 1) if mark else 0, f"YAML 格式错误：{what or exc}")]
    return data, [(line, f"{key} 写了两次（后一个会覆盖前一个）") for key, line in duplicates]


def line_of(mapping: Any, key: str | None = None) -> int:
    """The line of a mapping, or of one of its keys; 0 when unknown."""
    if isinstance(mapping, LineMapping):
        return mapping.key_lines.get(key, mapping.line) if key else mapping.line
    return 0


def read(path: Path, problems: Problems) -> Any:
    """``load``, with what is wrong added to ``problems`` (the content check names each)."""
    data, found = load(path)
    for line, message in found:
        problems.add(path, line, message)
    return data

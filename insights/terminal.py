"""Plain-text tables for the management commands (Chinese takes two columns in a terminal)."""

from __future__ import annotations

import argparse
import datetime as dt
import unicodedata
from collections.abc import Sequence


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期 {value!r} 应写成 YYYY-MM-DD") from None


def positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} 应是正整数")
    return int(value)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Lines of an aligned table; the last column is left ragged."""
    lines = [headers, *rows]
    widths = [max(display_width(row[i]) for row in lines) for i in range(len(headers) - 1)]
    return [
        "  ".join([*(pad(c, w) for c, w in zip(row, widths, strict=False)), row[-1]]).rstrip()
        for row in lines
    ]

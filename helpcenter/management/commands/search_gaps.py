"""List searches that found nothing, most frequent first: the guides editors should write."""

from __future__ import annotations

import argparse
import datetime as dt
import unicodedata

from django.core.management.base import BaseCommand
from django.utils import timezone

from helpcenter.models import SearchGap

HEADERS = ("次数", "最近出现", "首次出现", "查询")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期 {value!r} 应写成 YYYY-MM-DD") from None


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"条数 {value!r} 应是正整数")
    return int(value)


def display_width(text: str) -> int:
    # Chinese characters take two columns in a terminal; padding by len() misaligns them.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


class Command(BaseCommand):
    help = "列出没有搜索结果的查询，最常见的在前。"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--limit", type=_positive, default=50, help="最多列出几条（默认 50）")
        parser.add_argument(
            "--since", type=_date, help="只列出这一天（YYYY-MM-DD，北京时间）以后还出现过的查询"
        )

    def handle(self, *args, limit: int, since: dt.date | None, **options) -> None:
        gaps = SearchGap.objects.order_by("-count", "-last_seen", "query")
        if since is not None:
            start = dt.datetime.combine(since, dt.time.min, tzinfo=timezone.get_current_timezone())
            gaps = gaps.filter(last_seen__gte=start)
        rows = [
            (
                str(gap.count),
                f"{timezone.localtime(gap.last_seen):%Y-%m-%d %H:%M}",
                f"{timezone.localtime(gap.first_seen):%Y-%m-%d %H:%M}",
                gap.query,
            )
            for gap in gaps[:limit]
        ]
        if not rows:
            self.stdout.write("没有记录到无结果的搜索。")
            return
        widths = [max(display_width(row[i]) for row in [HEADERS, *rows]) for i in range(3)]
        for row in [HEADERS, *rows]:
            cells = [pad(cell, width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[3]]).rstrip())

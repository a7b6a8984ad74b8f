"""List searches that found nothing, most frequent first: the guides editors should write."""

from __future__ import annotations

import argparse
import datetime as dt

from django.core.management.base import BaseCommand
from django.db.models import Max, Min, Sum

from insights import events
from insights.models import DailyCount
from insights.terminal import parse_date, positive, table

HEADERS = ("次数", "最近出现", "首次出现", "查询")


class Command(BaseCommand):
    help = "列出没有搜索结果的查询（号码和邮箱已隐去），最常见的在前。"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--limit", type=positive, default=50, help="最多列出几条（默认 50）")
        parser.add_argument(
            "--since", type=parse_date, help="只统计这一天（YYYY-MM-DD，北京时间）以后的搜索"
        )

    def handle(self, *args, limit: int, since: dt.date | None, **options) -> None:
        gaps = DailyCount.objects.filter(kind=events.GAP)
        if since is not None:
            gaps = gaps.filter(day__gte=since)
        totals = (
            gaps.values("item")
            .annotate(total=Sum("count"), first=Min("day"), last=Max("day"))
            .order_by("-total", "-last", "item")[:limit]
        )
        rows = [
            (str(t["total"]), f"{t['last']:%Y-%m-%d}", f"{t['first']:%Y-%m-%d}", t["item"])
            for t in totals
        ]
        if not rows:
            self.stdout.write("没有记录到无结果的搜索。")
            return
        for line in table(HEADERS, rows):
            self.stdout.write(line)

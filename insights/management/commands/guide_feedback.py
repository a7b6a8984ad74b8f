"""Per guide: how many merchants said it helped and how many said it did not, worst first."""

from __future__ import annotations

import argparse
import datetime as dt

from django.core.management.base import BaseCommand
from django.db.models import Sum

from guides.library import get_library
from insights import events
from insights.models import DailyCount
from insights.terminal import parse_date, table

HEADERS = ("没解决", "有帮助", "没解决占比", "指南")


class Command(BaseCommand):
    help = "按指南汇总“这篇指南有帮助吗？”的回答，没解决占比高的在前。"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--since", type=parse_date, help="只统计这一天（YYYY-MM-DD，北京时间）以后的回答"
        )

    def handle(self, *args, since: dt.date | None, **options) -> None:
        votes = DailyCount.objects.filter(kind__in=(events.VOTE_YES, events.VOTE_NO))
        if since is not None:
            votes = votes.filter(day__gte=since)
        counts: dict[str, dict[str, int]] = {}
        for entry in votes.values("item", "kind").annotate(total=Sum("count")):
            counts.setdefault(entry["item"], {})[entry["kind"]] = entry["total"]
        rows = sorted(
            (
                (c.get(events.VOTE_NO, 0), c.get(events.VOTE_YES, 0), slug)
                for slug, c in counts.items()
            ),
            key=lambda r: (-(r[0] / ((r[0] + r[1]) or 1)), -r[0], r[2]),
        )
        if not rows:
            self.stdout.write("还没有收到反馈。")
            return
        guides = get_library().guides
        lines = table(
            HEADERS,
            [
                (
                    str(no),
                    str(yes),
                    f"{no / (no + yes):.0%}",
                    f"{slug}（{guides[slug].title}）" if slug in guides else slug,
                )
                for no, yes, slug in rows
                if no + yes
            ],
        )
        for line in lines:
            self.stdout.write(line)

"""Per guide: how many merchants said it helped and how many said it did not, worst first."""

from __future__ import annotations

import argparse
import datetime as dt

from django.core.management.base import BaseCommand
from django.db.models import Count, Q
from django.utils import timezone

from helpcenter.content import get_library
from helpcenter.management.commands.search_gaps import _date, display_width, pad
from helpcenter.models import GuideFeedback

HEADERS = ("没解决", "有帮助", "没解决占比", "指南")


class Command(BaseCommand):
    help = "按指南汇总“这篇指南有帮助吗？”的回答，没解决占比高的在前。"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--since", type=_date, help="只统计这一天（YYYY-MM-DD）以后的回答")

    def handle(self, *args, since: dt.date | None, **options) -> None:
        answers = GuideFeedback.objects.all()
        if since is not None:
            start = dt.datetime.combine(since, dt.time.min, tzinfo=timezone.get_current_timezone())
            answers = answers.filter(created_at__gte=start)
        totals = answers.values("slug").annotate(
            yes=Count("id", filter=Q(helpful=True)), no=Count("id", filter=Q(helpful=False))
        )
        guides = get_library().guides
        rows = sorted(
            (
                (t["no"], t["yes"], t["no"] / (t["no"] + t["yes"]), t["slug"])
                for t in totals
                if t["no"] + t["yes"]
            ),
            key=lambda row: (-row[2], -row[0], row[3]),
        )
        if not rows:
            self.stdout.write("还没有收到反馈。")
            return
        table = [
            (
                str(no),
                str(yes),
                f"{share:.0%}",
                f"{slug}（{guides[slug].title}）" if slug in guides else slug,
            )
            for no, yes, share, slug in rows
        ]
        widths = [max(display_width(row[i]) for row in [HEADERS, *table]) for i in range(3)]
        for row in [HEADERS, *table]:
            cells = [pad(cell, width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[3]]).rstrip())

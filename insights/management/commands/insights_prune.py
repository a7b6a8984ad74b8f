"""Delete daily counters older than the kept number of days (HELPCENTER_INSIGHTS_KEEP_DAYS)."""

from __future__ import annotations

import argparse
import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from insights.models import DailyCount
from insights.terminal import positive


class Command(BaseCommand):
    help = "删除超过保留天数的每日计数（默认按 HELPCENTER_INSIGHTS_KEEP_DAYS）。"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--days", type=positive, help="保留最近几天（默认见设置 INSIGHTS_KEEP_DAYS）"
        )

    def handle(self, *args, days: int | None, **options) -> None:
        keep = days or settings.INSIGHTS_KEEP_DAYS
        cutoff = timezone.localdate() - dt.timedelta(days=keep - 1)
        deleted, _ = DailyCount.objects.filter(day__lt=cutoff).delete()
        self.stdout.write(f"删除了 {deleted} 条 {cutoff:%Y-%m-%d} 以前的计数，保留最近 {keep} 天。")

"""Print the week in plain Chinese; mail it too when HELPCENTER_INSIGHTS_DIGEST_TO is set."""

from __future__ import annotations

import argparse

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError

from guides.library import get_library
from insights import report
from insights.digest import digest_text
from insights.terminal import positive


class Command(BaseCommand):
    help = "用大白话打印最近一周的情况；设置了收件地址时同时发邮件。"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--days", type=positive, default=7, help="统计最近几天（默认 7）")

    def handle(self, *args, days: int, **options) -> None:
        data = report.build(get_library(), days=days)
        text = digest_text(data)
        self.stdout.write(text, ending="")
        recipients = settings.INSIGHTS_DIGEST_TO
        if not recipients:
            return
        subject = f"{settings.SITE_NAME}：最近 {days} 天小结"
        try:
            send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, recipients)
        except OSError as error:
            raise CommandError(f"邮件没有发出去：{error}") from error
        self.stdout.write(f"已发送给 {'、'.join(recipients)}。")

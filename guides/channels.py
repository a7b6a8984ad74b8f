"""Contact channels (contacts.yaml): who handles what, how to reach them, and their hours."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from guides import yaml_lines
from guides.problems import Problems
from guides.yaml_lines import line_of

# Who to call when nothing more specific is known (the assistant's fallback, search with no
# answer, after 没解决): whoever runs the merchant's terminal.
FALLBACK_CHANNELS = ("provider-hotline", "account-manager")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


@dataclass(frozen=True, slots=True)
class OpeningHours:
    days: frozenset[int]  # 0 = Monday, as datetime.weekday()
    opens: dt.time
    closes: dt.time  # 24:00 is written as time.max

    def covers(self, moment: dt.datetime) -> bool:
        return moment.weekday() in self.days and self.opens <= moment.time() < self.closes


@dataclass(frozen=True, slots=True)
class ChannelStatus:
    known: bool
    open: bool
    label: str


@dataclass(frozen=True, slots=True)
class Channel:
    id: str
    name: str
    handles: str
    phone: str
    url: str
    where: str
    always_open: bool
    hours: tuple[OpeningHours, ...]
    hours_note: str

    def status(self, now: dt.datetime | None = None) -> ChannelStatus:
        """Open or closed now, in the content's time zone (Asia/Shanghai).

        Without written hours nobody knows, so the status says that rather than guess.
        """
        if self.always_open:
            return ChannelStatus(known=True, open=True, label="24 小时服务")
        if not self.hours:
            return ChannelStatus(known=False, open=False, label="不确定现在有没有人接听")
        now = (now or dt.datetime.now(dt.UTC)).astimezone(ZoneInfo(settings.CONTENT_TIME_ZONE))
        if any(h.covers(now) for h in self.hours):
            return ChannelStatus(known=True, open=True, label="现在可联系")
        return ChannelStatus(known=True, open=False, label="现在不在服务时间")

    @property
    def hours_json(self) -> str:
        """The hours for the browser, which says "open now" (cached pages cannot)."""
        rules = [
            {"days": sorted(h.days), "open": f"{h.opens:%H:%M}", "close": _clock(h.closes)}
            for h in self.hours
        ]
        return json.dumps({"tz": settings.CONTENT_TIME_ZONE, "hours": rules}, separators=(",", ":"))

    @property
    def hours_text(self) -> str:
        if self.always_open:
            return "24 小时"
        if not self.hours:
            return self.hours_note or "以服务方公布的时间为准"
        rules = "；".join(
            f"{_days_text(h.days)} {h.opens:%H:%M}–{_clock(h.closes)}" for h in self.hours
        )
        return f"{rules}（{self.hours_note}）" if self.hours_note else rules


def _clock(moment: dt.time) -> str:
    return "24:00" if moment == dt.time.max else moment.strftime("%H:%M")


def _days_text(days: frozenset[int]) -> str:
    ordered = sorted(days)
    if ordered == list(range(7)):
        return "每天"
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{WEEKDAY_NAMES[ordered[0]]}至{WEEKDAY_NAMES[ordered[-1]]}"
    return "、".join(WEEKDAY_NAMES[d] for d in ordered)


def _parse_time(value: Any) -> dt.time | None:
    if isinstance(value, int):  # YAML reads 09:00 as sexagesimal 540
        value = f"{value // 60:02d}:{value % 60:02d}"
    if not isinstance(value, str) or not re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
        return None
    hours, minutes = (int(p) for p in value.strip().split(":"))
    if (hours, minutes) == (24, 0):
        return dt.time.max
    if hours > 23 or minutes > 59:
        return None
    return dt.time(hours, minutes)


def _parse_days(value: Any) -> frozenset[int] | None:
    if not isinstance(value, str):
        return None
    days: set[int] = set()
    for part in value.replace(" ", "").lower().split(","):
        first, _, last = part.partition("-")
        if first not in WEEKDAYS or (last and last not in WEEKDAYS):
            return None
        a, b = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
        days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    return frozenset(days)


def load_channels(path: Path, problems: Problems) -> dict[str, Channel]:
    data = yaml_lines.read(path, problems)
    if data is None:
        return {}
    entries = data.get("channels") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        problems.add(path, 1, "contacts.yaml 应有一个 channels: 列表")
        return {}
    channels: dict[str, Channel] = {}
    for index, entry in enumerate(entries):
        where = f"第 {index + 1} 个联系渠道"
        if not isinstance(entry, dict):
            problems.add(path, line_of(entries), f"{where}应是“字段: 值”的形式")
            continue
        channel_id = entry.get("id")
        if not isinstance(channel_id, str) or not SLUG_RE.fullmatch(channel_id):
            problems.add(path, line_of(entry), f"{where}的 id 缺失或不合法（小写字母、数字和 -）")
            continue
        where = f"联系渠道 {channel_id}"
        if channel_id in channels:
            problems.add(path, line_of(entry), f"{where} 重复")
            continue
        if not entry.get("name") or not entry.get("handles"):
            problems.add(path, line_of(entry), f"{where} 缺少 name 或 handles")
            continue
        if not (entry.get("phone") or entry.get("url") or entry.get("where")):
            problems.add(path, line_of(entry), f"{where} 至少要有 phone、url 或 where 之一")
            continue
        raw_hours = entry.get("hours")
        always = raw_hours == "always"
        hours: list[OpeningHours] = []
        if isinstance(raw_hours, list):
            for rule in raw_hours:
                days = _parse_days(rule.get("days")) if isinstance(rule, dict) else None
                opens = _parse_time(rule.get("open")) if isinstance(rule, dict) else None
                closes = _parse_time(rule.get("close")) if isinstance(rule, dict) else None
                if not days or opens is None or closes is None or opens >= closes:
                    problems.add(
                        path,
                        line_of(entry, "hours"),
                        f"{where} 的 hours 规则 {rule!r} 不合法，应写成 "
                        '{days: mon-fri, open: "09:00", close: "18:00"}',
                    )
                    continue
                hours.append(OpeningHours(days, opens, closes))
        elif raw_hours not in (None, "always"):
            problems.add(path, line_of(entry), f"{where} 的 hours 应是 always 或规则列表")
        channels[channel_id] = Channel(
            id=channel_id,
            name=str(entry["name"]).strip(),
            handles=str(entry["handles"]).strip(),
            phone=str(entry.get("phone") or "").strip(),
            url=str(entry.get("url") or "").strip(),
            where=str(entry.get("where") or "").strip(),
            always_open=always,
            hours=tuple(hours),
            hours_note=str(entry.get("hours_note") or "").strip(),
        )
    return channels

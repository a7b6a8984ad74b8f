"""The old per-vote rows and the gap table become daily counters.

GuideFeedback (one row per vote) becomes vote-yes / vote-no per guide and day; SearchGap (one
row per query, ever) becomes a gap counter on the day it was last seen, masked again with
today's rules (the old ones let grouped card and phone numbers and e-mail addresses through).
helpcenter's next migration drops both tables.
"""

from collections import Counter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations


def to_counters(apps, schema_editor):
    from insights.masking import gap_text

    zone = ZoneInfo(settings.TIME_ZONE)
    GuideFeedback = apps.get_model("helpcenter", "GuideFeedback")
    SearchGap = apps.get_model("helpcenter", "SearchGap")
    DailyCount = apps.get_model("insights", "DailyCount")
    totals: Counter = Counter()
    for slug, helpful, created_at in GuideFeedback.objects.values_list(
        "slug", "helpful", "created_at"
    ).iterator():
        day = created_at.astimezone(zone).date()
        totals[(day, "vote-yes" if helpful else "vote-no", slug, "")] += 1
    for query, count, last_seen in SearchGap.objects.values_list(
        "query", "count", "last_seen"
    ).iterator():
        text = gap_text(query)
        if text:
            totals[(last_seen.astimezone(zone).date(), "gap", text, "search")] += count
    DailyCount.objects.bulk_create(
        [
            DailyCount(day=day, kind=kind, item=item, detail=detail, count=n)
            for (day, kind, item, detail), n in totals.items()
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0001_initial"),
        ("helpcenter", "0002_guide_feedback"),
    ]

    operations = [migrations.RunPython(to_counters, migrations.RunPython.noop)]

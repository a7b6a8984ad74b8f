"""Votes and gaps are daily counters now (insights.DailyCount); their rows were copied over."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("helpcenter", "0002_guide_feedback"),
        ("insights", "0002_from_helpcenter"),
    ]

    operations = [
        migrations.DeleteModel(name="GuideFeedback"),
        migrations.DeleteModel(name="SearchGap"),
    ]

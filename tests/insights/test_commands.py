"""manage.py insights_digest, insights_prune, search_gaps and guide_feedback; the data migration."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from guides.library import get_library
from insights import events
from insights.models import DailyCount
from tests.factories import write_tree


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def put(kind, item="", detail="", *, count, days_ago=0):
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    DailyCount.objects.create(day=day, kind=kind, item=item, detail=detail, count=count)


@pytest.fixture
def week(content_dir):
    write_tree(content_dir)
    v = events.tree_version(get_library())
    put("view", "unlock-locked-terminal", count=40)
    put("view", "sign-in-after-power-off", count=12, days_ago=3)
    put("vote-no", "unlock-locked-terminal", count=3)
    put("vote-yes", "unlock-locked-terminal", count=1)
    put("reason", "unlock-locked-terminal", "steps-failed", count=2)
    put("search-hit", count=20)
    put("search-empty", count=5)
    put("gap", "恐龙蛋", "search", count=4)
    put("assistant-enter", detail=v, count=9)
    put("question", "problem", v, count=9)
    put("answer", "problem/locked", v, count=4)
    put("outcome", "unsure", v, count=3)
    put("solved", "unsure", v, count=1)
    put("unsolved", "unsure", v, count=2)
    put("code", "51", count=6)
    put("view", "unlock-locked-terminal", count=999, days_ago=8)  # last week's, left out


@pytest.mark.django_db
def test_the_digest_tells_the_week_in_plain_chinese(week, settings):
    settings.INSIGHTS_DIGEST_TO = []
    text = run("insights_digest")
    assert "最近 7 天小结" in text
    assert "指南一共被打开 52 次" in text
    assert "1. 《POS 机被锁定（锁机）：原因与解锁》40 次" in text
    assert "没解决 3 次，有帮助 1 次。原因：步骤不管用 2" in text
    assert "搜索 25 次，其中 5 次什么都没找到" in text and "“恐龙蛋” 4 次" in text
    assert "智能助手被打开 9 次" in text
    assert "“您的 POS 机遇到了什么问题？”：到达 9 次，5 次没有往下选" in text
    assert "服务码 T2「看不出为什么被锁」：解决了 1 次，没解决 2 次" in text
    assert "查得最多的返回码：51（6 次）" in text
    assert not mail.outbox


@pytest.mark.django_db
def test_the_digest_is_mailed_when_an_address_is_configured(week, settings):
    settings.INSIGHTS_DIGEST_TO = ["editors@example.com"]
    text = run("insights_digest")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["editors@example.com"] and "最近 7 天小结" in sent.subject
    assert "指南一共被打开 52 次" in sent.body
    assert "已发送给 editors@example.com" in text


@pytest.mark.django_db
def test_an_empty_week_still_reads_well(content_dir):
    text = run("insights_digest")
    assert "指南一共被打开 0 次。" in text and "这段时间没有人查返回码。" in text


@pytest.mark.django_db
def test_prune_deletes_counters_older_than_the_kept_days(settings):
    settings.INSIGHTS_KEEP_DAYS = 30
    put("view", "a", count=1, days_ago=0)
    put("view", "a", count=1, days_ago=29)
    put("view", "a", count=1, days_ago=30)
    put("gap", "old", "search", count=1, days_ago=400)
    text = run("insights_prune")
    assert "删除了 2 条" in text
    assert sorted(DailyCount.objects.values_list("count", flat=True)) == [1, 1]
    assert "删除了 1 条" in run("insights_prune", "--days", "1")


@pytest.mark.django_db
def test_search_gaps_lists_the_masked_queries_worst_first():
    put("gap", "恐龙蛋", "search", count=2, days_ago=5)
    put("gap", "恐龙蛋", "assistant", count=3)
    put("gap", "月球基地 #", "search", count=4)
    lines = run("search_gaps").splitlines()
    assert lines[0].split() == ["次数", "最近出现", "首次出现", "查询"]
    assert lines[1].split()[0] == "5" and lines[1].endswith("恐龙蛋")
    assert lines[2].endswith("月球基地 #")
    assert len(run("search_gaps", "--limit", "1").splitlines()) == 2
    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert run("search_gaps", "--since", since).splitlines()[1].split()[0] == "4"


@pytest.mark.django_db
def test_guide_feedback_lists_guides_by_share_of_not_solved(content_dir):
    put("vote-no", "unlock-locked-terminal", count=1)
    put("vote-yes", "unlock-locked-terminal", count=3)
    put("vote-no", "activate-new-terminal", count=2, days_ago=10)
    lines = run("guide_feedback").splitlines()
    assert lines[1].split()[:3] == ["2", "0", "100%"] and "activate-new-terminal" in lines[1]
    assert lines[2].split()[:3] == ["1", "3", "25%"]
    since = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    assert len(run("guide_feedback", "--since", since).splitlines()) == 2
    DailyCount.objects.all().delete()
    assert run("guide_feedback").strip() == "还没有收到反馈。"


@pytest.mark.django_db(transaction=True)
def test_old_votes_and_gaps_migrate_into_daily_counters():
    executor = MigrationExecutor(connection)
    before = [("helpcenter", "0002_guide_feedback"), ("insights", "0001_initial")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    feedback = apps.get_model("helpcenter", "GuideFeedback")
    gap = apps.get_model("helpcenter", "SearchGap")
    # 2026-11-20 23:30 in Beijing is 15:30 UTC: the day is Beijing's.
    late = dt.datetime(2026, 11, 20, 15, 30, tzinfo=dt.UTC)
    feedback.objects.create(slug="unlock-locked-terminal", helpful=False, created_at=late)
    feedback.objects.create(slug="unlock-locked-terminal", helpful=False, created_at=late)
    feedback.objects.create(slug="unlock-locked-terminal", helpful=True, created_at=late)
    # Stored before grouped numbers were masked: masked on the way over.
    gap.objects.create(query="卡号 6222 0212 3456 7890", count=4, first_seen=late, last_seen=late)
    gap.objects.create(query="#", count=9, first_seen=late, last_seen=late)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    counters = {
        (c.day.isoformat(), c.kind, c.item, c.detail): c.count for c in DailyCount.objects.all()
    }
    assert counters == {
        ("2026-11-20", "vote-no", "unlock-locked-terminal", ""): 2,
        ("2026-11-20", "vote-yes", "unlock-locked-terminal", ""): 1,
        ("2026-11-20", "gap", "卡号 #", "search"): 4,
    }
    tables = connection.introspection.table_names()
    assert "helpcenter_guidefeedback" not in tables and "helpcenter_searchgap" not in tables

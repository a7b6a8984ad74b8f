"""What the counters add up to: funnel arithmetic, solved rates, windows, charts."""

import datetime as dt

import pytest

from guides.library import get_library
from insights import events, report
from insights.models import DailyCount
from insights.templatetags import insights_charts
from tests.factories import write_tree

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def small(content_dir):
    write_tree(content_dir)
    return get_library()


def put(kind, item="", detail="", *, count, day=TODAY):
    DailyCount.objects.create(day=day, kind=kind, item=item, detail=detail, count=count)


@pytest.mark.django_db
def test_funnel_counts_arrivals_answers_and_drop_off(small):
    v = events.tree_version(small)
    put("assistant-enter", detail=v, count=10)
    put("question", "problem", v, count=10)
    put("answer", "problem/locked", v, count=6)
    put("answer", "problem/other", v, count=1)
    put("question", "locked", v, count=6)
    put("answer", "locked/unsure", v, count=5)
    data = report.funnel(small, TODAY - dt.timedelta(days=6), TODAY, v)
    rows = {q.node_id: q for q in data["questions"]}
    assert [q.node_id for q in data["questions"]] == ["problem", "locked", "other"]
    assert (rows["problem"].reached, rows["problem"].continued, rows["problem"].dropped) == (
        10,
        7,
        3,
    )
    assert rows["problem"].drop_share == pytest.approx(0.3)
    assert [(a.label, a.count) for a in rows["locked"].answers] == [
        ("密码输错次数过多", 0),
        ("不确定", 5),
    ]
    assert rows["locked"].dropped == 1
    # The restart answer is not a way on: only "直接联系客服" counts for "other".
    assert [a.label for a in rows["other"].answers] == ["直接联系客服"]


@pytest.mark.django_db
def test_drop_off_is_never_negative(small):
    v = events.tree_version(small)
    # Lost beacons or reloads can leave more answers than arrivals.
    put("question", "locked", v, count=2)
    put("answer", "locked/unsure", v, count=5)
    row = next(
        q for q in report.funnel(small, TODAY, TODAY, v)["questions"] if q.node_id == "locked"
    )
    assert row.dropped == 0 and row.drop_share == 0
    assert (
        next(
            q for q in report.funnel(small, TODAY, TODAY, v)["questions"] if q.node_id == "other"
        ).drop_share
        is None
    )  # nobody arrived: no share, not a division by zero


@pytest.mark.django_db
def test_outcomes_solved_rate(small):
    v = events.tree_version(small)
    put("outcome", "unsure", v, count=8)
    put("solved", "unsure", v, count=3)
    put("unsolved", "unsure", v, count=1)
    outcomes = {o.outcome_id: o for o in report.funnel(small, TODAY, TODAY, v)["outcomes"]}
    assert outcomes["unsure"].solved_rate == pytest.approx(0.75)
    assert outcomes["wrong-password"].solved_rate is None
    assert list(outcomes) == ["unsure", "wrong-password"]  # most reached first


@pytest.mark.django_db
def test_an_older_tree_version_is_left_out_of_the_funnel(small):
    v = events.tree_version(small)
    put("question", "problem", "0ld0ld0ld0", count=50)
    put("question", "problem", v, count=2)
    rows = report.funnel(small, TODAY, TODAY, v)["questions"]
    assert rows[0].reached == 2


@pytest.mark.django_db
def test_the_window_is_the_last_n_days_including_today(small):
    put("view", "unlock-locked-terminal", count=1, day=TODAY)
    put("view", "unlock-locked-terminal", count=10, day=TODAY - dt.timedelta(days=6))
    put("view", "unlock-locked-terminal", count=100, day=TODAY - dt.timedelta(days=7))
    week = report.build(small, days=7, today=TODAY)
    month = report.build(small, days=30, today=TODAY)
    assert week["most_viewed"][0].views == 11
    assert month["most_viewed"][0].views == 111
    assert week["series"]["views"] == [10, 0, 0, 0, 0, 0, 1]


@pytest.mark.django_db
def test_least_helpful_puts_the_highest_share_of_not_solved_first(small):
    put("vote-no", "unlock-locked-terminal", count=3)
    put("vote-yes", "unlock-locked-terminal", count=1)
    put("vote-no", "activate-new-terminal", count=1)
    put("vote-yes", "sign-in-after-power-off", count=9)
    put("reason", "unlock-locked-terminal", "unclear", count=2)
    put("reason", "unlock-locked-terminal", "other", count=1)
    data = report.build(small, days=7, today=TODAY)
    worst = data["least_helpful"]
    assert [g.slug for g in worst] == ["activate-new-terminal", "unlock-locked-terminal"]
    assert worst[1].reason_text == "看不懂 2，其他 1"


@pytest.mark.django_db
def test_gaps_are_worst_first_with_where_they_came_from(small):
    put("gap", "恐龙蛋", "search", count=2)
    put("gap", "恐龙蛋", "assistant", count=3)
    put("gap", "月球基地", "search", count=4)
    assert report.gap_rows(TODAY, TODAY) == [
        ("恐龙蛋", 5, "智能助手、搜索"),
        ("月球基地", 4, "搜索"),
    ]


def test_bars_are_svg_with_attributes_only():
    svg = insights_charts.bar(5, 10)
    assert svg.startswith("<svg") and 'width="50.0"' in svg and "style" not in svg
    assert 'width="0.0"' in insights_charts.bar(0, 0)  # an empty table draws no bar
    assert 'width="100.0"' in insights_charts.bar(12, 10)  # never past the track


def test_a_funnel_bar_never_shows_more_answers_than_arrivals():
    svg = insights_charts.funnel_bar(2, 5, 10)
    assert svg.count('width="20.0"') == 2


def test_a_sparkline_reads_out_its_total_and_escapes_its_label():
    svg = insights_charts.sparkline([0, 3, 1], "<b>浏览</b>")
    assert 'role="img"' in svg and "3 天合计 4，最多的一天 3" in svg
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert 'points="0.0,28.0 50.0,2.0 100.0,19.33"' in svg


@pytest.mark.django_db
@pytest.mark.parametrize("listed", [True, False])
def test_words_that_helped_name_the_examples_file_and_line_to_add_them_at(content_dir, listed):
    from tests.factories import SMALL_TREE

    examples = "outcomes:\n  unsure:\n    - 锁了\n  wrong-password:\n    - 密码错多了\n"
    write_tree(content_dir, SMALL_TREE, examples=examples if listed else None)
    put("said-yes", "锁机啦咋整", "o:wrong-password", count=2)
    (group,) = report.said_groups(get_library(), TODAY, TODAY, "said-yes")
    assert group.key == "wrong-password" and group.indent == " " * 4
    if listed:  # under its id, which is on line 4
        assert group.where == "结果 wrong-password，content/examples/locked.yaml 第 4 行"
    else:  # no list there yet: say where to start one
        assert (
            group.where == "结果 wrong-password：content/examples/ 同主题的文件，"
            "outcomes: 下新加 wrong-password:"
        )

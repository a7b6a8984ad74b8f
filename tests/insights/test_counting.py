"""The per-process buffer: cheap to count, written in batches, bounded, never raising."""

import datetime as dt

import pytest
from django.db import DatabaseError
from django.utils import timezone

from insights import counting
from insights.models import DailyCount


@pytest.fixture(autouse=True)
def _empty_buffer():
    counting.discard_pending()
    yield
    counting.discard_pending()


@pytest.fixture
def buffered(settings, monkeypatch):
    """Counting as in production, minus the background thread (the test flushes)."""
    settings.INSIGHTS_SYNC = False
    settings.INSIGHTS_FLUSH_EVENTS = 1000
    started = []
    monkeypatch.setattr(counting, "_ensure_flusher", lambda: started.append(1))
    return started


def stored() -> dict[tuple[str, str, str], int]:
    return {(c.kind, c.item, c.detail): c.count for c in DailyCount.objects.all()}


@pytest.mark.django_db
def test_counts_wait_in_memory_and_flush_adds_them_up(buffered):
    for _ in range(3):
        counting.count("view", "unlock-locked-terminal")
    counting.count("vote-no", "unlock-locked-terminal")
    assert DailyCount.objects.count() == 0  # nothing written while a page is served
    assert buffered  # the flusher was asked to run
    assert counting.flush() == 4
    assert stored() == {
        ("view", "unlock-locked-terminal", ""): 3,
        ("vote-no", "unlock-locked-terminal", ""): 1,
    }
    counting.count("view", "unlock-locked-terminal")
    counting.flush()
    assert stored()[("view", "unlock-locked-terminal", "")] == 4
    assert DailyCount.objects.get(kind="view").day == timezone.localdate()


@pytest.mark.django_db
def test_enough_waiting_events_wake_the_flusher(buffered, settings, monkeypatch):
    settings.INSIGHTS_FLUSH_EVENTS = 3
    woken = []
    monkeypatch.setattr(counting._wake, "set", lambda: woken.append(1))
    counting.count("view", "a")
    counting.count("view", "b")
    assert not woken
    counting.count("view", "c")
    assert woken == [1]


@pytest.mark.django_db
def test_sync_mode_writes_at_once():
    counting.count("view", "sign-in-after-power-off")
    assert stored() == {("view", "sign-in-after-power-off", ""): 1}


@pytest.mark.django_db
def test_a_failing_database_keeps_the_batch_bounded_and_never_raises(
    buffered, monkeypatch, caplog, settings
):
    settings.INSIGHTS_MAX_PENDING = 2
    counting.count("view", "a", n=5)
    counting.count("view", "b", n=2)

    def broken(batch):
        counting.count("view", "c")  # arrives while the batch is out: the buffer has room
        raise DatabaseError("database is locked")

    monkeypatch.setattr(counting, "_write", broken)
    assert counting.flush() == 0
    waiting = {key.item: n for key, n in counting.pending().items()}
    # The failed batch went back, but never past the bound: "c" took one of the two places.
    assert len(waiting) == 2 and waiting["c"] == 1
    assert "wait for the next try" in caplog.text


@pytest.mark.django_db
def test_the_buffer_holds_a_bounded_number_of_keys(buffered, settings, caplog):
    settings.INSIGHTS_MAX_PENDING = 2
    counting.count("gap", "one")
    counting.count("gap", "two")
    counting.count("gap", "three")  # refused: a new key past the bound
    counting.count("gap", "one")  # an existing key still counts
    assert {k.item: n for k, n in counting.pending().items()} == {"one": 2, "two": 1}
    counting.flush()
    assert "1 events dropped" in caplog.text


@pytest.mark.django_db
def test_distinct_gap_queries_are_capped_per_day(settings):
    settings.INSIGHTS_GAP_DAY_LIMIT = 3
    for i in range(6):
        counting.count("gap", f"junk {i}", "search")
    counting.count("gap", "junk 0", "search")  # an existing gap still grows
    gaps = DailyCount.objects.filter(kind="gap")
    assert gaps.count() == 3
    assert gaps.get(item="junk 0").count == 2
    counting.count("view", "unlock-locked-terminal")  # other kinds are not affected
    assert DailyCount.objects.filter(kind="view").count() == 1


@pytest.mark.django_db
def test_the_gap_cap_starts_afresh_each_day(settings):
    settings.INSIGHTS_GAP_DAY_LIMIT = 1
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    DailyCount.objects.create(day=yesterday, kind="gap", item="old", detail="search", count=1)
    counting.count("gap", "new", "search")
    assert DailyCount.objects.filter(kind="gap").count() == 2


@pytest.mark.django_db
def test_no_new_rows_past_the_total_cap(settings):
    settings.INSIGHTS_MAX_ROWS = 2
    counting.count("view", "a")
    counting.count("view", "b")
    counting.count("view", "c")
    counting.count("view", "a")
    assert stored() == {("view", "a", ""): 2, ("view", "b", ""): 1}


@pytest.mark.django_db
def test_a_row_added_by_another_process_meanwhile_is_added_to(monkeypatch):
    from django.db.models import QuerySet

    real_update = QuerySet.update
    calls = []

    def racing_update(self, **kwargs):
        if not calls:
            calls.append(1)
            DailyCount.objects.create(
                day=timezone.localdate(), kind="view", item="a", detail="", count=2
            )
            return 0  # our update ran before the other process's insert
        return real_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", racing_update)
    counting.count("view", "a")
    assert stored() == {("view", "a", ""): 3}


@pytest.mark.django_db
def test_a_batch_the_database_refuses_waits_for_the_next_flush(buffered, monkeypatch):
    # Counts accepted while the database is away are written when it is back, not lost.
    counting.discard_pending()

    def down(batch):
        raise DatabaseError("the database is away")

    real_write = counting._write
    monkeypatch.setattr(counting, "_write", down)
    counting.count("vote-no", "sign-in-after-power-off")
    assert counting.flush() == 0
    assert sum(counting.pending().values()) == 1
    monkeypatch.setattr(counting, "_write", real_write)
    assert counting.flush() == 1
    assert DailyCount.objects.get(kind="vote-no").count == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "data"),
    [("feedback/", {"helpful": "no"}), ("feedback/reason/", {"reason": "unclear"})],
)
def test_a_vote_or_reason_that_cannot_be_kept_gets_the_503_page(
    client, buffered, settings, url, data
):
    settings.INSIGHTS_MAX_PENDING = 0
    counting.discard_pending()
    response = client.post(
        "/guides/sign-in-after-power-off/" + url, data, headers={"Origin": "http://testserver"}
    )
    assert response.status_code == 503
    assert "暂时无法保存您的反馈" in response.content.decode()


@pytest.mark.django_db
def test_counts_a_process_could_not_write_at_exit_are_written_by_the_next(
    buffered, monkeypatch, settings, tmp_path
):
    settings.INSIGHTS_SPOOL_DIR = str(tmp_path)
    counting.discard_pending()
    counting.count("vote-yes", "sign-in-after-power-off", n=3)

    def down(batch):
        raise DatabaseError("the database is away")

    real_write = counting._write
    monkeypatch.setattr(counting, "_write", down)
    counting._flush_at_exit()  # a worker exits during the outage
    assert counting.pending() == {} and len(list(tmp_path.glob("*.json"))) == 1

    monkeypatch.setattr(counting, "_write", real_write)
    counting.count("vote-yes", "sign-in-after-power-off")  # another process, later
    assert counting.flush() == 4
    assert DailyCount.objects.get(kind="vote-yes").count == 4
    assert not list(tmp_path.iterdir())

"""Counting for editors: what it costs a page, a beacon and a flush (in-process).

Run: .venv/bin/python bench/bench_insights.py [--requests N]
Prints the cost of one count() (a dict update under a lock), one flush of a batch, one beacon
POST through the whole stack (origin check, rate limit in the database cache, validation), and
a guide page's median with and without beacons and a background flusher running beside it.
Target: the guide page with counting on >= 0.9x the page alone (a page GET counts nothing
itself; counts arrive by beacon and are written in batches off the request).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

SCRATCH = Path(tempfile.mkdtemp(prefix="bench-insights-"))
# A file, not :memory:: the flusher thread needs to see the same database.
settings.DATABASES["default"]["NAME"] = str(SCRATCH / "bench.sqlite3")
# As deployed: wait for a lock rather than fail at once (the flusher and requests share it).
settings.DATABASES["default"]["OPTIONS"] = {"timeout": 5}
django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from bench._timing import percentile, time_requests  # noqa: E402
from helpcenter import anonymous  # noqa: E402
from insights import counting  # noqa: E402
from insights.models import DailyCount  # noqa: E402

GUIDE = "/guides/sign-in-after-power-off/"
BEACON = {"kind": "view", "guide": "sign-in-after-power-off"}
SAME_ORIGIN = {"Origin": "http://testserver"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    settings.CONTENT_CHECK_SECONDS = 1.0
    settings.ANONYMOUS_WRITE_LIMITS = {"event": (10**9, 60)}  # one client sends everything here
    settings.INSIGHTS_SYNC = False
    settings.INSIGHTS_FLUSH_SECONDS = 0.5

    calls = 200_000
    counting.discard_pending()
    flusher = counting._ensure_flusher
    counting._ensure_flusher = lambda: None  # the buffer alone first; the flush is timed next
    start = time.perf_counter()
    for i in range(calls):
        counting.count("view", f"guide-{i % 500}")
    per_count = (time.perf_counter() - start) / calls * 1e6
    start = time.perf_counter()
    stored = counting.flush()
    flush_ms = (time.perf_counter() - start) * 1000
    counting._ensure_flusher = flusher
    print(f"count(): {per_count:.2f} µs each ({calls} calls)")
    print(f"flush: {flush_ms:.1f} ms for {stored} events in 500 counters")

    client = Client()
    time_requests(client, GUIDE, {}, 100)  # warm up
    alone = time_requests(client, GUIDE, {}, args.requests)

    # Counting on: between page requests, the counts of a beacon each go into the buffer
    # and the background flusher writes them every half second, as in production.
    with_counting = []
    for i in range(args.requests):
        start = time.perf_counter()
        response = client.get(GUIDE)
        with_counting.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
        counting.count("view", f"guide-{i % 50}")
    time.sleep(settings.INSIGHTS_FLUSH_SECONDS * 2)

    beacons = time_posts(client, args.requests // 4)
    limiter = anonymous.over_limit
    anonymous.over_limit = lambda request, scope: 0
    unlimited = time_posts(client, args.requests // 4)
    anonymous.over_limit = limiter
    counting.flush()
    counted = DailyCount.objects.get(kind="view", item="sign-in-after-power-off").count
    page, page_on = statistics.median(alone), statistics.median(with_counting)
    report("guide page alone", alone)
    report("guide page, counting on", with_counting)
    report("beacon POST", beacons)
    report("beacon POST, no rate limit", unlimited)
    print(f"beacons sent {len(beacons) + len(unlimited)}, counted {counted}")
    ratio = page / page_on
    print(f"page throughput with counting on: {ratio:.2f}x the page alone (target >= 0.9x)")


def time_posts(client: Client, count: int) -> list[float]:
    timings = []
    for _ in range(count):
        start = time.perf_counter()
        response = client.post("/insights/event", BEACON, headers=SAME_ORIGIN)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 204, response.status_code
    return timings


def report(label: str, timings: list[float]) -> None:
    print(
        f"{label + ':':28} median {statistics.median(timings):.3f} ms, "
        f"p95 {percentile(timings, 0.95):.3f} ms ({len(timings)} requests)"
    )


if __name__ == "__main__":
    main()

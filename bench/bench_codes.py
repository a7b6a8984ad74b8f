"""Response codes: loading codes.yaml, the cost of the code pin on every search, and the pages.

Run: .venv/bin/python bench/bench_codes.py [--requests N]
Targets: codes.yaml loads in under 50 ms (once per content version; the check, which also
reads every guide and the assistant's tree, runs with manage.py check and once per version for
/healthz); the pin adds under 5 % to a search; a card renders in under 10 ms the first time a
URL is asked for and is replayed from memory in under 1 ms.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic needed here

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

import search  # noqa: E402
from bench._timing import percentile  # noqa: E402
from codes.checks import codes_problems  # noqa: E402
from codes.content import load_codebook  # noqa: E402
from codes.search import code_pins  # noqa: E402
from guides.library import get_library  # noqa: E402
from helpcenter import caching  # noqa: E402

QUERIES = (
    "刷卡显示51",
    "提示a0",
    "返回码 97",
    "code 91",
    "51",
    "机器锁住了怎么办",
    "签到失败",
    "收了51元",
    "卡号 6222021234567890",
    "操作员 01 密码忘了",
)


def per_call_us(function, rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        function()
    return (time.perf_counter() - start) / rounds * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    settings.CONTENT_CHECK_SECONDS = 1.0  # as in production: one directory scan a second at most
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404 case is on purpose

    library = get_library()
    start = time.perf_counter()
    book = load_codebook(library)
    loaded = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    codes_problems(library)
    checked = (time.perf_counter() - start) * 1000
    print(f"codes.yaml: {len(book.entries)} cards, load {loaded:.1f} ms, check {checked:.1f} ms")

    index = search.get_index()
    rounds = max(20, args.requests // 10)
    plain = sum(per_call_us(lambda q=q: search.search(index, q, limit=10), rounds) for q in QUERIES)
    pins = sum(per_call_us(lambda q=q: code_pins(library, q), rounds) for q in QUERIES)
    print(
        f"search of {len(QUERIES)} queries: {plain / len(QUERIES):.0f} µs each; the code pin "
        f"{pins / len(QUERIES):.1f} µs each ({pins / plain:.1%} of a search)"
    )

    client = Client()
    for label, url in (("card", "/codes/51/"), ("list", "/codes/"), ("404", "/codes/QQ/")):
        first, replay = [], []
        for _ in range(args.requests):
            caching.memory.clear()
            begin = time.perf_counter()
            client.get(url)
            first.append((time.perf_counter() - begin) * 1000)
            begin = time.perf_counter()
            client.get(url)
            replay.append((time.perf_counter() - begin) * 1000)
        print(
            f"{label:5} {url:12} first render median {statistics.median(first):.2f} ms "
            f"(p95 {percentile(first, 0.95):.2f}); next request median "
            f"{statistics.median(replay):.2f} ms ({args.requests} each)"
        )


if __name__ == "__main__":
    main()

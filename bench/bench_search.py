"""How fast and how big the search index is, at 500 guides and at the shipped content.

    python bench/bench_search.py [--guides 500] [--queries 200]

Generates a library of realistic guides (the shipped guides' sections, reshuffled and
re-titled) in a temporary folder, then prints index build time, query latency, the memory
the index adds, and how long a fresh worker takes to start and index the shipped content.
Figures only; the targets are printed beside them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpcenter.settings")
# The production settings refuse to start without a secret; the benchmark signs nothing.
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret")

import django  # noqa: E402

django.setup()

import yaml  # noqa: E402

from helpcenter import content, search  # noqa: E402

VARIANTS = ("传统 POS", "电签 POS", "智能 POS", "扫码盒子", "手机 POS", "收银一体机", "蓝牙 POS")
EXTRA_QUERIES = (
    "锁机",
    "签到",
    "复机",
    "wifi",
    "pos",
    "Wi-Fi 密码",
    "ＰＯＳ机 黑屏",
    "e01",
    "打印纸装反了",
    "交易超时 钱扣了",
    "火星上的 pos 机",
    "完全无关的问题比如天气",
    "机器" * 100,
)


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def shuffled_text(text: str, rng: random.Random) -> str:
    sentences = [s for s in text.split("。") if s.strip()]
    rng.shuffle(sentences)
    return "。".join(sentences) + "。"


def generate(root: Path, shipped: content.Library, count: int, rng: random.Random) -> None:
    """Write ``count`` guides of about ten sections each, made of the shipped guides' text."""
    (root / "guides").mkdir(parents=True)
    for name in ("categories.yaml", "contacts.yaml", "synonyms.yaml"):
        (root / name).write_text(
            (shipped.root / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    guides = list(shipped.guides.values())
    sections = [s for g in guides for s in g.sections if s.text]
    for number in range(count):
        base = rng.choice(guides)
        front = {
            "title": f"{base.title}（{rng.choice(VARIANTS)} 第 {number} 篇）",
            "summary": shuffled_text(base.summary, rng),
            "category": base.category,
            "keywords": rng.sample(list(base.keywords), k=min(len(base.keywords), 12)),
            "updated": dt.date(2026, 11, 21),
        }
        body = "".join(
            f"## {s.title} {{#s{i}}}\n\n{shuffled_text(s.text, rng)}\n\n"
            for i, s in enumerate(rng.sample(sections, k=rng.randint(8, 12)))
        )
        (root / "guides" / f"guide-{number:04d}.md").write_text(
            f"---\n{yaml.safe_dump(front, allow_unicode=True)}---\n\n{body}", encoding="utf-8"
        )


def queries_for(shipped: content.Library, count: int, rng: random.Random) -> list[str]:
    """Merchants' phrasings, keywords, fragments of guide text, and queries that find nothing."""
    from tests.test_search import MERCHANT_QUERIES

    queries = [q for q, _ in MERCHANT_QUERIES] + list(EXTRA_QUERIES)
    keywords = [k for g in shipped.guides.values() for k in g.keywords]
    texts = [s.text for g in shipped.guides.values() for s in g.sections if len(s.text) > 20]
    while len(queries) < count:
        if rng.random() < 0.5:
            queries.append(" ".join(rng.sample(keywords, k=rng.randint(1, 3))))
        else:
            text = rng.choice(texts)
            start = rng.randrange(0, len(text) - 12)
            queries.append(text[start : start + rng.randint(4, 12)])
    return queries[:count]


def worker_start_seconds(runs: int = 3) -> float:
    code = "import django; django.setup();from helpcenter import search; search.get_index()"
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=os.environ)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def build(library: content.Library) -> search.Index:
    return search.build_index(search.guide_documents(library), library.synonyms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--guides", type=int, default=500)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(20261121)
    shipped = content.load_library(ROOT / "content")

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        generate(root, shipped, args.guides, rng)
        started = time.perf_counter()
        library = content.load_library(root)
        load_seconds = time.perf_counter() - started
    documents = search.guide_documents(library)
    sections = sum(d.kind == "section" for d in documents)

    # Memory first, in a process that has not built an index yet: RSS also counts what the
    # build allocated and the allocator kept, which a worker pays for as well.
    gc.collect()
    rss_before = rss_bytes()
    started = time.perf_counter()
    index = build(library)
    build_times = [time.perf_counter() - started]
    gc.collect()
    rss_added = rss_bytes() - rss_before
    build_times += [_timed(lambda: build(library)) for _ in range(2)]

    del index
    gc.collect()
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    index = build(library)
    gc.collect()
    traced_added = tracemalloc.get_traced_memory()[0] - before
    traced_peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()

    queries = queries_for(shipped, args.queries, rng)
    for query in queries[:20]:  # warm the regex cache as a running worker would have
        search.search(index, query)
    latencies = []
    empty = 0
    for query in queries:
        started = time.perf_counter()
        hits = search.search(index, query)
        latencies.append(time.perf_counter() - started)
        empty += not hits
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, round(0.95 * len(latencies)) - 1)]

    shipped_build = min(_timed(lambda: build(shipped)) for _ in range(5))
    worker = worker_start_seconds()

    mb = 1024 * 1024
    print(f"library: {len(library.guides)} guides, {sections} sections")
    print(f"  (generated and loaded from Markdown in {load_seconds:.2f} s, not part of the index)")
    print(
        f"index build:           {statistics.median(build_times) * 1000:7.0f} ms    "
        f"target < 1000 ms  (median of {len(build_times)})"
    )
    print(
        f"query median:          {statistics.median(latencies) * 1000:7.2f} ms    target < 10 ms"
        f"  ({len(queries)} queries, {empty} with no result)"
    )
    print(f"query p95:             {p95 * 1000:7.2f} ms")
    print(f"index memory (traced): {traced_added / mb:7.1f} MB    target <= 30 MB")
    print(f"  build peak (traced): {traced_peak / mb:7.1f} MB")
    print(f"index memory (RSS):    {rss_added / mb:7.1f} MB    target <= 30 MB")
    print(
        f"shipped content:       {len(shipped.guides)} guides, index built in "
        f"{shipped_build * 1000:.1f} ms"
    )
    print(
        f"worker start:          {worker * 1000:7.0f} ms    target < 1000 ms"
        "  (fresh python: django.setup() + load content + build index)"
    )


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()

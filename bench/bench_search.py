"""How fast and how big the search index is, at 500 and 5,000 generated guides.

    python bench/bench_search.py [--guides 500 5000] [--queries 300]

For each size, generates a library of realistic guides (the shipped guides' sections,
reshuffled and re-titled, about ten sections each) in a temporary folder, beside the shipped
guides, tree (with its ~2,500 examples) and codes, then prints: index build time, the index
file a worker loads, query latency (median, p95) of BM25 alone and of what /search/ runs (BM25,
pins and the assistant's learned reader blended), the reader's training time (once per content
version) and a reading's cost, the memory the index holds, and how long a fresh worker takes to
start (django.setup(), load the content, the index and the reader's model from their files).
Figures only; the targets are printed beside them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import shutil
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
from django.conf import settings  # noqa: E402

import search  # noqa: E402
import search.registry  # noqa: E402
import search.store  # noqa: E402
from bench._timing import percentile  # noqa: E402
from guides import content  # noqa: E402
from guides import loading as guides_loading  # noqa: E402
from triage import reading  # noqa: E402

TARGET_MEDIAN_MS = 10
TARGET_P95_MS = 25
TARGET_MEMORY_MB = 60
TARGET_WORKER_MS = 1000

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
    "a b c d e f g h i j k l m n o p q r s t u v w x y z " * 8,
    "qiandao" * 30,
    "😀🙏🔥" * 20,
)

# A fresh worker: what gunicorn's import of helpcenter.wsgi does before it serves, timed in
# phases, the collector paused as wsgi.py pauses it. The content and index folders come from
# the environment.
WORKER = """
import gc, json, os, sys, time
started = time.perf_counter()
gc.disable()
sys.path.insert(0, os.environ["BENCH_ROOT"])
import django
django.setup()
from django.conf import settings
settings.CONTENT_DIR = os.environ["BENCH_CONTENT"]
settings.SEARCH_INDEX_DIR = os.environ["BENCH_INDEX"]
settings.CONTENT_CACHE_DIR = os.environ["BENCH_INDEX"]
settings.UNDERSTANDING_MODEL_DIR = os.environ["BENCH_INDEX"] + "/models"
import search  # noqa: E402
import search.registry  # noqa: E402
import search.store  # noqa: E402
from guides import content  # noqa: E402
from guides import library as guides_library  # noqa: E402
from guides import loading as guides_loading  # noqa: E402
from triage import reading  # noqa: E402
set_up = time.perf_counter()
library = guides_library.get_library()
loaded = time.perf_counter()
search.get_index()
indexed = time.perf_counter()
reading.get_model(library)
gc.freeze()
gc.enable()
done = time.perf_counter()
print(json.dumps({
    "setup": set_up - started, "library": loaded - set_up, "index": indexed - loaded,
    "model": done - indexed,
}))
"""


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
    names = ("categories.yaml", "contacts.yaml", "synonyms.yaml", "triage.yaml", "codes.yaml")
    for name in names:
        (root / name).write_text(
            (shipped.root / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    shutil.copytree(shipped.root / "examples", root / "examples")
    # The shipped guides too: the tree and the codes point into them.
    for guide in shipped.guides.values():
        (root / "guides" / guide.path.name).write_text(
            guide.path.read_text(encoding="utf-8"), encoding="utf-8"
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


def phrasings() -> list[str]:
    rows = []
    for path in sorted((ROOT / "tests" / "phrasings").glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                rows.append(line.split("\t")[0])
    return rows


def queries_for(shipped: content.Library, count: int, rng: random.Random) -> list[str]:
    """Merchants' phrasings (pinyin, slips, English, Cantonese among them), keywords, fragments
    of guide text, bad input, and queries that find nothing."""
    queries = phrasings() + list(EXTRA_QUERIES)
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


def worker_start(content_dir: Path, index_dir: Path, runs: int) -> dict[str, float]:
    env = {
        **os.environ,
        "BENCH_ROOT": str(ROOT),
        "BENCH_CONTENT": str(content_dir),
        "BENCH_INDEX": str(index_dir),
    }
    # As a deployed site's: the first start writes the modules' bytecode as it writes the index
    # file (a shell with PYTHONDONTWRITEBYTECODE would compile the site's modules each start).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        # Ready is when the worker says so, not when it has exited: freeing 50 MB of index at
        # exit is no part of starting to serve.
        with subprocess.Popen(
            [sys.executable, "-c", WORKER], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        ) as worker:
            line = worker.stdout.readline()
            ready = time.perf_counter()
        assert worker.returncode == 0, line
        phases = json.loads(line)
        phases["total"] = ready - started
        timings.append(phases)
    return {key: statistics.median(t[key] for t in timings) for key in timings[0]}


def forked_worker_start(index: search.Index, query: str) -> float:
    """Milliseconds from fork to a worker's first answered search, as gunicorn forks its
    workers from a master that loaded content and index once (preload_app)."""
    read, write = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the worker: answer one search, say how long it took, leave
        os.close(read)
        search.search(index, query)
        os.write(write, str(time.perf_counter() - started).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as answer:
        seconds = float(answer.read())
    os.waitpid(pid, 0)
    return seconds * 1000


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(shipped: content.Library, count: int, query_count: int) -> None:
    rng = random.Random(20261121)
    mb = 1024 * 1024
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "content"
        index_dir = Path(folder) / "search-index"
        generate(root, shipped, count, rng)
        library_seconds = _timed(lambda: guides_loading.load_library(root))
        library = guides_loading.load_library(root)
        documents = search.registry.documents_of(library)
        documents = [d for d in documents if d.kind in ("guide", "section")]
        sections = sum(d.kind == "section" for d in documents)

        # RSS first, in a process that has not built this index yet: it also counts what the
        # build allocated and the allocator kept.
        gc.collect()
        rss_before = rss_bytes()
        started = time.perf_counter()
        index = search.build_index(documents, library.synonyms)
        build_times = [time.perf_counter() - started]
        gc.collect()
        rss_added = rss_bytes() - rss_before
        if count <= 1000:
            build_times += [
                _timed(lambda: search.build_index(documents, library.synonyms)) for _ in range(2)
            ]

        settings.SEARCH_INDEX_DIR = index_dir
        fingerprint = search.store.content_fingerprint("", documents, library.synonyms, {})
        path = index_dir / f"{fingerprint}.pickle"
        store_seconds = _timed(lambda: search.store.store(fingerprint, index))
        file_mb = path.stat().st_size / mb
        load_seconds = min(
            _timed(lambda: search.store.load_cached(fingerprint, documents)) for _ in range(3)
        )
        # What a worker holds: the index as loaded from its file (documents are the library's).
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        loaded = search.store.load_cached(fingerprint, documents)
        gc.collect()
        traced = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        assert loaded is not None

        queries = queries_for(shipped, query_count, rng)
        for query in queries[:20]:  # warm the regex cache as a running worker would have
            search.search(index, query)
        latencies, empty = [], 0
        for query in queries:
            started = time.perf_counter()
            hits = search.search(index, query)
            latencies.append((time.perf_counter() - started) * 1000)
            empty += not hits
        median, p95 = statistics.median(latencies), percentile(latencies, 0.95)

        # What /search/ runs: BM25 over guides, outcomes and codes, the pins, the reader.
        settings.UNDERSTANDING_MODEL_DIR = index_dir / "models"
        full_index = search.registry.get_index(library)
        train_seconds = _timed(lambda: reading.get_model(library))
        for query in queries[:20]:
            search.search_with_hint(full_index, query, content=library)
        blended, readings = [], []
        for query in queries:
            started = time.perf_counter()
            search.search_with_hint(full_index, query, content=library)
            blended.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            reading.read(library, query)
            readings.append((time.perf_counter() - started) * 1000)

        # The real worker indexes the assistant's outcomes too; its first start writes the file.
        worker_start(root, index_dir, runs=1)
        worker = worker_start(root, index_dir, runs=5)
        forked = forked_worker_start(index, queries[0])

    print(f"\n== {len(library.guides)} guides, {sections} sections ==")
    print(f"content loaded from Markdown:  {library_seconds:7.2f} s    (guides.loading)")
    print(
        f"index build:                   {statistics.median(build_times):7.2f} s    "
        f"once per content version (median of {len(build_times)})"
    )
    print(
        f"index file:                    {file_mb:7.1f} MB   "
        f"written in {store_seconds:.2f} s, loaded in {load_seconds * 1000:.0f} ms"
    )
    print(
        f"query median:                  {median:7.2f} ms   target < {TARGET_MEDIAN_MS} ms"
        f"  ({len(queries)} queries, {empty} with no result)"
    )
    print(f"query p95:                     {p95:7.2f} ms   target < {TARGET_P95_MS} ms")
    print(f"  slowest:                     {max(latencies):7.2f} ms")
    print(
        f"/search/ query median:         {statistics.median(blended):7.2f} ms   target < "
        f"{TARGET_MEDIAN_MS} ms  (BM25 + pins + reader; p95 {percentile(blended, 0.95):.2f} ms)"
    )
    print(
        f"reader: one reading median     {statistics.median(readings):7.2f} ms   "
        f"(p95 {percentile(readings, 0.95):.2f} ms); trained in {train_seconds:.2f} s once per "
        "content version (scikit-learn imported), then loaded from its file"
    )
    print(
        f"index memory (traced):         {traced / mb:7.1f} MB   target <= {TARGET_MEMORY_MB} MB"
        "  (as a worker loads it)"
    )
    print(f"index memory (RSS, building):  {rss_added / mb:7.1f} MB")
    print(
        f"cold start (new process):      {worker['total'] * 1000:7.0f} ms   "
        f"target < {TARGET_WORKER_MS} ms  (fresh python; index file and bytecode present)"
    )
    print(
        f"  of which: setup {worker['setup'] * 1000:.0f} ms, content {worker['library'] * 1000:.0f}"
        f" ms, search index {worker['index'] * 1000:.0f} ms, reader's model "
        f"{worker['model'] * 1000:.0f} ms"
    )
    print(
        f"worker start (forked):         {forked:7.1f} ms   target < {TARGET_WORKER_MS} ms  "
        "(fork to first answered search; gunicorn.conf.py preloads, so this is a worker's start)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--guides", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    shipped = guides_loading.load_library(Path(settings.BASE_DIR) / "content")
    for count in args.guides:
        measure(shipped, count, args.queries)


if __name__ == "__main__":
    main()

"""Guide pages: in-process time to serve a cached guide, and start-up cost of the content.

Run: .venv/bin/python bench/bench_guides.py [--requests N]
Targets (issue 2): median under 2 ms for a cached guide page.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
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

from bench._timing import percentile, time_requests  # noqa: E402
from guides import loading as guides_loading  # noqa: E402

GZIP = {"Accept-Encoding": "gzip"}  # as phones send it: the gzip cost is counted


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    settings.CONTENT_CHECK_SECONDS = 1.0  # as in production: one directory scan a second at most

    runs = []
    for _ in range(5):
        start = time.perf_counter()
        library = guides_loading.load_library(Path(settings.CONTENT_DIR))
        runs.append((time.perf_counter() - start) * 1000)
    size = sum(g.path.stat().st_size for g in library.guides.values())
    print(f"content: {len(library.guides)} guides, {size / 1024:.0f} KB of Markdown")
    print(f"load + render all guides: median {statistics.median(runs):.1f} ms (5 runs)")

    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", "import helpcenter.wsgi"],
        cwd=ROOT,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "tests.settings"},
        capture_output=True,
    )
    print(
        f"fresh process importing helpcenter.wsgi (Django setup, content, search index): "
        f"{(time.perf_counter() - start) * 1000:.0f} ms (exit {result.returncode})"
    )

    client = Client()
    for url in ("/guides/unlock-locked-terminal/", "/guides/basic-troubleshooting/", "/"):
        time_requests(client, url, GZIP, 50)  # warm up
        timings = time_requests(client, url, GZIP, args.requests)
        print(
            f"GET {url}: median {statistics.median(timings):.2f} ms, "
            f"p95 {percentile(timings, 0.95):.2f} ms over {args.requests} requests "
            f"(target: median < 2 ms)"
        )


if __name__ == "__main__":
    main()

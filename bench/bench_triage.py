"""The assistant: in-process time for a full page deep in the tree and for one HTMX step.

Run: .venv/bin/python bench/bench_triage.py [--requests N]
Target: median under 3 ms for each, with tests.settings through Django's test Client (the
whole middleware stack: CSP nonce, GZip, htmx details).
"""

from __future__ import annotations

import argparse
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

from bench._timing import percentile, time_requests  # noqa: E402
from guides.library import get_library  # noqa: E402
from triage.loading import load_tree  # noqa: E402

# The longest route in the shipped tree that ends on the before-you-call card: every kind of
# bubble, the channel include, the card and the tools are on the page.
DEEP = "/triage/status/locked/frozen/unsolved/"
STEP = "/triage/status/locked/wrong-password/"
HTMX = {"HX-Request": "true", "HX-Target": "answers", "Accept-Encoding": "gzip"}
FULL = {"Accept-Encoding": "gzip"}
CASES = (
    ("full page, deep path", DEEP, FULL),
    ("full page, outcome", STEP, FULL),
    ("HTMX step, outcome", STEP, HTMX),
    ("HTMX step, question", "/triage/sign-in/", HTMX),
    ("service code jump", "/triage/code/?code=l2", FULL),
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    settings.CONTENT_CHECK_SECONDS = 1.0  # as in production: one directory scan a second at most

    library = get_library()
    start = time.perf_counter()
    tree = load_tree(library)
    print(
        f"tree: {len(tree.nodes)} questions, {len(tree.outcomes)} outcomes; "
        f"load + check {(time.perf_counter() - start) * 1000:.1f} ms"
    )
    client = Client()
    for label, url, headers in CASES:
        time_requests(client, url, headers, 50)  # warm up: template cache, tree, search index
        timings = time_requests(client, url, headers, args.requests)
        print(
            f"{label:24} {url:36} median {statistics.median(timings):.2f} ms, "
            f"p95 {percentile(timings, 0.95):.2f} ms ({args.requests} requests)"
        )


if __name__ == "__main__":
    main()

"""Timing helpers shared by the benchmark scripts (in-process, through Django's test Client)."""

from __future__ import annotations

import time


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def time_requests(client, url: str, headers: dict, count: int) -> list[float]:
    """Milliseconds for each of `count` GETs; a wrong status stops the benchmark."""
    timings = []
    for _ in range(count):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 302), (url, response.status_code)
    return timings

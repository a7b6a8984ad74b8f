"""The service worker never keeps what a photo was answered with."""

from __future__ import annotations

import re

from offline import worker


def test_the_worker_leaves_posts_to_the_network(client):
    source = client.get("/sw.js").content.decode()
    fetch = source[source.index('addEventListener("fetch"') :]
    # The first thing the fetch handler does: anything but GET (the photo's POST) is not
    # answered from, or put into, a cache.
    assert re.search(r'if \(request\.method !== "GET"\) return;', fetch[:300])


def test_the_photo_page_is_not_among_the_pages_kept():
    kept = [worker.prefix(*name) for name in worker.KEPT]
    not_kept = [worker.prefix(*name) for name in worker.NOT_KEPT]
    assert "/photo/" in not_kept
    assert not any("/photo/".startswith(p) for p in kept)

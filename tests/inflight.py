"""Requests live_server is still answering, so a browser test's database is emptied only after
the last one (a service worker's background fetch can outlive the page that started it)."""

from __future__ import annotations

import threading

_count = 0
_idle = threading.Condition()


def middleware(get_response):
    def counted(request):
        global _count
        with _idle:
            _count += 1
        try:
            return get_response(request)
        finally:
            with _idle:
                _count -= 1
                _idle.notify_all()

    return counted


def wait_until_idle(timeout: float = 10.0) -> bool:
    with _idle:
        return _idle.wait_for(lambda: _count == 0, timeout)

"""What every app's views share about requests: the htmx-aware request type and the bounded
reading of query parameters a visitor sends."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

QUERY_LIMIT = 200  # characters of a query that are looked at and shown back


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def clean_query(request: HttpRequest, name: str = "q") -> str:
    """The visitor's text: the first value only, control characters dropped, bounded."""
    raw = (request.GET.getlist(name) or [""])[0]
    printable = "".join(ch if ch.isprintable() else " " for ch in raw[: QUERY_LIMIT * 4])
    return " ".join(printable.split())[:QUERY_LIMIT]


def page_number(request: HttpRequest) -> int:
    raw = (request.GET.getlist("page") or ["1"])[0]
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 4 else 1

"""What /healthz says about the content: the content check's errors, and what apps report.

The project package knows no app: the content check is Django's check framework (tag
"content", which every app's checks register under), run once per content version, and apps
add their own lines from ``AppConfig.ready()``::

    status.register_report("guides", lambda: len(get_library().guides))
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.core import checks

from helpcenter.caching import content_version

logger = logging.getLogger(__name__)

_reports: dict[str, Callable[[], Any]] = {}
_probes: dict[str, Callable[[], tuple[str, Any]]] = {}
_errors: tuple[str, list[str]] | None = None
_lock = threading.Lock()


def register_report(name: str, report: Callable[[], Any]) -> None:
    """Add a key to /healthz's answer; ``report`` must be quick and never raise."""
    _reports[name] = report


def register_probe(name: str, probe: Callable[[], tuple[str, Any]]) -> None:
    """Add a part that can be unwell: ``probe`` answers (problem name or "", details) within
    about a second and never raises (the database app registers "database")."""
    _probes[name] = probe


def probes() -> tuple[list[str], dict[str, Any]]:
    """The problems the registered probes name, and each probe's details under its name."""
    problems, details = [], {}
    for name, probe in _probes.items():
        problem, details[name] = probe()
        if problem:
            problems.append(problem)
    return problems, details


def reports() -> dict[str, Any]:
    """Each app's lines; one that fails is logged and answers None (/healthz never a 500)."""
    answers = {}
    for name, report in _reports.items():
        try:
            answers[name] = report()
        except Exception:
            logger.exception("health report %s failed", name)
            answers[name] = None
    return answers


def content_errors() -> list[str]:
    """Every error the content checks find (guides, contacts, synonyms, codes, the tree).

    The same checks as `manage.py check`, run once per content version, not per request (a
    load balancer asks /healthz every few seconds), and logged once so editors see them.
    """
    global _errors
    version = content_version()
    with _lock:
        if _errors is None or _errors[0] != version:
            try:
                found = [m.msg for m in checks.run_checks(tags=["content"]) if m.is_serious()]
            except Exception as exc:  # the check itself failed on a file: say so, never a 500
                logger.exception("content check failed")
                found = [f"内容检查没有完成：{type(exc).__name__}"]
            for error in found:
                logger.error("content: %s", error)
            _errors = (version, found)
        return _errors[1]


_warm_ups: list[Callable[[], Any]] = []


def register_warm_up(step: Callable[[], Any]) -> None:
    """Something to load before the first request (before gunicorn forks its workers)."""
    _warm_ups.append(step)


def warm_up() -> None:
    for step in _warm_ups:
        try:
            step()
        except Exception:  # a broken index must not stop the site from serving guides
            logger.exception("warm-up step %s failed", getattr(step, "__qualname__", step))
    content_errors()  # logs what an editor broke, before the first merchant meets it

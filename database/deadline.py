"""A deadline the application keeps for every database call a request makes.

PostgreSQL's ``statement_timeout`` and ``lock_timeout`` are kept by the server, and
``connect_timeout`` covers only connecting: a query on an open connection to a server that
accepts and never answers (a stopped process, a failover, a half-open path) waits in the
client without end, and the kernel on the far side still acknowledges TCP keepalives. So the
application keeps its own deadline:

* A thread that runs with a ``budget`` (each request, through ``helpcenter.middleware``; the
  insights flusher; the health probe) has every query of its connections watched. When one
  has not answered within the budget, the watchdog marks the database down (the breaker in
  ``database.health``) and shuts the connection's socket, so the waiting call returns at
  once with an error and Django throws the connection away. SQLite's connection is
  interrupted instead (its lock waits already end at its busy timeout, the same budget).
* While the database is marked down, a budgeted call fails at once instead of waiting again.

Threads without a budget (migrate, management commands) are left alone.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator

from django.db import OperationalError

from database.health import database_down, mark_database_down, mark_database_slow

logger = logging.getLogger(__name__)

_state = threading.local()


@contextlib.contextmanager
def budget(seconds: float, *, fail_fast: bool = True) -> Iterator[None]:
    """Every database call this thread makes inside gets at most ``seconds``; with
    ``fail_fast``, none is tried while the database is marked down. (The health probe and the
    flusher try anyway: they are how the site learns the database is back.)"""
    before = getattr(_state, "seconds", None), getattr(_state, "fail_fast", True)
    _state.seconds, _state.fail_fast = seconds, fail_fast
    try:
        yield
    finally:
        _state.seconds, _state.fail_fast = before


def current_budget() -> float | None:
    return getattr(_state, "seconds", None)


class _Watchdog:
    """One thread per process that runs an action when a call outlives its deadline.

    The action runs under the lock that ``disarm`` takes, so it never touches a connection
    whose call has already returned (its socket could by then belong to someone else).
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._armed: dict[int, tuple[float, Callable[[], None]]] = {}
        self._tokens = itertools.count()
        self._thread: tuple[int, threading.Thread] | None = None

    def arm(self, seconds: float, action: Callable[[], None]) -> int:
        token = next(self._tokens)
        with self._cond:
            self._armed[token] = (time.monotonic() + seconds, action)
            self._ensure_thread()
            self._cond.notify()
        return token

    def disarm(self, token: int) -> bool:
        """Forget ``token``; True when its deadline had already passed (the action ran)."""
        with self._cond:
            return self._armed.pop(token, None) is None

    def _ensure_thread(self) -> None:
        pid = os.getpid()  # a forked worker needs its own thread
        if self._thread is None or self._thread[0] != pid or not self._thread[1].is_alive():
            thread = threading.Thread(target=self._run, name="db-deadline", daemon=True)
            self._thread = (pid, thread)
            thread.start()

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                for token, (deadline, action) in list(self._armed.items()):
                    if deadline <= now:
                        del self._armed[token]
                        try:
                            action()
                        except Exception:
                            logger.exception("database deadline: could not break the call")
                waits = [deadline - now for deadline, _ in self._armed.values()]
                self._cond.wait(max(0.01, min(waits, default=60.0)))


watchdog = _Watchdog()


def _breaker(raw_connection, vendor: str) -> Callable[[], None]:
    fileno = raw_connection.fileno() if vendor == "postgresql" else -1

    def action() -> None:
        mark_database_down()
        mark_database_slow()
        logger.warning("database: no answer within the deadline; connection dropped")
        if vendor == "sqlite":
            raw_connection.interrupt()
        elif fileno >= 0:
            # Shut the socket down (not close it: the waiting thread still owns the descriptor):
            # its read returns at once, psycopg reports the connection lost, Django drops it.
            with socket.socket(fileno=os.dup(fileno)) as sock:
                sock.shutdown(socket.SHUT_RDWR)

    return action


@contextlib.contextmanager
def _watched(wrapper) -> Iterator[None]:
    seconds = current_budget()
    if seconds is None or wrapper.connection is None:
        yield
        return
    token = watchdog.arm(seconds, _breaker(wrapper.connection, wrapper.vendor))
    try:
        yield
    except Exception as exc:
        if watchdog.disarm(token):
            wrapper.errors_occurred = True
            raise OperationalError(f"the database did not answer within {seconds:g} s") from exc
        raise
    if watchdog.disarm(token):
        # It answered just as the deadline passed: the socket is shut all the same.
        wrapper.errors_occurred = True
        raise OperationalError(f"the database did not answer within {seconds:g} s")


def _give_up_at_once() -> bool:
    return current_budget() is not None and getattr(_state, "fail_fast", True) and database_down()


def _execute_with_deadline(execute, sql, params, many, context):
    if _give_up_at_once():
        raise OperationalError("the database is marked down: not waiting for it")
    with _watched(context["connection"]):
        return execute(sql, params, many, context)


def install(sender=None, connection=None, **kwargs) -> None:
    """Watch ``connection`` (a ``connection_created`` receiver; once per DatabaseWrapper)."""
    if connection is None or getattr(connection, "_deadline_installed", False):
        return
    connection._deadline_installed = True
    connection.execute_wrappers.append(_execute_with_deadline)
    # Django's health check and its "is this connection still usable?" run a query of their
    # own, past the execute wrappers.
    is_usable = connection.is_usable

    def is_usable_within_deadline() -> bool:
        if _give_up_at_once():
            return False
        try:
            with _watched(connection):
                return is_usable()
        except OperationalError:
            return False

    connection.is_usable = is_usable_within_deadline
    # Nor does a request open a new connection (connect_timeout each) while it is down.
    ensure_connection = connection.ensure_connection

    def ensure_connection_unless_down() -> None:
        if connection.connection is None and _give_up_at_once():
            raise OperationalError("the database is marked down: not connecting")
        ensure_connection()

    connection.ensure_connection = ensure_connection_unless_down

"""``database_deadline`` gives every database call of a request the budget ``DB_TIMEOUT_SECONDS``
(``database.deadline``), and answers a request that failed on the database (down, past its
deadline, locked) with a 503 page instead of a 500. Public pages, beacons and votes never
reach the database; the staff pages, the login and the admin do.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, ProgrammingError
from django.http import HttpRequest, HttpResponse
from django.template import loader

from database import deadline
from database.health import mark_database_down

_failed = threading.local()


def _note_database_failure(sender, request=None, **kwargs) -> None:
    exc = sys.exc_info()[1]
    # Down, gone, past its deadline, locked, or not migrated; not a bug such as an IntegrityError.
    if isinstance(exc, OperationalError | InterfaceError | ProgrammingError):
        _failed.database = True


def database_deadline(get_response: Callable) -> Callable:
    # Django turns an exception in any inner layer (a view, the session middleware saving)
    # into a 500 before it reaches us; the signal says whether the database was the cause.
    got_request_exception.connect(_note_database_failure, dispatch_uid="database_deadline")

    def middleware(request: HttpRequest) -> HttpResponse:
        _failed.database = False
        with deadline.budget(settings.DB_TIMEOUT_SECONDS):
            response = get_response(request)
        if response.status_code == 500 and _failed.database:
            mark_database_down()
            body = loader.render_to_string("database_unavailable.html", {})
            response = HttpResponse(body, status=503)
            response["Cache-Control"] = "no-store"
            response["Retry-After"] = "30"
        _failed.database = False
        return response

    return middleware

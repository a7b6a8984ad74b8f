"""gunicorn's access log with every control character escaped.

A path may carry CR, LF or ESC (``%0d%0a`` decodes into PATH_INFO): written raw, they forge
log lines or drive a terminal that shows the log. Each such character is written as ``\\xNN``
(a backslash itself as ``\\\\``), so one request is always one plain line.
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\\\u2028\u2029]")


def escape(value: str) -> str:
    return _UNSAFE.sub(lambda m: "\\\\" if m.group() == "\\" else f"\\x{ord(m.group()):02x}", value)


class SafeAccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: escape(v) if isinstance(v, str) else v for k, v in atoms.items()}

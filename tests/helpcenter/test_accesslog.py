"""helpcenter/accesslog.py: what a path says cannot forge a line of gunicorn's access log."""

from __future__ import annotations

import datetime as dt
import runpy
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]


def _access_line(tmp_path: Path, path: str) -> str:
    from gunicorn.config import Config

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    cfg = Config()
    cfg.set("accesslog", str(tmp_path / "access.log"))
    cfg.set("access_log_format", config["access_log_format"])
    cfg.set("logger_class", config["logger_class"])
    logger = cfg.logger_class(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "RAW_URI": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "QUERY_STRING": "",
    }
    response = SimpleNamespace(status="404 Not Found", sent=10, headers=[])
    logger.access(response, SimpleNamespace(headers=[]), environ, dt.timedelta(milliseconds=3))
    for handler in logger.access_log.handlers:
        handler.flush()
    return (tmp_path / "access.log").read_text()


def test_cr_lf_and_esc_of_a_path_are_escaped_in_the_access_log(tmp_path):
    forged = '/x\r\n127.0.0.1 "GET /staff/admin/" 200 0 1ms\x1b[2J\\'
    log = _access_line(tmp_path, forged)
    assert log.count("\n") == 1 and "\r" not in log and "\x1b" not in log
    assert "\\x0d\\x0a127.0.0.1" in log and "\\x1b[2J" in log

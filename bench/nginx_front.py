"""deploy/nginx.conf, made runnable on loopback for the benchmark and the config test.

The production example is taken as it is; only what cannot work here is swapped: the
upstream servers become the local gunicorn, TLS becomes plain http on a local port, and the
paths (pid, logs, cache, static files, mime.types) move into a scratch folder.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = ROOT / "deploy" / "nginx.conf"


def local_config(
    *, scratch: Path, listen: int, redirect: int, upstream: str, static_root: Path
) -> str:
    text = PRODUCTION.read_text(encoding="utf-8")
    swaps = [
        (r"(?m)^pid .*?;", f"pid {scratch}/nginx.pid;"),
        (r"error_log \S+", f"error_log {scratch}/error.log"),
        (r"access_log /var/log/nginx/helpcenter-access\.log", f"access_log {scratch}/access.log"),
        (r"include /etc/nginx/mime\.types;", "include /etc/nginx/mime.types;"),
        (r"/var/cache/nginx/helpcenter", f"{scratch}/cache"),
        (r"alias /srv/helpcenter/staticfiles/", f"alias {static_root}/"),
        (r"(?m)^\s*server 10\.0\.0\.11:8000 .*$", f"        server {upstream};"),
        (r"(?m)^\s*server 10\.0\.0\.\d+:8000 .*\n", ""),
        (r"(?m)^\s*listen 80;\n\s*listen \[::\]:80;\n", f"    listen 127.0.0.1:{redirect};\n"),
        (r"(?m)^\s*listen 443 ssl http2;\n", f"        listen 127.0.0.1:{listen};\n"),
        (r"(?m)^\s*listen \[::\]:443 ssl http2;\n", ""),
        (r"(?m)^\s*ssl_\w+ .*\n", ""),
    ]
    for pattern, replacement in swaps:
        text, count = re.subn(pattern, replacement, text)
        if not count:
            raise ValueError(f"deploy/nginx.conf changed: nothing matches {pattern!r}")
    for folder in ("cache", "client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (scratch / folder).mkdir(parents=True, exist_ok=True)
    temp_paths = "".join(
        f"    {name}_temp_path {scratch}/{folder};\n"
        for name, folder in [
            ("client_body", "client_body"),
            ("proxy", "proxy"),
            ("fastcgi", "fastcgi"),
            ("uwsgi", "uwsgi"),
            ("scgi", "scgi"),
        ]
    )
    return text.replace("http {\n", "http {\n" + temp_paths, 1)

"""Offline reading over real HTTP: what the service worker precaches, and Lighthouse's view.

Starts gunicorn with production settings (collected, hashed and compressed static files) on a
free loopback port, then:
  * reads the precache list from /sw.js and fetches each entry as a phone would (gzip),
    printing raw and transferred kilobytes against the 150 KB budget;
  * runs Lighthouse (node_modules/.bin/lighthouse, from `npm ci`) in Debian's chromium on the
    home page, a guide and the offline page, printing category scores and the audits that
    matter here. Lighthouse 12 dropped its PWA category and installability audits; the
    installability check is tests/browser/test_offline.py (Chromium's own, through CDP).

Run: .venv/bin/python bench/bench_offline.py [--no-lighthouse]
Targets: precache under 150 KB raw; Lighthouse accessibility and best practices 100.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
BUDGET_KB = 150
PAGES = ["/", "/guides/unlock-locked-terminal/", "/offline/"]
AUDITS = ["errors-in-console", "csp-xss", "total-byte-weight", "bf-cache", "is-on-https"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[bytes, int]:
    """The body and the bytes on the wire (gzip when the server offers it)."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        wire = response.read()
        gzipped = response.headers.get("Content-Encoding") == "gzip"
    return (gzip.decompress(wire) if gzipped else wire), len(wire)


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def precache(base: str) -> None:
    source = fetch(base + "/sw.js")[0].decode()
    config = json.loads(re.search(r"^const config = (\{.*?\n\});$", source, re.S | re.M).group(1))
    rows, raw_total, wire_total = [], 0, 0
    for url in [*config["essential"], *config["optional"]]:
        body, wire = fetch(base + url)
        rows.append((url, len(body), wire))
        raw_total += len(body)
        wire_total += wire
    print(f"precache ({len(rows)} entries, version {config['version']}):")
    for url, raw, wire in sorted(rows, key=lambda row: -row[1]):
        print(f"  {raw / 1024:6.1f} KB raw  {wire / 1024:6.1f} KB sent  {url}")
    print(
        f"  total {raw_total / 1024:.1f} KB raw ({raw_total / 1024 / BUDGET_KB:.0%} of the"
        f" {BUDGET_KB} KB budget), {wire_total / 1024:.1f} KB sent with gzip"
    )
    print(f"  kept pages: at most {config['max_pages']}, prefixes {', '.join(config['kept'])}")


def lighthouse(base: str, folder: Path) -> None:
    if not LIGHTHOUSE.exists():
        print("lighthouse: not installed (npm ci), skipped")
        return
    version = subprocess.run([LIGHTHOUSE, "--version"], capture_output=True, text=True).stdout
    print(f"lighthouse {version.strip()} (mobile emulation, simulated slow 4G):")
    for path in PAGES:
        report = folder / "report.json"
        subprocess.run(
            [
                LIGHTHOUSE,
                base + path,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                "--only-categories=performance,accessibility,best-practices,seo",
                "--chrome-flags=--headless=new --no-sandbox",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            check=True,
            timeout=180,
        )
        result = json.loads(report.read_text())
        scores = "  ".join(
            f"{name} {round(category['score'] * 100)}"
            for name, category in result["categories"].items()
        )
        print(f"  {path}: {scores}")
        if path == "/offline/":
            print("      (seo: the offline page is noindex on purpose)")
        for audit_id in AUDITS:
            audit = result["audits"].get(audit_id)
            if audit:
                shown = audit.get("displayValue") or (
                    {1: "pass", None: "informative"}.get(audit["score"], f"score {audit['score']}")
                )
                print(f"      {audit_id}: {shown}")
                if audit["score"] == 0:
                    for item in audit.get("details", {}).get("items", [])[:3]:
                        print(f"        {item.get('description') or item.get('url')}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "helpcenter.settings",
            "DJANGO_SECRET_KEY": "bench-offline-not-a-secret-0123456789abcdef0123456789",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_STATIC_ROOT": str(folder / "static"),
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "DJANGO_SITE_URL": f"http://localhost:{port}",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_ACCESS_LOG": str(folder / "access.log"),
        }
        for command in (["collectstatic", "--noinput", "-v0"], ["migrate", "-v0", "--skip-checks"]):
            subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)
        log = (folder / "gunicorn.log").open("w")
        server = subprocess.Popen(
            [GUNICORN, "--config", "gunicorn.conf.py", "helpcenter.wsgi:application"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://localhost:{port}"
            wait_for(base + "/offline/")
            precache(base)
            if not args.no_lighthouse:
                lighthouse(base, folder)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())

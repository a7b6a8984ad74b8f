"""Faults under load: mixed traffic through gunicorn while an editor saves a guide every few
seconds (in place and by rename) and the database is stopped and started mid-run.

Prints requests by kind, answers by status, 5xx, votes sent / accepted / refused / stored,
and whether reads were served throughout the database outage.

Run: .venv/bin/python bench/bench_faults.py [--database sqlite|postgres] [--seconds 60]
PostgreSQL: a local Debian cluster (pg_ctlcluster) is stopped and started; run as root.
Targets: 0 5xx, 0 lost votes (every accepted vote stored), reads served during the outage.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live_gunicorn import fetch, gunicorn  # noqa: E402

READS = [
    "/",
    "/guides/sign-in-after-power-off/",
    "/guides/unlock-locked-terminal/",
    "/guides/settlement-not-received/",
    "/categories/terminal-status/",
    "/triage/",
    "/triage/locked/",
    "/search/?q=签到",
    "/api/search?q=机器锁住了",
    "/codes/51/",
]
GUIDE = "sign-in-after-power-off"
VOTE = f"/guides/{GUIDE}/feedback/"


class _Unfollowed(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a vote's 302 is its answer


NO_REDIRECTS = urllib.request.build_opener(_Unfollowed)


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_kind: collections.Counter = collections.Counter()
        self.by_status: collections.Counter = collections.Counter()
        self.errors: list[str] = []
        self.outage_reads_ok = 0
        self.outage_reads_failed = 0
        self.votes = collections.Counter()

    def add(self, kind: str, status: int, *, during_outage: bool, detail: str = "") -> None:
        with self.lock:
            self.by_kind[kind] += 1
            self.by_status[status] += 1
            if status >= 500 and not (kind == "vote" and status == 503):
                self.errors.append(f"{kind} {detail} -> {status}")
            if during_outage and kind == "read":
                if status == 200:
                    self.outage_reads_ok += 1
                else:
                    self.outage_reads_failed += 1


def traffic(base: str, tally: Tally, stop: threading.Event, outage: threading.Event) -> None:
    rng = random.Random()
    client = 0
    while not stop.is_set():
        if rng.random() < 0.15:
            client += 1
            helpful = rng.choice(["yes", "no"])
            headers = {
                "Origin": base,
                "Content-Type": "application/x-www-form-urlencoded",
                # Many merchants behind the trusted proxy (127.0.0.1): one address each.
                "X-Forwarded-For": f"10.{rng.randrange(256)}.{rng.randrange(256)}.{client % 250}",
            }
            try:
                request = urllib.request.Request(
                    base + VOTE, data=f"helpful={helpful}".encode(), headers=headers
                )
                with NO_REDIRECTS.open(request, timeout=15) as response:
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except (urllib.error.URLError, OSError) as exc:
                status = 599
                tally.errors.append(f"vote: {exc}")
            tally.add("vote", status, during_outage=outage.is_set())
            with tally.lock:
                tally.votes["sent"] += 1
                if status == 302:
                    tally.votes["accepted"] += 1
                elif status == 503:
                    tally.votes["refused (database down)"] += 1
                elif status == 429:
                    tally.votes["refused (rate limit)"] += 1
                else:
                    tally.votes[f"other {status}"] += 1
        else:
            url = rng.choice(READS)
            try:
                status, _, _ = fetch(base + url, timeout=15)
            except (urllib.error.URLError, OSError) as exc:
                status = 599
                tally.errors.append(f"{url}: {exc}")
            tally.add("read", status, during_outage=outage.is_set(), detail=url)


def editor(content: Path, stop: threading.Event, every: float, tally: Tally) -> None:
    path = content / "guides" / f"{GUIDE}.md"
    original = path.read_text(encoding="utf-8")
    saves = 0
    while not stop.wait(every):
        saves += 1
        text = original.replace("签到", "签到" if saves % 2 else "签到 ", 1)
        if saves % 2:
            # In place, the way many editors save: truncate, then write in pieces.
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text[: len(text) // 3])
                handle.flush()
                time.sleep(0.3)
                handle.write(text[len(text) // 3 :])
        else:
            temp = path.with_suffix(".md.tmp")
            temp.write_text(text, encoding="utf-8")
            os.replace(temp, path)
        with tally.lock:
            tally.by_kind["editor save"] += 1


class Database:
    def __init__(self, kind: str, scratch: Path) -> None:
        self.kind = kind
        self.scratch = scratch
        self.file = scratch / "faults.sqlite3"
        if kind == "postgres":
            self.version = sorted(os.listdir("/usr/lib/postgresql"))[-1]
            subprocess.run(["pg_ctlcluster", self.version, "main", "start"], check=False)
            sql = (
                "DROP DATABASE IF EXISTS helpcenter_faults;\n"
                "DO $$ BEGIN CREATE ROLE helpcenter LOGIN CREATEDB PASSWORD 'helpcenter'; "
                "EXCEPTION WHEN duplicate_object THEN NULL; END $$;\n"
                "CREATE DATABASE helpcenter_faults OWNER helpcenter;\n"
            )
            subprocess.run(
                ["su", "postgres", "-c", "psql -q -v ON_ERROR_STOP=1"],
                input=sql,
                text=True,
                check=True,
            )

    @property
    def url(self) -> str:
        if self.kind == "postgres":
            return "postgres://helpcenter:helpcenter@127.0.0.1:5432/helpcenter_faults"
        return f"sqlite:///{self.file}"

    def stop(self) -> None:
        if self.kind == "postgres":
            subprocess.run(["pg_ctlcluster", self.version, "main", "stop", "-m", "fast"])
        else:
            # Another process takes the write lock and keeps it: every write waits its busy
            # timeout and fails, as with a stuck migration or a backup that locks the file.
            self.locker = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], timeout=30, "
                    "isolation_level=None); c.execute('BEGIN EXCLUSIVE'); "
                    "print('locked', flush=True); time.sleep(3600)",
                    str(self.file),
                ],
                stdout=subprocess.PIPE,
                text=True,
            )
            self.locker.stdout.readline()

    def start(self) -> None:
        if self.kind == "postgres":
            # "already running" (exit 2) is fine: the finally block starts it once more.
            subprocess.run(["pg_ctlcluster", self.version, "main", "start"], check=False)
        elif getattr(self, "locker", None):
            self.locker.kill()
            self.locker.wait()
            self.locker = None

    def stored_votes(self, env: dict[str, str]) -> int:
        code = (
            "import django; django.setup();"
            "from django.db.models import Sum;"
            "from insights.models import DailyCount;"
            "print(DailyCount.objects.filter(kind__in=['vote-yes','vote-no'])"
            ".aggregate(n=Sum('count'))['n'] or 0)"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )
        return int(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--save-every", type=float, default=3.0)
    parser.add_argument("--no-outage", action="store_true", help="load and saves only")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    content = scratch / "content"
    shutil.copytree(ROOT / "content", content)
    database = Database(args.database, scratch)
    overrides = {
        "DATABASE_URL": database.url,
        "HELPCENTER_CONTENT_DIR": str(content),
        "GUNICORN_WORKERS": "3",
        "GUNICORN_THREADS": "4",
        "HELPCENTER_INSIGHTS_FLUSH_SECONDS": "2",
        "HELPCENTER_INSIGHTS_SPOOL_DIR": str(scratch / "spool"),
        "HELPCENTER_CONTENT_CACHE_DIR": str(scratch / "content-cache"),
    }
    tally = Tally()
    stop, outage = threading.Event(), threading.Event()
    try:
        with gunicorn(scratch, **overrides) as base:
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "helpcenter.settings",
                "DJANGO_SECRET_KEY": "x" * 50,
                "DATABASE_URL": database.url,
            }
            workers = [
                threading.Thread(target=traffic, args=(base, tally, stop, outage))
                for _ in range(args.clients)
            ]
            workers.append(
                threading.Thread(target=editor, args=(content, stop, args.save_every, tally))
            )
            for worker in workers:
                worker.start()
            third = args.seconds / 3
            time.sleep(third)
            if not args.no_outage:
                outage.set()
                database.stop()
                print(f"{time.strftime('%X')} database stopped")
            time.sleep(third / 2)
            if not args.no_outage:
                database.start()
                outage.clear()
                print(f"{time.strftime('%X')} database started")
            time.sleep(args.seconds - third - third / 2)
            stop.set()
            for worker in workers:
                worker.join()
            # Counters are written every 2 s; give the last batch and a retry time to land.
            time.sleep(6)
        stored = database.stored_votes(env)
        log = "".join(p.read_text(errors="replace") for p in scratch.glob("gunicorn-*.log"))
        retries = sum("wait for the next try" in line for line in log.splitlines())
        dropped = [line for line in log.splitlines() if "dropped" in line or " lost" in line]
        dropped = [line for line in dropped if ", 0 lost" not in line]
    finally:
        if args.database == "postgres":
            database.start()
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"\n{args.database}: {args.seconds} s, {args.clients} clients")
    for kind, n in sorted(tally.by_kind.items()):
        print(f"  {kind:<14} {n:>7}")
    print("answers: " + ", ".join(f"{s}: {n}" for s, n in sorted(tally.by_status.items())))
    fives = sum(n for s, n in tally.by_status.items() if s >= 500)
    unexpected = len(tally.errors)
    print(f"5xx: {fives}; failed requests other than a vote's 503: {unexpected}")
    for error in tally.errors[:10]:
        print(f"  unexpected: {error}")
    print("votes: " + ", ".join(f"{k} {n}" for k, n in tally.votes.items()) + f", stored {stored}")
    lost = tally.votes["accepted"] - stored
    print(f"lost votes (accepted but not stored): {lost}")
    print(f"counter batches the database refused and that were retried: {retries}")
    for line in dropped[:5]:
        print(f"  log: {line[:160]}")
    print(
        f"reads during the outage: {tally.outage_reads_ok} answered 200, "
        f"{tally.outage_reads_failed} not"
    )
    ok = fives == 0 and lost == 0 and tally.outage_reads_failed == 0
    print("targets met" if ok else "targets missed")


if __name__ == "__main__":
    main()

"""Faults under load: mixed traffic through gunicorn (pages, votes, beacons) while an editor
saves a guide every few seconds (in place and by rename) and the database fails mid-run, once
per kind of outage:

* SQLite: ``lock``, another process holds the write lock (a stuck migration, a backup);
* PostgreSQL (a throwaway cluster of its own, so no one else's database is touched):
  ``stop`` (stopped: connections refused), ``stall`` (every server process SIGSTOPped: the
  kernel still accepts connections and acknowledges bytes, nothing answers) and ``lock`` (a
  session holds an ACCESS EXCLUSIVE lock on the counts table).

Prints, per database and outage: reads (and how many answered 200 during the fault), writes
sent / accepted / stored, 5xx, and the page p95 over the run and during the fault.

Run: .venv/bin/python bench/bench_faults.py [--database sqlite|postgres|both] [--seconds 60]
     [--outage stop,stall,lock]   (PostgreSQL needs root and Debian's postgresql package)
Targets: 0 5xx, every accepted write stored, reads served during every outage, page p95
during the fault under 200 ms.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
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
from tests.stack.test_database_outages import own_postgres, resume, stall  # noqa: E402

READS = [
    "/",
    "/guides/sign-in-after-power-off/",
    "/guides/unlock-locked-terminal/",
    "/guides/settlement-not-received/",
    "/categories/terminal-status/",
    "/triage/",
    "/triage/status/locked/",
    "/search/?q=签到",
    "/api/search?q=机器锁住了",
    "/codes/51/",
]
GUIDE = "sign-in-after-power-off"
VOTE = f"/guides/{GUIDE}/feedback/"
OUTAGES = {"sqlite": ("lock",), "postgres": ("stop", "stall", "lock")}


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
        self.writes = collections.Counter()
        self.read_seconds: list[float] = []
        self.outage_read_seconds: list[float] = []

    def add(
        self, kind: str, status: int, *, during_outage: bool, seconds: float, detail: str = ""
    ) -> None:
        with self.lock:
            self.by_kind[kind] += 1
            self.by_status[status] += 1
            if status >= 500:
                self.errors.append(f"{kind} {detail} -> {status}")
            if kind == "read":
                self.read_seconds.append(seconds)
                if during_outage:
                    self.outage_read_seconds.append(seconds)
                    if status == 200:
                        self.outage_reads_ok += 1
                    else:
                        self.outage_reads_failed += 1


def _post(url: str, data: bytes, headers: dict) -> int:
    try:
        request = urllib.request.Request(url, data=data, headers=headers)
        with NO_REDIRECTS.open(request, timeout=15) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return 599


def traffic(base: str, tally: Tally, stop: threading.Event, outage: threading.Event) -> None:
    rng = random.Random()
    client = 0
    while not stop.is_set():
        roll = rng.random()
        start = time.monotonic()
        if roll < 0.3:
            client += 1
            headers = {
                "Origin": base,
                "Content-Type": "application/x-www-form-urlencoded",
                # Many merchants behind the trusted proxy (127.0.0.1): one address each.
                "X-Forwarded-For": f"10.{rng.randrange(256)}.{rng.randrange(256)}.{client % 250}",
            }
            if roll < 0.1:
                kind, accepted = "vote", 302
                data = f"helpful={rng.choice(['yes', 'no'])}".encode()
                status = _post(base + VOTE, data, headers)
            else:
                kind, accepted = "beacon", 204
                status = _post(
                    base + "/insights/event", f"kind=view&guide={GUIDE}".encode(), headers
                )
            tally.add(kind, status, during_outage=outage.is_set(), seconds=time.monotonic() - start)
            with tally.lock:
                tally.writes["sent"] += 1
                if status == accepted:
                    tally.writes["accepted"] += 1
                elif status == 429:
                    tally.writes["refused (rate limit)"] += 1
                else:
                    tally.writes[f"other {status}"] += 1
        else:
            url = rng.choice(READS)
            try:
                status, _, _ = fetch(base + url, timeout=15)
            except (urllib.error.URLError, OSError) as exc:
                status = 599
                tally.errors.append(f"{url}: {exc}")
            tally.add(
                "read",
                status,
                during_outage=outage.is_set(),
                seconds=time.monotonic() - start,
                detail=url,
            )


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
    """The database of one run, and the outage it goes through."""

    def __init__(self, kind: str, scratch: Path, stack: contextlib.ExitStack) -> None:
        self.kind = kind
        self.file = scratch / "faults.sqlite3"
        self.locker = None
        if kind == "postgres":
            self.pg_url, self.pg_data = stack.enter_context(own_postgres())
            self.pg_bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]

    @property
    def url(self) -> str:
        return self.pg_url if self.kind == "postgres" else f"sqlite:///{self.file}"

    def _pg_ctl(self, action: str) -> None:
        command = f"{self.pg_bin}/pg_ctl -D {self.pg_data} -w {action}"
        subprocess.run(["su", "postgres", "-c", command], check=False, capture_output=True)

    def begin(self, outage: str) -> None:
        if self.kind == "postgres" and outage == "stop":
            self._pg_ctl("-m fast stop")
        elif self.kind == "postgres" and outage == "stall":
            stall(self.pg_data)
        elif self.kind == "postgres":
            # A session holds the counts table (a long migration, a VACUUM FULL).
            import psycopg

            self.locker = psycopg.connect(self.pg_url)
            self.locker.execute("LOCK TABLE insights_dailycount IN ACCESS EXCLUSIVE MODE")
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

    def end(self, outage: str) -> None:
        if self.kind == "postgres" and outage == "stop":
            self._pg_ctl(f"-l {self.pg_data.parent}/log start")
            print(f"{time.strftime('%X')} postgres started again", flush=True)
        elif self.kind == "postgres" and outage == "stall":
            resume(self.pg_data)
        elif self.kind == "postgres" and self.locker is not None:
            self.locker.rollback()
            self.locker.close()
            self.locker = None
        elif self.locker is not None:
            self.locker.kill()
            self.locker.wait()
            self.locker = None

    def stored_writes(self, env: dict[str, str]) -> int:
        code = (
            "import django; django.setup();"
            "from django.db.models import Sum;"
            "from insights.models import DailyCount;"
            "print(DailyCount.objects.filter(kind__in=['vote-yes','vote-no','view'])"
            ".aggregate(n=Sum('count'))['n'] or 0)"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if result.returncode:
            raise RuntimeError(result.stderr[-2000:])
        return int(result.stdout.strip().splitlines()[-1])


def p95_ms(samples: list[float]) -> int:
    ordered = sorted(samples)
    return round(ordered[int(len(ordered) * 0.95)] * 1000) if ordered else 0


def run(kind: str, outage: str, args: argparse.Namespace) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    content = scratch / "content"
    shutil.copytree(ROOT / "content", content)
    tally = Tally()
    stop, during = threading.Event(), threading.Event()
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, scratch, ignore_errors=True)
        database = Database(kind, scratch, stack)
        overrides = {
            "DATABASE_URL": database.url,
            "HELPCENTER_CONTENT_DIR": str(content),
            "GUNICORN_WORKERS": "3",
            "GUNICORN_THREADS": "4",
            "HELPCENTER_INSIGHTS_FLUSH_SECONDS": "2",
            "HELPCENTER_INSIGHTS_SPOOL_DIR": str(scratch / "spool"),
            "HELPCENTER_CONTENT_CACHE_DIR": str(scratch / "content-cache"),
        }
        with gunicorn(scratch, **overrides) as base:
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "helpcenter.settings",
                "DJANGO_SECRET_KEY": "x" * 50,
                "DATABASE_URL": database.url,
            }
            workers = [
                threading.Thread(target=traffic, args=(base, tally, stop, during))
                for _ in range(args.clients)
            ]
            workers.append(
                threading.Thread(target=editor, args=(content, stop, args.save_every, tally))
            )
            for worker in workers:
                worker.start()
            third = args.seconds / 3
            time.sleep(third)
            try:
                during.set()
                database.begin(outage)
                print(f"{time.strftime('%X')} {kind} {outage}: fault begins", flush=True)
                time.sleep(third / 2)
            finally:
                database.end(outage)
                during.clear()
                print(f"{time.strftime('%X')} {kind} {outage}: fault ends", flush=True)
            time.sleep(args.seconds - third - third / 2)
            stop.set()
            for worker in workers:
                worker.join()
            # Counters are written every 2 s; give the last batch and a retry time to land.
            time.sleep(8)
        stored = database.stored_writes(env)
    for error in tally.errors[:5]:
        print(f"  unexpected: {error}")
    return {
        "database": kind,
        "outage": outage,
        "reads": tally.by_kind["read"],
        "fault reads": f"{tally.outage_reads_ok}/{len(tally.outage_read_seconds)}",
        "writes sent": tally.writes["sent"],
        "accepted": tally.writes["accepted"],
        "stored": stored,
        "5xx": sum(n for s, n in tally.by_status.items() if s >= 500),
        "p95 ms": p95_ms(tally.read_seconds),
        "fault p95 ms": p95_ms(tally.outage_read_seconds),
        "saves": tally.by_kind["editor save"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--outage", default="", help="comma-separated; default: every one")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--save-every", type=float, default=3.0)
    args = parser.parse_args()

    kinds = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    wanted = set(filter(None, args.outage.split(",")))
    rows = [
        run(kind, outage, args)
        for kind in kinds
        for outage in OUTAGES[kind]
        if not wanted or outage in wanted
    ]
    columns = list(rows[0]) if rows else []
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in columns}
    print(f"\n{args.seconds} s a run, {args.clients} clients, the fault for a sixth of it")
    print("  ".join(c.rjust(widths[c]) for c in columns))
    for row in rows:
        print("  ".join(str(row[c]).rjust(widths[c]) for c in columns))
    ok = all(
        r["5xx"] == 0
        and r["accepted"] == r["stored"]
        and r["fault reads"].split("/")[0] == r["fault reads"].split("/")[1]
        and r["fault p95 ms"] < 200
        for r in rows
    )
    print("targets met" if ok else "targets missed")


if __name__ == "__main__":
    main()

"""What reading photos costs: time per photo, memory, and pages served while photos are read.

In one run:
  1. in this process, the generated screen photos (tests/screen_photos.py, 2,000 px JPEGs,
     written to a temp dir): the reader's load time, time per photo (decode + read + match;
     median and p90) and how many land on their answer; resident memory before and after;
  2. through gunicorn (gunicorn.conf.py: 2 x cores + 1 workers, 2 threads, preloaded), with
     loopback clients only: a guide's throughput alone, then the same while two clients post
     photos back to back; the ratio, the photos' own times over HTTP, how many got a 503, and
     each worker's resident memory before and after it read photos.

Run: .venv/bin/python bench/bench_photo.py [--seconds 8] [--page-clients 8]
Targets: a phone-sized photo answered in under 1.5 s median on 2 cores; >= 90% of the
generated photos land on their answer; pages keep answering while photos are read.
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import statistics
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

from bench._timing import percentile  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
GUIDE = "/guides/sign-in-after-power-off/"


def rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def in_process(folder: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from codes.content import get_codebook
    from codes.screens import get_screens
    from guides.library import get_library
    from photo import images, matching, reader
    from tests import screen_photos

    written = screen_photos.write(folder)
    library = get_library()
    book, screens = get_codebook(library), get_screens(library)
    before = rss_mb()
    start = time.perf_counter()
    reader.engine()
    load = time.perf_counter() - start
    loaded = rss_mb()
    timings, landed = [], 0
    for path, sample in written:
        data = path.read_bytes()
        start = time.perf_counter()
        pixels = images.decode(data, max_pixels=40_000_000)
        lines = [line.text for line in reader.read(pixels)]
        url = matching.match(book, screens, lines).url
        timings.append(time.perf_counter() - start)
        landed += url == sample.answer
    after = rss_mb()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"photos: {len(written)} generated, 2,000 px JPEG, "
        f"{statistics.mean(p.stat().st_size for p, _ in written) / 1024:.0f} KB on average"
    )
    print(
        f"  accuracy: {landed} of {len(written)} land on their answer "
        f"({100 * landed / len(written):.0f}%; target >= 90%)"
    )
    print(f"  reader load: {load:.2f} s")
    print(
        f"  time per photo: median {statistics.median(timings):.2f} s, "
        f"p90 {percentile(timings, 0.9):.2f} s, max {max(timings):.2f} s (target median < 1.5 s)"
    )
    print(f"  memory: {before:.0f} MB before the reader, {loaded:.0f} MB loaded "
          f"(+{loaded - before:.0f}), {after:.0f} MB after reading (+{after - before:.0f}), "
          f"peak {peak:.0f} MB")  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def multipart(data: bytes) -> tuple[bytes, str]:
    boundary = "----benchphoto"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="s.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def pages(base: str, stop: threading.Event, counts: list[int]) -> None:
    while not stop.is_set():
        with urllib.request.urlopen(base + GUIDE, timeout=10) as response:
            response.read()
        counts[0] += 1


def photos_once(base: str, photo: tuple[bytes, str], results: list, n: int) -> None:
    body, kind = photo
    request = urllib.request.Request(
        base + "/photo/",
        data=body,
        headers={
            "Content-Type": kind,
            "Origin": base,
            # a different (made-up) client each time: the per-client limit is not measured
            "X-Forwarded-For": f"10.{n // 62500 % 250}.{n // 250 % 250}.{n % 250}",
        },
    )
    start = time.perf_counter()
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    results.append((status, time.perf_counter() - start))


def photos(base: str, stop: threading.Event, bodies, results: list, client: int) -> None:
    n = 0
    while not stop.is_set():
        photos_once(base, bodies[n % len(bodies)], results, client * 100_000 + n)
        n += 1


def load(base: str, seconds: float, clients: int, photo_bodies=None) -> tuple[float, list]:
    stop = threading.Event()
    counts = [[0] for _ in range(clients)]
    results: list = []
    threads = [threading.Thread(target=pages, args=(base, stop, c)) for c in counts]
    if photo_bodies:
        threads += [
            threading.Thread(target=photos, args=(base, stop, photo_bodies, results, i))
            for i in range(2)
        ]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    return sum(c[0] for c in counts) / seconds, results


def workers(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def through_gunicorn(folder: Path, seconds: float, clients: int, threads: int) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "helpcenter.settings",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789abcdef0123456789",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "HELPCENTER_CONTENT_CACHE_DIR": str(folder / "content-cache"),
        "HELPCENTER_PHOTO_SLOTS_DIR": str(folder / "slots"),
        "HELPCENTER_INSIGHTS_SPOOL_DIR": str(folder / "spool"),
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "DJANGO_LOG_LEVEL": "WARNING",
        "HELPCENTER_PHOTO_THREADS": str(threads),
    }
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120
    )
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True, timeout=120,
    )  # fmt: skip
    server = subprocess.Popen(
        [GUNICORN, "--config", "gunicorn.conf.py", "helpcenter.wsgi:application"],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + GUIDE)
        bodies = [multipart(p.read_bytes()) for p in sorted(folder.glob("*.jpg"))]
        load(base, 1, clients)  # warm: every worker renders the guide once
        pids = workers(server.pid)
        before = {pid: rss_mb(pid) for pid in pids}
        # Warm: photos until every worker has loaded the reader (its first photo pays ~1 s).
        warm: list = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and any(
            rss_mb(p) - before[p] < 50 for p in pids if Path(f"/proc/{p}").exists()
        ):
            photos_once(base, bodies[len(warm) % len(bodies)], warm, len(warm))
        quiet: list = []
        for n in range(min(len(bodies), 20)):  # one merchant at a time: a photo's own time
            photos_once(base, bodies[n], quiet, 1000 + n)
        alone, _ = load(base, seconds, clients)
        during, results = load(base, seconds, clients, bodies)
        after = {pid: rss_mb(pid) for pid in pids if Path(f"/proc/{pid}").exists()}
    finally:
        server.terminate()
        server.wait(timeout=30)
    quiet_times = [t for status, t in quiet if status in (200, 303)]
    answered = [t for status, t in results if status in (200, 303)]
    busy = sum(1 for status, _ in results if status == 503)
    other = sorted({status for status, _ in results if status not in (200, 303, 503)})
    grown = [after[p] - before[p] for p in after if after[p] - before[p] > 50]
    print(
        f"through gunicorn ({len(pids)} workers, {threads} reader threads), "
        f"{clients} page clients, {seconds:.0f} s each:"
    )
    if quiet_times:
        print(f"  photos alone over HTTP, one at a time: {len(quiet_times)} answered, "
              f"median {statistics.median(quiet_times):.2f} s, "
              f"p90 {percentile(quiet_times, 0.9):.2f} s")  # fmt: skip
    print(f"  guide alone: {alone:.0f} pages/s")
    print(f"  guide while 2 clients post photos back to back: {during:.0f} pages/s "
          f"({during / alone:.2f}x of alone)")  # fmt: skip
    if answered:
        print(f"  photos over HTTP: {len(answered)} answered, median "
              f"{statistics.median(answered):.2f} s, p90 {percentile(answered, 0.9):.2f} s; "
              f"{busy} got 503 (wait for a slot), other statuses {other or 'none'}")  # fmt: skip
    print(f"  worker memory: {statistics.mean(before.values()):.0f} MB each before photos; "
          f"{len(grown)} worker(s) read photos and grew by "
          f"{', '.join(f'{g:.0f}' for g in grown) or '-'} MB")  # fmt: skip


def main() -> None:
    print(f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--page-clients", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1, help="HELPCENTER_PHOTO_THREADS")
    args = parser.parse_args()
    os.chdir(ROOT)
    os.environ["HELPCENTER_PHOTO_THREADS"] = str(args.threads)  # this process and gunicorn
    with tempfile.TemporaryDirectory(prefix="bench-photo-") as tmp:
        folder = Path(tmp)
        in_process(folder)
        through_gunicorn(folder, args.seconds, args.page_clients, args.threads)


if __name__ == "__main__":
    main()

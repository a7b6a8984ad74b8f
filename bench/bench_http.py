"""Throughput over real HTTP: gunicorn alone, and nginx (deploy/nginx.conf) in front.

In one run, with wrk against loopback only:
  * a trivial view through the same middleware (exists only under bench.settings): the ceiling;
  * a guide, home, an assistant state and a search page through gunicorn;
  * the guide through nginx's page cache, and nginx serving the same guide's bytes as a static
    file (with its .gz, as collectstatic leaves static files).
Prints requests/s and the ratios the caching issue asks for.

Run: .venv/bin/python bench/bench_http.py [--seconds 8] [--connections 16]
Needs: Debian's wrk and nginx (apt-get install wrk nginx-light).
Targets: every page through gunicorn >= 0.8x the trivial view (search >= 0.5x); the guide
through the nginx cache >= 0.8x nginx serving a static file.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.nginx_front import local_config  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
GZIP = "Accept-Encoding: gzip, deflate, br"  # as phones send it


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def wrk(url: str, *, seconds: int, connections: int) -> tuple[float, int]:
    """Requests per second and the count of non-2xx/3xx answers."""
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-H", GZIP, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    )
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", result.stdout)
    socket_errors = re.search(r"Socket errors: .*", result.stdout)
    if socket_errors:
        print(f"    ({socket_errors.group(0)})")
    return rate, int(errors.group(1)) if errors else 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=4, help="per case and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is missing: apt-get install wrk nginx-light")

    scratch = Path(tempfile.mkdtemp(prefix="bench-http-"))
    scratch.chmod(0o755)  # nginx's workers run as another user and read the static files
    app_port, nginx_port, redirect_port = free_port(), free_port(), free_port()
    # A snapshot of the content: an editor saving a file mid-run would make every worker
    # reload and re-render, which is a different benchmark.
    shutil.copytree(ROOT / "content", scratch / "content")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": "bench-" + "x" * 40,
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{scratch}/bench.sqlite3",
        "DJANGO_STATIC_ROOT": str(scratch / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{app_port}",
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "HELPCENTER_CONTENT_DIR": str(scratch / "content"),
        "PYTHONPATH": str(ROOT),
    }
    manage = [str(PYTHON), "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    manifest = json.loads((scratch / "static" / "staticfiles.json").read_text())
    css = manifest["paths"]["css/site.css"]

    gunicorn = subprocess.Popen(
        [str(GUNICORN), "--config", "gunicorn.conf.py", "helpcenter.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(scratch / "gunicorn.log", "w"),  # noqa: SIM115
    )
    conf = scratch / "nginx.conf"
    conf.write_text(
        local_config(
            scratch=scratch,
            listen=nginx_port,
            redirect=redirect_port,
            upstream=f"127.0.0.1:{app_port}",
            static_root=scratch / "static",
        )
    )
    nginx = ["nginx", "-c", str(conf), "-p", str(scratch)]
    try:
        app = f"http://127.0.0.1:{app_port}"
        front = f"http://127.0.0.1:{nginx_port}"
        wait_for(f"{app}/healthz")
        subprocess.run(nginx, check=True)
        wait_for(f"{front}/static/{css}")

        # The baseline for the cache: nginx serving the same guide, byte for byte, as a file
        # (and its .gz beside it, as collectstatic leaves every static file).
        guide_html = urllib.request.urlopen(f"{app}/guides/sign-in-after-power-off/").read()
        (scratch / "static" / "bench-guide.html").write_bytes(guide_html)
        (scratch / "static" / "bench-guide.html.gz").write_bytes(
            gzip.compress(guide_html, compresslevel=6, mtime=0)
        )
        from_home = urllib.request.urlopen(f"{app}/triage/", timeout=5).read().decode()
        state = re.findall(r'href="(/triage/[a-z0-9-]+/)"', from_home)[0]
        cases = [
            ("trivial view (gunicorn)", f"{app}/bench/trivial/", None),
            ("guide (gunicorn)", f"{app}/guides/sign-in-after-power-off/", 0.8),
            ("home (gunicorn)", f"{app}/", 0.8),
            (f"assistant {state} (gunicorn)", f"{app}{state}", 0.8),
            ("search 签到 (gunicorn)", f"{app}/search/?q=%E7%AD%BE%E5%88%B0", 0.5),
            ("the guide as a static file (nginx)", f"{front}/static/bench-guide.html", None),
            ("guide (nginx cache)", f"{front}/guides/sign-in-after-power-off/", 0.8),
        ]
        # Warm up: the first render of each page, and the nginx cache entry.
        for _, url, _ in cases:
            for _ in range(3):
                urllib.request.urlopen(
                    urllib.request.Request(url, headers={"Accept-Encoding": "gzip"}), timeout=5
                ).read()
        print(
            f"wrk: 2 threads, {args.connections} connections, gzip; {args.rounds} rounds of "
            f"{args.seconds} s per case, interleaved so a busy moment hits every case alike; "
            "median of the rounds"
        )
        runs: dict[str, list[float]] = {name: [] for name, _, _ in cases}
        errors: dict[str, int] = dict.fromkeys(runs, 0)
        for _ in range(args.rounds):
            for name, url, _ in cases:
                rate, failed_count = wrk(url, seconds=args.seconds, connections=args.connections)
                runs[name].append(rate)
                errors[name] += failed_count
        rates = {name: statistics.median(values) for name, values in runs.items()}
        for name, values in runs.items():
            spread = ", ".join(f"{v:.0f}" for v in values)
            print(f"  {name:<44} {rates[name]:>8.0f} req/s  ({spread})  non-2xx: {errors[name]}")
        trivial = rates["trivial view (gunicorn)"]
        static = rates["the guide as a static file (nginx)"]
        print("\nratios (target in brackets):")
        failed = False
        for name, _, target in cases:
            if target is None:
                continue
            base, base_name = (static, "nginx static") if "nginx" in name else (trivial, "trivial")
            ratio = rates[name] / base
            ok = ratio >= target
            failed |= not ok
            verdict = "ok" if ok else "MISS"
            print(f"  {name:<44} {ratio:5.2f}x {base_name:<13} [>= {target}] {verdict}")
        request = urllib.request.Request(
            f"{front}/guides/sign-in-after-power-off/", headers={"Accept-Encoding": "gzip"}
        )
        status = urllib.request.urlopen(request).headers.get("X-Cache-Status")
        print(f"\nnginx cache status of the (gzip) guide after the run: {status}")
        print("all targets met" if not failed else "some targets missed")
    finally:
        subprocess.run([*nginx, "-s", "quit"], check=False, stderr=subprocess.DEVNULL)
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

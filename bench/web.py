"""A district office at once: a bounded load test of the platform as it is deployed, on SQLite and on PostgreSQL.

    python3 dev.py bench web                       (50 users for 60 s on each database)
    .venv/bin/python bench/web.py --users 50 --seconds 60 --database sqlite --scale 1.0

For each database: a fresh data folder with the demo (`ipcity demo`), signing keys and collected static files, then a
production server (`ipcity serve`, gunicorn) on the loopback. N users arrive, five a second; each signs in once as one of
the demo's personas (office, units, enterprise, university, agency…) and then, with 1–3 s of thought between
requests, opens a mix of public pages, its workspace, the office's and units' supervision pages, enterprise pages
and API reads, over kept-alive connections as a browser would. The same run fetches a static file through the same
server as the floor (what the server costs with no application work). Prints p50/p95/p99 per page and overall,
errors, requests per second, the floor, and whether the goals are met: p95 < 300 ms, p99 < 1 s, no error.
Everything is deterministic (seeded) except the machine's timing; nothing leaves 127.0.0.1."""

import argparse
import http.client
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from servers import free_port, fresh_postgres, production_env, wait_for_server

ROOT = Path(__file__).resolve().parents[1]
IPCITY = [sys.executable, "-m", "ipcity.cli"]
PASSWORD = "Nankai@2024"  # the demo's published password (ipcity.demo.DEMO_PASSWORD)
GOAL_P95_MS, GOAL_P99_MS = 300, 1000
SPAWN_PER_SECOND = 5

PUBLIC = ["/", "/indicators/", "/indicators/by-year/", "/plan/units/", "/plan/tasks/3/", "/services/agencies/",
          "/services/", "/evidence/", "/api/v1/plan/indicators", "/api/v1/services/agencies"]
BY_PERSONA = {
    "office_admin": ["/workspace/", "/supervision/", "/supervision/assessment/", "/api/v1/supervision/items",
                     "/api/v1/supervision/dashboard", "/registries/"],
    "kejiju_staff": ["/workspace/", "/supervision/", "/api/v1/supervision/items"],
    "scjgj_staff": ["/workspace/", "/supervision/", "/protection/"],
    "enterprise_user": ["/workspace/", "/evidence/verify/", "/operations/", "/services/applications/"],
    "university_user": ["/workspace/", "/operations/"],
    "agency_user": ["/workspace/", "/services/agencies/"],
    "mediator_user": ["/workspace/", "/protection/mediations/"],
    "finance_user": ["/workspace/"],
}


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=dict)  # page -> seconds
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, page: str, seconds: float) -> None:
        with self.lock:
            self.times.setdefault(page, []).append(seconds)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


class Browser:
    """One user's kept-alive connection and cookies; a request on a connection the server closed while the user was
    thinking is sent again on a new one, as browsers do (counted as an error only if that fails too)."""

    def __init__(self, port: int):
        self.port, self.cookies, self.connection = port, {}, None

    def _connect(self):
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes, float]:
        data = urllib.parse.urlencode(body).encode() if body is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Host": "127.0.0.1",
                   "Referer": f"http://127.0.0.1:{self.port}/login/"}
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        for attempt in (1, 2):
            if self.connection is None:
                self._connect()
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=data, headers=headers)
                reply = self.connection.getresponse()
                content = reply.read()
            except (TimeoutError, ConnectionError, http.client.HTTPException):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
                continue
            elapsed = time.perf_counter() - started
            for name, value in reply.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            if reply.getheader("Connection", "").lower() == "close":
                self.connection.close()
                self.connection = None
            return reply.status, content, elapsed
        raise AssertionError("unreachable")

    def sign_in(self, username: str) -> None:
        status, page, _ = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise RuntimeError(f"the sign-in page answered {status}")
        status, _, _ = self.request("POST", "/login/", {"csrfmiddlewaretoken": token.group(1).decode(),
                                                        "username": username, "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"signing in as {username} answered {status}")


def _user(n: int, port: int, until: float, results: Results, static_path: str, start: threading.Barrier) -> None:
    rng = random.Random(n)
    persona = list(BY_PERSONA)[n % len(BY_PERSONA)]
    pages = PUBLIC + BY_PERSONA[persona]
    browser = Browser(port)
    start.wait()
    time.sleep(n / SPAWN_PER_SECOND)  # users arrive a few a second, as a load tool's spawn rate has them
    try:
        started = time.perf_counter()
        browser.sign_in(persona)
        results.add("（登录）", time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 — a failed sign-in is a result to report, not a crash
        results.error(f"sign in {persona}: {exc!r}")
        return
    while time.monotonic() < until:
        path = static_path if rng.random() < 0.1 else rng.choice(pages)
        try:
            status, _, elapsed = browser.request("GET", path)
        except Exception as exc:  # noqa: BLE001
            results.error(f"{path}: {exc!r}")
            continue
        if status != 200:
            results.error(f"{path}: HTTP {status}")
        else:
            results.add("（静态文件）" if path == static_path else path, elapsed)
        time.sleep(rng.uniform(1, 3))


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def run(database: str, users: int, seconds: float, workers: int, threads: int, scale: float) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="ipcity-bench-web-"))
    env = production_env(folder, fresh_postgres("ipcity_bench_web") if database == "postgres" else "")
    try:
        started = time.perf_counter()
        subprocess.run([*IPCITY, "demo", "--scale", str(scale)], env={**env, "IPCITY_ENV": "development"}, check=True,
                       stdout=subprocess.DEVNULL)
        demo_seconds = time.perf_counter() - started
        subprocess.run([*IPCITY, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*IPCITY, "evidence", "keys", "init"], env=env, check=True, stdout=subprocess.DEVNULL)
        static_path = "/static/" + next(p.relative_to(folder / "static").as_posix()
                                        for p in sorted((folder / "static").rglob("*.css")))
        port = free_port()
        server_log = (folder / "server.log").open("w")
        server = subprocess.Popen([*IPCITY, "serve", "--port", str(port), "--workers", str(workers),
                                   "--threads", str(threads)], env=env, stdout=subprocess.DEVNULL, stderr=server_log)
        try:
            wait_for_server(port, server, folder / "server.log")
            warm = Browser(port)
            for path in PUBLIC:  # the first visit after the demo computes the indicators once, for every worker
                warm.request("GET", path)
            results = Results()
            barrier = threading.Barrier(users)
            until = time.monotonic() + seconds
            pool = [threading.Thread(target=_user, args=(n, port, until, results, static_path, barrier))
                    for n in range(users)]
            began = time.perf_counter()
            for thread in pool:
                thread.start()
            for thread in pool:
                thread.join()
            elapsed = time.perf_counter() - began
        finally:
            server.terminate()
            server.wait(timeout=60)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    floor = results.times.pop("（静态文件）", [])
    everything = [t for page, times in results.times.items() for t in times]
    return {"database": database, "demo_seconds": demo_seconds, "results": results, "floor": floor,
            "all": everything, "rate": (len(everything) + len(floor)) / elapsed}


def report(outcome: dict) -> bool:
    results, every = outcome["results"], outcome["all"]
    print(f"\n== {outcome['database']}: demo built in {outcome['demo_seconds']:.0f} s; "
          f"{len(every)} requests, {outcome['rate']:.1f} requests/s, {len(results.errors)} errors")
    print(f"{'page':48} {'n':>5} {'p50':>8} {'p95':>8} {'p99':>8}  (ms)")
    for page, times in sorted(results.times.items(), key=lambda item: -_percentile(item[1], 0.95)):
        print(f"{page:48} {len(times):5d} {_percentile(times, .5):8.0f} {_percentile(times, .95):8.0f} "
              f"{_percentile(times, .99):8.0f}")
    if not every:
        print("no request answered")
        return False
    p95, p99 = _percentile(every, .95), _percentile(every, .99)
    print(f"{'all pages':48} {len(every):5d} {statistics.median(every) * 1000:8.0f} {p95:8.0f} {p99:8.0f}")
    if outcome["floor"]:
        floor = outcome["floor"]
        print(f"{'floor: a static file, same server, same run':48} {len(floor):5d} "
              f"{_percentile(floor, .5):8.0f} {_percentile(floor, .95):8.0f} {_percentile(floor, .99):8.0f}"
              f"   (p95 ratio ours/floor: {p95 / max(_percentile(floor, .95), 0.01):.1f}×)")
    for error in results.errors[:5]:
        print(f"  error: {error}")
    met = p95 < GOAL_P95_MS and p99 < GOAL_P99_MS and not results.errors
    print(f"goal p95 < {GOAL_P95_MS} ms, p99 < {GOAL_P99_MS} ms, no error: {'met' if met else 'NOT met'}")
    return met


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: ipcity serve's)")
    parser.add_argument("--threads", type=int, default=None, help="threads per worker (default: ipcity serve's)")
    parser.add_argument("--scale", type=float, default=1.0, help="demo registry scale (1.0 = the full demo)")
    args = parser.parse_args(argv)
    from ipcity.cli import SERVE_THREADS, SERVE_WORKERS

    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    met = [report(run(database, args.users, args.seconds, args.workers or SERVE_WORKERS,
                      args.threads or SERVE_THREADS, args.scale)) for database in databases]
    return 0 if all(met) else 1


if __name__ == "__main__":
    sys.exit(main())

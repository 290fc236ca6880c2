"""A real `ipcity serve` (gunicorn with its own worker processes and database connections) for the tests that need
truly parallel requests, or the settings a start with no configuration gets."""

import contextlib
import fcntl
import hashlib
import http.cookiejar
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path


def bare_environment(data_dir: Path, **extra: str) -> dict:
    """This process's environment without any platform setting (no IPCITY_*, DJANGO_*, DATABASE_URL)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IPCITY_", "DJANGO_")) and k != "DATABASE_URL"}
    env.update(IPCITY_DATA_DIR=str(data_dir), **extra)
    return env


def migrated_sqlite(data_dir: Path) -> None:
    """Put a freshly migrated SQLite database (what `ipcity migrate` makes of an empty data folder) into `data_dir`.
    Migrating an empty database takes 10-15 s; it is done once per set of migrations, under a lock that the test
    processes share, and each test gets a copy."""
    import django

    migrations = sorted((Path(__file__).resolve().parent.parent / "src" / "ipcity").glob("*/migrations/*.py"))
    digest = hashlib.sha256(django.__version__.encode())
    for path in migrations:
        digest.update(path.as_posix().encode() + path.read_bytes())
    template = Path(tempfile.gettempdir()) / f"ipcity-migrated-{digest.hexdigest()[:16]}.sqlite3"
    with open(f"{template}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            with tempfile.TemporaryDirectory() as scratch:
                done = subprocess.run([sys.executable, "-m", "ipcity.cli", "manage", "migrate", "--verbosity", "0"],
                                      env=bare_environment(Path(scratch), IPCITY_ENV="test"), capture_output=True,
                                      text=True, timeout=300)
                assert done.returncode == 0, done.stderr
                # SQLite's backup reads through the write-ahead log, which a plain copy of the file could miss.
                source, copy = sqlite3.connect(Path(scratch) / "ipcity.sqlite3"), sqlite3.connect(f"{template}.part")
                try:
                    source.backup(copy)
                finally:
                    source.close()
                    copy.close()
                os.replace(f"{template}.part", template)
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, data_dir / "ipcity.sqlite3")


def database_url_of_the_test_database() -> str | None:
    """The URL of the test database pytest-django made, for a server process that must see what the test wrote
    (None on SQLite, whose test database lives in this process's memory)."""
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor != "postgresql":
        return None
    auth = urllib.parse.quote(s["USER"] or "") + (f":{urllib.parse.quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def run_python(env: dict, code: str) -> str:
    """Run `code` after django.setup() with the given environment; its standard output."""
    prelude = "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'ipcity.settings'); django.setup()\n"
    done = subprocess.run([sys.executable, "-c", prelude + code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


@dataclass
class Server:
    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def served(env: dict, log: Path, *, workers: int = 2, threads: int = 4, wait_seconds: float = 120):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "ipcity.cli", "serve", "--port", str(port), "--workers", str(workers),
             "--threads", str(threads)], env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(url=f"http://127.0.0.1:{port}", log=log)
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                urllib.request.urlopen(server.url + "/login/", timeout=10).close()
                break
            except urllib.error.HTTPError:
                break  # it answered
            except OSError:
                assert process.poll() is None, f"ipcity serve exited: {server.output()}"
                assert time.monotonic() < deadline, f"ipcity serve did not answer: {server.output()}"
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def fetch(opener, url: str, data: dict | None = None) -> tuple[int, str, dict]:
    """(status, body, headers) of a GET, or of a form POST when data is given; 4xx and 5xx are answers too."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, data=body, timeout=120) as response:
            return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode("utf-8", "replace"), dict(error.headers)


def browser():
    """An opener with its own cookies, like one browser."""
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

"""What the benchmarks and CI's two-server check share to run the platform as it is deployed, on the loopback only:
a production environment over a throw-away data folder, a fresh PostgreSQL database, a free port, and waiting for a
started server to listen."""

import os
import secrets
import socket
import subprocess
import time
from pathlib import Path

POSTGRES_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def production_env(folder: Path | str, database_url: str = "", **extra: str) -> dict:
    """`ipcity serve` in production over `folder`: a random key, no mail, loopback host, plain http; SQLite in the folder
    unless `database_url` names a database. `extra` adds or overrides variables."""
    env = {**os.environ, "IPCITY_DATA_DIR": str(folder), "IPCITY_SECRET_KEY": secrets.token_urlsafe(50),
           "IPCITY_EMAIL_DISABLED": "1", "IPCITY_ALLOWED_HOSTS": "127.0.0.1", "IPCITY_HTTPS": "0",
           "IPCITY_ENV": "production", **extra}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def fresh_postgres(name: str, template: str = "") -> str:
    """An empty database (or a copy of `template`) of that name, replacing any earlier one; returns its URL."""
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def drop_postgres(name: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_server(port: int, server: subprocess.Popen, log: Path | None = None, seconds: float = 120) -> None:
    """Until the server listens on the port; fails (with the end of its log, if given) when it stops or never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            tail = log.read_text()[-3000:] if log is not None and log.exists() else ""
            raise RuntimeError(f"the server on port {port} stopped while starting\n{tail}".rstrip())
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server on port {port} did not start in {seconds:g} s")

#!/usr/bin/env python3
"""Quick start with nothing but Python 3.11: creates .venv, installs ipcity into it, then runs.

    python3 dev.py start    # platform with demo data at http://127.0.0.1:8000, and its task worker
    python3 dev.py test     # the whole test suite (add pytest options after it)
    python3 dev.py lint     # ruff
    python3 dev.py bench    # benchmarks against their peers; `bench ledger` runs one
    python3 dev.py lock     # after changing pyproject.toml's dependencies: regenerate requirements.lock

Every dependency, direct or not, is installed at the version and hash requirements.lock names (pip --require-hashes).
"""

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed-from"
LOCK = ROOT / "requirements.lock"
# The extras the lock holds: CI and dev.py install all of them (PostgreSQL's driver included).
LOCK_EXTRAS = ["test", "postgres", "bench"]


def ensure_environment() -> None:
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"ipcity needs Python 3.11; this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        print("creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    # Reinstall only when the dependency list or the lock changed.
    wanted = (ROOT / "pyproject.toml").read_text(encoding="utf-8") + LOCK.read_text(encoding="utf-8")
    if not STAMP.exists() or STAMP.read_text(encoding="utf-8") != wanted:
        print("installing the locked dependencies into .venv …", flush=True)
        pip = [BIN / "python", "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, "--require-hashes", "-r", LOCK], check=True)
        subprocess.run([*pip, "--no-deps", "-e", ROOT], check=True)  # everything it needs came from the lock
        STAMP.write_text(wanted, encoding="utf-8")


def lock() -> int:
    """Regenerate requirements.lock with pip-tools, installed in a throw-away environment (never in .venv)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="ipcity-lock-") as tmp:
        venv.EnvBuilder(with_pip=True).create(tmp)
        tool = Path(tmp) / BIN.name
        subprocess.run([tool / "python", "-m", "pip", "install", "--quiet", "pip-tools"], check=True)
        extras = [f"--extra={extra}" for extra in LOCK_EXTRAS]
        return subprocess.call([tool / "pip-compile", "--quiet", "--generate-hashes", "--allow-unsafe", "--strip-extras",
                                "--no-emit-index-url", "--no-emit-find-links", *extras,
                                "--output-file=requirements.lock", "pyproject.toml"], cwd=ROOT)


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("start", [])
    if command == "lock":
        return lock()
    ensure_environment()
    if command == "setup":  # the environment alone (CI times it apart from the tests)
        return 0
    if command == "start":
        # The demo on this machine is development (debug pages, the built-in key); a bare `ipcity serve` is production.
        env = {**os.environ, "IPCITY_ENV": os.environ.get("IPCITY_ENV", "development")}
        subprocess.run([BIN / "ipcity", "demo"], check=True, env=env)
        worker = subprocess.Popen([BIN / "ipcity", "worker"], env=env)  # imports, reminders, sealing
        try:
            return subprocess.call([BIN / "ipcity", "serve", "--dev", *rest], env=env)
        finally:
            worker.terminate()
            worker.wait()
    if command == "test":
        return subprocess.call([BIN / "python", "-m", "pytest", *rest], cwd=ROOT)
    if command == "bench":
        # `python3 dev.py bench ledger --leaves 100000` runs one benchmark with its own options
        names = [rest.pop(0)] if rest and not rest[0].startswith("-") else ["indicators", "ledger", "matching"]
        codes = [subprocess.call([BIN / "python", ROOT / "bench" / f"{name}.py", *rest], cwd=ROOT) for name in names]
        return max(codes)
    if command == "lint":
        return subprocess.call([BIN / "ruff", "check", "src", "tests", "bench", "dev.py"], cwd=ROOT)
    sys.exit(f"unknown command {command!r}: use start, test, lint, bench, lock or setup")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

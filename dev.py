#!/usr/bin/env python3
"""Quick start with nothing but Python 3.11: creates .venv, installs ipcity into it, then runs.

    python3 dev.py start    # platform with demo data at http://127.0.0.1:8000, and its task worker
    python3 dev.py test     # the whole test suite (add pytest options after it)
    python3 dev.py lint     # ruff
    python3 dev.py bench    # benchmarks against their peers (installs the bench extras); `bench ledger` runs one
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


def ensure_environment() -> None:
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"ipcity needs Python 3.11; this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        print("creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    # Reinstall only when the dependency list changed.
    wanted = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    if not STAMP.exists() or STAMP.read_text(encoding="utf-8") != wanted:
        print("installing dependencies into .venv …", flush=True)
        subprocess.run([BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([BIN / "python", "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"], check=True)
        STAMP.write_text(wanted, encoding="utf-8")


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("start", [])
    ensure_environment()
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
        subprocess.run([BIN / "python", "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test,bench]"], check=True)
        # `python3 dev.py bench ledger --leaves 100000` runs one benchmark with its own options
        names = [rest.pop(0)] if rest and not rest[0].startswith("-") else ["indicators", "ledger", "matching"]
        codes = [subprocess.call([BIN / "python", ROOT / "bench" / f"{name}.py", *rest], cwd=ROOT) for name in names]
        return max(codes)
    if command == "lint":
        return subprocess.call([BIN / "ruff", "check", "src", "tests", "bench", "dev.py"], cwd=ROOT)
    sys.exit(f"unknown command {command!r}: use start, test, lint or bench")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

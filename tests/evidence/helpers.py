"""Verifying a bundle with the command line on a machine that cannot reach the platform, shared by the evidence
and browser tests."""

import os
import subprocess
import sys
from pathlib import Path


def offline_env(tmp_path: Path) -> dict:
    """No settings, no data folder, a database that does not exist: verification must not need any of them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IPCITY_", "DJANGO_", "DATABASE_URL"))}
    return {**env, "DATABASE_URL": "postgres://nobody@203.0.113.1:1/none", "IPCITY_DATA_DIR": str(tmp_path / "absent")}


def verify_offline(tmp_path, *args):
    code = ("import sys; from ipcity.cli import main; rc = main(sys.argv[1:]); "
            "assert 'django.db.backends' not in ' '.join(sys.modules), 'verification touched a database'; sys.exit(rc)")
    return subprocess.run([sys.executable, "-c", code, "evidence", "verify", *args], capture_output=True, text=True,
                          env=offline_env(tmp_path), timeout=120)

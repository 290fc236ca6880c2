"""requirements.lock pins every dependency, direct or not, with its hashes: CI and dev.py install from it alone
(pip --require-hashes), so a dependency named in pyproject.toml but missing from the lock would fail there."""

import subprocess
import sys
import tomllib
from pathlib import Path

from tests.serving import bare_environment

ROOT = Path(__file__).resolve().parents[1]


def test_the_lock_file_pins_every_dependency_pyproject_names_with_hashes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    named = project["dependencies"] + [d for extra in project["optional-dependencies"].values() for d in extra]
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pins = {line.split(" ")[0].lower().replace("_", "-") for line in lock.splitlines() if "==" in line[:80]
            and not line.startswith((" ", "#"))}
    for requirement in named:
        name, version = requirement.split("==")
        assert f"{name.split('[')[0].lower()}=={version}" in pins, f"{requirement}: run python3 dev.py lock"
    entries = [block for block in lock.split("\n") if block and not block.startswith((" ", "#"))]
    assert all(block.endswith("\\") for block in entries), "every entry carries its hashes"


def test_a_postgresql_url_without_psycopg_stops_start_up_saying_how_to_install_it(tmp_path):
    env = bare_environment(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:5432/ipcity",
                           DJANGO_SETTINGS_MODULE="ipcity.settings")
    # psycopg stands absent (None in sys.modules makes its import fail, as on an install without the extra)
    done = subprocess.run([sys.executable, "-c", "import sys; sys.modules['psycopg'] = None; import django; django.setup()"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "未安装 psycopg" in done.stderr and "pip install 'ipcity[postgres]'" in done.stderr

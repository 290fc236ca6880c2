"""requirements.lock pins every dependency, direct or not, with its hashes: CI and dev.py install from it alone
(pip --require-hashes), so a dependency named in pyproject.toml but missing from the lock would fail there."""

import tomllib
from pathlib import Path

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

"""Every `ipcity` command and every server worker starts Django first: the start loads only what every request and
command needs. The spreadsheet library (openpyxl) and numpy are loaded by the exports, readers and computations that
use them, whose own tests cover them (each took about a tenth of a second at every start: bench/imports.py runs a process per file)."""

import json
import subprocess
import sys

from tests.serving import bare_environment

STARTED = """
import json, sys
import django
django.setup()
print(json.dumps({name: name in sys.modules for name in ("openpyxl", "numpy")}))
"""


def test_starting_the_platform_loads_neither_the_spreadsheet_library_nor_numpy(tmp_path):
    env = bare_environment(tmp_path, DJANGO_SETTINGS_MODULE="ipcity.settings")
    done = subprocess.run([sys.executable, "-c", STARTED], env=env, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"openpyxl": False, "numpy": False}


"""Settings for the test suite: the normal settings with IPCITY_ENV=test and a throw-away data folder."""

import os
import tempfile

os.environ["IPCITY_ENV"] = "test"
os.environ.setdefault("IPCITY_DATA_DIR", tempfile.mkdtemp(prefix="ipcity-test-"))

from ipcity.settings import *  # noqa: E402,F403

IMPORT_INLINE = True  # imports started from a page run in the request's thread after commit
EVIDENCE_BACKGROUND_SEQUENCER = False  # tests seal explicitly (or with wait=true), never behind their back

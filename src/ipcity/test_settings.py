"""Settings for the test suite: the normal settings with IPCITY_ENV=test and a throw-away data folder."""

import os
import tempfile

os.environ["IPCITY_ENV"] = "test"
os.environ.setdefault("IPCITY_DATA_DIR", tempfile.mkdtemp(prefix="ipcity-test-"))

from ipcity.settings import *  # noqa: E402,F403

# Tasks run where they are queued (an import from a page runs in the request); tests of the queue itself switch
# to the database backend and run `ipcity worker` (tests/test_task_queue.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EVIDENCE_BACKGROUND_SEQUENCER = False  # tests seal explicitly (or with wait=true), never behind their back
EVIDENCE_SEAL_MERGE_SECONDS = 0  # one registration after another seals at once (the merge window has its own tests)

# Each test process keeps its computed values in memory (keys carry the registry version's random token, so tests
# never meet each other's values); tests of the shared file cache set their own.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}}

if DATABASES["default"]["ENGINE"] == "ipcity.sqlite":  # noqa: F405
    # Django's in-memory test database, named so: pytest-django, not knowing this engine for SQLite's, would otherwise
    # give each xdist worker a test database beside the data file.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405

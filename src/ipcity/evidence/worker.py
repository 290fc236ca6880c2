"""The sequencer loop: in a thread of each web worker (the row lock lets one seal at a time) or as its own
process (`ipcity evidence sequencer`)."""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections

from ipcity.evidence.ledger import sequence_pending

logger = logging.getLogger(__name__)
SEAL_INTERVAL_SECONDS = 0.5  # a pending registration waits at most this long plus one batch


def run(stop: threading.Event, interval: float = SEAL_INTERVAL_SECONDS) -> None:
    while not stop.is_set():
        try:
            sequence_pending()
        except Exception:  # keep sealing: one bad batch must not stop the log
            logger.exception("evidence sequencer batch failed")
        finally:
            close_old_connections()
        stop.wait(interval)


def start_background_sequencer() -> threading.Thread | None:
    if not settings.EVIDENCE_BACKGROUND_SEQUENCER:
        return None
    thread = threading.Thread(target=run, args=(threading.Event(),), name="evidence-sequencer", daemon=True)
    thread.start()
    return thread

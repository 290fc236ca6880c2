"""The sequencer loop as its own process (`ipcity evidence sequencer`), for operators who want sealing apart from
the task worker; normally `ipcity worker` seals (ipcity.evidence.tasks). Web processes never run it."""

import logging
import threading

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

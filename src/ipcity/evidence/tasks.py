"""Sealing as a task: one is queued with each registration whose request does not seal it (at most one waits at a
time), and the worker's housekeeping seals anything left pending. The row lock in `ledger._sequence` keeps two sealers apart."""

from django_tasks import task

from ipcity.evidence.ledger import sequence_pending


@task(priority=10)  # before a long import: a registrant waits for the certificate
def seal_pending() -> int:
    """Seal every pending registration into a new checkpoint; returns the log's size (0: nothing was pending)."""
    checkpoint = sequence_pending()
    return checkpoint.size if checkpoint else 0

"""Background work on Django's Tasks API (the `django-tasks` backport, with the `django-tasks-db` database backend):
web processes queue a task as a row in the same transaction as the work it belongs to, and `ipcity worker` runs the
queue. Nothing else runs in the background and web processes start no threads.

A worker names itself `host:pid:process-start`, so a task whose row says "running" can be checked: on this machine,
is that process still alive; on another machine, has it held the task longer than TASK_LEASE_SECONDS. A task whose
worker is gone is run again (its work is all-or-nothing and re-running a finished one does nothing), at most
TASK_MAX_ATTEMPTS times in all; then it is marked failed and its `when_lost` handler records why, in Chinese, where
people look (an import batch shows the reason). Housekeeping (this recovery, reminders once a day, sealing anything
left pending) is itself a task that queues its next run."""

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)
HOUSEKEEPING_SECONDS = 60
REMINDER_HOUR = 8  # reminders go out once a day, at this hour (local time)
LOST_REASON = "执行该任务的后台进程意外中止，已重试 {attempts} 次仍未完成"

_lost_handlers: dict[str, Callable[..., None]] = {}


def when_lost(for_task):
    """Register what to record when `for_task` is given up (its workers kept dying): called with the task's keyword
    arguments, inside the transaction that marks the task failed."""
    def register(handler):
        _lost_handlers[for_task.module_path] = handler
        return handler
    return register


# ---- who is working ----
def _process_stat(pid: int) -> list[str] | None:
    """/proc/<pid>/stat after the command name (state first), or None where there is no /proc."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _process_start(pid: int) -> str:
    """When the process started (clock ticks since boot), so a pid reused after a restart is not mistaken for it."""
    stat = _process_stat(pid)
    return stat[19] if stat else "0"


def worker_id() -> str:
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{_process_start(os.getpid())}"


def worker_gone(worker: str, started_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether the worker that took a task can no longer finish it."""
    host, _, rest = worker.partition(":")
    pid, _, start = rest.partition(":")
    if host == socket.gethostname()[:32] and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass  # alive, and another user's
        stat = _process_stat(int(pid))
        if stat is None:
            return False
        return stat[0] in ("Z", "X") or (start != "0" and stat[19] != start)  # exited, or the pid is another's now
    return started_at is None or (now - started_at).total_seconds() > settings.TASK_LEASE_SECONDS


def recover_lost_tasks() -> dict[str, int]:
    """Run again (or give up on) every task whose row says running but whose worker is gone."""
    now = timezone.now()
    counts = {"retried": 0, "failed": 0}
    for row in DBTaskResult.objects.running():
        if not row.worker_ids or not worker_gone(row.worker_ids[-1], row.started_at, now):
            continue
        still = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at)
        if len(row.worker_ids) < settings.TASK_MAX_ATTEMPTS:
            if still.update(status=TaskResultStatus.READY, started_at=None):
                logger.warning("task %s (%s): worker %s is gone, running it again", row.pk, row.task_path,
                               row.worker_ids[-1])
                counts["retried"] += 1
            continue
        reason = LOST_REASON.format(attempts=len(row.worker_ids))
        with transaction.atomic():
            if still.update(status=TaskResultStatus.FAILED, finished_at=now, exception_class_path="ipcity.jobs.TaskLost",
                            traceback=reason):
                handler = _lost_handlers.get(row.task_path)
                if handler is not None:
                    handler(**row.args_kwargs.get("kwargs", {}))
                counts["failed"] += 1
    return counts


# ---- periodic work ----
def _queued(t) -> bool:
    return DBTaskResult.objects.filter(task_path=t.module_path, status=TaskResultStatus.READY).exists()


def enqueue_once(t, *, run_after: dt.datetime | None = None, **kwargs) -> None:
    """Queue `t` unless a run of it is already waiting (periodic and sealing tasks need only one)."""
    if not isinstance(task_backends[t.backend], DatabaseBackend):  # tasks run where queued (tests)
        if run_after is None:  # periodic work belongs to the worker alone
            t.enqueue(**kwargs)
        return
    if not _queued(t):
        (t.using(run_after=run_after) if run_after else t).enqueue(**kwargs)


def _next_reminder_time(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    at = local.replace(hour=REMINDER_HOUR, minute=0, second=0, microsecond=0)
    return at if at > local else at + dt.timedelta(days=1)


@task()
def send_reminders() -> dict[str, int]:
    """Every reminder and chaser that is due (supervision deadlines, certificate expiries), as the system actor;
    sending again never repeats one. `ipcity remind` runs the same task at once."""
    from ipcity.plan.supervision import reminders_send
    from ipcity.services.certification import expiry_reminders_send

    return {**reminders_send(), "certification": expiry_reminders_send()}


@task()
def housekeeping() -> dict[str, int]:
    """Recover lost tasks, give up on import batches no task will finish, seal what is pending, compute today's
    indicator values if they are not yet, and keep the reminders and the next housekeeping queued."""
    from ipcity.evidence.tasks import seal_pending
    from ipcity.stats.tasks import abandon_orphaned_batches, warm_indicators

    counts = {**recover_lost_tasks(), "orphaned_batches": abandon_orphaned_batches()}
    seal_pending.call()
    warm_indicators.call()  # a registry write or a new day since the last minute: computed before anyone asks
    schedule_periodic()
    return counts


def schedule_periodic() -> None:
    now = timezone.now()
    enqueue_once(send_reminders, run_after=_next_reminder_time(now))
    enqueue_once(housekeeping, run_after=now + dt.timedelta(seconds=HOUSEKEEPING_SECONDS))


# ---- the worker ----
def run_worker(*, until_empty: bool = False, interval: float = 1.0, handle_signals: bool = False) -> None:
    """Run the queue: recover what dead workers left, then take tasks one at a time. `until_empty` stops when no
    task is ready (and queues no periodic work); otherwise the worker also sends reminders daily and seals and
    recovers every minute, until SIGTERM or Ctrl+C (a running task is finished first)."""
    from django_tasks_db.management.commands.db_worker import Worker

    recover_lost_tasks()
    if not until_empty:
        enqueue_once(send_reminders)  # whatever fell due while no worker ran
        enqueue_once(housekeeping)
    worker = Worker(queue_names=["default"], interval=interval, batch=until_empty, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id=worker_id(), excluded_queue_names=[])
    if handle_signals:
        worker.configure_signals()
    worker.run()

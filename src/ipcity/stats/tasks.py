"""The registries' background work, run by `ipcity worker`."""

import datetime as dt

from django_tasks import task

from ipcity import clock
from ipcity.jobs import when_lost
from ipcity.stats import models as m


@task()
def import_batch_task(batch_id: int) -> str:
    """Check and store an uploaded registry file (queued by the page and the API); returns the batch's final state."""
    from ipcity.stats.services import import_stored_upload

    return import_stored_upload(m.ImportBatch.objects.get(pk=batch_id)).state


@task()
def warm_indicators() -> bool:
    """Compute what the indicator pages show today into the shared cache, so that the first visitor after a change
    (an import, a registry write, a new day) reads the values instead of waiting for them. Queued when an import
    finishes and run by housekeeping every minute; costs one query when everything is already there."""
    from ipcity.plan.selectors import current_plan
    from ipcity.stats.selectors import warm

    plan = current_plan()
    if plan is None:
        return False
    warm(plan=plan, as_of=clock.today())
    return True


@when_lost(import_batch_task)
def _import_lost(*, batch_id: int) -> None:
    from ipcity.stats.services import import_batch_abandon

    batch = m.ImportBatch.objects.filter(pk=batch_id).first()
    if batch is not None and batch.state in (m.ImportBatch.State.QUEUED, m.ImportBatch.State.RUNNING):
        import_batch_abandon(batch, "后台导入进程多次意外中止，未导入任何数据，请重新上传")


def abandon_orphaned_batches() -> int:
    """Batches still queued or running long after they started with no task left to finish them (queued before the
    task queue existed, or their task row was removed): failed, with the reason. Returns how many."""
    from django.conf import settings
    from django.utils import timezone
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from ipcity.stats.services import import_batch_abandon

    cutoff = timezone.now() - dt.timedelta(seconds=settings.TASK_LEASE_SECONDS)
    waiting = set(DBTaskResult.objects.filter(
        task_path=import_batch_task.module_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
        .values_list("args_kwargs__kwargs__batch_id", flat=True))
    orphans = m.ImportBatch.objects.filter(state__in=[m.ImportBatch.State.QUEUED, m.ImportBatch.State.RUNNING],
                                           started_at__lt=cutoff).exclude(pk__in=waiting)
    for batch in orphans:
        import_batch_abandon(batch, "导入任务已丢失（后台进程重启或中止），未导入任何数据，请重新上传")
    return len(orphans)

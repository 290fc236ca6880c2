"""Background work runs on the task queue: a page or the API queues the work with the record it belongs to, and
`ipcity worker` runs it (imports, sealing, reminders, the evidence package, housekeeping), writing its audit rows as
the system. A worker killed mid-import loses nothing: the next worker imports the file once, all or nothing; a task
whose workers keep dying is given up with a Chinese reason, so no batch stays "running" forever."""

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import zipfile
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ipcity.audit.models import AuditEntry
from ipcity.cli import main as ipcity_main
from ipcity.evidence.models import LogCheckpoint, Registration
from ipcity.jobs import housekeeping, run_worker, send_reminders
from ipcity.plan.models import Reminder
from ipcity.stats.models import ImportBatch, Patent
from tests.serving import bare_environment, migrated_sqlite, run_python

PATENTS = ("申请号,申请日,专利类型,发明名称,专利权人,专利权人地址,授权公告日\n"
           "202310012345.6,2023-01-05,发明,一种图像识别方法,天开智能,天津市南开区华苑街道,2024-06-01\n"
           "202310012346.4,2023-01-06,发明,一种电池,天开智能,天津市南开区华苑街道,2024-07-01\n"
           "202220000001.1,2022-01-06,实用新型,一种夹具,外区企业,北京市海淀区,2022-07-01\n")
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

pytestmark = pytest.mark.django_db(transaction=True)  # the worker commits, as it does in production


@contextmanager
def queued(**settings):
    """The production queue: tasks wait as rows until the worker runs them."""
    with override_settings(TASKS=DATABASE_QUEUE, **settings):
        yield


def work() -> None:
    """The real worker, in this process, until no task is ready (`ipcity worker --until-empty`)."""
    run_worker(until_empty=True, interval=0)


def _upload(client):
    return client.post("/api/v1/registries/imports",
                       {"kind": "patents", "file": SimpleUploadedFile("专利.csv", PATENTS.encode("gbk"))})


def _dead_worker() -> str:
    """The id a worker that has exited would have left on its tasks."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    return f"{socket.gethostname()[:32]}:{gone.pid}:1"


def test_an_import_waits_in_the_queue_until_the_worker_runs_it_then_shows_its_result(client_for, people):
    office = client_for("office_admin")
    with queued():
        response = _upload(office)
        assert response.status_code == 202
        batch = response.json()
        assert (batch["state"], batch["state_label"]) == ("queued", "排队中")
        page = office.get(f"/registries/batches/{batch['id']}/").content.decode()
        assert 'data-state="queued"' in page and 'hx-trigger="every 1s"' in page  # the page keeps polling
        assert Patent.objects.count() == 0
        work()
    status = office.get(f"/api/v1/registries/imports/{batch['id']}").json()
    assert (status["state"], status["processed_rows"], status["total_rows"], status["created"]) == ("done", 3, 3, 3)
    # the import, then the indicator values it changed, computed before anyone asks
    assert list(DBTaskResult.objects.order_by("enqueued_at").values_list("task_path", "status")) == [
        ("ipcity.stats.tasks.import_batch_task", "SUCCESSFUL"), ("ipcity.stats.tasks.warm_indicators", "SUCCESSFUL")]
    steps = AuditEntry.objects.filter(object_type="stats.importbatch", object_id=str(batch["id"])).order_by("pk")
    assert [(e.action, e.actor_name) for e in steps] == [("stats.import.start", "office_admin"),
                                                          ("stats.import.done", "office_admin")]


def test_a_task_whose_worker_died_is_run_again_by_the_next_worker(client_for, people):
    with queued():
        batch_id = _upload(client_for("office_admin")).json()["id"]
        DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now(), worker_ids=[_dead_worker()])
        ImportBatch.objects.filter(pk=batch_id).update(state="running")  # it had started, nothing was committed
        work()
    assert ImportBatch.objects.get(pk=batch_id).state == "done" and Patent.objects.count() == 3
    task = DBTaskResult.objects.get(task_path="ipcity.stats.tasks.import_batch_task")
    assert task.status == "SUCCESSFUL" and len(task.worker_ids) == 2
    assert AuditEntry.objects.filter(action="stats.import.resume").count() == 1


def test_housekeeping_gives_up_on_a_batch_whose_workers_keep_dying_and_on_one_no_task_will_run(client_for, people):
    office = client_for("office_admin")
    with queued():
        batch_id = _upload(office).json()["id"]
        DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now(), worker_ids=[_dead_worker()] * 3)
        forgotten = ImportBatch.objects.create(kind="patents", filename="旧.csv", state="running", started_by=people[
            "office_admin"], started_at=timezone.now() - dt.timedelta(days=1))  # from before the queue: no task
        housekeeping.enqueue()
        work()
        waiting = {path.rsplit(".", 1)[1] for path in DBTaskResult.objects.filter(status="READY")
                   .values_list("task_path", flat=True)}
        assert waiting == {"housekeeping", "send_reminders"}  # both queued for later, not run by --until-empty
        assert not DBTaskResult.objects.ready().exists()
    status = office.get(f"/api/v1/registries/imports/{batch_id}").json()
    assert (status["state"], status["state_label"]) == ("failed", "有错误，未导入")
    assert status["problems"] == ["后台导入进程多次意外中止，未导入任何数据，请重新上传"]
    page = office.get(f"/registries/batches/{batch_id}/").content.decode()
    assert "后台导入进程多次意外中止" in page and "hx-trigger" not in page
    forgotten.refresh_from_db()
    assert forgotten.state == "failed" and "导入任务已丢失" in forgotten.problems[0]
    lost = DBTaskResult.objects.get(task_path="ipcity.stats.tasks.import_batch_task")
    assert lost.status == "FAILED" and "已重试 3 次" in lost.traceback
    assert Patent.objects.count() == 0


def test_each_registration_queues_one_sealing_task_and_the_worker_seals_as_the_system(people):
    from ipcity.evidence.services import registration_create

    meta = {"title": "t", "work_type": "美术", "author": "a", "completed_on": "2026-01-01"}
    with queued(EVIDENCE_BACKGROUND_SEQUENCER=True):
        for n in range(3):
            registration_create(actor=people["enterprise_user"], kind="copyright_work", metadata=meta,
                                chunks=[b"work %d" % n])
        assert DBTaskResult.objects.filter(task_path="ipcity.evidence.tasks.seal_pending").count() == 1
        assert Registration.objects.filter(index__isnull=True).count() == 3
        work()
    assert Registration.objects.filter(index__isnull=True).count() == 0
    assert list(LogCheckpoint.objects.values_list("size", flat=True)) == [3]
    sealed = AuditEntry.objects.get(action="evidence.checkpoint.publish")
    assert sealed.actor_name == "system" and sealed.actor.display_name == "系统" and not sealed.actor.is_active


def test_a_registrant_waiting_for_the_certificate_queues_no_sealing_task_and_one_not_waiting_does(client_for):
    enterprise = client_for("enterprise_user")

    def register(n: int, query: str = "") -> dict:
        body = {"kind": "trade_secret", "metadata": {"title": f"配方{n}", "secret_type": "技术信息"},
                "sha256": f"{n:064x}", "sm3": f"{n + 100:064x}"}
        answer = enterprise.post(f"/api/v1/evidence/registrations{query}", json.dumps(body),
                                 content_type="application/json")
        assert answer.status_code == 201, answer.content.decode()
        return answer.json()

    sealing_tasks = DBTaskResult.objects.filter(task_path="ipcity.evidence.tasks.seal_pending")
    with queued(EVIDENCE_BACKGROUND_SEQUENCER=True):
        assert register(1)["status"] == "sequenced"
        assert not sealing_tasks.exists()
        assert register(2, "?wait=false")["status"] == "pending"
        assert sealing_tasks.count() == 1
        work()
    assert Registration.objects.filter(index__isnull=True).count() == 0


def test_a_registration_whose_sealing_failed_in_the_request_is_left_to_the_worker_at_once(client_for, monkeypatch):
    from ipcity.evidence import ledger

    enterprise = client_for("enterprise_user")
    body = {"kind": "trade_secret", "metadata": {"title": "配方", "secret_type": "技术信息"},
            "sha256": "a" * 64, "sm3": "b" * 64}

    def timestamp_service_down(*args, **kwargs):
        raise RuntimeError("时间戳服务不可用")

    with queued(EVIDENCE_BACKGROUND_SEQUENCER=True):
        with monkeypatch.context() as patched:
            patched.setattr(ledger, "_stamp", timestamp_service_down)
            with pytest.raises(RuntimeError, match="时间戳服务不可用"):
                enterprise.post("/api/v1/evidence/registrations", json.dumps(body), content_type="application/json")
        assert Registration.objects.get().index is None
        assert DBTaskResult.objects.filter(task_path="ipcity.evidence.tasks.seal_pending").count() == 1
        work()
    assert Registration.objects.get().index == 0


def test_the_worker_sends_due_reminders_as_the_system(client_for, people, frozen_clock):
    office = client_for("office_admin")
    created = office.post("/api/v1/supervision/items", json.dumps({
        "task": 2, "unit": "science_technology", "year": 2026, "title": "培育产业规划类专利导航项目",
        "deadline": "2026-11-10"}), content_type="application/json").json()["id"]
    office.post(f"/api/v1/supervision/items/{created}/transitions", json.dumps({"action": "assign"}),
                content_type="application/json")
    frozen_clock.advance(days=4)  # within seven days of the deadline
    with queued():
        send_reminders.enqueue()
        work()
    assert list(Reminder.objects.values_list("kind", flat=True)) == ["reminder"]
    assert AuditEntry.objects.get(action="supervision.reminder").actor_name == "system"
    assert DBTaskResult.objects.get().return_value == {"reminder": 1, "chaser": 0, "certification": 0}


def test_a_queued_evidence_package_is_written_by_the_worker(people, tmp_path, capsys):
    target = tmp_path / "2026.zip"
    with queued():
        assert ipcity_main(["evidence-package", "--year", "2026", "--output", str(target), "--queue"]) == 0
        assert "已排队" in capsys.readouterr().err and not target.exists()
        work()
    assert zipfile.is_zipfile(target) and not (tmp_path / "2026.zip.part").exists()
    assert AuditEntry.objects.get(action="evidence_package.export").actor_name == "system"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


# ---- a worker killed with SIGKILL in the middle of an import ----
ROWS = 600
PREPARE = textwrap.dedent(f'''
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from ipcity.stats.services import import_batch_start, import_in_background
    rows = "".join(f"2023100{{n:05d}}.1,2023-01-05,发明,方法{{n}},天开智能,天津市南开区华苑街道,2024-06-01\\n" for n in range({ROWS}))
    batch = import_batch_start(kind="patents", filename="大批.csv", actor=None)
    import_in_background(batch=batch, data=("申请号,申请日,专利类型,发明名称,专利权人,专利权人地址,授权公告日\\n" + rows).encode())
    print(batch.pk)
''')
CHECK = textwrap.dedent('''
    import json
    from django_tasks_db.models import DBTaskResult
    from ipcity.audit.models import AuditEntry
    from ipcity.stats.models import ImportBatch, Patent
    from ipcity.stats.services import progress_read
    batch = ImportBatch.objects.get()
    task = DBTaskResult.objects.get(task_path="ipcity.stats.tasks.import_batch_task")
    print(json.dumps({"state": batch.state, "created": batch.created, "patents": Patent.objects.count(),
                      "done": AuditEntry.objects.filter(action="stats.import.done").count(),
                      "progress": progress_read(batch.pk), "task": task.status, "attempts": len(task.worker_ids)}))
''')


@pytest.mark.django_db(transaction=False)
def test_killing_the_worker_mid_import_leaves_nothing_and_the_next_worker_imports_once(tmp_path):
    env = bare_environment(tmp_path, IPCITY_ENV="test", IPCITY_EVIDENCE_BACKGROUND_SEQUENCER="0")  # a SQLite file
    migrated_sqlite(tmp_path)
    run_python(env, PREPARE)
    worker = subprocess.Popen([sys.executable, "-m", "ipcity.cli", "worker", "--interval", "0.1"],
                              env={**env, "IPCITY_IMPORT_TEST_PAUSE": "60"}, stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        while "not yet committed" not in line:
            line = worker.stderr.readline()
            assert line or worker.poll() is None, "the worker exited before storing the rows"
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait(timeout=30)
        worker.stderr.close()
    crashed = json.loads(run_python(env, CHECK))
    assert crashed == {"state": "running", "created": 0, "patents": 0, "done": 0, "progress": [ROWS, ROWS],
                       "task": "RUNNING", "attempts": 1}  # every row was stored and shown, none committed
    again = subprocess.run([sys.executable, "-m", "ipcity.cli", "worker", "--until-empty"], env=env,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    final = json.loads(run_python(env, CHECK))
    assert final == {"state": "done", "created": ROWS, "patents": ROWS, "done": 1, "progress": None,
                     "task": "SUCCESSFUL", "attempts": 2}
    assert not list((tmp_path / "imports").iterdir())  # the stored upload is removed once the batch is done

"""An import batch's life as a workflow table: queued when the file is received, running while the task worker (or
the command line) checks and stores it, then done, or failed with every problem listed. Only the platform moves it;
a worker that died mid-import leaves it running, and the next worker resumes it or abandons it with the reason."""

from ipcity.stats.models import ImportBatch
from ipcity.workflow.core import Workflow, step

State = ImportBatch.State
SYSTEM = "system"

IMPORT_BATCH = Workflow(
    name="stats.import", label="导入批次", states=dict(State.choices), parties={SYSTEM: "平台后台任务"},
    transitions=(
        step("start", "开始导入", State.QUEUED, State.RUNNING, by=SYSTEM),
        step("resume", "重新导入", State.RUNNING, State.RUNNING, by=SYSTEM),
        step("done", "导入完成", State.RUNNING, State.DONE, by=SYSTEM),
        step("rejected", "发现问题，未导入", State.RUNNING, State.FAILED, by=SYSTEM),
        step("abandon", "中止导入", {State.QUEUED, State.RUNNING}, State.FAILED, by=SYSTEM, needs_reason=True),
    ))

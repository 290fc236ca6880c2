"""Every workflow of the platform, for docs/workflows.md and the tests that hold each table whole.
Run `python -m ipcity.workflow.catalog > docs/workflows.md` after changing a table."""

import functools
import importlib

from ipcity.workflow.core import Workflow

# module path -> the names of its Workflow tables, in the order the document lists them
TABLES = (
    ("ipcity.plan.core.supervision", ("WORK_ITEM",)),
    ("ipcity.operations.finance", ("FINANCING", "CLAIM")),
    ("ipcity.operations.services", ("OFFER", "NEED", "INTEREST")),
    ("ipcity.operations.navigation", ("NAVIGATION", "PORTFOLIO")),
    ("ipcity.services.applications", ("APPLICATION",)),
    ("ipcity.services.agencies", ("CUSTODY",)),
    ("ipcity.services.certification", ("CERTIFICATION",)),
    ("ipcity.services.culture", ("DEMONSTRATION",)),
    ("ipcity.services.experts", ("ASSIGNMENT",)),
    ("ipcity.services.policies", ("POLICY_APPLICATION",)),
    ("ipcity.services.training", ("REGISTRATION",)),
    ("ipcity.plan.assessment", ("INTERVIEW",)),
    ("ipcity.plan.survey", ("SURVEY",)),
    ("ipcity.stats.batches", ("IMPORT_BATCH",)),
    ("ipcity.protection.mediation", ("MEDIATION",)),
    ("ipcity.protection.enforcement", ("CASE",)),
    ("ipcity.protection.inspections", ("PLAN",)),
    ("ipcity.protection.assistance", ("ASSISTANCE",)),
    ("ipcity.protection.credit", ("LISTING",)),
    ("ipcity.evidence.notarization", ("NOTARIZATION",)),
)


def all_workflows() -> list[Workflow]:
    return [getattr(importlib.import_module(module), name) for module, names in TABLES for name in names]


@functools.cache
def workflows_by_name() -> dict[str, Workflow]:
    """Each workflow by its name (its audit prefix, e.g. "supervision.work_item")."""
    return {w.name: w for w in all_workflows()}


def render() -> str:
    head = ("# 业务流程（workflows）\n\n本文件由 `python -m ipcity.workflow.catalog > docs/workflows.md` 从各流程的状态表生成，"
            "测试保证二者一致。每个流程只能按表中的操作改变状态；其他操作一律拒绝并说明原因，每一步写入审计日志。\n\n")
    return head + "\n".join(w.describe() for w in all_workflows())


if __name__ == "__main__":
    import django

    django.setup()
    print(render(), end="")

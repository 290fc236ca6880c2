"""The task ledger (台账) as offices keep it in Excel: exported, edited, imported back.

One row per work item. Editable through the ledger: 工作事项, 成果形式, 完成时限; a row without 编号 is a new work
item (立项). State changes go through the supervision workflow, never through a spreadsheet: a changed 状态 is
refused. A file is applied whole or not at all; every bad row is reported with its row and column."""

from django.db import transaction

from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.plan.models import KeyTask, WorkItem
from ipcity.plan.supervision import unit_is_responsible, work_item_create, work_item_list
from ipcity.stats.core import importer
from ipcity.stats.core.importer import Column, Problem, Spec
from ipcity.web.spreadsheets import xlsx_bytes

HEADERS = ["编号", "重点任务编号", "重点任务", "牵头单位", "承办单位", "年度", "工作事项", "成果形式", "完成时限", "状态",
           "最新进展报告期", "最新进展"]


def _optional_int(value: str):
    value = value.strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 18):  # "²" is a digit to isdigit(), not to int()
        raise importer.CellError("应为整数")
    return int(value)


def _required_int(value: str) -> int:
    number = _optional_int(value)
    if number is None:
        raise importer.CellError("必填项为空")
    return number


LEDGER = Spec("ledger", "任务台账", (
    Column("id", ("编号",), _optional_int),
    Column("task", ("重点任务编号",), _required_int, required=True),
    Column("unit", ("承办单位",), importer.text, required=True),
    Column("year", ("年度",), _required_int, required=True),
    Column("title", ("工作事项",), importer.text, required=True),
    Column("deliverable", ("成果形式",), importer.text),
    Column("deadline", ("完成时限",), importer.date, required=True),
    Column("state", ("状态",), importer.text),
    Column("task_title", ("重点任务",), importer.text),
    Column("lead", ("牵头单位",), importer.text),
    Column("period", ("最新进展报告期",), importer.text),
    Column("latest", ("最新进展",), importer.text),
), key=("id",))


def ledger_rows(*, user) -> list[list]:
    rows = []
    for item in work_item_list(user=user).select_related("task").prefetch_related("reports", "task__assignments__unit"):
        lead = item.task.lead_unit
        latest = item.reports.first()
        rows.append([item.pk, item.task.number, item.task.title, lead.name if lead else "领导小组各成员单位",
                     item.unit.name, item.year, item.title, item.deliverable, item.deadline, item.get_state_display(),
                     latest.period if latest else "", latest.text if latest else ""])
    return rows


def ledger_export(*, user) -> bytes:
    notes = [["说明", "可修改“工作事项”“成果形式”“完成时限”；编号留空的行为新立项事项；状态请在平台中办理，不能在台账中修改。"]]
    return xlsx_bytes([("任务台账", HEADERS, ledger_rows(user=user)), ("填写说明", ["项目", "内容"], notes)])


def ledger_import(*, actor, data: bytes, filename: str, plan) -> dict:
    """Apply an edited ledger. Raises LedgerRejected listing every problem; nothing changes then."""
    require_perm(actor, Perm.SUPERVISION_MANAGE)
    parsed = importer.parse(LEDGER, data, filename)
    problems = list(parsed.problems)
    tasks = {t.number: t for t in KeyTask.objects.filter(plan=plan)}
    units = {u.name: u for u in Organization.objects.all()}
    items = {i.pk: i for i in WorkItem.objects.filter(task__plan=plan).select_related("unit", "task")}
    seen: dict[int, int] = {}
    changes = []
    for row in parsed.rows:
        number = row["_row"]
        item = items.get(row["id"]) if row["id"] is not None else None
        if row["id"] is not None:
            if item is None:
                problems.append(Problem(number, "编号", str(row["id"]), "没有这个工作事项"))
                continue
            if row["id"] in seen:
                problems.append(Problem(number, "编号", str(row["id"]), f"与第{seen[row['id']]}行重复"))
                continue
            seen[row["id"]] = number
        task = tasks.get(row["task"])
        unit = units.get(row["unit"])
        if task is None:
            problems.append(Problem(number, "重点任务编号", str(row["task"]), "没有这个重点任务"))
            continue
        if unit is None:
            problems.append(Problem(number, "承办单位", row["unit"], "没有这个单位"))
            continue
        if not unit_is_responsible(task, unit):
            problems.append(Problem(number, "承办单位", row["unit"], f"不是重点任务{task.number}的责任单位"))
            continue
        if not (plan.period_start <= row["deadline"] <= plan.period_end):
            problems.append(Problem(number, "完成时限", row["deadline"].isoformat(), "应在试点期内"))
            continue
        if item is not None:
            if row["state"] and row["state"] != item.get_state_display():
                problems.append(Problem(number, "状态", row["state"], f"状态不能在台账中修改（当前为“{item.get_state_display()}”）"))
                continue
            if (item.task_id, item.unit_id, item.year) != (task.pk, unit.pk, row["year"]):
                problems.append(Problem(number, "重点任务编号", str(row["task"]), "已有事项的任务、承办单位和年度不能在台账中修改"))
                continue
        changes.append((item, task, unit, row))
    if problems:
        raise LedgerRejected(sorted(problems, key=lambda p: p.row or 0))
    created = updated = 0
    with transaction.atomic():
        for item, task, unit, row in changes:
            if item is None:
                work_item_create(actor=actor, task=task, unit=unit, year=row["year"], title=row["title"],
                                 deadline=row["deadline"], deliverable=row["deliverable"],
                                 indicators=list(task.indicators.all()))
                created += 1
                continue
            before = {"title": item.title, "deliverable": item.deliverable, "deadline": item.deadline}
            after = {"title": row["title"][:200], "deliverable": row["deliverable"][:200], "deadline": row["deadline"]}
            if before != after:
                for field, value in after.items():
                    setattr(item, field, value)
                item.save(update_fields=list(after))
                audit_record(actor=actor, action="supervision.ledger.update", obj=item,
                             before={k: v for k, v in before.items() if after[k] != v},
                             after={k: v for k, v in after.items() if before[k] != v})
                updated += 1
    return {"created": created, "updated": updated, "unchanged": len(changes) - created - updated}


class LedgerRejected(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


"""The special fund (专项资金): budget lines, disbursements and how the budget is executed."""

import datetime as dt
from decimal import Decimal

from django.http import HttpResponse
from ninja import Router, Schema, Status

from ipcity.bounds import Year, bounded_decimal
from ipcity.inputs import object_or_404
from ipcity.openapi import file_response
from ipcity.plan.fund import budget_line_create, budget_lines, disbursement_record, execution, fund_export
from ipcity.plan.models import BudgetLine, Disbursement
from ipcity.plan.selectors import current_plan_or_404, task_get, unit_by_code
from ipcity.plan.supervision_api.items import TaskNumber
from ipcity.web.spreadsheets import XLSX_TYPE

router = Router()


class BudgetLineIn(Schema):
    year: Year
    use: str
    name: str
    amount: bounded_decimal(BudgetLine, "amount")
    managing_unit: str  # unit code


class BudgetLineOut(Schema):
    id: int
    year: int
    use: str
    name: str
    amount: Decimal
    disbursed: Decimal


class FundUseOut(Schema):
    label: str
    budget: Decimal
    disbursed: Decimal
    rate: Decimal | None  # None: nothing budgeted


class ExecutionOut(Schema):
    year: int
    budget: Decimal
    disbursed: Decimal
    rate: Decimal | None
    by_use: dict[str, FundUseOut]  # budget use code -> its execution
    lines: list[BudgetLineOut]


@router.get("/fund", response=ExecutionOut, summary="专项资金预算执行情况")
def fund(request, year: Year):
    summary = execution(user=request.user, year=year)
    return {"year": year, "budget": summary["total"]["budget"], "disbursed": summary["total"]["disbursed"],
            "rate": summary["total"]["rate"],
            "by_use": {k: {"label": v["label"], "budget": str(v["budget"]), "disbursed": str(v["disbursed"]),
                           "rate": None if v["rate"] is None else str(v["rate"])} for k, v in summary["by_use"].items()},
            "lines": [{"id": line.pk, "year": line.year, "use": line.use, "name": line.name, "amount": line.amount,
                       "disbursed": line.disbursed} for line in budget_lines(user=request.user, year=year)]}


@router.post("/fund/lines", response={201: BudgetLineOut}, summary="添加预算项目（仅领导小组办公室）")
def fund_line_create(request, payload: BudgetLineIn):
    unit = unit_by_code(payload.managing_unit)
    line = budget_line_create(actor=request.user, year=payload.year, use=payload.use, name=payload.name,
                              amount=payload.amount, managing_unit=unit)
    return Status(201, {"id": line.pk, "year": line.year, "use": line.use, "name": line.name, "amount": line.amount,
                        "disbursed": Decimal(0)})


class DisbursementIn(Schema):
    amount: bounded_decimal(Disbursement, "amount")
    paid_on: dt.date
    recipient: str
    purpose: str
    task: TaskNumber | None = None


class DisbursementOut(Schema):
    id: int
    amount: Decimal
    paid_on: dt.date


@router.post("/fund/lines/{line_id}/disbursements", response={201: DisbursementOut}, summary="登记专项资金支出（仅领导小组办公室）")
def fund_disburse(request, line_id: int, payload: DisbursementIn):
    line = object_or_404(BudgetLine.objects, "没有这个预算项目", pk=line_id)
    task = task_get(plan=current_plan_or_404(), number=payload.task) if payload.task else None
    paid = disbursement_record(actor=request.user, line=line, amount=payload.amount, paid_on=payload.paid_on,
                               recipient=payload.recipient, purpose=payload.purpose, task=task)
    return Status(201, {"id": paid.pk, "amount": paid.amount, "paid_on": paid.paid_on})


@router.get("/fund.xlsx", openapi_extra=file_response(XLSX_TYPE), summary="导出专项资金执行情况（Excel）")
def fund_download(request, year: Year):
    response = HttpResponse(fund_export(user=request.user, year=year), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="fund-{year}.xlsx"'
    return response

"""The IP special fund (专项资金): budget lines by year and use, disbursements tied to tasks and recipients,
execution rates, and the .xlsx export. A disbursement never takes a line past its budget."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce

from ipcity import clock
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.plan.models import BudgetLine, Disbursement, FundUse
from ipcity.plan.supervision import require_supervision_reader
from ipcity.web.spreadsheets import xlsx_bytes

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=16, decimal_places=2))


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: ["金额应为数字"]}) from None
    if amount <= 0:
        raise ValidationError({field: ["金额应大于0"]})
    return amount


def _cents(amount) -> Decimal:
    """Sums come back from SQLite without their scale; money is always shown to the cent."""
    return Decimal(amount).quantize(Decimal("0.01"))


def budget_lines(*, user, year: int | None = None):
    require_supervision_reader(user)
    lines = BudgetLine.objects.select_related("managing_unit").annotate(disbursed=Coalesce(Sum("disbursements__amount"), ZERO))
    if year is not None:
        lines = lines.filter(year=year)
    return lines


@transaction.atomic
def budget_line_create(*, actor, year: int, use: str, name: str, amount, managing_unit) -> BudgetLine:
    require_perm(actor, Perm.SUPERVISION_MANAGE)
    if use not in FundUse.values:
        raise ValidationError({"use": [f"用途应为：{'、'.join(FundUse.labels)}"]})
    if not name.strip():
        raise ValidationError({"name": ["请填写预算项目"]})
    if BudgetLine.objects.filter(year=year, name=name.strip()).exists():
        raise ValidationError({"name": [f"{year}年已有预算项目“{name.strip()}”"]})
    line = BudgetLine.objects.create(year=year, use=use, name=name.strip()[:200], amount=_money(amount, "amount"),
                                     managing_unit=managing_unit, created_at=clock.now())
    audit_record(actor=actor, action="fund.budget_line.create", obj=line,
                 after={"year": year, "use": use, "name": line.name, "amount": line.amount})
    return line


@transaction.atomic
def disbursement_record(*, actor, line: BudgetLine, amount, paid_on: dt.date, recipient: str, purpose: str,
                        task=None, recipient_org=None) -> Disbursement:
    require_perm(actor, Perm.SUPERVISION_MANAGE)
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    amount = _money(amount, "amount")
    spent = _cents(line.disbursements.aggregate(total=Coalesce(Sum("amount"), ZERO))["total"])
    if spent + amount > line.amount:
        raise ValidationError({"amount": [f"超出预算：预算 {line.amount} 元，已支出 {spent} 元，余额 {line.amount - spent} 元"]})
    if paid_on.year != line.year:
        raise ValidationError({"paid_on": [f"支付日期应在预算年度 {line.year} 年内"]})
    if paid_on > clock.today():
        raise ValidationError({"paid_on": ["支付日期不能晚于今天"]})
    if not recipient.strip() or not purpose.strip():
        raise ValidationError("请填写收款单位和用途说明")
    disbursement = Disbursement.objects.create(line=line, task=task, recipient=recipient.strip()[:200],
                                               recipient_org=recipient_org, amount=amount, paid_on=paid_on,
                                               purpose=purpose.strip()[:300], recorded_by=actor, recorded_at=clock.now())
    audit_record(actor=actor, action="fund.disbursement.record", obj=line,
                 after={"amount": amount, "recipient": disbursement.recipient, "paid_on": paid_on,
                        "task": task.number if task else None})
    return disbursement


def execution(*, user, year: int) -> dict:
    """Budget, disbursed and execution rate per use and in total for a year."""
    by_use = {use: {"label": label, "budget": Decimal(0), "disbursed": Decimal(0)} for use, label in FundUse.choices}
    for line in budget_lines(user=user, year=year):
        by_use[line.use]["budget"] += line.amount
        by_use[line.use]["disbursed"] += line.disbursed
    total = {"budget": sum(u["budget"] for u in by_use.values()), "disbursed": sum(u["disbursed"] for u in by_use.values())}
    for entry in [*by_use.values(), total]:
        entry["budget"], entry["disbursed"] = _cents(entry["budget"]), _cents(entry["disbursed"])
        entry["rate"] = (entry["disbursed"] / entry["budget"] * 100).quantize(Decimal("0.1")) if entry["budget"] else None
    return {"year": year, "by_use": by_use, "total": total}


def fund_export(*, user, year: int) -> bytes:
    lines = list(budget_lines(user=user, year=year))
    summary = execution(user=user, year=year)
    disbursements = Disbursement.objects.filter(line__in=lines).select_related("line", "task")
    return xlsx_bytes([
        ("预算执行", ["年度", "用途", "预算项目", "管理单位", "预算金额（元）", "已支出（元）", "执行率（%）"],
         [[line.year, line.get_use_display(), line.name, line.managing_unit.name, line.amount, line.disbursed,
           (line.disbursed / line.amount * 100).quantize(Decimal("0.1")) if line.amount else None] for line in lines]
         + [[year, "合计", "", "", summary["total"]["budget"], summary["total"]["disbursed"], summary["total"]["rate"]]]),
        ("支出明细", ["预算项目", "支付日期", "收款单位或个人", "金额（元）", "关联重点任务", "用途说明"],
         [[d.line.name, d.paid_on, d.recipient, d.amount, d.task.number if d.task else "", d.purpose] for d in disbursements]),
    ])

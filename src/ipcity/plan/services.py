"""Writes to the work plan: each one transactional, permission-checked and audited."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from pydantic import ValidationError as SchemaError

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.accounts.system import system_actor
from ipcity.audit.services import audit_record, changed_fields
from ipcity.plan.core import schema
from ipcity.plan.core.value_sense import value_problem
from ipcity.plan.models import (
    Action,
    Goal,
    Indicator,
    IndicatorValue,
    KeyTask,
    Safeguard,
    SafeguardUnit,
    TaskUnit,
    WorkPlan,
)
from ipcity.plan.selectors import indicator_is_reportable_by

INDICATOR_EDITABLE_FIELDS = ("name", "target", "unit", "comparison", "period_type", "deadline", "reading", "data_source")


def _units_for(specs) -> dict[str, Organization]:
    """The responsible units by code: each found by its code or else its name, or created (one query to look)."""
    specs = list(specs)
    known = list(Organization.objects.filter(Q(code__in=[s.code for s in specs]) | Q(name__in=[s.name for s in specs])))
    units = {}
    for spec in specs:
        unit = next((o for o in known if o.code == spec.code), None) or next((o for o in known if o.name == spec.name),
                                                                             None)
        if unit is None:
            unit = Organization.objects.create(code=spec.code, name=spec.name, full_name=spec.full_name,
                                               org_type=spec.org_type)
            known.append(unit)
        elif unit.org_type not in schema.ORG_TYPES:
            raise ValidationError(f"单位“{spec.name}”已作为{unit.get_org_type_display()}存在，不能作为责任单位")
        elif not unit.code:
            unit.code = spec.code
            unit.save(update_fields=["code"])
        units[spec.code] = unit
    return units


@transaction.atomic
def plan_import(*, plan_data: schema.WorkPlan, actor, make_current: bool = True) -> WorkPlan:
    """Load a validated plan as a new version. Refuses a code and version that already exist."""
    if actor is not None:
        require_perm(actor, Perm.PLAN_IMPORT)
    if WorkPlan.objects.filter(code=plan_data.code, version=plan_data.version).exists():
        raise ValidationError(f"方案 {plan_data.code} 第 {plan_data.version} 版已导入；请提高 version 后再导入")
    units = _units_for(plan_data.units)
    lg = plan_data.leading_group
    office, _ = Organization.objects.get_or_create(
        name=lg.office_name, defaults={"org_type": OrgType.LEADING_GROUP_OFFICE, "full_name": lg.office_name})
    if make_current:
        WorkPlan.objects.filter(code=plan_data.code).update(is_current=False)
    plan = WorkPlan.objects.create(
        code=plan_data.code, version=plan_data.version, title=plan_data.title,
        document_number=plan_data.document_number, issuer=plan_data.issuer, issued_on=plan_data.issued_on,
        region=plan_data.region, basis=plan_data.basis, period_start=plan_data.period_start,
        period_end=plan_data.period_end, overall_goal=plan_data.overall_goal, leading_group_name=lg.name,
        leading_group_office=office, office_host=units[lg.office_host], members_reading=lg.members_reading,
        is_current=make_current, imported_at=clock.now(),
    )
    plan.members.set([units[c] for c in lg.members])
    # (rows are written in bulk: a plan is ~150 rows, and every test and every demo starts by importing one)
    goals = {g.code: g for g in Goal.objects.bulk_create(
        Goal(plan=plan, code=g.code, number=g.number, name=g.name, text=g.text, qualitative=list(g.qualitative))
        for g in plan_data.goals)}
    actions = Action.objects.bulk_create(Action(plan=plan, number=a.number, numeral=a.numeral, title=a.title)
                                         for a in plan_data.actions)
    specs = [(action, t) for action, a in zip(actions, plan_data.actions, strict=True) for t in a.tasks]
    tasks = {t.number: task for (_, t), task in zip(specs, KeyTask.objects.bulk_create(
        KeyTask(plan=plan, action=action, number=t.number, title=t.title, text=t.text, units_text=t.units_text,
                members_clause=t.members_clause) for action, t in specs), strict=True)}
    TaskUnit.objects.bulk_create(TaskUnit(task=tasks[t.number], unit=units[c], position=i)
                                 for _, t in specs for i, c in enumerate(t.units))
    indicators = Indicator.objects.bulk_create(
        Indicator(plan=plan, goal=goals[i.goal], code=i.code, position=position, name=i.name, target=i.target,
                  unit=i.unit, comparison=i.comparison, period_type=i.period_type, deadline=i.deadline,
                  source_sentence=i.source_sentence, reading=i.reading, data_source=i.data_source)
        for position, i in enumerate(plan_data.indicators))
    Indicator.key_tasks.through.objects.bulk_create(
        Indicator.key_tasks.through(indicator=indicator, keytask=tasks[n])
        for indicator, i in zip(indicators, plan_data.indicators, strict=True) for n in i.key_tasks)
    safeguards = Safeguard.objects.bulk_create(
        Safeguard(plan=plan, code=s.code, number=s.number, numeral=s.numeral, title=s.title, text=s.text,
                  units_text=s.units_text, members_clause=s.members_clause) for s in plan_data.safeguards)
    SafeguardUnit.objects.bulk_create(SafeguardUnit(safeguard=safeguard, unit=units[c], position=i)
                                      for safeguard, s in zip(safeguards, plan_data.safeguards, strict=True)
                                      for i, c in enumerate(s.units))
    audit_record(actor=actor or system_actor(), action="plan.import", obj=plan,
                 after={"code": plan.code, "version": plan.version, "indicators": len(plan_data.indicators),
                        "tasks": len(tasks)})
    return plan


def _indicator_fields(indicator: Indicator) -> dict:
    return {f: getattr(indicator, f) for f in INDICATOR_EDITABLE_FIELDS}


def _as_schema_indicator(indicator: Indicator, fields: dict) -> schema.Indicator:
    """Validate an edited indicator with the same rules as a plan file, so both doors agree."""
    merged = {"code": indicator.code, "goal": indicator.goal.code, "source_sentence": indicator.source_sentence,
              **_indicator_fields(indicator), **fields}
    try:
        return schema.Indicator.model_validate(merged)
    except SchemaError as exc:
        raise ValidationError([f"{'.'.join(map(str, e['loc'])) or '指标'}: {e['msg'].removeprefix('Value error, ')}"
                               for e in exc.errors()]) from None


@transaction.atomic
def indicator_update(*, indicator: Indicator, actor, **fields) -> Indicator:
    require_perm(actor, Perm.PLAN_EDIT)
    unknown = set(fields) - set(INDICATOR_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"不可编辑的字段：{'、'.join(sorted(unknown))}")
    checked = _as_schema_indicator(indicator, fields)
    if not (indicator.plan.period_start <= checked.deadline <= indicator.plan.period_end):
        raise ValidationError(f"deadline: {checked.deadline} 不在试点期内")
    before = _indicator_fields(indicator)
    for f in fields:
        setattr(indicator, f, getattr(checked, f))
    indicator.save()
    old, new = changed_fields(before, _indicator_fields(indicator))
    if new:
        audit_record(actor=actor, action="plan.indicator.update", obj=indicator, before=old, after=new)
    return indicator


@transaction.atomic
def task_units_set(*, task: KeyTask, actor, units: list[Organization], members_clause: str) -> KeyTask:
    """Replace a task's responsible units; the first in the list leads."""
    require_perm(actor, Perm.PLAN_EDIT)
    if members_clause not in {m.value for m in schema.MembersClause}:
        raise ValidationError(f"members_clause 应为 none、all 或 others，实际为 {members_clause!r}")
    if len({u.pk for u in units}) != len(units):
        raise ValidationError("责任单位重复")
    for unit in units:
        if unit.org_type not in schema.ORG_TYPES:
            raise ValidationError(f"“{unit.name}”是{unit.get_org_type_display()}，不能作为责任单位")
    if not units and members_clause != schema.MembersClause.ALL:
        raise ValidationError("至少需要一个责任单位，或选择“领导小组各成员单位按职责分工负责”")
    before = {"units": [u.name for u in task.ordered_units], "members_clause": task.members_clause}
    task.assignments.all().delete()
    TaskUnit.objects.bulk_create(TaskUnit(task=task, unit=u, position=i) for i, u in enumerate(units))
    task.members_clause = members_clause
    task.save(update_fields=["members_clause"])
    after = {"units": [u.name for u in units], "members_clause": members_clause}
    old, new = changed_fields(before, after)
    if new:
        audit_record(actor=actor, action="plan.task.units_set", obj=task, before=old, after=new)
    return task


def _decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{field}: “{value}”不是有效数字") from None
    if not number.is_finite():
        raise ValidationError(f"{field}: “{value}”不是有效数字")
    return number


@transaction.atomic
def indicator_value_report(*, indicator: Indicator, actor, as_of: dt.date, value, source: str,
                           note: str = "", attachment=None, is_synthetic: bool = False) -> IndicatorValue:
    require_perm(actor, Perm.INDICATOR_REPORT)
    if not indicator_is_reportable_by(indicator=indicator, user=actor):
        raise PermissionDenied("本单位不是该指标相关重点任务的责任单位，不能报送该指标")
    if not source or not source.strip():
        raise ValidationError("source: 请填写数据来源")
    if as_of > clock.today():
        raise ValidationError("as_of: 截至日期不能晚于今天")
    number = _decimal(value, "value")
    if problem := value_problem(indicator, number):
        raise ValidationError({"value": [problem]})
    entry = IndicatorValue.objects.create(
        indicator=indicator, as_of=as_of, value=number, source=source.strip()[:300], note=note,
        attachment=attachment, reported_by=actor, reporting_unit=actor.organization, reported_at=clock.now(),
        is_synthetic=is_synthetic)
    audit_record(actor=actor, action="plan.indicator_value.report", obj=indicator,
                 after={"as_of": as_of, "value": entry.value, "source": entry.source,
                        "attachment": attachment.original_name if attachment else None})
    return entry


"""Reads of the work plan. The plan is a public government document: reading it needs no login."""

from django.db.models import Prefetch
from django.http import Http404

from ipcity import clock
from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.inputs import object_or_404
from ipcity.plan.core import schema
from ipcity.plan.core.schema import MembersClause
from ipcity.plan.core.status import indicator_status
from ipcity.plan.models import Indicator, IndicatorValue, KeyTask, TaskUnit, WorkPlan


def unit_by_code(code: str) -> Organization:
    """The organization an API request names by its code (e.g. a responsible unit), or 404 naming the code."""
    return object_or_404(Organization, f"未知的单位代码：{code}", code=code)


def current_plan() -> WorkPlan | None:
    return WorkPlan.objects.filter(is_current=True).order_by("-imported_at").first()


def current_plan_or_404() -> WorkPlan:
    plan = current_plan()
    if plan is None:
        raise Http404("尚未导入工作方案")
    return plan


def task_list(*, plan: WorkPlan):
    return plan.tasks.select_related("action").prefetch_related(
        Prefetch("assignments", queryset=TaskUnit.objects.select_related("unit").order_by("position")))


def task_get(*, plan: WorkPlan, number: int) -> KeyTask:
    task = task_list(plan=plan).filter(number=number).first()
    if task is None:
        raise Http404("没有这个重点任务")
    return task


def indicator_names(codes) -> dict[str, str]:
    """Each indicator code's name in the newest plan holding it; a code no plan holds is 其他指标."""
    names = dict(Indicator.objects.filter(code__in=list(codes)).order_by("plan__version").values_list("code", "name"))
    return {code: names.get(code, "其他指标") for code in codes}


def indicator_get(*, plan: WorkPlan, code: str) -> Indicator:
    indicator = plan.indicators.select_related("goal", "plan").filter(code=code).first()
    if indicator is None:
        raise Http404("没有这个指标")
    return indicator


def reported_indicator_rows(*, plan: WorkPlan, as_of=None) -> list[dict]:
    """Each indicator with its latest *reported* value as of a date, and the status that value gives.
    Pages use `stats.selectors.indicator_table`, which lays computed values over these."""
    as_of = as_of or clock.today()
    indicators = list(plan.indicators.select_related("goal").prefetch_related("key_tasks"))
    values: dict[int, list[IndicatorValue]] = {}
    for v in IndicatorValue.objects.filter(indicator__plan=plan, as_of__lte=as_of).order_by("-as_of", "-reported_at"):
        values.setdefault(v.indicator_id, []).append(v)
    rows = []
    for indicator in indicators:
        history = values.get(indicator.pk, [])
        latest = history[0] if history else None
        previous = next((v for v in history if latest and v.as_of.year < latest.as_of.year), None)
        status = indicator_status(comparison=indicator.comparison, target=indicator.target,
                                  value=latest.value if latest else None,
                                  previous_value=previous.value if previous else None,
                                  deadline=indicator.deadline, as_of=as_of)
        rows.append({"indicator": indicator, "latest": latest, "status": status})
    return rows


def indicators_reportable_by(*, plan: WorkPlan, user) -> set[int]:
    """The plan's indicators (ids) a user may report values for: the office every one; a unit those of the key
    tasks it is named in, and, as a member unit, those of tasks whose members clause includes the members. Three
    queries however many indicators."""
    indicators = Indicator.objects.filter(plan=plan)
    if has_perm(user, Perm.PLAN_EDIT):
        return set(indicators.values_list("pk", flat=True))
    if not has_perm(user, Perm.INDICATOR_REPORT):
        return set()
    member = plan.members.filter(pk=user.organization_id).exists()
    named = set(TaskUnit.objects.filter(task__plan=plan, unit_id=user.organization_id).values_list("task_id", flat=True))
    return {pk for pk, task_id, clause in indicators.filter(key_tasks__isnull=False).values_list(
                "pk", "key_tasks", "key_tasks__members_clause")
            if task_id in named or (member and clause != MembersClause.NONE)}


def indicator_is_reportable_by(*, indicator: Indicator, user) -> bool:
    return indicator.pk in indicators_reportable_by(plan=indicator.plan, user=user)


def unit_task_counts(*, plan: WorkPlan) -> dict[int, tuple[int, int]]:
    """Per unit (by id): how many key tasks it takes part in and how many it leads, the members clause included,
    in three queries however many units and tasks."""
    members = set(plan.members.values_list("pk", flat=True))
    counts: dict[int, list[int]] = {}
    for task in task_list(plan=plan):
        units = [a.unit_id for a in sorted(task.assignments.all(), key=lambda a: a.position)]
        involved = set(units) | (members if task.members_clause == MembersClause.ALL else set())
        for unit_id in involved:
            counts.setdefault(unit_id, [0, 0])[0] += 1
        if units:
            counts.setdefault(units[0], [0, 0])[1] += 1
    return {unit_id: (tasks, leads) for unit_id, (tasks, leads) in counts.items()}


def unit_tasks(*, plan: WorkPlan, unit) -> list[KeyTask]:
    named = task_list(plan=plan).filter(assignments__unit=unit)
    if plan.members.filter(pk=unit.pk).exists():
        named = named | task_list(plan=plan).filter(members_clause=MembersClause.ALL)
    return list(named.distinct().order_by("number"))


def plan_export(*, plan: WorkPlan) -> schema.WorkPlan:
    """The plan as it stands now, edits included, in the same format `plan import` reads."""
    units = {u.pk: u for u in plan.members.all()}
    tasks = list(task_list(plan=plan))
    safeguards = list(plan.safeguards.prefetch_related("safeguardunit_set__unit"))
    for task in tasks:
        units.update({a.unit.pk: a.unit for a in task.assignments.all()})
    for sg in safeguards:
        units.update({u.pk: u for u in sg.ordered_units})
    units[plan.office_host.pk] = plan.office_host

    def responsibility(item, ordered):
        return {"units_text": item.units_text, "units": [u.code for u in ordered], "members_clause": item.members_clause}

    data = {
        "format": schema.FORMAT, "code": plan.code, "version": plan.version, "title": plan.title,
        "document_number": plan.document_number, "issuer": plan.issuer, "issued_on": plan.issued_on,
        "region": plan.region, "basis": plan.basis, "period_start": plan.period_start, "period_end": plan.period_end,
        "overall_goal": plan.overall_goal,
        "units": [{"code": u.code, "name": u.name, "full_name": u.full_name, "org_type": u.org_type}
                  for u in sorted(units.values(), key=lambda u: u.pk)],
        "leading_group": {"name": plan.leading_group_name, "office_name": plan.leading_group_office.name,
                          "office_host": plan.office_host.code,
                          "members": [u.code for u in plan.members.order_by("pk")],
                          "members_reading": plan.members_reading},
        "goals": [{"code": g.code, "number": g.number, "name": g.name, "text": g.text, "qualitative": g.qualitative}
                  for g in plan.goals.all()],
        "indicators": [{"code": i.code, "goal": i.goal.code, "name": i.name, "target": i.target, "unit": i.unit,
                        "comparison": i.comparison, "period_type": i.period_type, "deadline": i.deadline,
                        "source_sentence": i.source_sentence, "key_tasks": sorted(t.number for t in i.key_tasks.all()),
                        "data_source": i.data_source, "reading": i.reading}
                       for i in plan.indicators.select_related("goal").prefetch_related("key_tasks")],
        "actions": [{"number": a.number, "numeral": a.numeral, "title": a.title,
                     "tasks": [{"number": t.number, "title": t.title, "text": t.text,
                                **responsibility(t, [x.unit for x in t.assignments.all()])}
                               for t in tasks if t.action_id == a.pk]}
                    for a in plan.actions.all()],
        "safeguards": [{"code": s.code, "number": s.number, "numeral": s.numeral, "title": s.title, "text": s.text,
                        **responsibility(s, s.ordered_units)} for s in safeguards],
    }
    return schema.parse_plan(data)

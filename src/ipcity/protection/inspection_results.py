"""一公开: the result of each drawn inspection. An inspector drawn for the subject, or the office, records it once
(未发现问题 / 发现问题 / 责令整改 / 立案查处, a short description, the day it was inspected; 立案查处 names the
enforcement case opened against the inspected organization, one the recorder may handle). Only the office corrects a
recorded result, saying why; the correction is kept on the result and audited. The public sees the results once the
office publishes them (`inspections.plan_results_publish`, only when every drawn subject has one)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from ipcity import clock
from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.inputs import day_problem, text_problem
from ipcity.protection.inspections import DRAWN_STATES, inspector_key
from ipcity.protection.models import EnforcementCase, InspectionPlan, InspectionResult

Outcome = InspectionResult.Outcome
DESCRIPTION_MAX = InspectionResult._meta.get_field("description").max_length
REASON_MAX = 300


def _manages(user) -> bool:
    return has_perm(user, Perm.INSPECTION_MANAGE)


def drawn_subjects(plan: InspectionPlan) -> list[str]:
    return list(plan.results.get("subjects", [])) if plan.state in DRAWN_STATES else []


def assigned(user, plan: InspectionPlan, subject: str) -> bool:
    """An enforcement officer the draw assigned to inspect this subject (and who still holds the officer's
    permission)."""
    return (user.is_authenticated and has_perm(user, Perm.CASE_HANDLE)
            and inspector_key(user.pk) in plan.results.get("inspectors", {}).get(subject, []))


def subjects_for(user, plan: InspectionPlan) -> list[str]:
    """The drawn subjects whose results this user records and reads in full: all for the office, their own for an
    inspector."""
    subjects = drawn_subjects(plan)
    return subjects if _manages(user) else [s for s in subjects if assigned(user, plan, s)]


def require_results_reader(user, plan: InspectionPlan) -> None:
    if not (_manages(user) or subjects_for(user, plan)):
        raise PermissionDenied("只有办公室和抽中该计划对象的执法人员可以录入和查看未公示的检查结果")


def cases_to_link(user) -> QuerySet[EnforcementCase]:
    """The cases a result may name: any case for the office, the cases an officer handles for an inspector."""
    if has_perm(user, Perm.PROTECTION_READ_ALL):
        return EnforcementCase.objects.all()
    if has_perm(user, Perm.CASE_HANDLE):
        return EnforcementCase.objects.filter(officers=user)
    return EnforcementCase.objects.none()


def case_is_about(case: EnforcementCase, organization: Organization) -> bool:
    """Whether the case's party is this organization: by the unified social credit code when both record one (two
    entities may share a name, never a code), otherwise by the organization's registered name or full name."""
    party_code, own_code = case.party_credit_code.strip().upper(), organization.credit_code.strip().upper()
    if party_code and own_code:
        return party_code == own_code
    return case.party.strip() in {name.strip() for name in (organization.name, organization.full_name) if name.strip()}


def _problems(*, actor, plan: InspectionPlan, organization: Organization, outcome: str, description: str,
              inspected_on: dt.date | None, case_id: int | None,
              result: InspectionResult | None = None) -> tuple[dict, EnforcementCase | None]:
    problems: dict[str, list[str]] = {}
    if outcome not in Outcome.values:
        problems["outcome"] = [f"检查结果应为：{'、'.join(Outcome.labels)}"]
    text = description.strip()
    if not text:
        problems["description"] = ["请填写情况说明"]
    elif text_problem(text, max_length=DESCRIPTION_MAX):
        problems["description"] = [f"情况说明{text_problem(text, max_length=DESCRIPTION_MAX)}"]
    drawn_on = clock.localdate(plan.drawn_at) if plan.drawn_at else None
    if inspected_on is None:
        problems["inspected_on"] = ["请填写检查日期"]
    elif day_problem(inspected_on):
        problems["inspected_on"] = [f"检查日期：{day_problem(inspected_on)}"]
    elif inspected_on > clock.today():
        problems["inspected_on"] = ["检查日期不能晚于今天"]
    elif drawn_on and inspected_on < drawn_on:
        problems["inspected_on"] = [f"检查日期不能早于抽取日期（{drawn_on:%Y-%m-%d}）"]
    case = None
    if outcome == Outcome.CASE_FILED:
        if case_id is None:
            problems["case"] = ["立案查处须关联执法案件：请填写案件编号"]
        else:
            case = cases_to_link(actor).filter(pk=case_id).first()
            linked = InspectionResult.objects.filter(case_id=case_id).exclude(pk=result.pk if result else None)
            if case is None:
                problems["case"] = ["关联案件不存在，或不是您可以办理的案件"]
            elif case.state == EnforcementCase.State.NOT_FILED:
                problems["case"] = ["该案件已不予立案，不能作为立案查处的案件"]
            elif linked.exists():
                problems["case"] = ["该案件已关联其他抽查对象的检查结果"]
            elif not case_is_about(case, organization):
                problems["case"] = [f"关联案件的当事人“{case.party}”不是抽查对象“{organization.name}”，"
                                    "只能关联对该对象立案查处的案件"]
    elif case_id is not None:
        problems["case"] = ["只有检查结果为“立案查处”时才关联执法案件"]
    return problems, case


@transaction.atomic
def result_record(*, actor, plan: InspectionPlan, subject: str, outcome: str, description: str,
                  inspected_on: dt.date | None, case_id: int | None = None) -> InspectionResult:
    """Record one drawn subject's result, once."""
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)  # one recorder at a time per plan
    if not (_manages(actor) or assigned(actor, plan, subject)):
        raise PermissionDenied("只有抽中该对象的执法人员或办公室可以录入检查结果")
    if plan.state == InspectionPlan.State.RESULTS_PUBLISHED:
        raise ValidationError("本计划的检查结果已公示；如需更正，由办公室说明理由后更正")
    if plan.state != InspectionPlan.State.DRAWN:
        raise ValidationError("计划尚未抽取，不能录入检查结果")
    if subject not in drawn_subjects(plan):
        raise ValidationError({"subject": ["不是本计划抽中的抽查对象"]})
    if InspectionResult.objects.filter(plan=plan, subject_key=subject).exists():
        raise ValidationError({"subject": ["该对象的检查结果已录入；如需更正，由办公室说明理由后更正"]})
    organization = Organization.objects.get(pk=int(subject.split("-")[1]))
    problems, case = _problems(actor=actor, plan=plan, organization=organization, outcome=outcome,
                               description=description, inspected_on=inspected_on, case_id=case_id)
    if problems:
        raise ValidationError(problems)
    result = InspectionResult.objects.create(
        plan=plan, subject_key=subject, organization=organization, outcome=outcome,
        description=description.strip(), inspected_on=inspected_on, case=case, recorded_by=actor,
        recorded_at=clock.now())
    audit_record(actor=actor, action="protection.inspection.result_record", obj=result,
                 after={"plan": plan.code, "subject": subject, "outcome": outcome, "case": case.pk if case else None})
    return result


def _snapshot(result: InspectionResult) -> dict:
    return {"outcome": result.outcome, "description": result.description,
            "inspected_on": result.inspected_on.isoformat(), "case": result.case_id}


@transaction.atomic
def result_correct(*, actor, result: InspectionResult, outcome: str, description: str,
                   inspected_on: dt.date | None, reason: str, case_id: int | None = None) -> InspectionResult:
    """The office corrects a recorded result, before or after publication, with a reason kept on the result."""
    if not _manages(actor):
        raise PermissionDenied("检查结果录入后只能由办公室更正")
    result = InspectionResult.objects.select_for_update().select_related("plan", "organization").get(pk=result.pk)
    problems, case = _problems(actor=actor, plan=result.plan, organization=result.organization, outcome=outcome,
                               description=description, inspected_on=inspected_on, case_id=case_id, result=result)
    why = reason.strip()
    if not why:
        problems["reason"] = ["更正须说明理由"]
    elif text_problem(why, max_length=REASON_MAX):
        problems["reason"] = [f"更正理由{text_problem(why, max_length=REASON_MAX)}"]
    if problems:
        raise ValidationError(problems)
    before = _snapshot(result)
    result.outcome, result.description, result.inspected_on, result.case = (outcome, description.strip(),
                                                                            inspected_on, case)
    after = _snapshot(result)
    if after == before:
        raise ValidationError("更正后的内容与原结果相同")
    result.corrections = [*result.corrections, {"at": clock.now().isoformat(), "by": actor.display_name,
                                                "reason": why, "before": before}]
    result.save()
    audit_record(actor=actor, action="protection.inspection.result_correct", obj=result, before=before,
                 after={**after, "reason": why})
    return result


# ---- reads ----

def result_rows(*, user, plan: InspectionPlan) -> list[dict]:
    """The results this user may read: in full (with the linked case) for the office and each subject's inspectors;
    once published, the public's view of the others; nothing unpublished for anyone else."""
    names = {c["key"]: c["name"] for c in plan.candidates}
    own = set(subjects_for(user, plan))
    published = plan.state == InspectionPlan.State.RESULTS_PUBLISHED
    rows = []
    results = {r.subject_key: r for r in InspectionResult.objects.filter(plan=plan)}
    for key in drawn_subjects(plan):
        found = results.get(key)
        if found is None or not (key in own or published):
            continue
        corrected = found.corrections[-1]["at"] if found.corrections else None
        rows.append({"id": found.pk, "subject": key, "name": names.get(key, key), "outcome": found.outcome,
                     "outcome_label": found.get_outcome_display(), "description": found.description,
                     "inspected_on": found.inspected_on, "case": found.case_id if key in own else None,
                     "corrected_on": clock.localdate(dt.datetime.fromisoformat(corrected)) if corrected else None})
    return rows


def result_get(*, plan: InspectionPlan, subject: str) -> InspectionResult | None:
    return InspectionResult.objects.filter(plan=plan, subject_key=subject).first()


def worksheet(*, user, plan: InspectionPlan) -> list[dict]:
    """The results page: each drawn subject this user works on, its inspectors and its result (None: to record)."""
    require_results_reader(user, plan)
    names = {c["key"]: c["name"] for c in plan.candidates} | {i["key"]: i["name"] for i in plan.inspectors}
    results = {r.subject_key: r for r in InspectionResult.objects.filter(plan=plan).select_related("case")}
    return [{"subject": key, "name": names.get(key, key),
             "inspectors": [names.get(i, i) for i in plan.results.get("inspectors", {}).get(key, [])],
             "result": results.get(key)} for key in subjects_for(user, plan)]

"""One-stop online applications (一站式办理): an applicant files for a catalogue item with its materials; the item's
implementing unit accepts, asks once for everything missing (一次性告知补正), refuses to accept, or decides; the
time limits come from the guide the application was filed under; the applicant rates the service when it ends."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Q, QuerySet

from ipcity import clock
from ipcity.accounts.permissions import has_perm, require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.inputs import object_or_404
from ipcity.services.models import ServiceApplication, ServiceItem
from ipcity.web.uploads import attachment_store
from ipcity.workflow.core import Workflow, step
from ipcity.workflow.services import workflow_step

State = ServiceApplication.State


def _supplemented_before(application) -> str | None:
    if any(h["action"] == "supplement" for h in application.history):
        return "已一次性告知补正，不能再次要求补正；请受理或不予受理"
    return None


APPLICATION = Workflow(
    name="services.application", label="办件", states=dict(State.choices),
    parties={"unit": "事项的实施单位", "applicant": "申请人"},
    transitions=(
        step("accept", "受理", State.SUBMITTED, State.ACCEPTED, by="unit"),
        step("supplement", "一次性告知补正", State.SUBMITTED, State.SUPPLEMENT, by="unit", guard=_supplemented_before),
        step("not_accept", "不予受理", State.SUBMITTED, State.NOT_ACCEPTED, by="unit"),
        step("approve", "办结（准予）", State.ACCEPTED, State.APPROVED, by="unit"),
        step("refuse", "办结（不予）", State.ACCEPTED, State.REFUSED, by="unit"),
        step("resubmit", "提交补正材料", State.SUPPLEMENT, State.SUBMITTED, by="applicant"),
        step("withdraw", "撤回申请", {State.SUBMITTED, State.SUPPLEMENT}, State.WITHDRAWN, by="applicant"),
    ), records={"submit": "提交申请"})
NEEDS_NOTE = {"supplement": "请列明需要补正的全部材料", "not_accept": "不予受理须说明理由",
              "refuse": "不予办理须说明理由和救济途径", "resubmit": "请说明补正情况"}
ENDED = {State.APPROVED, State.REFUSED, State.NOT_ACCEPTED}


def application_list(*, user) -> QuerySet[ServiceApplication]:
    """The office sees every application; a unit those for its items; an applicant its organization's own."""
    applications = ServiceApplication.objects.select_related("item", "item__unit", "applicant")
    if not user.is_authenticated:
        raise PermissionDenied("请先登录")
    if has_perm(user, Perm.SERVICE_SUPERVISE):
        return applications
    scope = Q()
    if has_perm(user, Perm.SERVICE_HANDLE):
        scope |= Q(item__unit_id=user.organization_id)
    if has_perm(user, Perm.SERVICE_APPLY):
        scope |= Q(applicant_id=user.organization_id)
    if not scope:
        raise PermissionDenied("无权查看服务申请")
    return applications.filter(scope)


def application_get(*, user, pk: int) -> ServiceApplication:
    return object_or_404(application_list(user=user), "办件不存在或无权查看", pk=pk)


def handles(user, application: ServiceApplication) -> bool:
    return has_perm(user, Perm.SERVICE_HANDLE) and user.organization_id == application.item.unit_id


def is_applicant(user, application: ServiceApplication) -> bool:
    return has_perm(user, Perm.SERVICE_APPLY) and user.organization_id == application.applicant_id


def overdue(application: ServiceApplication, today: dt.date | None = None) -> str:
    """Which time limit has passed, in words, or ''."""
    today = today or clock.today()
    if application.state == State.SUBMITTED and today > application.accept_due:
        return f"超过受理时限（{application.accept_due}）"
    if application.state == State.ACCEPTED and application.decide_due and today > application.decide_due:
        return f"超过承诺办结时限（{application.decide_due}）"
    return ""


def _store(files, actor) -> list:
    return [attachment_store(uploaded_file=f, actor=actor) for f in files]


def _log(application: ServiceApplication, actor, action: str, note: str = "") -> None:
    application.history = [*application.history, {"day": clock.today().isoformat(), "action": action,
                                                  "by": actor.display_name, "note": note}]


@transaction.atomic
def application_submit(*, actor, item: ServiceItem, description: str, files=()) -> ServiceApplication:
    require_perm(actor, Perm.SERVICE_APPLY)
    guide = item.guide
    problems: dict[str, list[str]] = {}
    if guide is None or not item.online:
        problems["item"] = ["该事项暂不支持网上办理"]
    if not description.strip():
        problems["description"] = ["请填写申请事由"]
    required = [m for m in (guide.content["materials"] if guide else []) if m["required"]]
    if required and not files:
        problems["files"] = [f"请上传申请材料：{'、'.join(m['name'] for m in required)}"]
    if problems:
        raise ValidationError(problems)
    materials = _store(files, actor)
    today = clock.today()
    application = ServiceApplication.objects.create(
        item=item, guide=guide, applicant=actor.organization, submitted_by=actor, description=description.strip(),
        submitted_on=today, accept_due=clock.add_working_days(today, guide.content["accept_days"]),
        created_at=clock.now())
    application.materials.set(materials)
    _log(application, actor, "submit", f"材料 {len(materials)} 份")
    application.save(update_fields=["history"])
    audit_record(actor=actor, action="services.application.submit", obj=application,
                 after={"item": item.code, "materials": len(materials)})
    return application


def application_parties(user, application: ServiceApplication) -> set[str]:
    return ({"unit"} if handles(user, application) else set()) | ({"applicant"} if is_applicant(user, application)
                                                                 else set())


@transaction.atomic
def application_step(*, actor, application: ServiceApplication, action: str, note: str = "",
                     files=()) -> ServiceApplication:
    transition = APPLICATION.by_action.get(action)
    if transition is None:
        raise ValidationError(f"未知的操作：{action}")
    if not transition.parties & application_parties(actor, application):
        raise PermissionDenied("只有事项的实施单位可以办理" if "unit" in transition.parties
                               else "只有申请人可以" + transition.label)

    def apply(locked: ServiceApplication, transition) -> dict:
        if action in NEEDS_NOTE and not note.strip():
            raise ValidationError({"note": [NEEDS_NOTE[action]]})
        if action == "resubmit" and not files:
            raise ValidationError({"files": ["请上传补正材料"]})
        today = clock.today()
        if "unit" in transition.parties:
            locked.handled_by = actor
        if action == "accept":
            locked.accepted_on = today
            locked.decide_due = clock.add_working_days(today, locked.guide.content["decide_days"])
        elif action in ("approve", "refuse", "not_accept"):
            locked.decided_on = today
        elif action == "resubmit":
            locked.materials.add(*_store(files, actor))
            # the acceptance clock restarts from the complete submission
            locked.submitted_on = today
            locked.accept_due = clock.add_working_days(today, locked.guide.content["accept_days"])
        _log(locked, actor, action, note.strip())
        return {"note": note.strip()}

    return workflow_step(application, workflow=APPLICATION, action=action, actor=actor,
                         parties=lambda locked: application_parties(actor, locked), apply=apply)


@transaction.atomic
def application_rate(*, actor, application: ServiceApplication, rating: int, comment: str = "") -> ServiceApplication:
    """好差评: the applicant rates once, after the application has ended."""
    if not is_applicant(actor, application):
        raise PermissionDenied("只有申请人可以评价")
    application = ServiceApplication.objects.select_for_update().get(pk=application.pk)
    if application.state not in ENDED:
        raise ValidationError("办结后才能评价")
    if application.rating is not None:
        raise ValidationError("已经评价过")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": ["评价为1～5星"]})
    if rating <= 2 and not comment.strip():
        raise ValidationError({"comment": ["差评请说明原因，以便整改"]})
    application.rating, application.rating_comment, application.rated_at = rating, comment.strip()[:300], clock.now()
    application.save(update_fields=["rating", "rating_comment", "rated_at"])
    audit_record(actor=actor, action="services.application.rate", obj=application, after={"rating": rating})
    return application


def satisfaction(applications: QuerySet[ServiceApplication] | None = None) -> dict:
    """The satisfaction indicator: rated applications, the share rated 4 or 5 stars, and the mean."""
    rated = (applications if applications is not None else ServiceApplication.objects.all()).filter(
        rating__isnull=False)
    numbers = rated.aggregate(n=Count("id"), good=Count("id", filter=Q(rating__gte=4)), mean=Avg("rating"))
    n = numbers["n"]
    return {"rated": n, "satisfied": numbers["good"],
            "rate": round(100 * numbers["good"] / n, 1) if n else None,
            "mean": round(numbers["mean"], 2) if n else None}

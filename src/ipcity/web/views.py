from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_safe

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.logs import current_request_id
from ipcity.plan.core.supervision import State, is_overdue
from ipcity.plan.selectors import current_plan, indicators_reportable_by, unit_tasks
from ipcity.plan.supervision import work_item_list
from ipcity.stats.selectors import indicator_table
from ipcity.web.paging import page_of
from ipcity.web.uploads import attachment_get, attachment_response

# What each kind of account can do, and where: (label, address[, the permission the page needs]).
WORKSPACE_SERVICES = {
    Perm.WORKSPACE_ENTERPRISE: [("存证与证书", "/evidence/"), ("技术需求发布与对接", "/operations/"),
                                ("许可与开放许可", "/operations/interests/"), ("质押融资申请", "/operations/finance/"),
                                ("纠纷调解", "/protection/mediations/"), ("维权援助", "/protection/assistance/"),
                                ("商业秘密自评", "/protection/trade-secrets/"), ("公共服务事项办理", "/services/"),
                                ("培训", "/services/trainings/"), ("托管服务", "/services/custody/"),
                                ("贯标认证", "/services/certifications/")],
    Perm.WORKSPACE_UNIVERSITY: [("科研成果存证", "/evidence/"), ("专利技术供给（含开放许可）", "/operations/offers/new/"),
                                ("产学研对接活动", "/operations/events/"), ("高价值专利组合", "/operations/portfolios/"),
                                ("公共服务事项办理", "/services/"), ("培训", "/services/trainings/")],
    Perm.WORKSPACE_AGENCY: [("存证", "/evidence/"), ("专利导航项目", "/operations/navigation/"),
                            ("公共服务事项办理", "/services/"), ("机构名录与资质", "/services/agencies/"),
                            ("托管合同管理", "/services/custody/"), ("贯标辅导", "/services/certifications/")],
    # Mediators and enforcement officers share this workspace; each is offered only its own kind of case
    # (a link below names the permission its page needs, and is shown only to whoever holds it).
    Perm.WORKSPACE_PROTECTION: [("案件办理", "/protection/cases/", Perm.CASE_HANDLE),
                                ("调解案件", "/protection/mediations/", Perm.MEDIATION_HANDLE),
                                ("双随机抽查", "/protection/")],
    Perm.WORKSPACE_EXPERT: [("专家资料、公开授权与回避声明", "/services/experts/"), ("指派任务与专家意见", "/services/experts/")],
    Perm.WORKSPACE_NOTARY: [("互联网公证申请受理", "/evidence/notarizations/"), ("存证证书核验", "/evidence/verify/")],
    Perm.WORKSPACE_FINANCE: [("质押融资申请受理", "/operations/finance/"), ("专利保险理赔", "/operations/finance/"),
                             ("银企对接活动", "/operations/events/")],
}


@require_safe
@login_required
def workspace(request):
    user = request.user
    plan = current_plan()
    context = {"nav": "workspace", "plan": plan, "org": user.organization}
    if has_perm(user, Perm.WORKSPACE_OFFICE):
        rows = indicator_table(plan=plan) if plan else []
        context.update(kind="office", rows=rows,
                       status_counts={s: sum(1 for r in rows if r["status"] == s) for s in {r["status"] for r in rows}},
                       org_counts=[(OrgType(c["org_type"]).label, c["n"]) for c in
                                   Organization.objects.values("org_type").annotate(n=Count("id")).order_by("org_type")])
    elif has_perm(user, Perm.WORKSPACE_UNIT):
        tasks = unit_tasks(plan=plan, unit=user.organization) if plan else []
        allowed = indicators_reportable_by(plan=plan, user=user) if plan else set()
        reportable = [r for r in (indicator_table(plan=plan) if plan else []) if r["indicator"].pk in allowed]
        open_items = page_of(request, work_item_list(user=user).exclude(state=State.CLOSED).order_by("deadline", "id"))
        for item in open_items:
            item.overdue = is_overdue(State(item.state), item.deadline, clock.today())
        context.update(kind="unit", tasks=tasks, led=[t for t in tasks if t.lead_unit == user.organization],
                       reportable=reportable, open_items=open_items)
    else:
        perm = next((p for p in WORKSPACE_SERVICES if has_perm(user, p)), None)
        context.update(kind=perm.split(".")[1] if perm else "none", services=[
            (label, url) for label, url, *needs in WORKSPACE_SERVICES.get(perm, []) if all(has_perm(user, n) for n in needs)])
    return render(request, "web/workspace.html", context)


@require_safe
@login_required
def attachment_download(request, pk):
    return attachment_response(attachment_get(user=request.user, pk=pk))


def forbidden(request, exception=None):
    return render(request, "web/error.html", {"code": 403, "message": str(exception) if exception else "无权访问此页面"},
                  status=403)


def server_error(request):
    """Django's 500 page with the request's id, which the server log stamps on the error: a person reporting it can
    name the lines to look for. Rendered without the request, as Django's own (what failed may be the database)."""
    return HttpResponseServerError(loader.get_template("500.html").render({"request_id": current_request_id()}))


def not_found(request, exception=None):
    """Our own refusals say what is missing ("融资申请不存在或无权查看"); an unknown address says the page is not there."""
    from ipcity.inputs import has_chinese

    message = exception.args[0] if exception is not None and exception.args else ""
    message = message if isinstance(message, str) and has_chinese(message) else "页面不存在"
    return render(request, "web/error.html", {"code": 404, "message": message}, status=404)

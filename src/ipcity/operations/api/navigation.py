"""Patent navigation projects (专利导航) and high-value patent portfolios (高价值专利组合)."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from ninja import Router, Schema, Status

from ipcity import clock
from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.bounds import Id, bounded_int
from ipcity.inputs import object_or_404
from ipcity.openapi import NameCount, Rows, file_response, paginated
from ipcity.operations.navigation import (
    establishment_problems,
    landscape_of,
    navigation_complete,
    navigation_create,
    navigation_project_get,
    navigation_project_list,
    navigation_report_docx,
    portfolio_create,
    portfolio_establish,
    portfolio_get,
    portfolio_milestone_done,
    portfolios_visible,
)
from ipcity.stats.reports import DOCX_TYPE

router = Router()


class NavigationIn(Schema):
    kind: str
    title: str
    industry: str
    started_on: dt.date
    undertaker: Id | None = None  # organization id; the caller's own when omitted (only the office names another)
    client: Id | None = None
    scope_ipc: str = ""
    scope_keywords: str = ""
    deliverables: str = ""


class NavigationOut(Schema):
    id: int
    kind: str
    title: str
    undertaker: str
    client: str | None
    industry: str
    scope_ipc: str
    scope_keywords: str
    state: str
    started_on: dt.date
    completed_on: dt.date | None


def _navigation_out(p) -> dict:
    return {"id": p.pk, "kind": p.kind, "title": p.title, "undertaker": p.undertaker.name,
            "client": p.client.name if p.client else None, "industry": p.industry, "scope_ipc": p.scope_ipc,
            "scope_keywords": p.scope_keywords, "state": p.state, "started_on": p.started_on,
            "completed_on": p.completed_on}


@router.get("/navigation", auth=None, response=list[NavigationOut], summary="专利导航项目（公开）")
@paginated
def navigation_projects(request):
    return Rows(navigation_project_list(), _navigation_out)


@router.post("/navigation", response={201: NavigationOut}, summary="导航项目立项（办公室或服务机构）")
def navigation_new(request, payload: NavigationIn):
    data = payload.dict()
    data["undertaker"] = object_or_404(Organization, pk=data["undertaker"]) if data["undertaker"] else None
    data["client"] = object_or_404(Organization, pk=data["client"]) if data["client"] else None
    return Status(201, _navigation_out(navigation_create(actor=request.user, **data)))


class CompleteIn(Schema):
    completed_on: dt.date


@router.post("/navigation/{project_id}/complete", response=NavigationOut, summary="导航项目验收（计入指标）")
def navigation_done(request, project_id: int, payload: CompleteIn):
    project = navigation_project_get(pk=project_id)
    return _navigation_out(navigation_complete(actor=request.user, project=project, completed_on=payload.completed_on))


class LandscapeOut(Schema):
    """The patent landscape of a project's scope (its IPC classes and keywords)."""

    total: int
    by_year: dict[int, int]  # filing year -> patents
    top_applicants: list[NameCount]  # [applicant, patents], most first
    ipc: list[NameCount]  # [IPC subclass, patents]
    status: dict[str, int]  # 有效 / 审中 / 失效 -> patents
    local: dict[str, int]  # 本区 / 区外 / 未知 -> patents
    local_applicants: list[NameCount]


@router.get("/navigation/{project_id}/landscape", auth=None, response=LandscapeOut, summary="导航项目的专利态势分析（公开）")
def navigation_landscape(request, project_id: int):
    result = landscape_of(navigation_project_get(pk=project_id))
    return {"total": result.total, "by_year": result.by_year, "top_applicants": result.top_applicants,
            "ipc": result.ipc, "status": result.status, "local": result.local,
            "local_applicants": result.local_applicants}


@router.get("/navigation/{project_id}/report.docx", auth=None, openapi_extra=file_response(DOCX_TYPE),
            summary="导航分析报告（Word）")
def navigation_report(request, project_id: int):
    project = navigation_project_get(pk=project_id)
    response = HttpResponse(navigation_report_docx(project), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="navigation-{project.pk}.docx"'
    return response


class MilestoneIn(Schema):
    name: str
    due: dt.date


class PortfolioIn(Schema):
    name: str
    industry: str
    patent_numbers: list[str]
    milestones: list[MilestoneIn]


class PortfolioMilestoneOut(Schema):
    name: str
    due: dt.date
    done_on: dt.date | None  # None until the enterprise reports it done


class PortfolioOut(Schema):
    id: int
    name: str
    organization: str
    industry: str
    patents: list[str]
    milestones: list[PortfolioMilestoneOut]
    state: str
    established_on: dt.date | None
    problems: list[str]


def _portfolio_out(p) -> dict:
    return {"id": p.pk, "name": p.name, "organization": p.organization.name, "industry": p.industry,
            "patents": [x.application_number for x in p.patents.all()], "milestones": p.milestones, "state": p.state,
            "established_on": p.established_on,
            "problems": establishment_problems(p, clock.today()) if p.state == "cultivating" else []}


@router.get("/portfolios", response=list[PortfolioOut], summary="高价值专利组合（企业看本企业，办公室看全部）")
@paginated
def portfolios(request):
    if not (has_perm(request.user, Perm.OPERATIONS_MANAGE) or has_perm(request.user, Perm.TECH_OFFER)):
        raise PermissionDenied("无权查看高价值专利组合")
    return Rows(portfolios_visible(user=request.user), _portfolio_out)


@router.post("/portfolios", response={201: PortfolioOut}, summary="登记培育中的高价值专利组合（企业）")
def portfolio_new(request, payload: PortfolioIn):
    steps = [{"name": m.name, "due": m.due.isoformat()} for m in payload.milestones]
    return Status(201, _portfolio_out(portfolio_create(actor=request.user, name=payload.name, industry=payload.industry,
                                                       patent_numbers=payload.patent_numbers, milestones=steps)))


class MilestoneDoneIn(Schema):
    done_on: dt.date


@router.post("/portfolios/{portfolio_id}/milestones/{index}", response=PortfolioOut, summary="填报培育节点完成（企业）")
def portfolio_milestone(request, portfolio_id: int, index: bounded_int(label="节点序号", minimum=0, maximum=1000),
                        payload: MilestoneDoneIn):
    portfolio = portfolio_get(user=request.user, pk=portfolio_id)
    portfolio_milestone_done(actor=request.user, portfolio=portfolio, index=index, done_on=payload.done_on)
    return _portfolio_out(portfolio)


class EstablishIn(Schema):
    established_on: dt.date


@router.post("/portfolios/{portfolio_id}/establish", response=PortfolioOut, summary="认定高价值专利组合（办公室，计入指标）")
def portfolio_confirm(request, portfolio_id: int, payload: EstablishIn):
    portfolio = portfolio_get(user=request.user, pk=portfolio_id)
    return _portfolio_out(portfolio_establish(actor=request.user, portfolio=portfolio,
                                              established_on=payload.established_on))

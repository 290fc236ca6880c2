"""Open data (信息公开共享): the public indicators and catalogues as CSV or JSON, every dataset built only from what
the public pages already show, so nothing private can leave this way."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404, HttpResponse

from ipcity import clock
from ipcity.plan.selectors import current_plan
from ipcity.stats.selectors import indicator_table
from ipcity.web import spreadsheets


@dataclass(frozen=True)
class Dataset:
    code: str
    title: str
    description: str
    headers: tuple[str, ...]
    rows: Callable[[], list[list]]


def _indicators() -> list[list]:
    plan = current_plan()
    if plan is None:
        return []
    today = clock.today()
    return [[r["indicator"].code, r["indicator"].name, r["indicator"].target, r["indicator"].unit,
             r["latest"].value if r["latest"] else "", r["latest"].as_of if r["latest"] else "", r["status"].label,
             "由登记记录计算" if r["computed"] else ("责任单位报送" if r["latest"] else "")]
            for r in indicator_table(plan=plan, as_of=today)]


def _service_items() -> list[list]:
    from ipcity.services.catalogue import item_list

    rows = []
    for item in item_list():
        guide = item.guide
        rows.append([item.code, item.name, item.get_item_type_display(), item.unit.name, guide.version,
                     guide.content["accept_days"], guide.content["decide_days"], guide.content["fees"],
                     "是" if item.online else "否"])
    return rows


def _agencies() -> list[list]:
    from ipcity.services.agencies import agency_list
    from ipcity.services.models import AGENCY_SERVICES

    return [[a.name, "、".join(AGENCY_SERVICES.get(s, "其他服务") for s in a.agency_profile.services), a.agency_profile.attorneys,
             "是" if a.in_cluster else "否", "、".join(str(b.year) for b in a.brand_designations.all()),
             round(a.rating_mean, 2) if a.ratings else ""] for a in agency_list()]


def _open_licences() -> list[list]:
    from ipcity.operations.models import OpenLicenceDeclaration, TechOffer

    declarations = OpenLicenceDeclaration.objects.filter(withdrawn_at__isnull=True,
                                                         offer__state=TechOffer.State.PUBLISHED).select_related(
        "offer__patent").order_by("patent_number")
    return [[d.patent_number, d.offer.patent.title, d.patentee, d.fee_method, d.fee_standard, d.term_until or "",
             d.offer.field] for d in declarations]


def _trainings() -> list[list]:
    from ipcity.services.training import training_list

    return [[t.held_on, t.title, t.get_audience_display(), t.organizer.name, t.hours, t.attendees]
            for t in training_list()]


def _markets() -> list[list]:
    from ipcity.protection.models import StandardizedMarket

    return [[m.name, m.get_level_display(), m.approved_on or "",
             f"{sum(1 for v in m.checklist.values() if v)}/{len(m.checklist)}"]
            for m in StandardizedMarket.objects.order_by("level", "name")]


def _experts() -> list[list]:
    from ipcity.services.experts import public_experts
    from ipcity.services.models import EXPERT_SPECIALTIES

    return [[e.name, e.title, e.organization_name, "、".join(EXPERT_SPECIALTIES[s] for s in e.specialties),
             "、".join(e.fields)] for e in public_experts()]


DATASETS = {d.code: d for d in (
    Dataset("indicators", "试点指标", "32项量化指标的目标、最新值和状态",
            ("编码", "指标", "目标", "单位", "最新值", "截至", "状态", "来源"), _indicators),
    Dataset("service_items", "公共服务事项清单", "事项、实施主体、现行办事指南版本和时限",
            ("事项编码", "事项名称", "事项类型", "实施主体", "指南版本", "受理时限（工作日）", "承诺办结时限（工作日）",
             "收费标准", "可网上办理"), _service_items),
    Dataset("agencies", "知识产权服务机构名录", "同意公开的服务机构、聚集区入驻情况和品牌机构认定",
            ("机构", "服务类型", "专利代理师人数", "在聚集区", "品牌机构年度", "企业评价均分"), _agencies),
    Dataset("open_licences", "专利开放许可", "现行有效的开放许可声明",
            ("专利号", "名称", "专利权人", "许可使用费支付方式", "支付标准", "许可期限至", "技术领域"), _open_licences),
    Dataset("trainings", "知识产权培训", "培训场次与人次（不含参训人员信息）",
            ("日期", "主题", "对象", "主办单位", "学时", "人次"), _trainings),
    Dataset("standardized_markets", "知识产权保护规范化市场", "创建中和已认定的市场",
            ("市场", "级别", "认定日期", "评价指标达成"), _markets),
    Dataset("experts", "专家库（公开部分）", "本人同意公开的专家", ("姓名", "职称", "工作单位", "专业方向", "技术领域"),
            _experts),
)}


def dataset_get(code: str) -> Dataset:
    if code not in DATASETS:
        raise Http404("数据集不存在")
    return DATASETS[code]


def as_records(dataset: Dataset) -> list[dict]:
    return [dict(zip(dataset.headers, (str(v) if v != "" else "" for v in row), strict=True))
            for row in dataset.rows()]


def csv_response(dataset: Dataset) -> HttpResponse:
    return spreadsheets.csv_response(f"{dataset.code}.csv", dataset.headers, dataset.rows())

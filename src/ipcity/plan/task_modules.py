"""What carries each key task's work: the platform's modules, with the records each holds year by year.

The plan's 18 key tasks are carried out in the platform's modules (mediation, 京津冀 cooperation, 双随机 inspections,
credit, publicity, live streams…). TASK_MODULES below is the one table that says which module carries which task;
MODULES says what each module counts: which records, dated by which of the record's own dates. A count per year
takes one aggregate query per module, however many records, tasks or years there are.

The counts are totals (no names), so the task page and its API route show them to everyone, like the plan text."""

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, DateTimeField, Q
from django.urls import reverse
from django.utils import timezone


@dataclass(frozen=True)
class ModuleActivity:
    """One module's work for a task: its name, the measure, its page and the count for each year asked."""

    label: str  # e.g. 知识产权纠纷调解（成功）
    unit_label: str  # e.g. 件
    url: str  # the module's page
    counts: dict[int, int]  # year -> records dated in that year


@dataclass(frozen=True)
class Module:
    label: str
    unit_label: str
    url_name: str
    model: str  # app_label.ModelName
    # A record counts in year Y when, for one of the branches, it matches the condition and the branch's date field
    # falls in Y (most modules have one branch: one condition, one date).
    branches: tuple[tuple[Q, str], ...]
    district_field: str = ""  # registry records: only those of the plan's district (plan.region) count
    url_kwargs: tuple[tuple[str, str], ...] = ()

    def url(self) -> str:
        return reverse(self.url_name, kwargs=dict(self.url_kwargs))


def _one(date_field: str, where: Q | None = None) -> tuple[tuple[Q, str], ...]:
    return ((where or Q(), date_field),)


MODULES: dict[str, Module] = {
    # ---- operations (运用) ----
    "navigation_industry": Module("产业规划类专利导航项目（立项）", "个", "operations:navigation_list",
                                  "operations.NavigationProject", _one("started_on", Q(kind="industry_planning"))),
    "navigation_enterprise": Module("企业运营类专利微导航项目（立项）", "个", "operations:navigation_list",
                                    "operations.NavigationProject", _one("started_on", Q(kind="enterprise_operation"))),
    "navigation_completed": Module("专利导航项目（验收）", "个", "operations:navigation_list",
                                   "operations.NavigationProject", _one("completed_on", Q(state="completed"))),
    "portfolios": Module("高价值专利组合（认定形成）", "个", "operations:portfolios", "operations.HighValuePortfolio",
                         _one("established_on", Q(state="established"))),
    "clusters": Module("产业链专利集群（组建）", "个", "operations:clusters", "operations.PatentCluster",
                       _one("established_on")),
    "industry_education": Module("产教融合协议（签订）", "份", "operations:clusters",
                                 "operations.IndustryEducationAgreement", _one("signed_on")),
    "operation_centers": Module("优势产业知识产权运营中心（认定）", "个", "operations:centers",
                                "operations.OperationCenterRecognition", _one("recognized_on")),
    "deals": Module("专利转让许可（平台成交）", "笔", "operations:home", "operations.Deal", _one("recordal_date")),
    "open_licences": Module("专利开放许可声明", "项", "operations:home", "operations.OpenLicenceDeclaration",
                            _one("declared_at")),
    "matchmaking_iur": Module("产学研对接活动", "场", "operations:events", "operations.MatchmakingEvent",
                              _one("held_on", Q(kind="industry_university"))),
    "matchmaking_bank": Module("银企对接活动", "场", "operations:events", "operations.MatchmakingEvent",
                               _one("held_on", Q(kind="bank_enterprise"))),
    "alliance": Module("产学研联盟（新加入成员）", "家", "operations:alliance", "operations.AllianceMember",
                       _one("joined_on")),
    "patent_products": Module("专利产品备案", "件", "operations:products", "operations.PatentProduct",
                              _one("recorded_on")),
    "financing": Module("知识产权质押融资（办理质押登记）", "笔", "operations:finance",
                        "operations.FinancingApplication", _one("registered_on")),
    "insurance_claims": Module("知识产权保险理赔（已赔付）", "件", "operations:finance", "operations.InsuranceClaim",
                               _one("updated_at", Q(state="paid"))),
    "watch_list": Module("重点企业关注名录（列入）", "家", "operations:brands", "operations.WatchListEntry",
                         _one("added_on")),
    "trademarks": Module("商标注册（本区企业新注册）", "件", "stats:records", "stats.Trademark",
                         _one("registration_date"), district_field="owner_district",
                         url_kwargs=(("kind", "trademarks"),)),
    "copyrights": Module("作品和软件著作权登记（本区）", "件", "stats:records", "stats.CopyrightRegistration",
                         _one("registered_on"), district_field="owner_district", url_kwargs=(("kind", "copyrights"),)),
    "geographical_indications": Module("地理标志（登记注册）", "件", "operations:brands",
                                       "stats.GeographicalIndication", _one("registered_on")),
    # ---- protection (保护) ----
    "cases_filed": Module("知识产权行政执法案件（立案）", "件", "protection:cases", "protection.EnforcementCase",
                          _one("filed_on")),
    "cases_closed": Module("知识产权行政执法案件（结案）", "件", "protection:cases", "protection.EnforcementCase",
                           _one("closed_on")),
    "criminal_referrals": Module("行刑衔接（移送公安机关）", "件", "protection:cases", "protection.CriminalReferral",
                                 _one("referred_on")),
    "enforcement_certificates": Module("专利行政执法证（发证）", "人", "protection:cases",
                                       "protection.EnforcementCertificate", _one("issued_on")),
    "joint_operations": Module("联合执法行动", "次", "protection:markets", "protection.CooperationRecord",
                               _one("started_on", Q(kind="joint_operation"))),
    "regional_cooperation": Module("京津冀知识产权协同保护协作", "项", "protection:markets",
                                   "protection.CooperationRecord", _one("started_on", Q(kind="regional"))),
    "mediation_success": Module(
        "知识产权纠纷调解（成功）", "件", "protection:mediations", "protection.MediationCase",
        # as the indicator engine counts: an agreement, or for administrative mediation its judicial confirmation
        ((Q(state="agreed") & ~Q(channel="administrative"), "concluded_on"), (Q(state="confirmed"), "confirmed_on"))),
    "assistance": Module("维权援助（含海外纠纷应对指导）", "件", "protection:assistance", "protection.AssistanceRequest",
                         _one("submitted_at")),
    "markets": Module("知识产权保护规范化市场（认定）", "个", "protection:markets", "protection.StandardizedMarket",
                      _one("approved_on")),
    "inspections": Module("“双随机、一公开”抽查（抽取公示）", "次", "protection:home", "protection.InspectionPlan",
                          _one("drawn_at", Q(state__in=["drawn", "results_published"]))),
    "inspection_results": Module("“双随机、一公开”抽查（检查结果已录入）", "户次", "protection:home",
                                 "protection.InspectionResult", _one("inspected_on")),
    "agency_conduct": Module("专利、商标代理机构执业检查和处理", "次", "protection:agency_conduct",
                             "protection.AgencyConductRecord", _one("occurred_on")),
    "credit_commitments": Module("知识产权信用承诺", "份", "protection:credit", "protection.CreditCommitment",
                                 _one("signed_on")),
    "dishonesty": Module("严重违法失信名单（列入）", "家", "protection:credit", "protection.DishonestyListing",
                         _one("listed_on")),
    "trade_secrets": Module("商业秘密保护自评", "次", "protection:trade_secrets", "protection.SecretAssessment",
                            _one("assessed_at")),
    # ---- evidence (存证) ----
    "evidence": Module("知识产权存证登记", "件", "evidence:home", "evidence.Registration", _one("created_at")),
    "notarizations": Module("互联网公证（出具公证书）", "件", "evidence:notarizations", "evidence.NotarizationRequest",
                            _one("updated_at", Q(state="notarized"))),
    # ---- services (服务) ----
    "service_applications": Module("知识产权公共服务事项办件（办结）", "件", "services:home",
                                   "services.ServiceApplication", _one("decided_on")),
    "certifications": Module("《企业知识产权合规管理体系》贯标认证（发证）", "家", "services:certifications",
                             "services.ComplianceCertification", _one("issued_on")),
    "certification_guidance": Module("贯标辅导（启动）", "家", "services:certifications",
                                     "services.CertificationGuidance", _one("started_on")),
    "brand_agencies": Module("知识产权服务品牌机构（认定）", "家", "services:agencies", "services.BrandDesignation",
                             _one("designated_on")),
    "agency_trainings": Module("服务机构从业人员培训", "场", "services:trainings", "services.Training",
                               _one("held_on", Q(audience="agencies"))),
    "cluster": Module("服务业聚集区（入驻机构）", "家", "services:agencies", "services.ClusterMembership",
                      _one("joined_on")),
    "custody": Module("知识产权托管（企业确认）", "家", "services:custody", "services.CustodyContract",
                      _one("confirmed_on")),
    "trainings": Module("知识产权培训", "场", "services:trainings", "services.Training", _one("held_on")),
    "officer_trainings": Module("执法人员和党政干部知识产权培训", "场", "services:trainings", "services.Training",
                                _one("held_on", Q(audience__in=["officers", "civil_servants"]))),
    "attendance": Module("培训人次", "人次", "services:trainings", "services.Attendance", _one("training__held_on")),
    "talent": Module("知识产权人才（登记）", "人", "services:talent", "services.TalentRecord", _one("recorded_on")),
    "experts": Module("知识产权专家库（入库）", "人", "services:experts", "services.Expert", _one("created_at")),
    "expert_assignments": Module("专家指派", "次", "services:experts", "services.ExpertAssignment",
                                 _one("assigned_on")),
    "pilot_schools": Module("中小学知识产权教育试点学校（纳入）", "所", "services:culture", "services.PilotSchool",
                            _one("joined_on")),
    "school_activities": Module("中小学知识产权教育活动和竞赛", "场", "services:culture", "services.PublicityEvent",
                                _one("held_on", Q(kind__in=["school_activity", "competition"]))),
    "salons": Module("知识产权主题沙龙", "场", "services:culture", "services.PublicityEvent",
                     _one("held_on", Q(kind="salon"))),
    "demonstration_units": Module("知识产权教育示范单位（入选）", "家", "services:culture", "services.DemonstrationUnit",
                                  _one("decided_on", Q(state="selected", program="education"))),
    "publicity": Module("知识产权宣传活动", "场", "services:culture", "services.PublicityEvent",
                        _one("held_on", Q(kind="publicity"))),
    "live_streams": Module("知识产权“走进直播间”直播", "场", "services:culture", "services.PublicityEvent",
                           _one("held_on", Q(kind="live_stream"))),
    # ---- task 4's culture work: copyright demonstration, cultural resources, 文创, TCM pilot projects ----
    "copyright_demonstration": Module("版权示范单位（入选）", "家", "services:copyright", "services.DemonstrationUnit",
                                      _one("decided_on", Q(state="selected", program="copyright"))),
    "cultural_resources": Module("遗传资源、传统知识、民间文艺（登记）", "项", "services:cultural_resources",
                                 "services.CulturalResource", _one("recorded_on", Q(tcm_project__isnull=True))),
    "cultural_products": Module("文创产品、活动品牌和文化地标（推出）", "项", "services:cultural_products",
                                "services.CulturalProduct", _one("launched_on")),
    "tcm_projects": Module("中医药传承创新发展示范试点项目（立项）", "个", "services:tcm", "services.TcmProject",
                           _one("approved_on")),
    "tcm_knowledge": Module("中医药传统知识保护记录（登记）", "项", "services:tcm", "services.CulturalResource",
                            _one("recorded_on", Q(tcm_project__isnull=False))),
    # ---- the plan's own work (组织实施) ----
    "meetings": Module("区知识产权工作领导小组会议", "次", "supervision:meetings", "plan.LeadingGroupMeeting",
                       _one("held_on")),
    "fund": Module("知识产权专项资金拨付", "笔", "supervision:fund", "plan.Disbursement", _one("paid_on")),
    # ---- the policy system (政策体系) ----
    "policies": Module("知识产权政策（印发）", "项", "services:policies", "services.Policy", _one("issued_on")),
    "policy_awards": Module("知识产权政策兑现", "笔", "services:policies", "services.PolicyAward", _one("granted_on")),
}

# Key task number -> the modules that carry it, in the order shown. The one place this mapping lives.
TASK_MODULES: dict[int, tuple[str, ...]] = {
    1: ("matchmaking_iur", "alliance", "deals", "portfolios"),  # 天开园强基：产学研对接、联盟、成果转化
    2: ("navigation_industry", "navigation_enterprise", "navigation_completed", "portfolios"),  # 高价值专利培育
    3: ("clusters", "industry_education", "navigation_industry", "matchmaking_iur", "talent"),  # 产业链专利集群、产教融合、人才汇聚
    4: ("watch_list", "trademarks", "copyrights", "copyright_demonstration", "geographical_indications",
        "cultural_resources", "cultural_products", "tcm_projects", "tcm_knowledge"),  # 商标品牌、版权示范、地理标志、文化资源、文创、中医药
    5: ("operation_centers", "deals", "open_licences", "patent_products", "financing"),  # 运营中心、转化、开放许可、备案
    6: ("financing", "matchmaking_bank", "insurance_claims"),  # 质押融资、银企对接、保险
    7: ("cases_filed", "cases_closed", "criminal_referrals", "joint_operations", "enforcement_certificates"),
    8: ("regional_cooperation", "mediation_success", "assistance"),  # 京津冀协同保护、多元化解、维权援助
    9: ("evidence", "notarizations", "trade_secrets"),  # 存证平台、互联网公证、商业秘密保护基地
    10: ("meetings", "officer_trainings", "talent"),  # 管理机制：领导小组、干部培训、人才
    11: ("policies", "policy_awards", "fund", "service_applications"),  # 政策库、政策兑现、专项资金、公共服务事项
    12: ("inspections", "inspection_results", "agency_conduct", "credit_commitments", "dishonesty"),  # 双随机、代理执业、信用
    13: ("service_applications", "certifications", "certification_guidance"),  # 公共服务、贯标认证
    14: ("brand_agencies", "agency_trainings"),  # 服务品牌机构、代理执业培训
    15: ("cluster", "custody"),  # 服务业聚集区、托管
    16: ("pilot_schools", "school_activities", "salons", "demonstration_units"),  # 教育文化
    17: ("talent", "experts", "expert_assignments", "trainings"),  # 人才、专家库
    18: ("publicity", "live_streams", "trainings", "attendance"),  # 宣传矩阵、走进直播间、宣传教育培训
}


def _year_bounds(model, date_field: str, year: int) -> tuple:
    """The first moment of the year and of the next, as the field stores them (local dates, aware datetimes)."""
    field = model._meta.get_field(date_field.split("__")[0])
    if field.is_relation:  # a date of a related record, e.g. training__held_on
        field = field.related_model._meta.get_field(date_field.split("__")[1])
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    if isinstance(field, DateTimeField):
        zone = timezone.get_default_timezone()
        return (timezone.make_aware(dt.datetime.combine(start, dt.time()), zone),
                timezone.make_aware(dt.datetime.combine(end, dt.time()), zone))
    return start, end


def module_counts(key: str, years: list[int], *, plan=None) -> dict[int, int]:
    """The module's records dated in each year: one aggregate query."""
    module = MODULES[key]
    model = apps.get_model(module.model)
    records = model._default_manager.all()
    if module.district_field:
        records = records.filter(**{module.district_field: plan.region if plan is not None else ""})
    aggregates = {}
    for year in years:
        in_year = Q()
        for where, date_field in module.branches:
            start, end = _year_bounds(model, date_field, year)
            in_year |= where & Q(**{f"{date_field}__gte": start, f"{date_field}__lt": end})
        aggregates[f"y{year}"] = Count("pk", filter=in_year)
    if not aggregates:
        return {}
    result = records.aggregate(**aggregates)
    return {year: result[f"y{year}"] or 0 for year in years}


def _activities(keys: tuple[str, ...], counts: dict[str, dict[int, int]]) -> list[ModuleActivity]:
    return [ModuleActivity(label=MODULES[key].label, unit_label=MODULES[key].unit_label,
                           url=MODULES[key].url(), counts=dict(counts[key])) for key in keys]


def task_modules(*, plan, years: list[int]) -> dict[int, list[ModuleActivity]]:
    """For each key task of the plan (by number): the modules that carry it, with their counts for each year."""
    years = sorted(set(years))
    numbers = list(plan.tasks.order_by("number").values_list("number", flat=True))
    needed = {key for number in numbers for key in TASK_MODULES.get(number, ())}
    counts = {key: module_counts(key, years, plan=plan) for key in sorted(needed)}
    return {number: _activities(TASK_MODULES.get(number, ()), counts) for number in numbers}


def one_task_modules(*, task, years: list[int]) -> list[ModuleActivity]:
    """The same for one task (its page): only that task's modules are counted."""
    years = sorted(set(years))
    keys = TASK_MODULES.get(task.number, ())
    return _activities(keys, {key: module_counts(key, years, plan=task.plan) for key in set(keys)})


def pilot_years(plan) -> list[int]:
    return list(range(plan.period_start.year, plan.period_end.year + 1))

"""What the services endpoints answer, field by field: the OpenAPI document describes each response from these
classes, and ninja checks every answer against them. The names carry the area (`ServiceItemOut`, `CustodyOut`…) because
the document names its components by class name across the whole API."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.db import models
from ninja import Schema
from pydantic import Field, create_model

from ipcity.bounds import bounded_int
from ipcity.services.models import (
    CertificationGuidance,
    ComplianceCertification,
    CulturalProduct,
    CulturalResource,
    CustodyContract,
    DemonstrationUnit,
    ExpertAssignment,
    PilotSchool,
    PublicityEvent,
    ServiceApplication,
    TalentRecord,
    Training,
    TrainingRegistration,
)


def _values(choices: type[models.TextChoices]) -> str:
    """A coded field's values with their Chinese labels, for its description: taken from the model, so it cannot
    drift from what is stored."""
    return "；".join(f"{value}：{label}" for value, label in choices.choices)


# A 1～5 star rating with a comment: of a finished application (办件) and of a custody agency.
class ServiceRatingIn(Schema):
    rating: bounded_int(ServiceApplication, "rating")
    comment: str = ""


# ---- the catalogue and applications ----

class ServiceGuideMaterialOut(Schema):
    name: str = Field(title="材料名称")
    copies: int = Field(title="份数")
    required: bool = Field(title="是否必交")
    note: str = Field(title="说明")


class ServiceGuideStepOut(Schema):
    name: str = Field(title="环节")
    days: int = Field(title="时限（工作日）")


class ServiceGuideFaqOut(Schema):
    q: str = Field(title="问题")
    a: str = Field(title="解答")


class ServiceGuideOut(Schema):
    """该版本办事指南的内容。"""  # as stored: ipcity.services.core.guide.Guide.as_dict()

    legal_basis: list[str] = Field(title="设定依据")
    conditions: str = Field(title="受理条件")
    materials: list[ServiceGuideMaterialOut] = Field(title="申请材料")
    steps: list[ServiceGuideStepOut] = Field(title="办理流程")
    accept_days: int = Field(title="受理时限（工作日）")
    decide_days: int = Field(title="承诺办结时限（工作日）")
    fees: str = Field(title="收费标准")
    place: str = Field(title="办理地点")
    hours: str = Field(title="办理时间")
    phone: str = Field(title="咨询电话")
    complaint: str = Field(title="监督投诉渠道")
    faqs: list[ServiceGuideFaqOut] = Field(title="常见问题")


class ServiceItemOut(Schema):
    code: str = Field(title="事项编码")
    name: str = Field(title="事项名称")
    item_type: str = Field(title="事项类型", description="administrative_licence、administrative_confirmation、"
                                                     "administrative_ruling、public_service、other")
    unit: str = Field(title="实施主体")
    online: bool = Field(title="可网上办理")
    version: int = Field(title="办事指南版本")
    published_at: dt.datetime = Field(title="该版本发布时间")
    change_note: str = Field(title="修订说明")
    guide: ServiceGuideOut = Field(title="办事指南")


class ServiceApplicationStepOut(Schema):
    day: dt.date = Field(title="日期")
    action: str = Field(title="办理动作", description="submit 或办理动作（accept、supplement、approve…）")
    by: str = Field(title="办理人")
    note: str = Field(title="意见或说明")


class ServiceApplicationOut(Schema):
    id: int
    item: str = Field(title="事项编码")
    item_name: str = Field(title="事项名称")
    guide_version: int = Field(title="申请时的办事指南版本")
    applicant: str = Field(title="申请人")
    unit: str = Field(title="实施主体")
    state: str = Field(title="状态", description=_values(ServiceApplication.State))
    description: str = Field(title="申请事由")
    submitted_on: dt.date = Field(title="提交日期", description="最近一次提交完整材料的日期，受理时限从此起算")
    accept_due: dt.date = Field(title="受理时限")
    accepted_on: dt.date | None = Field(title="受理日期")
    decide_due: dt.date | None = Field(title="承诺办结时限")
    decided_on: dt.date | None = Field(title="办结日期")
    overdue: str = Field(title="超期情况", description="已超过的时限（文字）；未超期为空字符串")
    history: list[ServiceApplicationStepOut] = Field(title="办理记录")
    materials: list[str] = Field(title="材料文件名")
    rating: int | None = Field(title="评价星级（1～5）")
    rating_comment: str = Field(title="评价意见")


class ServiceSatisfactionOut(Schema):
    rated: int = Field(title="已评价办件数")
    satisfied: int = Field(title="评价4星及以上的办件数")
    rate: float | None = Field(title="满意率（%）", description="无评价时为 null")
    mean: float | None = Field(title="平均星级", description="无评价时为 null")


# ---- trainings ----

class TrainingOut(Schema):
    id: int
    title: str = Field(title="培训主题")
    audience: str = Field(title="培训对象", description=_values(Training.Audience))
    held_on: dt.date = Field(title="日期")
    hours: Decimal = Field(title="学时")
    place: str = Field(title="地点")
    organizer: str = Field(title="主办单位")
    capacity: int | None = Field(title="人数上限")
    attendees: int = Field(title="签到人次")
    sign_in_open: bool = Field(title="开放扫码签到")
    registration_deadline: dt.date | None = Field(title="报名截止日期", description="不接受报名为 null")
    registration_open: bool = Field(title="正在接受报名")
    registered: int = Field(title="有效报名人数", description="已报名和已到场签到的，不含已取消的")
    counts_toward_indicators: bool = Field(title="计入培训指标",
                                           description="培训对象属于办公室设定的“相关人员”时计入培训次数和人次")


class TrainingAttendeeOut(Schema):
    name: str = Field(title="姓名")
    organization_name: str = Field(title="单位")
    phone: str = Field(title="手机号（脱敏）")
    source: str = Field(title="签到方式", description="扫码签到、名单导入或现场登记")
    signed_at: dt.datetime = Field(title="签到时间")


class TrainingAttendeesOut(Schema):
    sign_in_token: str | None = Field(title="现场签到码", description="仅主办单位可见，其他人为 null")
    attendees: list[TrainingAttendeeOut] = Field(title="签到名单")


class TrainingSignInOut(Schema):
    training: int = Field(title="培训 id")
    attendees: int = Field(title="签到人次")


class TrainingAudienceOut(Schema):
    audience: str = Field(title="培训对象", description=_values(Training.Audience))
    label: str = Field(title="培训对象（中文）")
    counts: bool = Field(title="计入培训指标")
    decided: bool = Field(title="办公室已设定", description="false 为默认规则：除社会公众外均计入")
    reason: str = Field(title="依据")
    set_at: dt.datetime | None = Field(title="设定时间")


class TrainingRegistrationOut(Schema):
    id: int
    training: int = Field(title="培训 id")
    training_title: str = Field(title="培训主题")
    held_on: dt.date = Field(title="培训日期")
    name: str = Field(title="姓名")
    organization_name: str = Field(title="单位")
    phone: str = Field(title="手机号（脱敏）")
    state: str = Field(title="状态", description=_values(TrainingRegistration.State))
    state_label: str = Field(title="状态（中文）")
    registered_at: dt.datetime = Field(title="报名时间")
    attended_at: dt.datetime | None = Field(title="到场签到时间")


class TrainingAttendeesImportOut(Schema):
    added: int = Field(title="新增签到人数")
    already_signed: int = Field(title="已签到而未重复计入的人数")
    attendees: int = Field(title="签到人次")


# ---- agencies, the cluster, custody ----

class AgencyQualificationOut(Schema):
    name: str = Field(title="资质名称")
    number: str = Field(title="证号")
    valid_until: dt.date | None = Field(title="有效期至")


class AgencyClusterStayOut(Schema):
    place: str = Field(title="入驻位置")
    joined_on: dt.date = Field(title="入驻日期")
    left_on: dt.date | None = Field(title="迁出日期")


class AgencyRatingSummaryOut(Schema):
    ratings: int = Field(title="评价企业数")
    mean: float | None = Field(title="平均星级", description="无评价时为 null")


class AgencyOut(Schema):
    id: int
    name: str = Field(title="机构名称")
    services: list[str] = Field(title="服务类型")
    qualifications: list[AgencyQualificationOut] = Field(title="资质")
    staff: int = Field(title="从业人员数")
    attorneys: int = Field(title="专利代理师人数")
    description: str = Field(title="机构简介")
    contact_phone: str = Field(title="对外联系电话")
    brand_years: list[int] = Field(title="认定为服务品牌机构的年度")
    cluster: list[AgencyClusterStayOut] = Field(title="在服务业聚集区的入驻记录")
    rating: AgencyRatingSummaryOut = Field(title="企业评价")


class AgencyDirectoryOut(Schema):
    in_cluster: int = Field(title="现在聚集区内的机构数")
    agencies: list[AgencyOut] = Field(title="服务机构")


class CustodyOut(Schema):
    id: int
    agency: str = Field(title="托管服务机构")
    enterprise: str = Field(title="企业")
    enterprise_id: int = Field(title="企业 id")
    enterprise_size: str = Field(title="企业规模", description=_values(CustodyContract.Size))
    scope: list[str] = Field(title="托管范围")
    starts_on: dt.date = Field(title="开始日期")
    ends_on: dt.date = Field(title="结束日期")
    fee: Decimal | None = Field(title="服务费（万元）")
    renewal_of: int | None = Field(title="续签的原合同 id")
    state: str = Field(title="状态", description=_values(CustodyContract.State))
    confirmed_on: dt.date | None = Field(title="企业确认日期")
    terminated_on: dt.date | None = Field(title="提前终止日期")
    note: str = Field(title="说明")


# ---- the expert pool ----

class ExpertPublicOut(Schema):
    """公开的专家简介（仅本人同意公开的专家）。"""

    id: int
    name: str = Field(title="姓名")
    title: str = Field(title="职称")
    organization_name: str = Field(title="工作单位")
    specialties: list[str] = Field(title="专业方向")
    fields: list[str] = Field(title="技术领域")
    bio: str = Field(title="简介")


class ExpertConflictOut(Schema):
    organization: str = Field(title="回避的机构")
    reason: str = Field(title="回避理由")


class ExpertOut(ExpertPublicOut):
    """完整的专家信息（专家本人和办公室可见）。"""

    user: str | None = Field(title="专家账号用户名")
    available: bool = Field(title="可接受指派")
    availability_note: str = Field(title="不可指派说明")
    public_consent: bool = Field(title="同意公开个人简介")
    active: bool = Field(title="在库")
    conflicts: list[ExpertConflictOut] = Field(title="回避声明")


# The expert and the office get the whole record, everyone else the public profile: the first that fits is taken.
ExpertDetailOut = Annotated[ExpertOut | ExpertPublicOut, Field(union_mode="left_to_right")]


class ExpertAssignmentOut(Schema):
    id: int
    expert: str = Field(title="专家")
    kind: str = Field(title="指派类型", description=_values(ExpertAssignment.Kind))
    subject: str = Field(title="事项")
    state: str = Field(title="状态", description=_values(ExpertAssignment.State))
    opinion: str = Field(title="专家意见")
    assigned_on: dt.date = Field(title="指派日期")
    parties: list[str] = Field(title="当事机构")


# ---- open data ----

class OpenDatasetOut(Schema):
    code: str = Field(title="数据集编码")
    title: str = Field(title="名称")
    description: str = Field(title="说明")
    headers: list[str] = Field(title="列名")


class OpenDatasetRecordsOut(Schema):
    dataset: str = Field(title="数据集编码")
    title: str = Field(title="名称")
    records: list[dict[str, str]] = Field(title="记录", description="每条记录以该数据集的列名（headers）为键，值均为文本")


# ---- compliance certification ----

class CertificationOut(Schema):
    id: int
    enterprise: str = Field(title="企业")
    standard: str = Field(title="标准")
    certifier: str = Field(title="认证机构")
    certificate_number: str = Field(title="证书编号")
    scope: str = Field(title="认证范围")
    issued_on: dt.date = Field(title="发证日期")
    valid_until: dt.date = Field(title="有效期至")
    guiding_agency: str | None = Field(title="辅导机构")
    state: str = Field(title="登记状态", description=_values(ComplianceCertification.State))
    status: str = Field(title="证书状况", description="有效、即将到期、已过期、暂停或撤销（按今天的日期）")


class CertificationGuidanceStepOut(Schema):
    day: dt.date = Field(title="日期")
    stage: str = Field(title="进入的阶段")
    note: str = Field(title="说明")


class CertificationGuidanceOut(Schema):
    id: int
    agency: str = Field(title="辅导机构")
    enterprise: str = Field(title="企业")
    started_on: dt.date = Field(title="开始日期")
    stage: str = Field(title="当前阶段", description=_values(CertificationGuidance.Stage))
    history: list[CertificationGuidanceStepOut] = Field(title="阶段记录")


class CertificationRemindersOut(Schema):
    sent: int = Field(title="本次发送的提醒数")


# ---- IP culture ----

class CultureEventOut(Schema):
    id: int
    kind: str = Field(title="类型", description=_values(PublicityEvent.Kind))
    title: str = Field(title="名称")
    held_on: dt.date = Field(title="日期")
    place: str = Field(title="地点或直播平台")
    organizer: str = Field(title="主办单位")
    school: str | None = Field(title="试点学校")
    experts: str = Field(title="参与专家", description="同意公开的专家姓名，其余只给人数；没有专家为“—”")
    stream_url: str = Field(title="直播或回放链接")
    participants: int | None = Field(title="参与人数（直播为观看人次）")
    summary: str = Field(title="活动情况")


class PilotSchoolOut(Schema):
    id: int
    name: str = Field(title="学校")
    level: str = Field(title="学段", description=_values(PilotSchool.Level))
    street: str = Field(title="所在街道")
    joined_on: dt.date = Field(title="纳入试点日期")


class PilotSchoolCreatedOut(Schema):
    id: int
    name: str = Field(title="学校")


class DemonstrationUnitOut(Schema):
    id: int
    program: str = Field(title="示范类别", description=_values(DemonstrationUnit.Program))
    name: str = Field(title="单位名称")
    kind: str = Field(title="类型", description=_values(DemonstrationUnit.Kind))
    year: int = Field(title="年度")
    state: str = Field(title="状态", description=_values(DemonstrationUnit.State))
    decision_note: str = Field(title="评审意见")


# One field per talent category, named by its Chinese label as the answer's keys are; built from the model's
# categories so that a new category is answered (and documented) without a second list to keep.
TalentCountsOut = create_model(
    "TalentCountsOut", __base__=Schema, __module__=__name__,
    **{value: (int, Field(alias=label, title=f"{label}人数")) for value, label in TalentRecord.Category.choices})


class TalentRecordOut(Schema):
    name: str = Field(title="姓名")
    organization_name: str = Field(title="工作单位")
    category: str = Field(title="类别", description=_values(TalentRecord.Category))
    credential: str = Field(title="资格或证书")
    recorded_on: dt.date = Field(title="登记日期")


class TalentRecordCreatedOut(Schema):
    id: int
    category: str = Field(title="类别")


# ---- key task 4: copyright demonstration, cultural resources, 文创, TCM pilot projects ----

class CopyrightYearOut(Schema):
    year: int = Field(title="年度")
    works: int = Field(title="作品登记数量")
    software: int = Field(title="计算机软件著作权登记数量")
    total: int = Field(title="自主版权登记数量合计")


class CopyrightWorkOut(Schema):
    region: str = Field(title="统计地区", description="著作权人所在地区（工作方案的地区）")
    years: list[CopyrightYearOut] = Field(title="各年度自主版权登记数量")
    units: list[DemonstrationUnitOut] = Field(title="入选的版权示范单位")


class CulturalResourceOut(Schema):
    id: int
    category: str = Field(title="类别", description=_values(CulturalResource.Category))
    category_label: str = Field(title="类别（中文）")
    name: str = Field(title="名称")
    description: str = Field(title="简介")
    holder_organization: str | None = Field(title="持有单位")
    holder_name: str = Field(title="持有人或传承人")
    protection_status: str = Field(title="保护状态", description=_values(CulturalResource.Protection))
    protection_status_label: str = Field(title="保护状态（中文）")
    source: str = Field(title="来源")
    recorded_on: dt.date = Field(title="登记日期")
    protected_since: dt.date | None = Field(title="建档或保护起始日期")
    tcm_project: int | None = Field(title="中医药示范试点项目 id", description="中医药传统知识保护记录所属项目")
    responsible_unit: str = Field(title="记录单位")
    is_synthetic: bool = Field(title="演示数据")


class CulturalProductOut(Schema):
    id: int
    kind: str = Field(title="类别", description=_values(CulturalProduct.Kind))
    kind_label: str = Field(title="类别（中文）")
    name: str = Field(title="名称")
    owner_organization: str | None = Field(title="所有单位")
    owner_name: str = Field(title="所有人或运营主体")
    brand: str = Field(title="品牌")
    launched_on: dt.date = Field(title="推出日期")
    description: str = Field(title="简介")
    responsible_unit: str = Field(title="记录单位")
    is_synthetic: bool = Field(title="演示数据")


class TcmProjectOut(Schema):
    id: int
    name: str = Field(title="项目名称")
    undertaker: str = Field(title="承担单位")
    approved_on: dt.date = Field(title="立项日期")
    summary: str = Field(title="建设内容")
    responsible_unit: str = Field(title="责任单位")
    knowledge: list[CulturalResourceOut] = Field(title="中医药传统知识保护记录")
    is_synthetic: bool = Field(title="演示数据")

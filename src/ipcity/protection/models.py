from django.conf import settings
from django.db import models

from ipcity.models import Authored, Created


class RiskRating(models.Model):
    """An organization's credit-risk level for inspections (信用风险分类); unrated organizations count as low."""

    class Level(models.TextChoices):
        HIGH = "high", "高风险"
        MEDIUM = "medium", "中风险"
        LOW = "low", "低风险"

    organization = models.OneToOneField("accounts.Organization", on_delete=models.PROTECT, related_name="risk")
    level = models.CharField("风险等级", max_length=8, choices=Level.choices)
    reason = models.CharField("依据", max_length=300)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    def __str__(self):
        return f"{self.organization_id}：{self.get_level_display()}"


class ConflictOfInterest(models.Model):
    """An officer's declared conflict with an organization: they are never drawn to inspect it."""

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflicts")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("回避理由", max_length=300)
    declared_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["officer", "organization"], name="conflict_once")]

    def __str__(self):
        return f"{self.officer_id} × {self.organization_id}"


class InspectionPlan(Authored):
    """A random inspection plan (双随机抽查计划). Publishing freezes the candidates, the inspectors and the seed
    source (the evidence log's latest checkpoint) before anyone can know the draw; drawing then follows from them
    alone, so anyone can redo it."""

    class State(models.TextChoices):
        DRAFT = "draft", "草拟"
        PUBLISHED = "published", "已公布（待抽取）"
        DRAWN = "drawn", "已抽取并公示"
        RESULTS_PUBLISHED = "results_published", "检查结果已公示"

    code = models.SlugField("计划编号", max_length=40, unique=True)
    title = models.CharField("计划名称", max_length=200)
    subject_types = models.JSONField("抽查对象类型")  # organization types
    quotas = models.JSONField("各风险等级抽取数量")  # {"high": 3, "medium": 2, "low": 1}
    inspectors_per_subject = models.PositiveSmallIntegerField("每个对象的执法人员数", default=2)
    state = models.CharField("状态", max_length=24, choices=State.choices, default=State.DRAFT)
    seed_source = models.TextField("随机种子来源", blank=True)
    seed = models.CharField("随机种子（SHA-256）", max_length=64, blank=True)
    candidates = models.JSONField("候选对象（公布时冻结）", default=list)  # [{"key", "name", "risk"}]
    inspectors = models.JSONField("执法人员名录（公布时冻结）", default=list)  # [{"key", "name", "conflicts"}]
    results = models.JSONField("抽取结果", default=dict)  # {"subjects": [...], "inspectors": {...}, "shortfalls"}
    published_at = models.DateTimeField(null=True, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    results_published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class CreditCommitment(models.Model):
    """A credit commitment (信用承诺) an organization makes."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="commitments")
    text = models.TextField("承诺内容")
    signed_on = models.DateField("承诺日期")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-signed_on", "-id"]

    def __str__(self):
        return f"{self.organization_id} {self.signed_on}"


class DishonestyListing(models.Model):
    """An organization on the dishonesty list: grounds with legal basis, period and measures are public; the
    penalty references and notes are not. Repair runs applied → granted (removed) or refused."""

    class State(models.TextChoices):
        LISTED = "listed", "列入名单"
        REPAIR_APPLIED = "repair_applied", "已申请信用修复"
        REPAIRED = "repaired", "已修复移出"
        EXPIRED = "expired", "期满移出"

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="listings")
    grounds = models.JSONField("列入事由")  # [{"code", "label", "basis", "penalties"}]
    measures = models.JSONField("联合惩戒措施")
    listed_on = models.DateField("列入日期")
    ends_on = models.DateField("期满日期")
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.LISTED)
    repair_statement = models.TextField("修复申请说明", blank=True)
    repair_decision_note = models.CharField("修复审核意见", max_length=300, blank=True)
    removed_on = models.DateField("移出日期", null=True, blank=True)
    listed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-listed_on", "-id"]

    def __str__(self):
        return f"{self.organization_id} {self.listed_on}"


class SecretAssessment(models.Model):
    """An enterprise's trade secret protection self-assessment, kept so progress shows over time."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField("答卷")
    score = models.PositiveSmallIntegerField("得分")
    grade = models.CharField("等级", max_length=8)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField()

    class Meta:
        ordering = ["-assessed_at", "-id"]

    def __str__(self):
        return f"{self.organization_id} {self.score}"


class MediationCase(models.Model):
    """A dispute mediated through one of the plan's four channels. Administrative mediation ends with the
    request for judicial confirmation (司法确认) and its result."""

    class Channel(models.TextChoices):
        ADMINISTRATIVE = "administrative", "行政调解（司法确认）"
        PEOPLE = "people", "人民调解委员会"
        ASSOCIATION = "association", "知识产权保护协会"
        WORKSTATION = "workstation", "维权工作站"

    class State(models.TextChoices):
        APPLIED = "applied", "已申请"
        ACCEPTED = "accepted", "已受理"
        IN_SESSION = "in_session", "调解中"
        AGREED = "agreed", "达成调解协议"
        FAILED = "failed", "调解不成"
        CONFIRMATION_REQUESTED = "confirmation_requested", "已申请司法确认"
        CONFIRMED = "confirmed", "司法确认有效"
        NOT_CONFIRMED = "not_confirmed", "司法确认未通过"

    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    body = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="mediations")
    applicant = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    respondent = models.CharField("被申请人", max_length=200)
    right_type = models.CharField("权利类型", max_length=16, choices=[("patent", "专利"), ("trademark", "商标"),
                                                                  ("copyright", "著作权"), ("other", "其他")])
    claim = models.TextField("纠纷与请求")
    state = models.CharField("状态", max_length=24, choices=State.choices, default=State.APPLIED)
    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    deadline = models.DateField("调解期限", null=True, blank=True)
    sessions = models.JSONField("调解记录", default=list)  # [{"held_on", "summary"}]
    agreement = models.TextField("调解协议", blank=True)
    concluded_on = models.DateField("结案日期", null=True, blank=True)
    court = models.CharField("司法确认法院", max_length=100, blank=True)
    confirmed_on = models.DateField("司法确认日期", null=True, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField()

    class Meta:
        ordering = ["-applied_at", "-id"]

    def __str__(self):
        return f"{self.get_channel_display()} {self.pk}"


class EnforcementCertificate(models.Model):
    """An enforcement officer's certificate (执法证): for patent administrative enforcement (counted against the plan's
    25 certified patent enforcement officers), or for other fields (a culture market officer who handles copyright
    cases holds one too; it lets the officer file cases but is not a patent enforcement certificate)."""

    class Field(models.TextChoices):
        PATENT = "patent", "专利行政执法"
        OTHER = "other", "其他行政执法（如文化市场综合执法）"

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates")
    field = models.CharField("执法领域", max_length=16, choices=Field.choices, default=Field.PATENT)
    number = models.CharField("证号", max_length=64, unique=True)
    issued_on = models.DateField("发证日期")
    valid_until = models.DateField("有效期至")

    def __str__(self):
        return self.number


class EnforcementCase(models.Model):
    """An administrative enforcement case, from intake to closure, with statutory deadlines."""

    class Kind(models.TextChoices):
        PATENT = "patent", "专利"
        TRADEMARK = "trademark", "商标"
        COPYRIGHT = "copyright", "版权"
        UNFAIR_COMPETITION = "unfair_competition", "不正当竞争（含商业秘密、混淆）"
        ECOMMERCE = "ecommerce", "电子商务"

    class Source(models.TextChoices):
        COMPLAINT = "complaint", "投诉举报"
        INSPECTION = "inspection", "监督检查"
        REFERRAL = "referral", "移送"
        ECOMMERCE_REPORT = "ecommerce_report", "电商平台报告"

    class State(models.TextChoices):
        INTAKE = "intake", "登记待核查"
        NOT_FILED = "not_filed", "不予立案"
        FILED = "filed", "已立案"
        INVESTIGATING = "investigating", "调查取证"
        NOTIFIED = "notified", "已告知（听证）"
        DECIDED = "decided", "已作出处罚决定"
        EXECUTING = "executing", "执行中"
        CLOSED = "closed", "已结案"

    kind = models.CharField("案件类型", max_length=24, choices=Kind.choices)
    source = models.CharField("案件来源", max_length=24, choices=Source.choices)
    unit = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")  # handling unit
    party = models.CharField("当事人", max_length=200)
    party_credit_code = models.CharField("当事人统一社会信用代码", max_length=18, blank=True)
    party_id_number = models.CharField("当事人身份证号", max_length=18, blank=True)
    party_phone = models.CharField("当事人电话", max_length=20, blank=True)
    complainant = models.CharField("投诉人", max_length=200, blank=True)
    complainant_phone = models.CharField("投诉人电话", max_length=20, blank=True)
    facts = models.TextField("案情")
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.INTAKE)
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="cases")
    received_on = models.DateField("登记日期")
    filed_on = models.DateField("立案日期", null=True, blank=True)
    decision_number = models.CharField("处罚决定书文号", max_length=64, blank=True)
    fine = models.DecimalField("罚没款（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    history = models.JSONField("办理记录", default=list)  # [{"action", "day", "note", "by"}]
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.party}"


class CriminalReferral(models.Model):
    """行刑衔接: a case referred to the police, with the receipt the police return."""

    case = models.OneToOneField(EnforcementCase, on_delete=models.PROTECT, related_name="referral")
    police = models.CharField("移送公安机关", max_length=100)
    referred_on = models.DateField("移送日期")
    reason = models.TextField("涉嫌犯罪的理由")
    receipt_number = models.CharField("回执编号", max_length=64, blank=True)
    receipt_on = models.DateField("回执日期", null=True, blank=True)

    def __str__(self):
        return f"{self.case_id} → {self.police}"


class StandardizedMarket(Created):
    """A market working toward the city- or national-level IP protection standardization (规范化市场). The city's IP
    office (市级) or CNIPA (国家级) recognizes it; the district office follows its construction against the checklist
    and records the recognition (authority, document number, date), which the indicators count by its date."""

    class Level(models.TextChoices):
        CITY = "city", "市级"
        NATIONAL = "national", "国家级"

    name = models.CharField("市场名称", max_length=200)
    level = models.CharField("级别", max_length=16, choices=Level.choices)
    checklist = models.JSONField("评价指标完成情况", default=dict)  # item code -> bool
    approved_on = models.DateField("认定日期", null=True, blank=True)  # the recognition's date
    authority = models.CharField("认定机关", max_length=200, blank=True)
    document_number = models.CharField("认定文号", max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name


class AssistanceRequest(models.Model):
    """A request for rights assistance (维权援助), domestic or about an overseas dispute."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "已提交"
        TRIAGED = "triaged", "已分类受理"
        GUIDED = "guided", "已提供指导"
        REFERRED = "referred", "已转市知识产权保护中心"
        CLOSED = "closed", "已办结"

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    overseas = models.BooleanField("海外纠纷", default=False)
    country = models.CharField("国家或地区", max_length=50, blank=True)
    topic = models.CharField("事项", max_length=200)
    description = models.TextField("情况说明")
    category = models.CharField("分类", max_length=50, blank=True)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.SUBMITTED)
    records = models.JSONField("指导记录", default=list)  # [{"day", "text", "by"}]
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-submitted_at", "-id"]

    def __str__(self):
        return self.topic


class CooperationRecord(models.Model):
    """A Beijing–Tianjin–Hebei (京津冀) protection cooperation record, or a joint operation across units."""

    class Kind(models.TextChoices):
        REGIONAL = "regional", "京津冀协作"
        JOINT_OPERATION = "joint_operation", "联合执法行动"

    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    title = models.CharField("名称", max_length=200)
    partners = models.CharField("协作方（地区或单位）", max_length=300)
    units = models.ManyToManyField("accounts.Organization", blank=True, related_name="+")
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    cases = models.ManyToManyField(EnforcementCase, blank=True, related_name="operations")
    summary = models.TextField("情况", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-started_on", "-id"]

    def __str__(self):
        return self.title


class InspectionResult(models.Model):
    """What one drawn inspection found (一公开): recorded once by an inspector drawn for the subject or by the office,
    corrected afterwards only by the office with a reason; public once the office publishes the plan's results."""

    class Outcome(models.TextChoices):
        NO_PROBLEM = "no_problem", "未发现问题"
        PROBLEM = "problem", "发现问题"
        RECTIFY = "rectify", "责令整改"
        CASE_FILED = "case_filed", "立案查处"

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="inspection_results")
    subject_key = models.CharField("抽查对象编号", max_length=16)  # ORG-000012, as drawn
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField("检查结果", max_length=16, choices=Outcome.choices)
    description = models.CharField("情况说明", max_length=300)
    inspected_on = models.DateField("检查日期")
    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="inspection_results")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    corrections = models.JSONField("更正记录", default=list)  # [{"at", "by", "reason", "before": {...}}]

    class Meta:
        ordering = ["plan", "subject_key"]
        constraints = [models.UniqueConstraint(fields=["plan", "subject_key"], name="inspection_result_once")]

    def __str__(self):
        return f"{self.plan_id} {self.subject_key}"


class AgencyConductRecord(models.Model):
    """规范专利、商标代理行业执业行为: an inspection of a service agency's practice, or a conduct finding, with the
    measure the office took. A warning or a dishonesty measure in force shows in the agency directory when the office
    publishes it there; a dishonesty measure in force is on the public dishonesty list."""

    class Source(models.TextChoices):
        INSPECTION = "inspection", "执业检查"
        COMPLAINT = "complaint", "投诉举报核查"
        MONITORING = "monitoring", "日常监测"

    class Measure(models.TextChoices):
        NONE = "none", "未发现违规"
        TALK = "talk", "约谈提醒"
        RECTIFY = "rectify", "责令整改"
        WARNING = "warning", "警示"
        DISHONEST = "dishonest", "列入失信名单"

    agency = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="conduct_records")
    source = models.CharField("来源", max_length=16, choices=Source.choices)
    occurred_on = models.DateField("检查或处理日期")
    finding = models.CharField("检查发现", max_length=500)
    measure = models.CharField("处理措施", max_length=16, choices=Measure.choices)
    basis = models.CharField("依据", max_length=200, blank=True)
    document_number = models.CharField("文书编号", max_length=64, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    publish_in_directory = models.BooleanField("在服务机构名录中公示", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-occurred_on", "-id"]

    def __str__(self):
        return f"{self.agency_id} {self.occurred_on} {self.get_measure_display()}"

from django.conf import settings
from django.db import models

from ipcity.models import Authored, Created, prefetched
from ipcity.services.core.guide import ITEM_TYPES


class ServiceItem(Created):
    """An item of the public service catalogue (事项清单); its guide is versioned in ServiceGuide."""

    code = models.CharField("事项编码", max_length=32, unique=True)
    name = models.CharField("事项名称", max_length=200)
    item_type = models.CharField("事项类型", max_length=32, choices=list(ITEM_TYPES.items()))
    unit = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="service_items",
                             verbose_name="实施主体")
    online = models.BooleanField("可网上办理", default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def guide(self) -> "ServiceGuide | None":
        loaded = prefetched(self, "guides")  # services.catalogue.item_list loads them
        if loaded is not None:
            return max(loaded, key=lambda guide: guide.version, default=None)
        return self.guides.order_by("-version").first()


class ServiceGuide(models.Model):
    """One published version of an item's guide; applications keep the version they were filed under."""

    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="guides")
    version = models.PositiveIntegerField()
    content = models.JSONField()  # core.guide.Guide.as_dict()
    change_note = models.CharField("修订说明", max_length=300, blank=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "version"], name="one_guide_per_item_version")]

    def __str__(self):
        return f"{self.item.code} 第{self.version}版"


class ServiceApplication(Created):
    """办件: an application filed online for an item, from submission to decision and the applicant's rating."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "已提交待受理"
        SUPPLEMENT = "supplement", "待补正"
        NOT_ACCEPTED = "not_accepted", "不予受理"
        ACCEPTED = "accepted", "已受理"
        APPROVED = "approved", "办结（准予）"
        REFUSED = "refused", "办结（不予）"
        WITHDRAWN = "withdrawn", "已撤回"

    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="applications")
    guide = models.ForeignKey(ServiceGuide, on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    description = models.TextField("申请事由")
    materials = models.ManyToManyField("web.Attachment", blank=True, related_name="+")
    state = models.CharField(max_length=16, choices=State.choices, default=State.SUBMITTED)
    submitted_on = models.DateField()  # the day the (last) complete submission arrived: the acceptance clock starts
    accept_due = models.DateField()
    accepted_on = models.DateField(null=True, blank=True)
    decide_due = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    history = models.JSONField(default=list)  # [{day, action, by, note}]
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.CharField(max_length=300, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"办件 {self.pk}（{self.item.name}）"


class Training(Authored):
    """A training session (培训) with its sign-in: each attendee is one person-time."""

    class Audience(models.TextChoices):
        ENTERPRISES = "enterprises", "企业"
        OFFICERS = "officers", "执法人员"
        AGENCIES = "agencies", "服务机构从业人员"
        UNIVERSITIES = "universities", "高校院所科研人员"
        CIVIL_SERVANTS = "civil_servants", "党政干部"
        PUBLIC = "public", "社会公众"

    title = models.CharField("培训主题", max_length=200)
    audience = models.CharField("培训对象", max_length=16, choices=Audience.choices)
    held_on = models.DateField("日期")
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1)
    place = models.CharField("地点", max_length=200)
    organizer = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+",
                                  verbose_name="主办单位")
    capacity = models.PositiveIntegerField("人数上限", null=True, blank=True)
    registration_deadline = models.DateField("报名截止日期", null=True, blank=True)  # none: no pre-registration
    sign_in_token = models.CharField(max_length=43, unique=True)
    sign_in_open = models.BooleanField("开放扫码签到", default=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on} {self.title}"


class Attendance(models.Model):
    """One person at one training; the phone number keeps a person from being counted twice."""

    class Source(models.TextChoices):
        QR = "qr", "扫码签到"
        IMPORT = "import", "名单导入"
        MANUAL = "manual", "现场登记"
        ENROLLED = "enrolled", "报名者到场签到"

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="attendances")
    name = models.CharField("姓名", max_length=50)
    organization_name = models.CharField("单位", max_length=200)
    phone = models.CharField("手机号", max_length=11)
    source = models.CharField(max_length=8, choices=Source.choices)
    signed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["training", "phone"], name="one_attendance_per_phone")]

    def __str__(self):
        return f"{self.name}（{self.training.title}）"


class TrainingAudienceSetting(models.Model):
    """The office's decision whether trainings for one audience count toward the plan's 培训次数/人次 (“针对相关人员开展
    知识产权专业培训”). Rows are only added: the latest row of an audience applies; an audience without a row counts
    unless it is the public (events for the public are publicity, counted in culture)."""

    audience = models.CharField("培训对象", max_length=16, choices=Training.Audience.choices)
    counts = models.BooleanField("计入培训指标")
    reason = models.CharField("理由", max_length=300)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["audience", "-set_at", "-pk"]

    def __str__(self):
        return f"{self.get_audience_display()}：{'计入' if self.counts else '不计入'}"


class TrainingRegistration(models.Model):
    """报名: a signed-in person's place at a training before it is held. Active registrations never exceed the
    training's capacity; the organizer marks who came (which signs them in)."""

    class State(models.TextChoices):
        REGISTERED = "registered", "已报名"
        CANCELLED = "cancelled", "已取消"
        ATTENDED = "attended", "已到场签到"

    training = models.ForeignKey(Training, on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=100)
    phone = models.CharField("手机号", max_length=11)
    state = models.CharField(max_length=12, choices=State.choices, default=State.REGISTERED)
    registered_at = models.DateTimeField("报名时间")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["training", "user"], condition=~models.Q(state="cancelled"),
                                    name="one_active_registration_per_user"),
            models.UniqueConstraint(fields=["training", "phone"], condition=~models.Q(state="cancelled"),
                                    name="one_active_registration_per_phone"),
        ]

    def __str__(self):
        return f"{self.name}（{self.training.title}）"


AGENCY_SERVICES = {"patent_agency": "专利代理", "trademark_agency": "商标代理", "copyright": "版权服务",
                   "legal": "知识产权法律服务", "operation": "运营与交易", "valuation": "评估", "consulting": "信息咨询与分析",
                   "custody": "托管服务", "certification_guidance": "贯标辅导", "navigation": "专利导航",
                   "finance": "金融服务"}


class AgencyProfile(models.Model):
    """A service agency's directory entry (服务机构名录): what it offers, its qualifications and people."""

    organization = models.OneToOneField("accounts.Organization", on_delete=models.PROTECT,
                                        related_name="agency_profile")
    services = models.JSONField("服务类型", default=list)
    qualifications = models.JSONField("资质", default=list)  # [{"name", "number", "valid_until"}]
    staff = models.PositiveIntegerField("从业人员数", default=0)
    attorneys = models.PositiveIntegerField("专利代理师人数", default=0)
    description = models.TextField("机构简介", blank=True)
    contact_phone = models.CharField("对外联系电话", max_length=20, blank=True)
    listed = models.BooleanField("在公开名录中展示", default=True)
    updated_at = models.DateTimeField()

    def __str__(self):
        return self.organization.name


class ClusterMembership(models.Model):
    """An agency's time in the service cluster (服务业聚集区); counted while it is there."""

    agency = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="cluster_memberships")
    place = models.CharField("入驻位置", max_length=200)
    joined_on = models.DateField("入驻日期")
    left_on = models.DateField("迁出日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return f"{self.agency.name} {self.joined_on}"


class BrandDesignation(models.Model):
    """知识产权服务品牌机构: the office's designation of an agency, by year (task 14)."""

    agency = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="brand_designations")
    year = models.PositiveIntegerField("年度")
    designated_on = models.DateField("认定日期")
    reason = models.CharField("认定理由", max_length=300)
    designated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="one_brand_designation_per_year")]

    def __str__(self):
        return f"{self.agency.name} {self.year}"


class CustodyContract(Created):
    """托管: an agency manages an SME's IP under contract. It counts once the enterprise confirms it."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "待企业确认"
        CONFIRMED = "confirmed", "已确认"
        DECLINED = "declined", "企业不认可"
        TERMINATED = "terminated", "已提前终止"

    class Size(models.TextChoices):
        MEDIUM = "medium", "中型企业"
        SMALL = "small", "小型企业"
        MICRO = "micro", "微型企业"

    agency = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="custody_given")
    enterprise = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="custody_taken")
    enterprise_size = models.CharField("企业规模（按《中小企业划型标准规定》）", max_length=8, choices=Size.choices)
    scope = models.JSONField("托管范围", default=list)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    fee = models.DecimalField("服务费（万元）", max_digits=10, decimal_places=2, null=True, blank=True)
    renewal_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewals")
    state = models.CharField(max_length=12, choices=State.choices, default=State.PROPOSED)
    confirmed_on = models.DateField(null=True, blank=True)
    terminated_on = models.DateField(null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return f"{self.agency.name} → {self.enterprise.name}"


class AgencyRating(models.Model):
    """An enterprise's rating of an agency that served it (under a confirmed custody contract)."""

    agency = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="agency_ratings")
    enterprise = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField()
    comment = models.CharField(max_length=300, blank=True)
    rated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "enterprise"], name="one_rating_per_agency_client")]

    def __str__(self):
        return f"{self.enterprise.name} → {self.agency.name}: {self.rating}"


EXPERT_SPECIALTIES = {"patent": "专利", "trademark": "商标", "copyright": "版权", "trade_secret": "商业秘密",
                      "law": "知识产权法律", "valuation": "评估与金融", "navigation": "专利导航与分析", "management": "知识产权管理"}


class Expert(Created):
    """A member of the expert pool (专家库). Shown publicly only while the expert consents."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="expert")
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("职称", max_length=100)
    organization_name = models.CharField("工作单位", max_length=200)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    specialties = models.JSONField("专业方向", default=list)
    fields = models.JSONField("技术领域", default=list)
    bio = models.TextField("简介", blank=True)
    available = models.BooleanField("可接受指派", default=True)
    availability_note = models.CharField("不可指派说明", max_length=200, blank=True)
    public_consent = models.BooleanField("同意公开个人简介", default=False)
    consent_changed_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField("在库", default=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name}（{self.title}）"


class ExpertConflict(models.Model):
    """An organization the expert may not be assigned to judge or advise on (回避)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflicts")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("回避理由", max_length=200)
    declared_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["expert", "organization"], name="one_conflict_per_org")]

    def __str__(self):
        return f"{self.expert.name} 回避 {self.organization.name}"


class ExpertAssignment(models.Model):
    """The office assigns an expert to a navigation project, a mediation or an assessment."""

    class Kind(models.TextChoices):
        NAVIGATION = "navigation", "专利导航项目"
        MEDIATION = "mediation", "纠纷调解"
        ASSESSMENT = "assessment", "评审评估"

    class State(models.TextChoices):
        ASSIGNED = "assigned", "已指派"
        DONE = "done", "已完成"
        WITHDRAWN = "withdrawn", "已撤回"

    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    navigation = models.ForeignKey("operations.NavigationProject", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    mediation = models.ForeignKey("protection.MediationCase", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    subject = models.CharField("事项", max_length=200)
    parties = models.ManyToManyField("accounts.Organization", blank=True, related_name="+")
    state = models.CharField(max_length=12, choices=State.choices, default=State.ASSIGNED)
    opinion = models.TextField("专家意见", blank=True)
    assigned_on = models.DateField()
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-assigned_on", "-pk"]

    def __str__(self):
        return f"{self.expert.name}：{self.subject}"


class ComplianceCertification(Created):
    """贯标认证: an enterprise's certificate under GB/T 29490-2023 (企业知识产权合规管理体系)."""

    class State(models.TextChoices):
        VALID = "valid", "有效"
        SUSPENDED = "suspended", "暂停"
        WITHDRAWN = "withdrawn", "撤销"

    enterprise = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="certifications")
    standard = models.CharField("标准", max_length=40, default="GB/T 29490-2023")
    certifier = models.CharField("认证机构", max_length=200)
    certificate_number = models.CharField("证书编号", max_length=64, unique=True)
    scope = models.CharField("认证范围", max_length=300)
    issued_on = models.DateField("发证日期")
    valid_until = models.DateField("有效期至")
    guiding_agency = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="certifications_guided", verbose_name="辅导机构")
    state = models.CharField(max_length=12, choices=State.choices, default=State.VALID)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["valid_until", "pk"]

    def __str__(self):
        return f"{self.enterprise.name} {self.certificate_number}"


class CertificationGuidance(Created):
    """An agency guiding an enterprise toward certification (贯标辅导), stage by stage."""

    class Stage(models.TextChoices):
        DIAGNOSIS = "diagnosis", "现状诊断"
        SYSTEM = "system", "体系文件编制"
        OPERATION = "operation", "体系运行"
        INTERNAL_AUDIT = "internal_audit", "内部审核"
        REVIEW = "review", "管理评审"
        AUDIT = "audit", "认证审核"
        DONE = "done", "辅导完成"

    agency = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="guidance_given")
    enterprise = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="guidance_taken")
    started_on = models.DateField("开始日期")
    stage = models.CharField("当前阶段", max_length=16, choices=Stage.choices, default=Stage.DIAGNOSIS)
    history = models.JSONField(default=list)  # [{day, stage, note}]

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self):
        return f"{self.agency.name} → {self.enterprise.name}"


class CertificationReminder(models.Model):
    """An expiry reminder, sent once per certificate and lead time."""

    certification = models.ForeignKey(ComplianceCertification, on_delete=models.CASCADE, related_name="reminders")
    lead_days = models.PositiveIntegerField()
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["certification", "lead_days"], name="certificate_reminder_once")]

    def __str__(self):
        return f"{self.certification} {self.lead_days}"


class PilotSchool(models.Model):
    """A school in the primary and secondary school IP education program (中小学知识产权教育试点)."""

    class Level(models.TextChoices):
        PRIMARY = "primary", "小学"
        JUNIOR = "junior", "初中"
        SENIOR = "senior", "高中"
        VOCATIONAL = "vocational", "中职"

    name = models.CharField("学校", max_length=200, unique=True)
    level = models.CharField("学段", max_length=12, choices=Level.choices)
    street = models.CharField("所在街道", max_length=32, blank=True)
    joined_on = models.DateField("纳入试点日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PublicityEvent(Authored):
    """An education or publicity event on the public calendar: school activities and competitions, salons,
    publicity days, live-stream sessions with experts."""

    class Kind(models.TextChoices):
        SCHOOL_ACTIVITY = "school_activity", "中小学教育活动"
        COMPETITION = "competition", "竞赛"
        SALON = "salon", "沙龙"
        PUBLICITY = "publicity", "宣传活动"
        LIVE_STREAM = "live_stream", "直播"

    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    title = models.CharField("名称", max_length=200)
    held_on = models.DateField("日期")
    place = models.CharField("地点或直播平台", max_length=200)
    organizer = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(PilotSchool, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    experts = models.ManyToManyField("services.Expert", blank=True, related_name="events")
    stream_url = models.URLField("直播或回放链接", blank=True)
    participants = models.PositiveIntegerField("参与人数（直播为观看人次）", null=True, blank=True)
    summary = models.TextField("活动情况", blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on} {self.title}"


class DemonstrationUnit(models.Model):
    """The selection of IP education demonstration units (知识产权教育示范单位): nominated, then decided."""

    class Program(models.TextChoices):
        EDUCATION = "education", "知识产权教育示范单位"
        COPYRIGHT = "copyright", "版权示范单位"  # task 4: 充分发挥版权示范引领作用

    class Kind(models.TextChoices):
        SCHOOL = "school", "学校"
        UNIVERSITY = "university", "高校"
        ENTERPRISE = "enterprise", "企业"
        COMMUNITY = "community", "社区"
        PARK = "park", "园区（基地）"

    class State(models.TextChoices):
        NOMINATED = "nominated", "已推荐"
        SELECTED = "selected", "入选"
        NOT_SELECTED = "not_selected", "未入选"

    program = models.CharField("示范类别", max_length=12, choices=Program.choices, default=Program.EDUCATION)
    name = models.CharField("单位名称", max_length=200)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    year = models.PositiveIntegerField("年度")
    reason = models.TextField("推荐理由")
    state = models.CharField(max_length=16, choices=State.choices, default=State.NOMINATED)
    decision_note = models.CharField("评审意见", max_length=300, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "name", "year"],
                                               name="one_nomination_per_program_unit_year")]

    def __str__(self):
        return f"{self.year} {self.name}"


class TalentRecord(models.Model):
    """人才: IP professionals the district counts (patent attorneys, IP engineers, leading talents...). Personal:
    the office and units see names; the public sees counts by category."""

    class Category(models.TextChoices):
        PATENT_ATTORNEY = "patent_attorney", "专利代理师"
        IP_ENGINEER = "ip_engineer", "知识产权师"
        LEADING = "leading", "知识产权领军人才"
        ENFORCEMENT = "enforcement", "执法办案骨干"
        MANAGEMENT = "management", "企业知识产权管理人员"

    name = models.CharField("姓名", max_length=50)
    organization_name = models.CharField("工作单位", max_length=200)
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    credential = models.CharField("资格或证书", max_length=200, blank=True)
    recorded_on = models.DateField("登记日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["category", "name"]

    def __str__(self):
        return f"{self.name}（{self.get_category_display()}）"


class TcmProject(Authored):
    """中医药传承创新发展示范试点项目 (task 4): a pilot project of TCM inheritance and innovation. 区卫健委 is the
    responsible unit; its TCM traditional-knowledge protection records are CulturalResource rows linked to it."""

    name = models.CharField("项目名称", max_length=200, unique=True)
    undertaker = models.CharField("承担单位", max_length=200)
    approved_on = models.DateField("立项日期")
    summary = models.TextField("建设内容", blank=True)
    responsible_unit = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+",
                                         verbose_name="责任单位")
    is_synthetic = models.BooleanField("演示数据", default=False)

    class Meta:
        ordering = ["-approved_on", "-pk"]

    def __str__(self):
        return self.name


class CulturalResource(Authored):
    """遗传资源、传统知识、民间文艺 (task 4): an item of the district's cultural resources, its holders (an organization
    on the platform and/or named holders such as 传承人), its protection status and where it was found."""

    class Category(models.TextChoices):
        GENETIC_RESOURCE = "genetic_resource", "遗传资源"
        TRADITIONAL_KNOWLEDGE = "traditional_knowledge", "传统知识"
        FOLK_ART = "folk_art", "民间文艺"

    class Protection(models.TextChoices):
        ARCHIVED = "archived", "已建档"
        REGISTERED = "registered", "已登记"
        PROTECTED = "protected", "保护中"

    category = models.CharField("类别", max_length=24, choices=Category.choices)
    name = models.CharField("名称", max_length=200)
    description = models.TextField("简介", blank=True)
    holder_organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="+", verbose_name="持有单位")
    holder_name = models.CharField("持有人或传承人", max_length=200, blank=True)
    protection_status = models.CharField("保护状态", max_length=12, choices=Protection.choices)
    source = models.CharField("来源", max_length=200)
    recorded_on = models.DateField("登记日期")
    protected_since = models.DateField("建档或保护起始日期", null=True, blank=True)
    tcm_project = models.ForeignKey(TcmProject, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="knowledge", verbose_name="中医药示范试点项目")
    responsible_unit = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+",
                                         verbose_name="记录单位")
    is_synthetic = models.BooleanField("演示数据", default=False)

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["category", "name"], name="one_cultural_resource_per_name")]

    def __str__(self):
        return self.name


class CulturalProduct(Authored):
    """文创产品、活动品牌和文化地标 (task 4): what the district launched from its cultural resources, its owner and
    brand."""

    class Kind(models.TextChoices):
        PRODUCT = "product", "文创产品"
        ACTIVITY_BRAND = "activity_brand", "活动品牌"
        LANDMARK = "landmark", "文化地标"

    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    name = models.CharField("名称", max_length=200)
    owner_organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+", verbose_name="所有单位")
    owner_name = models.CharField("所有人或运营主体", max_length=200, blank=True)
    brand = models.CharField("品牌", max_length=100, blank=True)
    launched_on = models.DateField("推出日期")
    description = models.TextField("简介", blank=True)
    responsible_unit = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+",
                                         verbose_name="记录单位")
    is_synthetic = models.BooleanField("演示数据", default=False)

    class Meta:
        ordering = ["-launched_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="one_cultural_product_per_name")]

    def __str__(self):
        return self.name


class Policy(Authored):
    """知识产权政策 (task 11, safeguard 二): a district, city or national IP policy in the library, with the measures
    it contains, its responsible unit (which decides the applications under it) and the plan's key tasks it serves.
    Public: anyone reads the library; the office, or the responsible unit for its own policies, keeps it."""

    class Level(models.TextChoices):
        DISTRICT = "district", "区级"
        CITY = "city", "市级"
        NATIONAL = "national", "国家级"

    level = models.CharField("政策层级", max_length=12, choices=Level.choices)
    issuer = models.CharField("发文机关", max_length=100)
    document_number = models.CharField("文号", max_length=64)
    title = models.CharField("政策名称", max_length=200)
    summary = models.TextField("政策摘要")
    issued_on = models.DateField("印发日期")
    effective_from = models.DateField("施行日期")
    effective_until = models.DateField("有效期至", null=True, blank=True)  # none: in force until repealed
    responsible_unit = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="policies",
                                         verbose_name="责任单位")
    task_numbers = models.JSONField("服务的重点任务", default=list)  # the plan's KeyTask numbers, e.g. [11, 2]
    is_synthetic = models.BooleanField("演示数据", default=False)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_on", "-pk"]

    def __str__(self):
        return f"{self.title}（{self.document_number}）"


class PolicyMeasure(models.Model):
    """One measure of a policy (资助 / 奖励 / 服务): what it supports, its standard, and for money a cap per award."""

    class Kind(models.TextChoices):
        SUBSIDY = "subsidy", "资助"
        REWARD = "reward", "奖励"
        SERVICE = "service", "服务"

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="measures")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField("措施类别", max_length=8, choices=Kind.choices)
    name = models.CharField("措施名称", max_length=100)
    standard = models.TextField("支持标准")
    cap = models.DecimalField("单项上限（元）", max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["policy", "position"]
        constraints = [models.UniqueConstraint(fields=["policy", "name"], name="one_measure_name_per_policy")]

    def __str__(self):
        return f"{self.policy.title}：{self.name}"

    @property
    def pays(self) -> bool:
        return self.kind != self.Kind.SERVICE


class PolicyApplication(Created):
    """政策兑现申请: an enterprise applies under a measure of a policy in force; the responsible unit decides."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        APPROVED = "approved", "准予兑现"
        REJECTED = "rejected", "不予兑现"
        WITHDRAWN = "withdrawn", "已撤回"

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="applications")
    measure = models.ForeignKey(PolicyMeasure, on_delete=models.PROTECT, related_name="applications")
    enterprise = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    description = models.CharField("申请说明", max_length=500)
    amount_requested = models.DecimalField("申请金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.SUBMITTED)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    reason = models.CharField("不予兑现理由", max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"政策兑现申请 {self.pk}（{self.measure.name}）"


class PolicyAward(Created):
    """兑现记录: what a policy's responsible unit granted an enterprise under a measure (an amount, or for a service
    measure the service itself), from an approved application or a spreadsheet of awards."""

    class Source(models.TextChoices):
        APPLICATION = "application", "申请审核"
        IMPORT = "import", "批量登记"

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="awards")
    measure = models.ForeignKey(PolicyMeasure, on_delete=models.PROTECT, related_name="awards")
    enterprise = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="policy_awards",
                                   verbose_name="受益企业")
    amount = models.DecimalField("兑现金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    granted_on = models.DateField("兑现日期")
    source = models.CharField(max_length=12, choices=Source.choices)
    application = models.OneToOneField(PolicyApplication, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="award")
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-granted_on", "-pk"]

    def __str__(self):
        return f"{self.enterprise.name} {self.measure.name} {self.granted_on}"

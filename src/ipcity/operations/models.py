from django.conf import settings
from django.db import models

from ipcity.models import Authored

FIELDS = ("新一代信息技术", "人工智能", "生物医药", "新能源", "新能源汽车", "新材料", "高端装备", "智能制造", "节能环保",
          "数字创意", "现代服务", "其他")
MATURITY = ("实验室阶段", "小试", "中试", "产业化")


class TechOffer(Authored):
    """A patent offered for transfer or licence (技术供给), by a university, an institute or an enterprise."""

    class Mode(models.TextChoices):
        TRANSFER = "transfer", "转让"
        EXCLUSIVE = "exclusive", "独占许可"
        SOLE = "sole", "排他许可"
        ORDINARY = "ordinary", "普通许可"
        OPEN = "open", "开放许可"

    class State(models.TextChoices):
        PUBLISHED = "published", "已发布"
        REFUSED = "refused", "开放许可声明未通过"
        WITHDRAWN = "withdrawn", "已撤回"

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="tech_offers")
    patent = models.ForeignKey("stats.Patent", on_delete=models.PROTECT, related_name="offers")
    mode = models.CharField("方式", max_length=16, choices=Mode.choices)
    price_terms = models.CharField("价格条件", max_length=300)
    field = models.CharField("技术领域", max_length=32, choices=[(f, f) for f in FIELDS])
    maturity = models.CharField("成熟度", max_length=16, choices=[(m, m) for m in MATURITY])
    scenarios = models.TextField("应用场景", blank=True)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.PUBLISHED)
    refusal_reasons = models.JSONField("未通过原因", default=list, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.patent_id} {self.get_mode_display()}"


class OpenLicenceDeclaration(models.Model):
    """The statutory items of an open licence declaration (专利法第五十条); withdrawal keeps earlier licences valid."""

    offer = models.OneToOneField(TechOffer, on_delete=models.PROTECT, related_name="declaration")
    patent_number = models.CharField("专利号", max_length=32)
    patentee = models.CharField("专利权人", max_length=300)
    fee_method = models.CharField("许可使用费支付方式", max_length=100)
    fee_standard = models.CharField("许可使用费支付标准", max_length=200)
    term_until = models.DateField("许可期限至", null=True, blank=True)
    pledgee_consents = models.BooleanField("质权人同意", default=False)
    evaluation_report = models.CharField("专利权评价报告编号", max_length=64, blank=True)
    declared_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.patent_number


class TechNeed(Authored):
    """An enterprise's technology need (技术需求): reviewed by the office, published, then expires or is renewed."""

    class State(models.TextChoices):
        PENDING = "pending", "待审核"
        PUBLISHED = "published", "已发布"
        REJECTED = "rejected", "未通过审核"
        EXPIRED = "expired", "已过期"
        CLOSED = "closed", "已关闭"

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="tech_needs")
    title = models.CharField("需求名称", max_length=200)
    problem = models.TextField("需要解决的技术问题")
    field = models.CharField("技术领域", max_length=32, choices=[(f, f) for f in FIELDS])
    ipc = models.CharField("相关IPC（选填）", max_length=100, blank=True)
    budget = models.DecimalField("预算（万元）", max_digits=12, decimal_places=2, null=True, blank=True)
    deadline = models.DateField("有效期至")
    confidential = models.BooleanField("对外隐藏企业名称", default=False)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.PENDING)
    review_note = models.CharField("审核意见", max_length=300, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class Interest(Authored):
    """Matchmaking: an enterprise's interest in an offer for its need, through meeting and negotiation to a deal."""

    class State(models.TextChoices):
        EXPRESSED = "expressed", "已表达意向"
        MEETING = "meeting", "已约见洽谈"
        NEGOTIATING = "negotiating", "谈判中"
        DEAL = "deal", "已成交"
        CLOSED = "closed", "未成交"

    class Channel(models.TextChoices):
        MATCHING = "matching", "平台智能匹配"
        EVENT = "event", "产学研对接活动"
        ALLIANCE = "alliance", "产学研联盟"

    offer = models.ForeignKey(TechOffer, on_delete=models.PROTECT, related_name="interests")
    need = models.ForeignKey(TechNeed, on_delete=models.PROTECT, null=True, blank=True, related_name="interests")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="interests")
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices, default=Channel.MATCHING)
    event = models.ForeignKey("MatchmakingEvent", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="interests")
    message = models.TextField("意向说明", blank=True)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.EXPRESSED)
    meeting_on = models.DateField("洽谈日期", null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.organization_id} → {self.offer_id}"


class Deal(models.Model):
    """A transfer or licence concluded: recorded as the patent's legal event so the indicators count it."""

    interest = models.OneToOneField(Interest, on_delete=models.PROTECT, null=True, blank=True, related_name="deal")
    offer = models.ForeignKey(TechOffer, on_delete=models.PROTECT, related_name="deals")
    counterparty = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="deals")
    kind = models.CharField("交易类型", max_length=16, choices=TechOffer.Mode.choices)
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2)
    contract_date = models.DateField("合同签订日")
    recordal_date = models.DateField("登记或备案日")
    term_until = models.DateField("许可期限至", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recordal_date", "-id"]

    def __str__(self):
        return f"{self.offer_id} {self.get_kind_display()} {self.amount}"


class NavigationProject(Authored):
    """A patent navigation project (专利导航, GB/T 39551): industry planning, or an enterprise's micro-navigation."""

    class Kind(models.TextChoices):
        INDUSTRY_PLANNING = "industry_planning", "产业规划类专利导航"
        ENTERPRISE_OPERATION = "enterprise_operation", "企业运营类专利微导航"

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", "实施中"
        COMPLETED = "completed", "已验收"

    kind = models.CharField("类型", max_length=32, choices=Kind.choices)
    title = models.CharField("项目名称", max_length=200)
    undertaker = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    industry = models.CharField("产业领域", max_length=32, choices=[(f, f) for f in FIELDS])
    scope_ipc = models.CharField("分析范围：IPC（逗号分隔的前缀）", max_length=200, blank=True)
    scope_keywords = models.CharField("分析范围：关键词（逗号分隔）", max_length=200, blank=True)
    deliverables = models.TextField("成果形式", blank=True)
    started_on = models.DateField("立项日期")
    completed_on = models.DateField("验收日期", null=True, blank=True)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.IN_PROGRESS)

    class Meta:
        ordering = ["-started_on", "-id"]

    def __str__(self):
        return self.title


class HighValuePortfolio(Authored):
    """A high-value patent portfolio an enterprise cultivates in a strategic emerging industry, with milestones;
    the office confirms it as formed (counted against the plan's target of 3)."""

    class State(models.TextChoices):
        CULTIVATING = "cultivating", "培育中"
        ESTABLISHED = "established", "已形成"

    name = models.CharField("组合名称", max_length=200)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="portfolios")
    industry = models.CharField("战略性新兴产业领域", max_length=32, choices=[(f, f) for f in FIELDS])
    patents = models.ManyToManyField("stats.Patent", blank=True, related_name="portfolios")
    milestones = models.JSONField("培育节点", default=list)  # [{"name", "due", "done_on"}]
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.CULTIVATING)
    established_on = models.DateField("认定日期", null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name


class MatchmakingEvent(Authored):
    """A matchmaking event with its attending organizations: industry-university-research (产学研对接) or
    bank-enterprise (银企对接)."""

    class Kind(models.TextChoices):
        INDUSTRY_UNIVERSITY = "industry_university", "产学研对接"
        BANK_ENTERPRISE = "bank_enterprise", "银企对接"

    kind = models.CharField("类型", max_length=32, choices=Kind.choices, default=Kind.INDUSTRY_UNIVERSITY)
    title = models.CharField("活动名称", max_length=200)
    held_on = models.DateField("举办日期")
    place = models.CharField("地点", max_length=200, blank=True)
    organizer = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    attendees = models.ManyToManyField("accounts.Organization", blank=True, related_name="matchmaking_events")
    summary = models.TextField("活动概况", blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title


class AllianceMember(models.Model):
    """A member of the district's industry-university-research alliance (产学研联盟)."""

    class Role(models.TextChoices):
        COUNCIL = "council", "理事单位"
        MEMBER = "member", "成员单位"

    organization = models.OneToOneField("accounts.Organization", on_delete=models.PROTECT, related_name="alliance")
    role = models.CharField("身份", max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField("加入日期")
    left_on = models.DateField("退出日期", null=True, blank=True)

    class Meta:
        ordering = ["joined_on", "id"]

    def __str__(self):
        return str(self.organization_id)


class PatentProduct(Authored):
    """A patent product record (专利产品备案): a product and the patents it implements."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="patent_products")
    name = models.CharField("产品名称", max_length=200)
    model_number = models.CharField("型号", max_length=100, blank=True)
    patents = models.ManyToManyField("stats.Patent", related_name="products")
    record_number = models.CharField("备案号", max_length=64, blank=True)
    recorded_on = models.DateField("备案日期")
    annual_sales = models.DecimalField("年销售额（万元）", max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-recorded_on", "-id"]

    def __str__(self):
        return self.name


class FinancingApplication(Authored):
    """An enterprise's IP pledge financing application, routed to a partner bank; once the pledge is registered
    it is written to the pledge registry, so the financing indicators count it."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "已提交，待银行受理"
        ACCEPTED = "accepted", "银行已受理"
        APPROVED = "approved", "已审批同意"
        DECLINED = "declined", "未获批准"
        REGISTERED = "registered", "已办理质押登记"
        RELEASED = "released", "已解除质押"

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="financing")
    bank = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="financing_received")
    amount_requested = models.DecimalField("申请金额（万元）", max_digits=12, decimal_places=2)
    patents = models.JSONField("出质专利", default=list)
    trademarks = models.JSONField("出质商标", default=list)
    copyrights = models.JSONField("出质著作权", default=list)
    purpose = models.CharField("资金用途", max_length=300)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.SUBMITTED)
    approved_amount = models.DecimalField("批准金额（万元）", max_digits=12, decimal_places=2, null=True, blank=True)
    bank_note = models.CharField("银行意见", max_length=300, blank=True)
    pledge_reference = models.CharField("质押登记号", max_length=64, blank=True)
    registered_on = models.DateField("质押登记日", null=True, blank=True)
    released_on = models.DateField("解除日", null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.organization_id} → {self.bank_id}"


class InsuranceClaim(Authored):
    """A claim under a patent insurance policy of the registry, decided by the insurer."""

    class State(models.TextChoices):
        FILED = "filed", "已报案"
        PAID = "paid", "已赔付"
        REJECTED = "rejected", "拒赔"

    policy_number = models.CharField("保单号", max_length=64)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="claims")
    insurer = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="claims_received")
    amount_claimed = models.DecimalField("索赔金额（元）", max_digits=14, decimal_places=2)
    reason = models.TextField("出险经过")
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.FILED)
    amount_paid = models.DecimalField("赔付金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    insurer_note = models.CharField("保险公司意见", max_length=300, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.policy_number


class WatchListEntry(models.Model):
    """An enterprise on the key-enterprise watch list (重点企业关注名录): the office follows its brands and patents."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="watch_entries")
    reason = models.CharField("列入理由", max_length=300)
    added_on = models.DateField("列入日期")
    removed_on = models.DateField("移出日期", null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-added_on", "-id"]

    def __str__(self):
        return str(self.organization_id)


def center_name_key(name: str) -> str:
    """The same center however its name is typed: full-width forms folded (NFKC), every space removed, Latin
    letters in one case."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", name or "").split()).casefold()


class OperationCenterRecognition(models.Model):
    """A recognized 优势产业知识产权运营中心: the indicator counts each center once, on its (first) recognition date.
    A center is recognized once: its name key is unique."""

    name = models.CharField("运营中心名称", max_length=200)
    name_key = models.CharField("运营中心名称（归一）", max_length=200, unique=True, editable=False)
    industry = models.CharField("优势产业", max_length=100, blank=True)
    authority = models.CharField("认定机关", max_length=200)
    document_number = models.CharField("认定文号", max_length=100, blank=True)
    recognized_on = models.DateField("认定日期")
    operator = models.ForeignKey("accounts.Organization", verbose_name="运营机构", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="operation_centers")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recognized_on", "-id"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = center_name_key(self.name)[:200]
        super().save(*args, **kwargs)


class PatentCluster(Authored):
    """An industry-chain patent cluster (产业链专利集群, key task 3): the enterprises along one industrial chain
    (人工智能、生物医药、数字经济…) and the scope of their patents that belongs to it — IPC prefixes and/or a strategic
    emerging industry of the SEI–IPC reference table — with the strategic layout (战略布局) the office follows. Its
    patent counts are read from the registry, never entered."""

    name = models.CharField("集群名称", max_length=200)
    industry = models.CharField("重点产业", max_length=100)
    enterprises = models.ManyToManyField("accounts.Organization", related_name="patent_clusters")
    ipc_prefixes = models.JSONField("专利范围：IPC前缀", default=list, blank=True)
    sei_industry = models.CharField("专利范围：战略性新兴产业", max_length=100, blank=True)
    layout_notes = models.TextField("战略布局", blank=True)
    established_on = models.DateField("组建日期")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-established_on", "-id"]

    def __str__(self):
        return self.name


class IndustryEducationAgreement(Authored):
    """An industry–education integration agreement (产教融合协议) between a university and an enterprise: its
    subject and term, counted by the year it was signed."""

    university = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    cluster = models.ForeignKey(PatentCluster, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="agreements")
    subject = models.CharField("合作内容", max_length=300)
    signed_on = models.DateField("签订日期")
    term_until = models.DateField("合作期限至", null=True, blank=True)

    class Meta:
        ordering = ["-signed_on", "-id"]

    def __str__(self):
        return self.subject

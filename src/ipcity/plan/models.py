from django.conf import settings
from django.db import models
from django.utils import timezone

from ipcity.models import Authored, Created, prefetched
from ipcity.plan.core.schedule import FREQUENCY_LABELS, Frequency
from ipcity.plan.core.schema import GOAL_CODES, Comparison, DataSource, MembersClause, PeriodType
from ipcity.plan.core.status import STATUS_LABELS, Status
from ipcity.plan.core.supervision import STATE_LABELS, State


class WorkPlan(models.Model):
    code = models.SlugField(max_length=64)
    version = models.PositiveIntegerField()
    title = models.CharField("方案名称", max_length=200)
    document_number = models.CharField("文号", max_length=64, blank=True)
    issuer = models.CharField("印发机关", max_length=100, blank=True)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    region = models.CharField("地区", max_length=100, blank=True)
    basis = models.CharField("依据", max_length=200, blank=True)
    period_start = models.DateField("试点开始")
    period_end = models.DateField("试点结束")
    overall_goal = models.TextField("总体目标", blank=True)
    leading_group_name = models.CharField(max_length=100)
    leading_group_office = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    office_host = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    members_reading = models.TextField(blank=True)
    members = models.ManyToManyField("accounts.Organization", related_name="leading_group_plans")
    is_current = models.BooleanField(default=False)
    imported_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="plan_code_version_unique")]
        ordering = ["-is_current", "-imported_at"]

    def __str__(self):
        return f"{self.title}（第{self.version}版）"


class Goal(models.Model):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="goals")
    code = models.CharField(max_length=16, choices=[(c, c) for c in GOAL_CODES])
    number = models.PositiveSmallIntegerField()
    name = models.CharField("目标", max_length=100)
    text = models.TextField("原文", blank=True)
    qualitative = models.JSONField("定性目标", default=list)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="goal_code_unique")]

    def __str__(self):
        return self.name


class Action(models.Model):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveSmallIntegerField()
    numeral = models.CharField(max_length=4)
    title = models.CharField(max_length=100)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"（{self.numeral}）{self.title}"


class ResponsibilityMixin(models.Model):
    units_text = models.TextField("责任单位（原文）", blank=True)
    members_clause = models.CharField(max_length=8, choices=[(m.value, m.value) for m in MembersClause], default="none")

    class Meta:
        abstract = True

    @property
    def members_clause_label(self) -> str:
        return {
            MembersClause.ALL: "区知识产权工作领导小组各成员单位按职责分工负责",
            MembersClause.OTHERS: "其他领导小组成员单位按职责分工负责",
        }.get(self.members_clause, "")


class KeyTask(ResponsibilityMixin):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="tasks")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField()
    title = models.CharField("任务", max_length=100)
    text = models.TextField("任务内容", blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="task_number_unique")]

    def __str__(self):
        return f"{self.number}.{self.title}"

    def _ordered_assignments(self) -> list["TaskUnit"]:
        loaded = prefetched(self, "assignments")  # plan.selectors.task_list loads them with their units
        if loaded is not None:
            return sorted(loaded, key=lambda a: a.position)
        return list(self.assignments.select_related("unit").order_by("position"))

    @property
    def ordered_units(self):
        return [a.unit for a in self._ordered_assignments()]

    @property
    def lead_unit(self):
        assignments = self._ordered_assignments()
        return assignments[0].unit if assignments else None


class TaskUnit(models.Model):
    """A unit responsible for a key task; the first named (position 0) leads."""

    task = models.ForeignKey(KeyTask, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="task_assignments")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="task_unit_unique"),
            models.UniqueConstraint(fields=["task", "position"], name="task_unit_position_unique"),
        ]

    def __str__(self):
        return f"{self.task_id}:{self.unit_id}@{self.position}"

    @property
    def is_lead(self) -> bool:
        return self.position == 0


class Safeguard(ResponsibilityMixin):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="safeguards")
    code = models.CharField(max_length=32)
    number = models.PositiveSmallIntegerField()
    numeral = models.CharField(max_length=4)
    title = models.CharField(max_length=100)
    text = models.TextField(blank=True)
    units = models.ManyToManyField("accounts.Organization", through="SafeguardUnit", related_name="+")

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"（{self.numeral}）{self.title}"

    @property
    def ordered_units(self):
        return [a.unit for a in self.safeguardunit_set.select_related("unit").order_by("position")]


class SafeguardUnit(models.Model):
    safeguard = models.ForeignKey(Safeguard, on_delete=models.CASCADE)
    unit = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return f"{self.safeguard_id}:{self.unit_id}@{self.position}"


COMPARISON_LABELS = {
    Comparison.AT_LEAST: "不少于",
    Comparison.GROWTH_RATE_AT_LEAST: "年均增长率不低于",
    Comparison.INCREASE: "逐年增长",
}
PERIOD_LABELS = {
    PeriodType.END_STATE: "期末存量",
    PeriodType.PER_YEAR: "每年",
    PeriodType.CUMULATIVE: "试点期累计",
    PeriodType.ANNUAL_AVERAGE: "年均",
    PeriodType.AVERAGE_ANNUAL_GROWTH: "年均增长率",
}
DATA_SOURCE_LABELS = {DataSource.RECORDS: "由记录计算", DataSource.REPORTED: "责任单位报送"}


class Indicator(models.Model):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="indicators")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=64)
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField("指标", max_length=100)
    target = models.DecimalField("目标值", max_digits=16, decimal_places=4, null=True, blank=True)
    unit = models.CharField("计量单位", max_length=16)
    comparison = models.CharField("比较方式", max_length=32, choices=[(c.value, COMPARISON_LABELS[c]) for c in Comparison])
    period_type = models.CharField("期间类型", max_length=32, choices=[(p.value, PERIOD_LABELS[p]) for p in PeriodType])
    deadline = models.DateField("截止日期")
    source_sentence = models.TextField("方案原文", blank=True)
    reading = models.TextField("口径说明", blank=True)
    data_source = models.CharField("数据来源", max_length=16, choices=[(d.value, DATA_SOURCE_LABELS[d]) for d in DataSource])
    key_tasks = models.ManyToManyField(KeyTask, related_name="indicators", blank=True)

    class Meta:
        ordering = ["goal__number", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique")]

    def __str__(self):
        return self.name

    @property
    def target_display(self) -> str:
        if self.target is None:
            return COMPARISON_LABELS[Comparison.INCREASE]
        number = format(self.target.normalize(), "f")
        if "." in number:
            number = number.rstrip("0").rstrip(".")
        return f"{COMPARISON_LABELS[self.comparison]} {number} {self.unit}"


class IndicatorValue(models.Model):
    """A value of an indicator as of a date: reported by a unit (with its source), or computed later."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    as_of = models.DateField("截至日期")
    value = models.DecimalField("数值", max_digits=16, decimal_places=4)
    source = models.CharField("数据来源说明", max_length=300)
    note = models.TextField("备注", blank=True)
    attachment = models.ForeignKey("web.Attachment", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reporting_unit = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, null=True, related_name="+")
    reported_at = models.DateTimeField()
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["-as_of", "-reported_at"]

    def __str__(self):
        return f"{self.indicator_id} {self.as_of}: {self.value}"


def status_label(status: Status) -> str:
    return STATUS_LABELS[status]


class WorkItem(Created):
    """A milestone of a key task for one year, owned by one unit (the lead or a co-unit's own part)."""

    task = models.ForeignKey(KeyTask, on_delete=models.CASCADE, related_name="work_items")
    unit = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="work_items")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("工作事项", max_length=200)
    deliverable = models.CharField("成果形式", max_length=200, blank=True)
    deadline = models.DateField("完成时限")
    state = models.CharField("状态", max_length=16, choices=[(s.value, STATE_LABELS[s]) for s in State], default=State.DRAFT)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="work_items")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["deadline", "id"]

    def __str__(self):
        return f"{self.task.number}.{self.title}（{self.unit.name}）"


class WorkItemEvent(models.Model):
    """One transition of a work item: the item's own history, shown on its page (the audit trail has it too)."""

    work_item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16)
    to_state = models.CharField(max_length=16)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.work_item_id} {self.action}"


class ProgressReport(models.Model):
    work_item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="reports")
    period = models.CharField("报告期", max_length=16)  # e.g. 2026-10 or 2026Q3
    text = models.TextField("进展情况")
    figures = models.JSONField("数据", default=dict, blank=True)  # indicator code -> value reported with it
    attachment = models.ForeignKey("web.Attachment", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.work_item_id} {self.period}"


class Reminder(models.Model):
    """A reminder before a deadline or a chaser after it; one per item, kind and deadline, so never sent twice."""

    work_item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=[("reminder", "临近提醒"), ("chaser", "到期催办")])
    deadline = models.DateField()
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work_item", "kind", "deadline"], name="reminder_once_per_lapse")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.work_item_id} {self.deadline}"


class AssessmentScheme(models.Model):
    """The weights of the scoring scheme per year (the latest row for a year applies)."""

    year = models.PositiveSmallIntegerField("年度")
    weights = models.JSONField("权重")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["-set_at", "-id"]

    def __str__(self):
        return f"{self.year}: {self.weights}"


class OfficeRating(models.Model):
    """The leading group office's own score for a unit in a year."""

    unit = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    score = models.DecimalField("评分", max_digits=5, decimal_places=2)
    note = models.TextField("评价说明", blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="office_rating_once_per_year")]

    def __str__(self):
        return f"{self.unit_id} {self.year}: {self.score}"


class ExtensionRequest(models.Model):
    """延期申请: a unit asks for a later deadline; the office decides."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已同意"
        REJECTED = "rejected", "未同意"

    work_item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="extensions")
    current_deadline = models.DateField("原时限")
    requested_deadline = models.DateField("申请时限")
    reason = models.TextField("理由")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decision_note = models.TextField("审批意见", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.work_item_id} → {self.requested_deadline}"


class FundUse(models.TextChoices):
    """The uses the plan names for the special fund (保障措施（三）)."""

    STRATEGY_RESEARCH = "strategy_research", "战略研究"
    PUBLICITY_TRAINING = "publicity_training", "宣传培训"
    ENFORCEMENT_PROTECTION = "enforcement_protection", "执法保护"
    SPECIAL_SUBSIDIES = "special_subsidies", "专项资助"
    PLATFORM_BUILDING = "platform_building", "平台建设"


class BudgetLine(Created):
    """A line of the IP special fund (专项资金) for a year and a use."""

    year = models.PositiveSmallIntegerField("年度")
    use = models.CharField("用途", max_length=32, choices=FundUse.choices)
    name = models.CharField("预算项目", max_length=200)
    amount = models.DecimalField("预算金额（元）", max_digits=16, decimal_places=2)
    managing_unit = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["year", "use", "id"]
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="budget_line_name_per_year")]

    def __str__(self):
        return f"{self.year} {self.name}"


class Disbursement(models.Model):
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="disbursements")
    task = models.ForeignKey(KeyTask, on_delete=models.PROTECT, null=True, blank=True, related_name="disbursements")
    recipient = models.CharField("收款单位或个人", max_length=200)
    recipient_org = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2)
    paid_on = models.DateField("支付日期")
    purpose = models.CharField("用途说明", max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["paid_on", "id"]

    def __str__(self):
        return f"{self.line_id} {self.amount}"


class IndicatorConfirmation(models.Model):
    """The office's official value (核定值) of an indicator for a pilot year, with the reason. The latest row for an
    indicator and year applies; a change is a new confirmation, so the history stays."""

    class Basis(models.TextChoices):
        COMPUTED = "computed", "采用记录计算值"
        REPORTED = "reported", "采用单位报送值"
        OTHER = "other", "办公室核定其他值"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="confirmations")
    year = models.PositiveSmallIntegerField("年度")
    value = models.DecimalField("核定值", max_digits=16, decimal_places=4)
    basis = models.CharField("核定依据", max_length=16, choices=Basis.choices)
    computed_value = models.DecimalField("当时的计算值", max_digits=16, decimal_places=4, null=True, blank=True)
    reported_value = models.ForeignKey(IndicatorValue, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField("核定理由")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField()

    class Meta:
        ordering = ["-confirmed_at", "-id"]

    def __str__(self):
        return f"{self.indicator_id} {self.year}: {self.value}"


class AssessmentScope(models.Model):
    """Which units the annual assessment ranks: units the office leaves out (courts, procuratorates…) are shown
    but not ranked. The latest row applies; earlier rows are the history of the setting."""

    unranked_units = models.ManyToManyField("accounts.Organization", blank=True, related_name="+",
                                            verbose_name="不参与排名的单位")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["-set_at", "-id"]

    def __str__(self):
        return f"考核排名范围设定（{timezone.localtime(self.set_at):%Y-%m-%d %H:%M}）"


class EvaluationReport(Authored):
    """The pilot's evaluation report (final, 2024-01 to 2026-12, or annual): generated from the data, edited by
    the office while a draft, then released and frozen."""

    class Kind(models.TextChoices):
        FINAL = "final", "试点终期评估报告"
        ANNUAL = "annual", "年度评估报告"

    plan = models.ForeignKey(WorkPlan, on_delete=models.PROTECT, related_name="evaluations")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(null=True, blank=True)  # annual reports only
    as_of = models.DateField("数据截至")
    document_number = models.CharField("文号", max_length=64, blank=True)
    issuer = models.CharField("发文机关", max_length=100, blank=True)
    written_on = models.DateField("成文日期", null=True, blank=True)
    overview = models.TextField("基本情况", blank=True)
    highlights = models.TextField("特色亮点与典型案例", blank=True)
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下一步打算", blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    # The documents as released: what was submitted must read the same later, whatever the data does since.
    released_docx = models.ForeignKey("web.Attachment", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    released_pdf = models.ForeignKey("web.Attachment", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    released_counts = models.JSONField(null=True, blank=True)  # the indicator counts the released documents state

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year or ''}".strip()

    @property
    def title(self) -> str:
        if self.kind == self.Kind.ANNUAL:
            return f"{self.plan.region}国家知识产权强市建设试点{self.year}年度评估报告"
        start, end = self.plan.period_start, self.plan.period_end
        return (f"{self.plan.region}国家知识产权强市建设试点终期评估报告"
                f"（{start.year}年{start.month}月至{end.year}年{end.month}月）")


class SupervisionSettings(models.Model):
    """The office's supervision rules: how often units report on their open items and within how many days of a
    period's end, and how many days before a deadline the reminder goes out and the light turns yellow.
    The latest row applies; earlier rows are the history of the rules."""

    report_frequency = models.CharField("报送频次", max_length=16, default=Frequency.MONTHLY,
                                        choices=[(f.value, FREQUENCY_LABELS[f]) for f in Frequency])
    report_due_days = models.PositiveSmallIntegerField("报告期结束后几日内报送", default=5)
    reminder_days = models.PositiveSmallIntegerField("完成时限前几日提醒（黄灯）", default=7)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["-set_at", "-id"]

    def __str__(self):
        return f"{self.get_report_frequency_display()}报送，报告期结束后{self.report_due_days}日内，时限前{self.reminder_days}日提醒"


class LeadingGroupMeeting(models.Model):
    """A meeting of the district IP leading group, with its minutes and decisions (议定事项)."""

    class Kind(models.TextChoices):
        PLENARY = "plenary", "全体会议"
        SPECIAL = "special", "专题会议"
        OFFICE = "office", "办公室会议"

    plan = models.ForeignKey(WorkPlan, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField("会议名称", max_length=200)
    kind = models.CharField("会议类型", max_length=16, choices=Kind.choices, default=Kind.PLENARY)
    held_on = models.DateField("召开日期")
    place = models.CharField("地点", max_length=200, blank=True)
    chaired_by = models.CharField("主持人", max_length=100)
    attendees = models.ManyToManyField("accounts.Organization", blank=True, related_name="+", verbose_name="出席单位")
    summary = models.TextField("会议纪要")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title


class MeetingDecision(models.Model):
    """One decision of a meeting; when it assigns work, the office turns it into a work item."""

    meeting = models.ForeignKey(LeadingGroupMeeting, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField("序号")
    text = models.TextField("议定事项")
    task = models.ForeignKey(KeyTask, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    unit = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    deadline = models.DateField("完成时限", null=True, blank=True)
    work_item = models.OneToOneField(WorkItem, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="decision")

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_per_meeting")]

    def __str__(self):
        return f"{self.meeting_id}-{self.number}"


class Interview(models.Model):
    """约谈: a formal talk with a lagging unit, the rectification it must make, the unit's report on it, and
    the office's acceptance."""

    class Rectification(models.TextChoices):
        RECTIFYING = "rectifying", "整改中"
        REPORTED = "reported", "已报送整改情况"
        ACCEPTED = "accepted", "整改完成"

    unit = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="interviews")
    year = models.PositiveSmallIntegerField("考核年度")
    held_on = models.DateField("约谈日期")
    interviewer = models.CharField("约谈人", max_length=100)
    interviewees = models.CharField("被约谈人", max_length=200)
    reason = models.TextField("约谈事由")
    content = models.TextField("约谈内容")
    requirements = models.TextField("整改要求")
    rectification_deadline = models.DateField("整改时限")
    state = models.CharField("状态", max_length=16, choices=Rectification.choices, default=Rectification.RECTIFYING)
    rectification_report = models.TextField("整改情况", blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    office_note = models.TextField("办公室意见", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.unit_id} {self.held_on}"


# ---- the overall goals' own figures: 知识产权保护社会满意度 (plan/survey.py) and 国家高新技术企业 (plan/ranking.py) ----

class SatisfactionSurvey(Authored):
    """A questionnaire on 知识产权保护社会满意度 for one year: the office writes it, opens it to the public through a
    link (no account needed) and closes it. An answer is anonymous: the phone number that keeps it to one per person
    is stored only as a salted hash."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        OPEN = "open", "收集中"
        CLOSED = "closed", "已结束"
        DISCARDED = "discarded", "已作废"

    year = models.PositiveSmallIntegerField("调查年度")
    title = models.CharField("标题", max_length=100)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.DRAFT)
    token = models.CharField(max_length=64, unique=True)  # the public link's key
    phone_salt = models.CharField(max_length=64)  # this survey's salt for the phone (and address) hashes
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = "满意度调查"

    def __str__(self):
        return f"{self.year}年 {self.title}"


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", "满意度（1～5分）"
        CHOICE = "choice", "单选"

    survey = models.ForeignKey(SatisfactionSurvey, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField("题号")
    kind = models.CharField("题型", max_length=8, choices=Kind.choices)
    text = models.CharField("题目", max_length=200)
    options = models.JSONField("选项", default=list, blank=True)  # a single choice's options, in order

    class Meta:
        ordering = ["survey", "number"]
        constraints = [models.UniqueConstraint(fields=["survey", "number"], name="survey_question_number")]

    def __str__(self):
        return f"{self.number}. {self.text}"


class SurveyResponse(models.Model):
    """One person's answers. `phone_hash` is HMAC-SHA256 of the number keyed by the platform's secret and the survey's
    salt: it tells a second answer from the same number apart, and nobody can read the number back from it."""

    survey = models.ForeignKey(SatisfactionSurvey, on_delete=models.PROTECT, related_name="responses")
    phone_hash = models.CharField(max_length=64)
    source_hash = models.CharField(max_length=64, blank=True)  # the network address, hashed the same way (rate bound)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["survey", "submitted_at", "id"]
        constraints = [models.UniqueConstraint(fields=["survey", "phone_hash"], name="survey_one_answer_per_phone")]
        indexes = [models.Index(fields=["survey", "source_hash", "submitted_at"], name="survey_source_time")]

    def __str__(self):
        return f"{self.survey_id}-{self.pk}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField("回答")  # a scale's score 1–5, or the number of the chosen option

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="survey_one_answer_per_question")]

    def __str__(self):
        return f"{self.response_id}-{self.question_id}: {self.value}"


class CentralDistrict(models.TextChoices):
    """天津市中心城区: the districts 南开 is compared with."""

    NANKAI = "nankai", "南开区"
    HEPING = "heping", "和平区"
    HEXI = "hexi", "河西区"
    HEDONG = "hedong", "河东区"
    HEBEI = "hebei", "河北区"
    HONGQIAO = "hongqiao", "红桥区"


class HighTechCount(models.Model):
    """How many national high-tech enterprises (国家高新技术企业) a central district has in a year, as its source
    states; goal 一 wants 南开 to stay first among the central districts. One figure per district and year: a later
    entry replaces it, and the audit trail keeps the value it replaced."""

    year = models.PositiveSmallIntegerField("年度")
    district = models.CharField("区", max_length=16, choices=CentralDistrict.choices)
    count = models.PositiveIntegerField("国家高新技术企业数量")
    source = models.CharField("来源", max_length=200)
    is_synthetic = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-year", "district"]
        constraints = [models.UniqueConstraint(fields=["year", "district"], name="high_tech_one_figure_per_year")]
        verbose_name = "国家高新技术企业数量"

    def __str__(self):
        return f"{self.year}年{self.get_district_display()}{self.count}家"


class HolidayCalendarImport(models.Model):
    """One import of the official holiday calendar (法定节假日和调休上班日, as the State Council's yearly notice
    国务院办公厅关于部分节假日安排的通知 sets them), with its source. An import replaces every day of the years it
    covers; its random `token` is the version the working-day rule is cached by (a rolled-back import can never
    leave its days behind in a cache)."""

    source = models.CharField("来源", max_length=300)
    filename = models.CharField("文件名", max_length=200, blank=True)
    years = models.JSONField("涉及年度", default=list)
    token = models.CharField(max_length=32, unique=True, editable=False)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = "法定节假日安排导入"

    def __str__(self):
        return self.source


class HolidayDay(models.Model):
    """A day the official calendar changes: a public holiday (放假, even on a weekday) or an adjusted working day
    (调休上班, even on a weekend). Every other day is a working day from Monday to Friday."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "调休上班"

    day = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    name = models.CharField("节日", max_length=50, blank=True)
    calendar_import = models.ForeignKey(HolidayCalendarImport, on_delete=models.PROTECT, related_name="days")

    class Meta:
        ordering = ["day"]
        verbose_name = "法定节假日或调休上班日"

    def __str__(self):
        return f"{self.day} {self.get_kind_display()}"

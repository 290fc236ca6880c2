"""IP registries (patents and their legal events, trademarks, pledges, insurance, securitization) and the
reference tables the indicator engine reads (population, SEI–IPC), each import recorded as a batch."""

from django.conf import settings
from django.db import models

from ipcity.stats.core.records import EVENT_LABELS, PATENT_TYPE_LABELS, EventType, PatentType

# Which platform workflow created a registry record ("operations.deal:12"); empty for the registries' own imports.
# A workflow creates its own records and may change only those (stats.services.registry_write); it never rewrites one
# it did not create.
ORIGIN_LABEL = "写入流程"


# Batches that are not an import of a registry file: the demo's registry, built by the platform itself.
OTHER_IMPORT_KINDS = {"demo": "演示登记数据"}


def import_kind_label(kind: str) -> str:
    """What a person calls a kind of import (patents → 专利著录): the import spec's own name."""
    from ipcity.stats.core.importer import SPECS

    spec = SPECS.get(kind)
    return spec.label if spec is not None else OTHER_IMPORT_KINDS.get(kind, "其他")


class ImportBatch(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        FAILED = "failed", "有错误，未导入"

    kind = models.CharField(max_length=32)
    filename = models.CharField(max_length=255)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list)
    encoding = models.CharField(max_length=16, blank=True)
    note = models.CharField(max_length=200, blank=True)
    origin = models.CharField(ORIGIN_LABEL, max_length=64, blank=True, default="")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.kind_label} {self.filename}"

    @property
    def kind_label(self) -> str:
        return import_kind_label(self.kind)

    @property
    def percent(self) -> int:
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else (100 if self.finished_at else 0)


class Patent(models.Model):
    application_number = models.CharField("申请号", max_length=20, unique=True)
    patent_type = models.CharField("专利类型", max_length=16, choices=[(t.value, PATENT_TYPE_LABELS[t]) for t in PatentType])
    filing_date = models.DateField("申请日", db_index=True)
    grant_date = models.DateField("授权公告日", null=True, blank=True)
    title = models.CharField("名称", max_length=500)
    abstract = models.TextField("摘要", blank=True)
    applicants = models.JSONField("申请人", default=list)
    patentee = models.CharField("专利权人", max_length=300, blank=True)
    address = models.CharField("专利权人地址", max_length=300, blank=True)
    owner_district = models.CharField("所在区", max_length=64, blank=True, db_index=True)  # "" = unknown
    owner_street = models.CharField("所在街道", max_length=32, blank=True)
    main_ipc = models.CharField("主分类号", max_length=32, blank=True)
    ipc_codes = models.JSONField("IPC分类号", default=list)
    legal_status = models.CharField("法律状态（导入值）", max_length=100, blank=True)
    is_synthetic = models.BooleanField(default=False)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, null=True, related_name="+")

    def __str__(self):
        return f"{self.application_number} {self.title}"

    @property
    def owner_street_label(self) -> str:
        """The street's name (the column holds its code: xuefu → 学府街道); "" when unknown."""
        from ipcity.accounts.models import Street

        return str(dict(Street.choices).get(self.owner_street, "")) if self.owner_street else ""


class LegalEvent(models.Model):
    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="events")
    event_type = models.CharField("法律事件", max_length=32, choices=[(e.value, EVENT_LABELS[e]) for e in EventType])
    date = models.DateField("生效日", db_index=True)
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    counterparty = models.CharField("相对方", max_length=300, blank=True)
    new_owner_address = models.CharField("新权利人地址", max_length=300, blank=True)
    new_owner_district = models.CharField("新权利人所在区", max_length=64, blank=True)
    origin = models.CharField(ORIGIN_LABEL, max_length=64, blank=True, default="")
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, null=True, related_name="+")
    # A transfer or licence both the platform's deal workflow and an official import recorded is one event, matched
    # by application number, kind and date (stats.matching): the deal that matched it, the official batch, when,
    # and both sides' values ({"platform": {...}, "official": {...}}) so its history shows where they differ.
    match_origin = models.CharField("匹配的平台登记", max_length=64, blank=True, default="")
    match_batch = models.ForeignKey(ImportBatch, verbose_name="匹配的国家知识产权局数据批次", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    matched_at = models.DateTimeField("匹配时间", null=True, blank=True)
    match_values = models.JSONField("匹配时双方的登记值", default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["patent", "event_type", "date"], name="legal_event_unique")]
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.patent_id} {self.get_event_type_display()} {self.date}"

    @property
    def history(self) -> str:
        """Where the event comes from, for a person: 平台交易登记 → 与国家知识产权局数据（批次3，2026-11-02）匹配."""
        from ipcity.stats import matching
        return matching.history_text(self)

    @property
    def match_differences(self) -> list[str]:
        from ipcity.stats import matching
        return matching.difference_notes(self)


class Trademark(models.Model):
    registration_number = models.CharField("注册号", max_length=32, unique=True)
    name = models.CharField("商标名称", max_length=200, blank=True)
    nice_class = models.CharField("类别", max_length=16, blank=True)
    holder = models.CharField("注册人", max_length=300, blank=True)
    address = models.CharField("注册人地址", max_length=300, blank=True)
    owner_district = models.CharField("所在区", max_length=64, blank=True, db_index=True)
    filing_date = models.DateField("申请日", null=True, blank=True)
    registration_date = models.DateField("注册日", null=True, blank=True)
    valid_until = models.DateField("专用权期限至", null=True, blank=True)
    cancelled_on = models.DateField("注销日", null=True, blank=True)
    madrid_filing_date = models.DateField("马德里申请日", null=True, blank=True)
    well_known = models.BooleanField("驰名商标", default=False)
    time_honored = models.BooleanField("老字号", default=False)
    is_synthetic = models.BooleanField(default=False)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, null=True, related_name="+")

    def __str__(self):
        return f"{self.registration_number} {self.name}"


class Pledge(models.Model):
    reference = models.CharField("质押登记号", max_length=64, unique=True)
    pledgor = models.CharField("出质人", max_length=300)
    address = models.CharField("出质人地址", max_length=300, blank=True)
    pledgor_district = models.CharField("出质人所在区", max_length=64, blank=True)
    pledgee = models.CharField("质权人", max_length=300, blank=True)
    amount = models.DecimalField("质押金额（元）", max_digits=16, decimal_places=2)
    registered_on = models.DateField("登记日")
    released_on = models.DateField("注销日", null=True, blank=True)
    patents = models.JSONField("涉及专利", default=list)
    trademarks = models.JSONField("涉及商标", default=list)
    is_synthetic = models.BooleanField(default=False)
    origin = models.CharField(ORIGIN_LABEL, max_length=64, blank=True, default="")
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, null=True, related_name="+")

    def __str__(self):
        return self.reference


class InsurancePolicy(models.Model):
    policy_number = models.CharField("保单号", max_length=64, unique=True)
    kind = models.CharField("险种", max_length=32, choices=[("patent_insurance", "专利保险"), ("protection_insurance", "专利保护保险")])
    insured = models.CharField("投保人", max_length=300)
    address = models.CharField("投保人地址", max_length=300, blank=True)
    insured_district = models.CharField("投保人所在区", max_length=64, blank=True)
    insurer = models.CharField("保险公司", max_length=200, blank=True)
    start_date = models.DateField("起保日")
    sum_insured = models.DecimalField("保额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, null=True, related_name="+")

    def __str__(self):
        return self.policy_number


class SecuritizationProduct(models.Model):
    name = models.CharField("产品名称", max_length=200, unique=True)
    issued_on = models.DateField("发行日")
    amount = models.DecimalField("发行规模（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    underlying = models.TextField("基础资产", blank=True)
    is_synthetic = models.BooleanField(default=False)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, null=True, related_name="+")

    def __str__(self):
        return self.name


class CopyrightRegistration(models.Model):
    class Kind(models.TextChoices):
        WORK = "work", "作品"
        SOFTWARE = "software", "计算机软件"

    registration_number = models.CharField("登记号", max_length=64, unique=True)
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    title = models.CharField("作品或软件名称", max_length=300)
    work_type = models.CharField("作品类别", max_length=64, blank=True)
    owner = models.CharField("著作权人", max_length=300)
    address = models.CharField("著作权人地址", max_length=300, blank=True)
    owner_district = models.CharField("所在区", max_length=64, blank=True)
    completed_on = models.DateField("创作完成日", null=True, blank=True)
    registered_on = models.DateField("登记日")
    is_synthetic = models.BooleanField(default=False)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, null=True, related_name="+")

    def __str__(self):
        return f"{self.registration_number} {self.title}"


class GeographicalIndication(models.Model):
    class Kind(models.TextChoices):
        PRODUCT = "product", "地理标志产品"
        COLLECTIVE_MARK = "collective_mark", "地理标志集体商标"
        CERTIFICATION_MARK = "certification_mark", "地理标志证明商标"

    name = models.CharField("地理标志名称", max_length=200, unique=True)
    kind = models.CharField("类别", max_length=32, choices=Kind.choices)
    product = models.CharField("产品", max_length=200, blank=True)
    holder = models.CharField("申请人或注册人", max_length=300, blank=True)
    registered_on = models.DateField("登记或注册日")
    is_synthetic = models.BooleanField(default=False)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, null=True, related_name="+")

    def __str__(self):
        return self.name


class PopulationFigure(models.Model):
    year = models.PositiveSmallIntegerField("年份", unique=True)
    residents_10k = models.DecimalField("年末常住人口（万人）", max_digits=10, decimal_places=2)
    source = models.CharField("来源", max_length=200)
    is_synthetic = models.BooleanField(default=False)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, null=True, related_name="+")

    def __str__(self):
        return f"{self.year}: {self.residents_10k}"


class SeiIpcEntry(models.Model):
    """One row of the SEI–IPC reference table; the whole table is replaced by each import (its version)."""

    version = models.CharField("版本", max_length=100)
    ipc = models.CharField("IPC", max_length=32)
    industry = models.CharField("战略性新兴产业", max_length=100)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, null=True, related_name="+")

    def __str__(self):
        return f"{self.ipc} → {self.industry}"


class EngineSetting(models.Model):
    """Configurable parameters of indicator definitions, e.g. the high-value pledge threshold."""

    key = models.CharField(max_length=64, unique=True)
    value = models.CharField(max_length=200)
    note = models.CharField(max_length=300, blank=True)

    def __str__(self):
        return f"{self.key}={self.value}"


class RegistryCoverage(models.Model):
    """The office's word on a kind of records (an engine definition's needs: "patents", "activity:case_patent", …):
    complete from this date on. Rows are kept as history; the latest row of a kind applies."""

    kind = models.CharField("记录类别", max_length=64, db_index=True)
    complete_from = models.DateField("记录完整起始日")
    reason = models.CharField("说明", max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    set_at = models.DateTimeField("登记时间")

    class Meta:
        ordering = ["kind", "-id"]

    def __str__(self):
        from ipcity.stats.coverage import coverage_label

        return f"{coverage_label(self.kind)}自 {self.complete_from} 起完整"


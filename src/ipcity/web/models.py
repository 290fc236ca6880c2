from django.conf import settings
from django.db import models


class Attachment(models.Model):
    """An uploaded file, stored under the data folder (never under the web root) by a random name."""

    stored_name = models.CharField(max_length=80, unique=True)
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    def __str__(self):
        return self.original_name


class SupportingFile(models.Model):
    """An attachment given as supporting evidence (佐证材料) of one record: a progress report, a reported indicator
    value, a leading group meeting, an enforcement case or a mediation. A record holds any number of files; which
    indicator, task and pilot year a file evidences is read from its record when the evidence package is built, so
    it follows the record (a case filed later, a work item linked to one more indicator)."""

    class Subject(models.TextChoices):
        PROGRESS_REPORT = "progress_report", "进展报告"
        INDICATOR_VALUE = "indicator_value", "指标报送值"
        MEETING = "meeting", "领导小组会议"
        CASE = "case", "行政执法案件"
        MEDIATION = "mediation", "纠纷调解"

    attachment = models.ForeignKey(Attachment, on_delete=models.PROTECT, related_name="supporting")
    subject_kind = models.CharField("所属记录类型", max_length=24, choices=Subject.choices)
    subject_id = models.PositiveBigIntegerField("所属记录")
    attached_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attached_at = models.DateTimeField()

    class Meta:
        ordering = ["attached_at", "id"]
        indexes = [models.Index(fields=["subject_kind", "subject_id"], name="supporting_subject")]
        constraints = [models.UniqueConstraint(fields=["attachment", "subject_kind", "subject_id"],
                                               name="supporting_file_once_per_record")]

    def __str__(self):
        return f"{self.subject_kind}:{self.subject_id} {self.attachment_id}"


class DataVersion(models.Model):
    """One row per scope of data a cached computation reads ("registry", "supervision"): its token changes, in the
    same transaction, with every write to one of the scope's tables (ipcity/versions.py)."""

    scope = models.CharField(max_length=32, unique=True)
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.scope}:{self.token}"

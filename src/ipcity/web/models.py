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

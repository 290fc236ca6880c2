"""Model parts several apps share. Abstract: they add columns to the models that inherit them, no table of their own.

A record says when it was written (`created_at`, set by the service that writes it from `ipcity.clock`, so tests
and imports control the time) and, where a person wrote it, by whom (`created_by`, kept: a user who wrote records
is deactivated, never deleted).
"""

from django.conf import settings
from django.db import models


class Created(models.Model):
    created_at = models.DateTimeField()

    class Meta:
        abstract = True


class Authored(Created):
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


def prefetched(record: models.Model, relation: str) -> list | None:
    """The related records a list's prefetch_related already loaded, or None: a property that reads them keeps a
    list page at a fixed number of queries, and still works (with its own query) on a record fetched alone."""
    cache = getattr(record, "_prefetched_objects_cache", {})
    return list(cache[relation]) if relation in cache else None

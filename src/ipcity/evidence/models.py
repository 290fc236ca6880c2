from django.conf import settings
from django.db import connections, models

from ipcity.evidence.kinds import KINDS
from ipcity.models import Created, written_out_cursor


class SealedError(Exception):
    """The evidence log is append-only: a registration is never deleted and, once sealed, never changed."""


class RegistrationQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if self.filter(index__isnull=False).exists():
            raise SealedError("已上链的存证登记不可修改")
        return super().update(**kwargs)

    def mark_sealed(self, rows: list["Registration"], *, checkpoint: "LogCheckpoint", at) -> None:
        """The sequencer's one write: each pending row gets its index (already set on it), the checkpoint and the time.
        A row found sealed already refuses the whole batch; the statement itself checks, so no query goes before it."""
        self._for_write = True  # the database writes go to, as QuerySet.update() would choose
        connection = connections[self.db]
        quote, meta = connection.ops.quote_name, self.model._meta
        table, pk, index, checkpoint_column, sequenced_at = (
            quote(meta.db_table), *(quote(meta.get_field(name).column)
                                    for name in ("id", "index", "checkpoint", "sequenced_at")))
        at = meta.get_field("sequenced_at").get_db_prep_value(at, connection)  # as the ORM stores it (a naive time too)
        # Three parameters a row (the id twice, the index) and two for the batch, within what the database takes in
        # one statement (999 on SQLite before 3.32: a larger batch would fail every time, and the log stop sealing).
        limit = connection.features.max_query_params
        size = min(2000, (limit - 2) // 3) if limit else 2000
        with connection.cursor() as cursor:
            for start in range(0, len(rows), size):
                batch = rows[start:start + size]
                # Written out rather than built from Case(When(...)): resolving one When a row was a third of a
                # checkpoint's time, on every checkpoint.
                cursor.execute(
                    f"UPDATE {table} SET {index} = CASE {pk} {' '.join(['WHEN %s THEN %s'] * len(batch))} END, "
                    f"{checkpoint_column} = %s, {sequenced_at} = %s "
                    f"WHERE {pk} IN ({', '.join(['%s'] * len(batch))}) AND {index} IS NULL",
                    [*(value for row in batch for value in (row.pk, row.index)), checkpoint.pk, at,
                     *(row.pk for row in batch)])
                if cursor.rowcount != len(batch):
                    raise SealedError("已上链的存证登记不可修改")

    def delete(self):
        raise SealedError("存证登记不可删除")


class RegistrationManager(models.Manager.from_queryset(RegistrationQuerySet)):
    # The two reads every registration makes before it is written, written out: built through the ORM they cost five
    # times what the database took to answer, on the path the registrant waits on. On the manager, not the queryset:
    # a filter before them would be silently ignored.
    def holders_of(self, sha256: str) -> list[tuple[int, int, str]]:
        """(id, organization id, kind) of every registration of that SHA-256."""
        connection = connections[self.db]
        quote, meta = connection.ops.quote_name, self.model._meta
        pk, organization, kind, digest = (quote(meta.get_field(name).column)
                                          for name in ("id", "organization", "kind", "sha256"))
        with written_out_cursor(connection) as cursor:
            cursor.execute(f"SELECT {pk}, {organization}, {kind} FROM {quote(meta.db_table)} WHERE {digest} = %s",
                           [sha256])
            return [tuple(row) for row in cursor.fetchall()]

    def submitted_since(self, user_id: int, since) -> int:
        """How many registrations that user submitted at or after `since` (the registration_rate index answers it)."""
        connection = connections[self.db]
        quote, meta = connection.ops.quote_name, self.model._meta
        submitted_by, created_at = (quote(meta.get_field(name).column) for name in ("submitted_by", "created_at"))
        since = meta.get_field("created_at").get_db_prep_value(since, connection)  # as the ORM compares it
        with written_out_cursor(connection) as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(meta.db_table)} "
                           f"WHERE {submitted_by} = %s AND {created_at} >= %s", [user_id, since])
            return cursor.fetchone()[0]


class CheckpointQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise SealedError("已发布的检查点不可修改")

    def delete(self):
        raise SealedError("已发布的检查点不可删除")


class Registration(Created):
    """One registration: durable (and acknowledged) when created, sequenced into the log within about a second.
    `index` is null until then; the sequencer then sets index, checkpoint and sequenced_at once, and the row never
    changes again. Nothing deletes a registration. The database refuses it all too (migration 0003's triggers);
    save(), delete() and the queryset refuse here first with a clear error."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="registrations")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField("存证类型", max_length=32, choices=[(k.code, k.label) for k in KINDS.values()])
    title = models.CharField("名称", max_length=200)
    metadata = models.JSONField("登记信息")
    filename = models.CharField("文件名", max_length=255, blank=True)
    size = models.BigIntegerField("文件大小", null=True, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    sm3 = models.CharField(max_length=64)
    salted = models.BooleanField(default=False)
    content_salt = models.BinaryField(blank=True, default=b"")
    submitter_salt = models.BinaryField()
    leaf = models.BinaryField()
    index = models.BigIntegerField(null=True, blank=True, unique=True)
    checkpoint = models.ForeignKey("LogCheckpoint", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sequenced_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["organization", "sha256", "kind"], name="registration_once")]
        # The rate limit counts an account's registrations of the last minute on every registration.
        indexes = [models.Index(fields=["submitted_by", "created_at"], name="registration_rate")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.sha256[:12]}"

    def save(self, *args, **kwargs):
        if not self._state.adding and Registration.objects.filter(pk=self.pk, index__isnull=False).exists():
            raise SealedError("已上链的存证登记不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SealedError("存证登记不可删除")

    @property
    def digests_only(self) -> bool:
        """Registered by its digests alone: the platform never saw the content (no file was streamed in)."""
        return self.size is None


class LogCheckpoint(Created):
    """A published checkpoint: the signed and cosigned note, its RFC 3161 token, and both roots."""

    size = models.BigIntegerField(unique=True)
    root_sha256 = models.CharField(max_length=64)
    root_sm3 = models.CharField(max_length=64)
    note = models.TextField()
    timestamp = models.BinaryField()

    objects = CheckpointQuerySet.as_manager()

    class Meta:
        ordering = ["-size"]

    def __str__(self):
        return f"检查点（{self.size} 条）"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise SealedError("已发布的检查点不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SealedError("已发布的检查点不可删除")


class SequencerState(models.Model):
    """One row, locked by the sequencer for the length of a batch: the lock that keeps several app servers from
    sequencing at once, and the size of the last published checkpoint."""

    size = models.BigIntegerField(default=0)

    def __str__(self):
        return f"已定序 {self.size} 条"


class WitnessState(models.Model):
    """What the witness last cosigned, per log origin: it cosigns nothing inconsistent with it."""

    origin = models.CharField(max_length=200, unique=True)
    size = models.BigIntegerField()
    root = models.BinaryField()

    def __str__(self):
        return f"{self.origin} {self.size}"


class NotarizationRequest(models.Model):
    """An internet notarization request (互联网公证申请): a registration of that kind, forwarded to the notary
    office the applicant chose, which accepts it and issues a notarial certificate, or refuses with a reason."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "已提交，待公证机构受理"
        ACCEPTED = "accepted", "公证机构已受理"
        NOTARIZED = "notarized", "已出具公证书"
        REFUSED = "refused", "不予办理"

    registration = models.OneToOneField(Registration, on_delete=models.PROTECT, related_name="notarization")
    notary = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="notarizations")
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.SUBMITTED)
    certificate_number = models.CharField("公证书编号", max_length=64, blank=True)
    note = models.TextField("公证机构意见", blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self):
        return f"{self.registration_id} → {self.notary_id}：{self.get_state_display()}"

"""Registering evidence: permission-checked, rate-limited, audited; the content is hashed as it streams in and
never stored. A duplicate returns the existing registration."""

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from ipcity import clock
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.evidence.core.leaf import HEX64, Leaf, canonical_json, format_time, submitter_commitment
from ipcity.evidence.core.sm3 import sm3_pure
from ipcity.evidence.kinds import KINDS, TITLE_FIELDS, metadata_problems
from ipcity.evidence.ledger import seal, submitter_identity
from ipcity.evidence.models import NotarizationRequest, Registration
from ipcity.evidence.notarization import notary_named
from ipcity.evidence.tasks import seal_pending
from ipcity.jobs import enqueue_once
from ipcity.web.uploads import human_size


class RateLimited(Exception):
    """Too many registrations from one account in a minute."""


class _Sm3Stream:
    """Incremental SM3: OpenSSL's when present, else the portable one over the collected bytes."""

    def __init__(self):
        try:
            self._hash = hashlib.new("sm3")
            self._parts = None
        except ValueError:
            self._hash, self._parts = None, []

    def update(self, chunk: bytes) -> None:
        if self._hash is not None:
            self._hash.update(chunk)
        else:
            self._parts.append(chunk)

    def hexdigest(self) -> str:
        return self._hash.hexdigest() if self._hash is not None else sm3_pure(b"".join(self._parts)).hex()


def digest_stream(chunks: Iterable[bytes], *, salt: bytes = b"", limit: int | None = None) -> tuple[str, str, int]:
    """SHA-256 and SM3 of salt || content, read chunk by chunk; refused as soon as the content passes `limit`."""
    limit = settings.EVIDENCE_MAX_BYTES if limit is None else limit
    sha, sm = hashlib.sha256(salt), _Sm3Stream()
    sm.update(salt)
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise ValidationError({"file": [f"文件超过 {human_size(limit)} 的上限"]})
        sha.update(chunk)
        sm.update(chunk)
    return sha.hexdigest(), sm.hexdigest(), size


def _check_rate(actor, now: dt.datetime) -> None:
    recent = Registration.objects.submitted_since(actor.pk, now - dt.timedelta(minutes=1))
    if recent >= settings.EVIDENCE_RATE_PER_MINUTE:
        raise RateLimited(f"登记过于频繁：每个账号每分钟最多 {settings.EVIDENCE_RATE_PER_MINUTE} 件，请稍后再试")


def registration_create(*, actor, kind: str, metadata: dict, chunks: Iterable[bytes] | None = None,
                        filename: str = "", sha256: str = "", sm3: str = "", salted: bool = False,
                        sealed_by_caller: bool = False) -> tuple[Registration, bool]:
    """Register a file (its chunks) or only its hashes. Returns the registration and whether it is new. A caller that
    seals it at once (`registration_seal`: the registrant waits for the certificate) queues no sealing task; the
    worker's housekeeping still seals whatever that left pending."""
    require_perm(actor, Perm.EVIDENCE_REGISTER)
    if actor.organization_id is None:
        raise PermissionDenied("账号未归属任何机构，不能登记")
    spec = KINDS.get(kind)
    metadata = {k: str(v).strip() for k, v in (metadata or {}).items()}
    problems = metadata_problems(kind, metadata, today=clock.today())
    if spec is not None and spec.hash_only and chunks is not None:
        problems.setdefault("file", []).append("商业秘密只登记哈希：内容在本机计算摘要，不上传平台")
    if spec is not None and not spec.hash_only and chunks is None:
        # Bare digests prove nothing about who holds the file (anyone can read them from the public log), so only
        # trade secrets, whose certificate says the platform never saw the content, may be registered that way.
        problems.setdefault("kind", []).append(
            f"只登记摘要仅适用于商业秘密：{spec.label}须上传文件，由平台计算摘要，证书才能证明登记机构持有该文件")
    notary = None
    if kind == "notarization" and metadata.get("notary"):
        notary = notary_named(metadata["notary"])
        if notary is None:
            problems.setdefault("notary", []).append(f"平台上没有名为“{metadata['notary']}”的公证机构")
    holders = None  # for digests given: (id, organization, kind) of every registration of that SHA-256 (one query)
    if chunks is None and not (HEX64.match(sha256 or "") and HEX64.match(sm3 or "")):
        problems.setdefault("sha256", []).append("只登记哈希时，须提供64位小写十六进制的 SHA-256 和 SM3 摘要")
    elif chunks is None:
        holders = Registration.objects.holders_of(sha256)
    if holders and any(organization != actor.organization_id for _, organization, _ in holders):
        problems.setdefault("sha256", []).append(
            "该摘要已由其他机构登记：只登记摘要无法证明持有文件，不能以他人已登记的摘要再次登记")
    if problems:
        raise ValidationError(problems)
    now = clock.now()
    _check_rate(actor, now)
    content_salt = b""
    size = None
    if chunks is not None:
        content_salt = secrets.token_bytes(32) if salted else b""
        sha256, sm3, size = digest_stream(chunks, salt=content_salt)
    if holders is None:
        holders = Registration.objects.holders_of(sha256)
    existing = next((pk for pk, organization, same_kind in holders  # one at most (registration_once)
                     if organization == actor.organization_id and same_kind == kind), None)
    if existing is not None:
        return Registration.objects.get(pk=existing), False
    submitter_salt = secrets.token_bytes(16)
    leaf = Leaf(kind=kind, time=format_time(now),
                submitter=submitter_commitment(submitter_identity(actor.organization), submitter_salt),
                sha256=sha256, sm3=sm3, salted=salted, meta=hashlib.sha256(canonical_json(metadata)).hexdigest())
    title = next((metadata[f] for f in TITLE_FIELDS if metadata.get(f)), spec.label)  # fits: metadata_problems
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                organization_id=actor.organization_id, submitted_by=actor, kind=kind, title=title,
                metadata=metadata, filename=filename[:255], size=size, sha256=sha256, sm3=sm3, salted=salted,
                content_salt=content_salt, submitter_salt=submitter_salt, leaf=leaf.encode(), created_at=now)
            audit_record(actor=actor, action="evidence.register", obj=registration,
                         after={"kind": kind, "sha256": sha256, "title": registration.title})
            if notary is not None:
                NotarizationRequest.objects.create(registration=registration, notary=notary, updated_at=now)
            if settings.EVIDENCE_BACKGROUND_SEQUENCER and not sealed_by_caller:
                enqueue_once(seal_pending)  # the task row commits with the registration; `ipcity worker` seals
    except IntegrityError:  # the same content registered at the same moment by a colleague
        return Registration.objects.get(organization_id=actor.organization_id, sha256=sha256, kind=kind), False
    return registration, True


def registration_seal(registration: Registration) -> None:
    """Wait for the registration's certificate, sealing it now (`ledger.seal`). Should that fail (the timestamp service
    down, the database lock timing out), a sealing task is queued before the error goes on: the worker seals it
    within a second, rather than at its next housekeeping."""
    try:
        seal(registration)
    except Exception:
        if settings.EVIDENCE_BACKGROUND_SEQUENCER:
            try:
                enqueue_once(seal_pending)
            except DatabaseError:
                pass  # the database itself failed: housekeeping seals the registration once it is back
        raise

"""The public service catalogue (事项清单): items and their versioned guides. Reads are public; the office writes."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.services.core.guide import ITEM_TYPES, GuideError, parse_guide
from ipcity.services.models import ServiceGuide, ServiceItem

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,31}\Z")
IMPLEMENTING_TYPES = (OrgType.GOVERNMENT_UNIT, OrgType.LEADING_GROUP_OFFICE, OrgType.COURT_PROCURATORATE)


def item_list(*, query: str = "", unit_id: int | None = None) -> QuerySet[ServiceItem]:
    items = ServiceItem.objects.select_related("unit").filter(guides__isnull=False).distinct().prefetch_related("guides")
    if query.strip():
        items = items.filter(Q(name__icontains=query.strip()) | Q(code__icontains=query.strip()))
    if unit_id:
        items = items.filter(unit_id=unit_id)
    return items


def item_get(*, code: str) -> ServiceItem:
    item = ServiceItem.objects.select_related("unit").filter(code=code).first()
    if item is None or item.guide is None:
        raise Http404("服务事项不存在")
    return item


def guide_get(*, item: ServiceItem, version: int | None = None) -> ServiceGuide:
    guides = item.guides.order_by("-version")
    guide = guides.filter(version=version).first() if version else guides.first()
    if guide is None:
        raise Http404("该版本的办事指南不存在")
    return guide


def _guide_content(guide: dict) -> dict:
    try:
        return parse_guide(guide).as_dict()
    except GuideError as exc:
        raise ValidationError({f"guide.{k}": v for k, v in exc.problems.items()}) from exc


@transaction.atomic
def item_create(*, actor, code: str, name: str, item_type: str, unit: Organization, guide: dict,
                online: bool = True) -> ServiceItem:
    require_perm(actor, Perm.SERVICE_CATALOGUE)
    problems: dict[str, list[str]] = {}
    if not _CODE.match(code or ""):
        problems["code"] = ["事项编码用3～32位大写字母、数字或连字符，如 NK-ZSCQ-001"]
    elif ServiceItem.objects.filter(code=code).exists():
        problems["code"] = ["事项编码已被使用"]
    if not name.strip():
        problems["name"] = ["请填写事项名称"]
    if item_type not in ITEM_TYPES:
        problems["item_type"] = [f"事项类型应为：{'、'.join(ITEM_TYPES.values())}"]
    if unit.org_type not in IMPLEMENTING_TYPES:
        problems["unit"] = ["实施主体应为行政机关或领导小组办公室"]
    try:
        content = _guide_content(guide)
    except ValidationError as exc:
        problems.update(exc.message_dict)
    if problems:
        raise ValidationError(problems)
    item = ServiceItem.objects.create(code=code, name=name.strip()[:200], item_type=item_type, unit=unit, online=online,
                                      created_at=clock.now())
    ServiceGuide.objects.create(item=item, version=1, content=content, change_note="首次发布",
                                published_at=clock.now(), published_by=actor)
    audit_record(actor=actor, action="services.item.create", obj=item, after={"code": code, "name": item.name})
    return item


@transaction.atomic
def guide_publish(*, actor, item: ServiceItem, guide: dict, change_note: str) -> ServiceGuide:
    """A new version: earlier ones stay readable, and applications keep the version they were filed under."""
    require_perm(actor, Perm.SERVICE_CATALOGUE)
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    problems: dict[str, list[str]] = {}
    if not change_note.strip():
        problems["change_note"] = ["请说明本次修订的内容"]
    try:
        content = _guide_content(guide)
    except ValidationError as exc:
        problems.update(exc.message_dict)
    if problems:
        raise ValidationError(problems)
    current = item.guide
    if current is not None and current.content == content:
        raise ValidationError({"guide": ["内容与现行版本相同，无需发布新版本"]})
    published = ServiceGuide.objects.create(item=item, version=(current.version if current else 0) + 1,
                                            content=content, change_note=change_note.strip()[:300],
                                            published_at=clock.now(), published_by=actor)
    audit_record(actor=actor, action="services.guide.publish", obj=item,
                 before={"version": current.version if current else None},
                 after={"version": published.version, "note": published.change_note})
    return published

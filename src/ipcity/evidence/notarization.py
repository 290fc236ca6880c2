"""Internet notarization requests: the registration is forwarded to the chosen notary office, which accepts it,
then issues a notarial certificate or refuses with its reason. The allowed steps are data."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.evidence.models import NotarizationRequest
from ipcity.inputs import object_or_404

State = NotarizationRequest.State
# action -> (states it may start from, state it leads to, what the notary must give)
TRANSITIONS = {
    "accept": ({State.SUBMITTED}, State.ACCEPTED, None),
    "notarize": ({State.ACCEPTED}, State.NOTARIZED, "certificate_number"),
    "refuse": ({State.SUBMITTED, State.ACCEPTED}, State.REFUSED, "note"),
}
ACTION_LABELS = {"accept": "受理", "notarize": "出具公证书", "refuse": "不予办理"}


def notary_named(name: str) -> Organization | None:
    return Organization.objects.filter(name=name.strip(), org_type=OrgType.NOTARY).first()


def notary_choices() -> list[str]:
    return list(Organization.objects.filter(org_type=OrgType.NOTARY).order_by("name").values_list("name", flat=True))


def notarization_list(*, user) -> QuerySet[NotarizationRequest]:
    """A notary office sees what was sent to it; an applicant organization sees what it sent."""
    requests = NotarizationRequest.objects.select_related("registration", "notary", "registration__organization")
    if has_perm(user, Perm.NOTARIZATION_HANDLE):
        return requests.filter(notary_id=user.organization_id)
    if has_perm(user, Perm.EVIDENCE_REGISTER):
        return requests.filter(registration__organization_id=user.organization_id)
    raise PermissionDenied("缺少权限：evidence.notarization")


def notarization_get(*, user, pk: int) -> NotarizationRequest:
    return object_or_404(notarization_list(user=user), "公证申请不存在或无权查看", pk=pk)


@transaction.atomic
def notarization_transition(*, actor, request: NotarizationRequest, action: str, note: str = "",
                            certificate_number: str = "") -> NotarizationRequest:
    if not (has_perm(actor, Perm.NOTARIZATION_HANDLE) and actor.organization_id == request.notary_id):
        raise PermissionDenied("只有受理该申请的公证机构可以办理")
    request = NotarizationRequest.objects.select_for_update().get(pk=request.pk)
    if action not in TRANSITIONS:
        raise ValidationError(f"未知的操作：{action}")
    sources, target, needs = TRANSITIONS[action]
    if request.state not in sources:
        raise ValidationError(f"当前状态为“{request.get_state_display()}”，不能{ACTION_LABELS[action]}")
    given = {"note": note.strip(), "certificate_number": certificate_number.strip()}
    if needs and not given[needs]:
        raise ValidationError({needs: ["请填写公证书编号" if needs == "certificate_number" else "请说明不予办理的理由"]})
    before = request.state
    request.state, request.handled_by, request.updated_at = target, actor, clock.now()
    request.note = given["note"] or request.note
    request.certificate_number = given["certificate_number"][:64] or request.certificate_number
    request.save()
    audit_record(actor=actor, action=f"evidence.notarization.{action}", obj=request, before={"state": before},
                 after={"state": target, "note": request.note, "certificate_number": request.certificate_number})
    return request

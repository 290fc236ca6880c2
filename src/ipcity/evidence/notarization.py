"""Internet notarization requests: the registration is forwarded to the chosen notary office, which accepts it,
then issues a notarial certificate or refuses with its reason. The allowed steps are the table NOTARIZATION."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import has_perm, scoped
from ipcity.accounts.roles import Perm
from ipcity.evidence.models import NotarizationRequest
from ipcity.inputs import object_or_404
from ipcity.workflow.core import Transition, Workflow, step
from ipcity.workflow.services import workflow_step

State = NotarizationRequest.State
NOTARY = "notary"
NOTARIZATION = Workflow(
    name="evidence.notarization", label="互联网公证申请", states=dict(State.choices),
    parties={NOTARY: "受理该申请的公证机构"},
    transitions=(
        step("accept", "受理", State.SUBMITTED, State.ACCEPTED, by=NOTARY),
        step("notarize", "出具公证书", State.ACCEPTED, State.NOTARIZED, by=NOTARY),
        step("refuse", "不予办理", {State.SUBMITTED, State.ACCEPTED}, State.REFUSED, by=NOTARY, needs_reason=True),
    ))


def notary_named(name: str) -> Organization | None:
    return Organization.objects.filter(name=name.strip(), org_type=OrgType.NOTARY).first()


def notary_choices() -> list[str]:
    return list(Organization.objects.filter(org_type=OrgType.NOTARY).order_by("name").values_list("name", flat=True))


def notarization_list(*, user) -> QuerySet[NotarizationRequest]:
    """A notary office sees what was sent to it; an applicant organization sees what it sent."""
    return scoped(user, NotarizationRequest.objects.select_related("registration", "notary", "registration__organization"),
                  ((Perm.NOTARIZATION_HANDLE, "notary"), (Perm.EVIDENCE_REGISTER, "registration__organization")),
                  what="公证申请")


def notarization_get(*, user, pk: int) -> NotarizationRequest:
    return object_or_404(notarization_list(user=user), "公证申请不存在或无权查看", pk=pk)


def parties_of(user, request: NotarizationRequest) -> set[str]:
    """The notary office the request was sent to acts on it; nobody else."""
    return {NOTARY} if has_perm(user, Perm.NOTARIZATION_HANDLE) and user.organization_id == request.notary_id else set()


def notarization_actions(*, user, request: NotarizationRequest) -> list[Transition]:
    return NOTARIZATION.available(request.state, parties_of(user, request))


@transaction.atomic
def notarization_transition(*, actor, request: NotarizationRequest, action: str, note: str = "",
                            certificate_number: str = "") -> NotarizationRequest:
    if not parties_of(actor, request):
        raise PermissionDenied("只有受理该申请的公证机构可以办理")
    if action == "refuse" and not note.strip():
        raise ValidationError({"note": ["请说明不予办理的理由"]})

    def apply(request: NotarizationRequest, transition: Transition) -> dict:
        if action == "notarize" and not certificate_number.strip():
            raise ValidationError({"certificate_number": ["请填写公证书编号"]})
        request.handled_by, request.updated_at = actor, clock.now()
        request.note = note.strip() or request.note
        request.certificate_number = certificate_number.strip()[:64] or request.certificate_number
        return {"note": request.note, "certificate_number": request.certificate_number}

    return workflow_step(request, workflow=NOTARIZATION, action=action, actor=actor, parties={NOTARY},
                         reason=note if action == "refuse" else "", apply=apply)

"""Trade secret self-assessments: scored by core/trade_secret.py, kept per enterprise."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ipcity import clock
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.protection.core.trade_secret import QUESTIONS, Result, assess
from ipcity.protection.models import SecretAssessment


@transaction.atomic
def assessment_submit(*, actor, answers: dict[str, bool]) -> tuple[SecretAssessment, Result]:
    require_perm(actor, Perm.TRADE_SECRET_ASSESS)
    unknown = set(answers) - {q.code for q in QUESTIONS}
    if unknown:
        raise ValidationError({"answers": [f"未知的问题：{'、'.join(sorted(unknown))}"]})
    try:
        result = assess(answers)
    except ValueError as exc:
        raise ValidationError({"answers": [str(exc)]}) from None
    record = SecretAssessment.objects.create(organization=actor.organization, answers=answers, score=result.score,
                                             grade=result.grade, assessed_by=actor, assessed_at=clock.now())
    audit_record(actor=actor, action="protection.trade_secret.assess", obj=record, after={"score": result.score})
    return record, result


def assessments_for(*, user):
    require_perm(user, Perm.TRADE_SECRET_ASSESS)
    return SecretAssessment.objects.filter(organization_id=user.organization_id)

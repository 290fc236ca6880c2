"""The one place a record's state changes. `workflow_step` runs inside the caller's transaction (or its own): it locks
the row, checks the step against the workflow's table for the parties the actor holds, lets the caller validate and
set the step's own fields, moves the state, saves and writes the audit row. A refused step writes nothing."""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ipcity.audit.services import audit_record
from ipcity.workflow.core import Transition, TransitionError, Workflow


def workflow_check(workflow: Workflow, record, action: str, *, parties: Iterable[str], reason: str = "") -> Transition:
    """The transition, or ValidationError in Chinese (no party at all: PermissionDenied)."""
    parties = set(parties)
    if not parties:
        raise PermissionDenied(f"无权办理该{workflow.label}")
    try:
        return workflow.check(record.state, action, parties=parties, reason=reason, record=record)
    except TransitionError as exc:
        raise ValidationError(str(exc)) from None


@transaction.atomic
def workflow_step(record, *, workflow: Workflow, action: str, actor, parties: Iterable[str] | Callable[[Any], Iterable[str]],
                  reason: str = "", apply: Callable[[Any, Transition], dict | None] | None = None,
                  audit_action: str = ""):
    """Take `action` on `record` and return the locked, saved record; `record` itself is brought up to date too, so a
    caller holding it goes on from the new state.

    `parties` are the workflow parties the actor holds for this record (or a function of the locked record giving
    them). `apply(locked, transition)` validates the step's input against the locked row (raising ValidationError
    refuses the step, nothing written) and sets the fields the step changes besides the state; what it returns is
    added to the audit row's `after`."""
    locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
    _keep_related(record, locked)
    held = parties(locked) if callable(parties) else parties
    transition = workflow_check(workflow, locked, action, parties=held, reason=reason)
    extra = apply(locked, transition) if apply is not None else None
    before = locked.state
    locked.state = transition.target
    locked.save()
    after = {"state": transition.target}
    if reason.strip():
        after["reason"] = reason.strip()
    after.update(extra or {})
    audit_record(actor=actor, action=audit_action or f"{workflow.name}.{action}", obj=locked, before={"state": before},
                 after=after)
    for field in type(record)._meta.concrete_fields:
        setattr(record, field.attname, getattr(locked, field.attname))
    return locked


def _keep_related(record, locked) -> None:
    """Give the locked row the related objects the caller already loaded (its task, its unit…) where they are still
    the ones it points to, so the audit row's description and the step's checks do not fetch them again."""
    for field in type(record)._meta.concrete_fields:
        if field.is_relation and field.is_cached(record) and getattr(record, field.attname) == getattr(locked, field.attname):
            field.set_cached_value(locked, field.get_cached_value(record))

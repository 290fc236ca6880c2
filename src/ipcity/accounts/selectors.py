"""Reads of organizations and people, scoped so that a user outside the office can reach only their own."""

from django.db.models import QuerySet
from django.http import Http404

from ipcity.accounts.masking import mask_id_number, mask_phone
from ipcity.accounts.models import Organization, User
from ipcity.accounts.permissions import has_perm, permissions_of
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.inputs import object_or_404


def organization_list(*, user, org_type: str = "") -> QuerySet[Organization]:
    if has_perm(user, Perm.ORGS_READ_ALL):
        orgs = Organization.objects.all()
    elif permissions_of(user):
        orgs = Organization.objects.filter(pk=user.organization_id)
    else:
        orgs = Organization.objects.none()
    if org_type:
        orgs = orgs.filter(org_type=org_type)
    return orgs


def organization_get(*, user, pk: int) -> Organization:
    return object_or_404(organization_list(user=user), "机构不存在或无权查看", pk=pk)


def member_records(*, user, organization: Organization) -> QuerySet[User]:
    """The members of a visible organization, by username (a page of them is shown by members_shown)."""
    organization_get(user=user, pk=organization.pk)
    return User.objects.filter(organization=organization).order_by("username")


def members_shown(*, user, organization: Organization, members) -> list[dict]:
    """The members (of member_records) as the viewer sees them: personal data masked unless its role needs it."""
    full = has_perm(user, Perm.PERSONAL_DATA_READ)
    members = list(members)
    if full and any(m.phone or m.id_number for m in members):
        # Seeing unmasked personal data is itself accountable: whose, of the members shown.
        audit_record(actor=user, action="accounts.personal_data.view", obj=organization,
                     after={"members": [m.username for m in members]})
    return [
        {"user": m, "phone": m.phone if full else mask_phone(m.phone),
         "id_number": m.id_number if full else mask_id_number(m.id_number)}
        for m in members
    ]


def user_get(*, user, username: str) -> User:
    """A user in an organization the viewer may see."""
    found = User.objects.filter(username=username, organization__in=organization_list(user=user)).first()
    if found is None:
        raise Http404("用户不存在或无权查看")
    return found

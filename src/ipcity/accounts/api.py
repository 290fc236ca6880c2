from ninja import Router, Schema, Status

from ipcity.accounts.permissions import permissions_of
from ipcity.accounts.selectors import member_list, organization_get, organization_list
from ipcity.accounts.services import api_token_create

router = Router(tags=["机构与用户"])


class OrganizationOut(Schema):
    id: int
    name: str
    full_name: str
    code: str | None
    org_type: str
    org_type_label: str
    street: str
    tags: list[str]
    is_synthetic: bool


def _org(o) -> dict:
    return {"id": o.pk, "name": o.name, "full_name": o.full_name, "code": o.code, "org_type": o.org_type,
            "org_type_label": o.get_org_type_display(), "street": o.street, "tags": o.tags, "is_synthetic": o.is_synthetic}


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    role_label: str
    organization: OrganizationOut | None
    permissions: list[str]


@router.get("/me", response=MeOut, summary="当前用户")
def me(request):
    u = request.user
    return {"username": u.username, "full_name": u.full_name, "role": u.role, "role_label": u.get_role_display(),
            "organization": _org(u.organization) if u.organization else None,
            "permissions": sorted(permissions_of(u))}


class TokenIn(Schema):
    name: str


class TokenOut(Schema):
    name: str
    prefix: str
    token: str


@router.post("/me/tokens", response={201: TokenOut}, summary="创建 API 令牌（仅显示一次）")
def token_create(request, payload: TokenIn):
    token, raw = api_token_create(user=request.user, name=payload.name)
    return Status(201, {"name": token.name, "prefix": token.prefix, "token": raw})


@router.get("/organizations", response=list[OrganizationOut], summary="机构列表（按权限范围）")
def organizations(request, org_type: str = ""):
    return [_org(o) for o in organization_list(user=request.user, org_type=org_type)]


class MemberOut(Schema):
    username: str
    full_name: str
    role: str
    phone: str
    id_number: str


class OrganizationDetailOut(OrganizationOut):
    members: list[MemberOut]


@router.get("/organizations/{org_id}", response=OrganizationDetailOut, summary="机构详情")
def organization(request, org_id: int):
    org = organization_get(user=request.user, pk=org_id)
    members = [{"username": m["user"].username, "full_name": m["user"].full_name, "role": m["user"].role,
                "phone": m["phone"], "id_number": m["id_number"]} for m in member_list(user=request.user, organization=org)]
    return {**_org(org), "members": members}

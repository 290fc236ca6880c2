from ninja import Router, Schema, Status

from ipcity.accounts.permissions import permissions_of
from ipcity.accounts.selectors import (
    member_records,
    members_shown,
    organization_get,
    organization_list,
    user_get,
)
from ipcity.accounts.services import (
    api_token_create,
    organization_create,
    organization_update,
    user_create,
    user_set_active,
    user_unlock,
)
from ipcity.openapi import Rows, paginated

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
@paginated
def organizations(request, org_type: str = ""):
    return Rows(organization_list(user=request.user, org_type=org_type), _org)


class MemberOut(Schema):
    username: str
    full_name: str
    role: str
    phone: str
    id_number: str


@router.get("/organizations/{org_id}", response=OrganizationOut, summary="机构详情")
def organization(request, org_id: int):
    return _org(organization_get(user=request.user, pk=org_id))


@router.get("/organizations/{org_id}/members", response=list[MemberOut], summary="机构成员（按用户名排序）")
@paginated
def members(request, org_id: int):
    org = organization_get(user=request.user, pk=org_id)

    def shown(page) -> list[dict]:  # unmasked personal data shown is audited once for the page's members
        return [{"username": m["user"].username, "full_name": m["user"].full_name, "role": m["user"].role,
                 "phone": m["phone"], "id_number": m["id_number"]}
                for m in members_shown(user=request.user, organization=org, members=page)]

    return Rows(member_records(user=request.user, organization=org), out_page=shown)


class OrganizationIn(Schema):
    name: str
    org_type: str
    full_name: str = ""
    credit_code: str = ""
    street: str = ""
    address: str = ""
    tags: list[str] = []


class OrganizationPatch(Schema):
    name: str | None = None
    org_type: str | None = None
    full_name: str | None = None
    credit_code: str | None = None
    street: str | None = None
    address: str | None = None
    tags: list[str] | None = None


@router.post("/organizations", response={201: OrganizationOut}, summary="添加机构（仅知识产权办公室）")
def organization_add(request, payload: OrganizationIn):
    return Status(201, _org(organization_create(actor=request.user, **payload.dict())))


@router.patch("/organizations/{org_id}", response=OrganizationOut, summary="修改机构信息（仅知识产权办公室）")
def organization_change(request, org_id: int, payload: OrganizationPatch):
    org = organization_get(user=request.user, pk=org_id)
    return _org(organization_update(actor=request.user, organization=org, **payload.dict(exclude_unset=True)))


class MemberIn(Schema):
    username: str
    full_name: str
    role: str
    password: str
    phone: str = ""
    id_number: str = ""


@router.post("/organizations/{org_id}/members", response={201: MemberOut}, summary="为机构添加用户（仅知识产权办公室）")
def member_add(request, org_id: int, payload: MemberIn):
    org = organization_get(user=request.user, pk=org_id)
    user = user_create(actor=request.user, organization=org, **payload.dict())
    return Status(201, {"username": user.username, "full_name": user.full_name, "role": user.role,
                        "phone": user.phone, "id_number": user.id_number})


class UserPatch(Schema):
    is_active: bool | None = None
    unlock: bool = False


class UserStateOut(Schema):
    username: str
    is_active: bool
    is_locked: bool


@router.patch("/users/{username}", response=UserStateOut, summary="停用、启用或解锁用户（仅知识产权办公室）")
def user_change(request, username: str, payload: UserPatch):
    user = user_get(user=request.user, username=username)
    if payload.is_active is not None:
        user_set_active(actor=request.user, user=user, active=payload.is_active)
    if payload.unlock:
        user_unlock(actor=request.user, user=user)
    return {"username": user.username, "is_active": user.is_active, "is_locked": user.is_locked}

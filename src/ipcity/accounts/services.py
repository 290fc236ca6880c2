import datetime as dt

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from ipcity import clock
from ipcity.accounts.credit_code import credit_code_problem
from ipcity.accounts.models import ApiToken, EnterpriseTag, Organization, OrgType, User
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import ROLE_ORG_TYPES, Perm, Role
from ipcity.accounts.validators import id_number_problem, phone_problem
from ipcity.audit.services import audit_record, changed_fields


class LoginRefused(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def login_attempt(*, request, username: str, password: str) -> User:
    """Check credentials, count failures and lock the account after too many; every outcome is audited.

    The refusal is raised after the transaction commits, so the failure count and its audit row persist."""
    user = User.objects.filter(username=username).first()
    now = clock.now()
    if user is not None and user.is_locked:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        with transaction.atomic():
            audit_record(actor=user, action="auth.login_refused_locked", obj=user)
        raise LoginRefused(f"账号已被锁定，请 {minutes} 分钟后再试或联系管理员")
    authenticated = authenticate(request, username=username, password=password)
    with transaction.atomic():
        if authenticated is not None:
            authenticated.failed_login_count = 0
            authenticated.locked_until = None
            authenticated.save(update_fields=["failed_login_count", "locked_until"])
            audit_record(actor=authenticated, action="auth.login", obj=authenticated)
            return authenticated
        refusal = _record_failure(user, username, now)
    raise LoginRefused(refusal)


def _record_failure(user: User | None, username: str, now) -> str:
    if user is None:
        audit_record(actor=None, action="auth.login_failed_unknown_user", object_type="accounts.user",
                     after={"username": username[:150]})
        return "用户名或密码错误"
    user.failed_login_count += 1
    remaining = settings.LOGIN_FAILURE_LIMIT - user.failed_login_count
    if remaining <= 0:
        user.locked_until = now + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        user.failed_login_count = 0
        user.save(update_fields=["failed_login_count", "locked_until"])
        audit_record(actor=user, action="auth.locked", obj=user, after={"locked_until": user.locked_until})
        return f"连续登录失败次数过多，账号已锁定 {settings.LOGIN_LOCKOUT_MINUTES} 分钟"
    user.save(update_fields=["failed_login_count"])
    audit_record(actor=user, action="auth.login_failed", obj=user)
    return f"用户名或密码错误（再失败 {remaining} 次账号将被锁定）"


ORGANIZATION_FIELDS = ("name", "full_name", "org_type", "credit_code", "street", "address", "tags")


def organization_fields(org: Organization) -> dict:
    return {f: getattr(org, f) for f in ORGANIZATION_FIELDS}


def _organization_check(org: Organization) -> None:
    problems = {}
    if org.credit_code and (reason := credit_code_problem(org.credit_code)):
        problems["credit_code"] = [reason]
    unknown_tags = [t for t in org.tags if t not in EnterpriseTag.values]
    if unknown_tags:
        problems["tags"] = [f"未知的企业标签：{'、'.join(unknown_tags)}"]
    elif org.tags and org.org_type != OrgType.ENTERPRISE:
        problems["tags"] = ["只有企业可以带企业标签"]
    if problems:
        raise ValidationError(problems)
    org.full_clean(exclude=["code"])


@transaction.atomic
def organization_create(*, actor, **fields) -> Organization:
    require_perm(actor, Perm.ACCOUNTS_MANAGE)
    unknown = set(fields) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise ValidationError(f"不可设置的字段：{'、'.join(sorted(unknown))}")
    org = Organization(**fields)
    _organization_check(org)
    org.save()
    audit_record(actor=actor, action="accounts.organization.create", obj=org, after=organization_fields(org))
    return org


@transaction.atomic
def organization_update(*, actor, organization: Organization, **fields) -> Organization:
    require_perm(actor, Perm.ACCOUNTS_MANAGE)
    unknown = set(fields) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise ValidationError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    if "org_type" in fields and fields["org_type"] != organization.org_type and organization.members.exists():
        raise ValidationError({"org_type": ["机构已有人员，不能更改类型"]})
    before = organization_fields(organization)
    for name, value in fields.items():
        setattr(organization, name, value)
    _organization_check(organization)
    organization.save()
    old, new = changed_fields(before, organization_fields(organization))
    if new:
        audit_record(actor=actor, action="accounts.organization.update", obj=organization, before=old, after=new)
    return organization


@transaction.atomic
def user_create(*, actor, username: str, password: str, organization: Organization, role: str,
                full_name: str = "", phone: str = "", id_number: str = "", is_synthetic: bool = False) -> User:
    """`actor=None` is the server operator at the command line (ipcity user create, ipcity demo)."""
    if actor is not None:
        require_perm(actor, Perm.ACCOUNTS_MANAGE)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": [f"用户名“{username}”已被使用"]})
    if role not in Role.values:
        raise ValidationError(f"未知角色：{role}")
    if organization.org_type not in ROLE_ORG_TYPES[role]:
        raise ValidationError(f"角色“{Role(role).label}”不能属于{organization.get_org_type_display()}")
    problems = {}
    if phone and (reason := phone_problem(phone)):
        problems["phone"] = [reason]
    if id_number and (reason := id_number_problem(id_number)):
        problems["id_number"] = [reason]
    if problems:
        raise ValidationError(problems)
    user = User(username=username, organization=organization, role=role, full_name=full_name, phone=phone,
                id_number=id_number, is_synthetic=is_synthetic)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor, action="accounts.user.create", obj=user,
                 after={"username": username, "organization": organization.name, "role": role})
    return user


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool) -> User:
    require_perm(actor, Perm.ACCOUNTS_MANAGE)
    if user.pk == actor.pk and not active:
        raise ValidationError("不能停用自己的账号")
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, action="accounts.user.activate" if active else "accounts.user.deactivate", obj=user,
                     before={"is_active": not active}, after={"is_active": active})
    return user


@transaction.atomic
def user_unlock(*, actor, user: User) -> User:
    require_perm(actor, Perm.ACCOUNTS_MANAGE)
    before = {"locked_until": user.locked_until, "failed_login_count": user.failed_login_count}
    user.locked_until = None
    user.failed_login_count = 0
    user.save(update_fields=["locked_until", "failed_login_count"])
    audit_record(actor=actor, action="accounts.user.unlock", obj=user, before=before,
                 after={"locked_until": None, "failed_login_count": 0})
    return user


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise ValidationError("原密码不正确")
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="accounts.password_change", obj=user)


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its raw value, which is shown once and never stored."""
    if not name.strip():
        raise ValidationError("请填写令牌用途")
    raw = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name.strip()[:100], prefix=raw[4:12],
                                    token_hash=ApiToken.hash(raw), created_at=clock.now())
    audit_record(actor=user, action="accounts.api_token.create", obj=user, after={"name": token.name, "prefix": token.prefix})
    return token, raw


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise ValidationError("只能撤销自己的令牌")
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=user, action="accounts.api_token.revoke", obj=user, after={"prefix": token.prefix})


def api_token_user(raw: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(token_hash=ApiToken.hash(raw), revoked_at=None).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=clock.now())
    return token.user

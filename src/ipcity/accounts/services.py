import datetime as dt

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from ipcity import clock
from ipcity.accounts.credit_code import credit_code_problem
from ipcity.accounts.models import ApiToken, EnterpriseTag, Organization, OrgType, User
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import ROLE_ORG_TYPES, Perm, Role
from ipcity.accounts.system import SYSTEM_USERNAME, system_actor
from ipcity.accounts.validators import id_number_problem, phone_problem
from ipcity.audit.services import audit_record, changed_fields


class LoginRefused(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def login_refusal_message() -> str:
    """The one message for every refused sign-in: unknown user, wrong password, locked or stopped account alike,
    so the page never tells which usernames exist or which accounts are locked."""
    return (f"用户名或密码错误。连续失败 {settings.LOGIN_FAILURE_LIMIT} 次账号将锁定 {settings.LOGIN_LOCKOUT_MINUTES} 分钟，"
            "锁定期间请稍后再试或联系管理员")


def login_attempt(*, request, username: str, password: str) -> User:
    """Check credentials, count failures and lock the account after too many; every outcome is audited.

    Each attempt first claims one of the account's LOGIN_FAILURE_LIMIT tries with a single conditional UPDATE
    (`failed_login_count = failed_login_count + 1 WHERE failed_login_count < limit AND not locked`), which the
    database serialises on SQLite and PostgreSQL alike: however many requests arrive in parallel, at most `limit`
    passwords are checked before the lock, and a locked account's password is never checked at all (so guessing on
    while locked learns nothing). Every refusal costs one password hash and says the same words."""
    user = User.objects.filter(username=username).first()
    if user is None:
        _spend_a_password_hash(password)
        with transaction.atomic():
            audit_record(actor=system_actor(), action="auth.login_failed_unknown_user", object_type="accounts.user",
                         after={"username": username[:150]})
        raise LoginRefused(login_refusal_message())
    claimed, locked_by_me = _claim_login_try(user)
    if not claimed:
        _spend_a_password_hash(password)
        with transaction.atomic():
            if locked_by_me:
                audit_record(actor=user, action="auth.locked", obj=user, after={"locked_until": user.locked_until})
            audit_record(actor=user, action="auth.login_refused_locked", obj=user)
        raise LoginRefused(login_refusal_message())
    if user.check_password(password) and user.is_active:
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
            user.failed_login_count, user.locked_until = 0, None
            audit_record(actor=user, action="auth.login", obj=user)
        return user
    with transaction.atomic():
        audit_record(actor=user, action="auth.login_failed" if user.is_active else "auth.login_refused_inactive",
                     obj=user)
        if locked_by_me:
            audit_record(actor=user, action="auth.locked", obj=user, after={"locked_until": user.locked_until})
    raise LoginRefused(login_refusal_message())


def _claim_login_try(user: User) -> tuple[bool, bool]:
    """(claimed, locked_by_me). Three single-statement UPDATEs, each atomic on its own, in this order: a lock that
    has run out is lifted; one try is claimed while fewer than the limit are used; an account whose tries are all
    used is locked (by whichever request gets there first, also one whose own try was refused, so a request that
    died between claiming and locking cannot leave the account refused for ever)."""
    now = clock.now()
    mine = User.objects.filter(pk=user.pk)
    mine.filter(locked_until__lte=now).update(locked_until=None, failed_login_count=0)
    claimed = mine.filter(locked_until=None, failed_login_count__lt=settings.LOGIN_FAILURE_LIMIT).update(
        failed_login_count=F("failed_login_count") + 1)
    until = now + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    locked = mine.filter(locked_until=None, failed_login_count__gte=settings.LOGIN_FAILURE_LIMIT).update(
        locked_until=until)
    if locked:
        user.locked_until = until
    return bool(claimed), bool(locked)


def _spend_a_password_hash(password: str) -> None:
    """A refusal that checks no password still takes as long as one that does (as Django does for unknown users)."""
    User().set_password(password)


TOKEN_TOUCH = dt.timedelta(minutes=1)  # how stale "last used" may be: a token's row is not written on every call
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
                full_name: str = "", phone: str = "", id_number: str = "", is_synthetic: bool = False,
                password_hash: str = "") -> User:
    """`actor=None` is the server operator at the command line (ipcity user create, ipcity demo). `password_hash`, when
    given, is a hash made earlier of this same `password` (make_password), stored instead of hashing it again."""
    if actor is not None:
        require_perm(actor, Perm.ACCOUNTS_MANAGE)
    if User.objects.filter(username=username).exists() or username == SYSTEM_USERNAME:
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
    if password_hash:
        user.password = password_hash
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor or system_actor(), action="accounts.user.create", obj=user,
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
    # The organization with the user: nearly every call scopes what it reads or writes by it.
    token = ApiToken.objects.live_with_user(ApiToken.hash(raw))
    if token is None or not token.user.is_active:
        return None
    now = clock.now()
    if token.last_used_at is None or not dt.timedelta(0) <= now - token.last_used_at < TOKEN_TOUCH:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # at most once a minute: a script's every call
    return token.user

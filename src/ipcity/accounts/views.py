from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from ipcity.accounts.forms import LoginForm, MemberForm, OrganizationForm, PasswordChangeForm, TokenForm
from ipcity.accounts.models import OrgType
from ipcity.accounts.permissions import has_perm, require_perm
from ipcity.accounts.roles import Perm
from ipcity.accounts.selectors import member_records, members_shown, organization_get, organization_list
from ipcity.accounts.services import (
    LoginRefused,
    api_token_create,
    api_token_revoke,
    login_attempt,
    organization_create,
    organization_fields,
    organization_update,
    password_change,
    user_create,
    user_set_active,
    user_unlock,
)
from ipcity.inputs import object_or_404
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import page_of


def login_view(request):
    form = LoginForm(request.POST or None)
    next_url = request.GET.get("next") or request.POST.get("next") or "/workspace/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/workspace/"
    if request.method == "POST" and form.is_valid():
        try:
            user = login_attempt(request=request, username=form.cleaned_data["username"],
                                 password=form.cleaned_data["password"])
        except LoginRefused as refused:
            form.add_error(None, refused.message)
        else:
            login(request, user)
            return redirect(next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("/")


@login_required
def account(request):
    password_form = PasswordChangeForm(prefix="pw")
    token_form = TokenForm(prefix="token")
    new_token = None
    if request.method == "POST":
        if request.POST.get("form") == "password":
            password_form = PasswordChangeForm(request.POST, prefix="pw")
            if password_form.is_valid():
                try:
                    password_change(user=request.user, old_password=password_form.cleaned_data["old_password"],
                                    new_password=password_form.cleaned_data["new_password"])
                    login(request, request.user)  # keep the session valid after the password hash changed
                    messages.success(request, "密码已修改")
                    return redirect("accounts:account")
                except ValidationError as exc:
                    form_errors_from(password_form, exc)
        elif request.POST.get("form") == "token":
            token_form = TokenForm(request.POST, prefix="token")
            if token_form.is_valid():
                _, new_token = api_token_create(user=request.user, name=token_form.cleaned_data["name"])
        elif request.POST.get("form") == "revoke":
            token = object_or_404(request.user.api_tokens, pk=request.POST.get("token_id"))
            api_token_revoke(user=request.user, token=token)
            messages.success(request, "令牌已撤销")
            return redirect("accounts:account")
    return render(request, "accounts/account.html", {
        "nav": "workspace", "password_form": password_form, "token_form": token_form, "new_token": new_token,
        "tokens": page_of(request, request.user.api_tokens.filter(revoked_at=None).order_by("-created_at", "-id"))})


@require_safe
@login_required
def organizations(request):
    org_type = request.GET.get("type", "")
    return render(request, "accounts/organizations.html", {
        "nav": "workspace", "page": page_of(request, organization_list(user=request.user, org_type=org_type)),
        "org_types": OrgType.choices, "org_type": org_type})


@require_safe
@login_required
def organization_detail(request, pk):
    org = organization_get(user=request.user, pk=pk)
    return _organization_page(request, org, MemberForm() if has_perm(request.user, Perm.ACCOUNTS_MANAGE) else None)


def _organization_page(request, org, member_form):
    """The organization's page with a page of its members."""
    members = page_of(request, member_records(user=request.user, organization=org))
    members.object_list = members_shown(user=request.user, organization=org, members=members.object_list)
    return render(request, "accounts/organization.html", {"nav": "workspace", "org": org, "members": members,
                                                          "member_form": member_form})


@login_required
def organization_new(request):
    require_perm(request.user, Perm.ACCOUNTS_MANAGE)
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = organization_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"已添加机构“{org.name}”")
            return redirect("accounts:organization", pk=org.pk)
    return render(request, "accounts/organization_form.html", {"nav": "workspace", "form": form, "org": None})


@login_required
def organization_edit(request, pk):
    org = organization_get(user=request.user, pk=pk)  # 404 for an organization the user cannot see
    require_perm(request.user, Perm.ACCOUNTS_MANAGE)
    form = OrganizationForm(request.POST or None, initial=organization_fields(org))
    if request.method == "POST" and form.is_valid():
        try:
            organization_update(actor=request.user, organization=org, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "机构信息已更新")
            return redirect("accounts:organization", pk=org.pk)
    return render(request, "accounts/organization_form.html", {"nav": "workspace", "form": form, "org": org})


@login_required
@require_POST
def member_add(request, pk):
    org = organization_get(user=request.user, pk=pk)  # 404 for an organization the user cannot see
    require_perm(request.user, Perm.ACCOUNTS_MANAGE)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            user_create(actor=request.user, organization=org, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"已添加用户“{form.cleaned_data['username']}”")
            return redirect("accounts:organization", pk=org.pk)
    return _organization_page(request, org, form)


@login_required
@require_POST
def member_action(request, pk, username):
    org = organization_get(user=request.user, pk=pk)  # 404 for an organization the user cannot see
    require_perm(request.user, Perm.ACCOUNTS_MANAGE)
    member = object_or_404(org.members, username=username)
    action = request.POST.get("action")
    try:
        if action == "unlock":
            user_unlock(actor=request.user, user=member)
        elif action in {"activate", "deactivate"}:
            user_set_active(actor=request.user, user=member, active=action == "activate")
        else:
            raise ValidationError(f"未知操作：{action}")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "操作已完成")
    return redirect("accounts:organization", pk=org.pk)

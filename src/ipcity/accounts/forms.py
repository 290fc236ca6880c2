from django import forms

from ipcity.accounts.models import EnterpriseTag, OrgType, Street
from ipcity.accounts.roles import Role


class LoginForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    password = forms.CharField(label="密码", widget=forms.PasswordInput)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput)
    new_password = forms.CharField(label="新密码", widget=forms.PasswordInput,
                                   help_text="至少10位，且包含大写字母、小写字母、数字、符号中的至少三类")
    new_password_again = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", "两次输入的新密码不一致")
        return data


class TokenForm(forms.Form):
    name = forms.CharField(label="令牌用途", max_length=100)


class OrganizationForm(forms.Form):
    name = forms.CharField(label="名称", max_length=200)
    full_name = forms.CharField(label="全称", max_length=200, required=False)
    org_type = forms.ChoiceField(label="类型", choices=OrgType.choices)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    street = forms.ChoiceField(label="所在街道", choices=[("", "—")] + Street.choices, required=False)
    address = forms.CharField(label="地址", max_length=300, required=False)
    tags = forms.MultipleChoiceField(label="企业标签", choices=EnterpriseTag.choices, required=False,
                                     widget=forms.CheckboxSelectMultiple)


class MemberForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=100)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    id_number = forms.CharField(label="身份证号", max_length=18, required=False)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput,
                               help_text="至少10位，且包含大写字母、小写字母、数字、符号中的至少三类；请通知本人登录后修改")

from django import forms


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

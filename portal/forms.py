from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AuthenticationForm,
    PasswordChangeForm,
    SetPasswordForm,
    UserChangeForm,
)
from django.contrib.auth.forms import AdminUserCreationForm as BaseAdminUserCreationForm

from portal.text import CleanTextMixin


class LoginForm(CleanTextMixin, AuthenticationForm):
    """Django's login form with its refusal in Vietnamese. Throttling is django-axes' (accounts/throttle.py)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường.",
    }


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's password change; the password is now the user's own choice."""

    def save(self, commit=True):
        self.user.must_change_password = False
        return super().save(commit)


class OwnSetPasswordForm(SetPasswordForm):
    """The password reset by e-mail: the user chose it."""

    def save(self, commit=True):
        self.user.must_change_password = False
        return super().save(commit)


class PasswordSetByOtherMixin:
    """Admin forms where someone else sets a user's password: the user must change it at next login."""

    def save(self, commit=True):
        user = super().save(commit=False)
        user.must_change_password = True
        if commit:
            user.save()
        return user


class AdminSetPasswordForm(PasswordSetByOtherMixin, AdminPasswordChangeForm):
    pass


class AdminUserCreationForm(CleanTextMixin, PasswordSetByOtherMixin, BaseAdminUserCreationForm):
    pass


class AdminUserChangeForm(CleanTextMixin, UserChangeForm):
    pass

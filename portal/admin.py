from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from portal.forms import AdminSetPasswordForm, AdminUserChangeForm, AdminUserCreationForm
from portal.models import User


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "role", "province", "commune", "team", "is_active"]
    list_filter = ["role", "is_active", "province"]
    readonly_fields = ["last_login", "date_joined"]
    search_fields = ["username", "full_name", "email"]
    autocomplete_fields = ["province", "commune", "team"]
    # A password typed here is someone else's choice: the user changes it at first login.
    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    change_password_form = AdminSetPasswordForm
    # Django's staff and superuser flags follow the role (User.save); groups and permissions are
    # not used: what a user may do is portal.permissions, by role.
    fieldsets = (
        (None, {"fields": ["username", "password"]}),
        ("Thông tin", {"fields": ["email", "is_active", "last_login", "date_joined"]}),
        ("Vai trò và đơn vị", {"fields": ["full_name", "role", "province", "commune", "team", "phone"]}),
    )
    add_fieldsets = UserAdmin.add_fieldsets + (
        ("Vai trò và đơn vị", {"fields": ["full_name", "role", "province", "commune", "team"]}),
    )

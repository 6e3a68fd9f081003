from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import ConsentRecord, User


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    readonly_fields = ["kind", "purpose", "notice_version", "given_at", "withdrawn_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class UserCreateForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("phone", "display_name")


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    ordering = ["-date_joined"]
    list_display = [
        "phone",
        "phone_verified",
        "display_name",
        "residential_area",
        "is_active",
        "date_joined",
    ]
    list_filter = ["is_active", "is_staff", "is_superuser", "residential_area__town"]
    search_fields = ["phone", "display_name"]
    autocomplete_fields = ["residential_area"]
    fieldsets = [
        (None, {"fields": ["phone", "phone_verified", "password"]}),
        (_("Profile"), {"fields": ["display_name", "residential_area", "age_band"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined", "deleted_at"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["phone", "display_name", "usable_password", "password1", "password2"],
            },
        )
    ]
    inlines = [ConsentInline]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "notice_version", "given_at", "withdrawn_at"]
    list_filter = ["kind"]
    readonly_fields = ["user", "kind", "purpose", "notice_version", "given_at", "withdrawn_at"]

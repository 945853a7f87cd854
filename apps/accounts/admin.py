"""Admin for users and their roles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from apps.accounts.models import User, UserRole


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Users with real name, mobile, unit, territory and roles."""

    inlines = [UserRoleInline]
    list_display = ["username", "real_name", "mobile", "unit", "scope_region", "role_list", "is_active"]
    list_filter = ["role_grants__role", "is_active", "is_staff"]
    search_fields = ["username", "real_name", "mobile"]
    autocomplete_fields = ["unit", "scope_region"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("创卫信息", {"fields": ("real_name", "mobile", "unit", "scope_region")}),
    )

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return (
            super()
            .get_queryset(request)
            .select_related("unit", "scope_region")
            .prefetch_related("role_grants")
        )

    @admin.display(description="角色")
    def role_list(self, user: User) -> str:
        return "、".join(grant.get_role_display() for grant in user.role_grants.all())

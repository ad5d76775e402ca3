from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, Team, User

# The admin's own login form checks only the password, so a beheerder could skip the
# two-step verification there. Send it to allauth's login (password, then code).
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "role", "gemeente", "wijk", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "display_name"]
    autocomplete_fields = ["wijk", "gemeente"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Persoon"), {"fields": ("display_name", "role", "wijk", "gemeente")}),
        (
            _("Rechten"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Data"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "display_name", "role", "password1", "password2"),
            },
        ),
    )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "gemeente", "report_shared"]
    list_filter = ["gemeente"]
    search_fields = ["name"]
    filter_horizontal = ["wijken", "members"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "role",
        "gemeente",
        "team",
        "created_at",
        "expires_at",
        "accepted_at",
    ]
    list_filter = ["role"]
    search_fields = ["email"]
    readonly_fields = ["token", "accepted_at", "accepted_user", "created_at"]

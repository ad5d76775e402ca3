from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    Invitation,
    ProviderSignIn,
    SignInProvider,
    Team,
    User,
)

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


@admin.register(SignInProvider)
class SignInProviderAdmin(admin.ModelAdmin):
    """Which gemeente (or which wijkteams) an OpenID Connect provider signs in.

    The provider itself is a "Social application" of type OpenID Connect (server
    URL in its settings: {"server_url": "https://..."}); see the README.
    """

    list_display = ["label", "gemeente", "app", "is_active"]
    list_filter = ["gemeente", "is_active"]
    filter_horizontal = ["teams"]
    autocomplete_fields = ["gemeente"]


@admin.register(ProviderSignIn)
class ProviderSignInAdmin(admin.ModelAdmin):
    list_display = ["at", "app_provider_id", "user", "outcome", "mfa_by_provider"]
    list_filter = ["outcome", "mfa_by_provider"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: ProviderSignIn | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: ProviderSignIn | None = None
    ) -> bool:
        return False

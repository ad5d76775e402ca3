from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import InvitationAcceptForm, InvitationForm, ProfileForm
from accounts.models import Invitation, Role
from accounts.permissions import role_required, wijken_of_user
from core.http import AuthenticatedHttpRequest
from wijken.models import Wijk


@login_required
def start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where a user lands after logging in: what their role can do, in their wijken."""
    user = request.user
    context: dict[str, object] = {}
    if user.role == Role.PROFESSIONAL:
        active_wijken = Wijk.objects.filter(is_active=True).order_by("name")
        context["teams"] = user.teams.select_related("gemeente").prefetch_related(
            Prefetch("wijken", queryset=active_wijken)
        )
        context["wijken"] = wijken_of_user(user).select_related("gemeente")
    elif user.role == Role.AMBTENAAR:
        context["gemeente"] = user.gemeente
    elif user.role == Role.BEHEERDER:
        context["open_invitations"] = Invitation.objects.filter(
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).count()
    return render(request, "accounts/start.html", context)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Uw gegevens zijn opgeslagen."))
        return redirect("accounts:start")
    return render(request, "accounts/profile_form.html", {"form": form})


@role_required(Role.BEHEERDER)
def invitation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = InvitationForm(request.POST)
        if form.is_valid():
            invitation = services.invitation_create(
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                gemeente=form.cleaned_data["gemeente"],
                team=form.cleaned_data["team"],
                invited_by=request.user,
                base_url=request.build_absolute_uri("/"),
            )
            messages.success(
                request,
                _("De uitnodiging is verstuurd naar %(email)s.")
                % {"email": invitation.email},
            )
            return redirect("accounts:invitation_list")
    else:
        form = InvitationForm()
    invitations = Invitation.objects.select_related("gemeente", "team", "invited_by")[
        :100
    ]
    return render(
        request,
        "accounts/invitation_list.html",
        {"form": form, "invitations": invitations},
    )


@require_POST
@role_required(Role.BEHEERDER)
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, _("De uitnodiging is ingetrokken."))
    return redirect("accounts:invitation_list")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.filter(token=token).first()
    if invitation is None or not invitation.is_open:
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"invitation": invitation},
            status=410,
        )
    if request.user.is_authenticated:
        messages.warning(
            request,
            _("Log eerst uit om een uitnodiging voor iemand anders te gebruiken."),
        )
        return redirect("accounts:start")
    if request.method == "POST":
        form = InvitationAcceptForm(request.POST, email=invitation.email)
        if form.is_valid():
            try:
                user = services.invitation_accept(
                    invitation=invitation,
                    display_name=form.cleaned_data["display_name"],
                    password=form.cleaned_data["password1"],
                )
            except services.InvitationError:
                return render(
                    request,
                    "accounts/invitation_invalid.html",
                    {"invitation": invitation},
                    status=410,
                )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            # Tell allauth that this session just authenticated with a password, so
            # the 2FA setup that follows does not ask for it a second time.
            record_authentication(request, user, method="password", email=user.email)
            messages.success(request, _("Welkom! Uw account is klaar."))
            # The MFA middleware now sends them to set up their authenticator app.
            return redirect("accounts:start")
    else:
        form = InvitationAcceptForm(email=invitation.email)
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitation": invitation},
    )

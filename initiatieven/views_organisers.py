"""The page an invited person opens from their mail or from "Mijn Buurtwijs": they
accept or decline organising along (initiatieven/organisers.py).

Saying no needs no account (the link reached the mailbox); saying yes needs a resident
account, whatever its address, because the name that then shows is that account's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.models import Role
from initiatieven import organisers
from initiatieven.models import OrganiserInvitation
from initiatieven.services import OrganiserError


def organiser_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (
        OrganiserInvitation.objects.select_related("initiatief", "invited_by")
        .filter(token=token)
        .first()
    )
    if invitation is None or not invitation.is_open:
        return render(
            request, "initiatieven/organiser_invitation_invalid.html", status=410
        )
    user = request.user
    can_accept = bool(user.is_authenticated and user.role == Role.BEWONER)  # type: ignore[union-attr]
    error = ""
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            if answer == "accept":
                if not user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                initiatief = organisers.organiser_invitation_accept(
                    invitation=invitation,
                    user=user,  # type: ignore[arg-type]
                )
                messages.success(
                    request,
                    _("Fijn! U organiseert nu mee aan %(title)s.")
                    % {"title": initiatief.title},
                )
                return redirect(initiatief)
            if answer == "decline":
                organisers.organiser_invitation_decline(invitation=invitation)
                messages.success(
                    request,
                    _("U heeft de uitnodiging afgeslagen. Uw naam is niet gedeeld."),
                )
                return redirect("home")
        except OrganiserError as exc:
            error = str(exc)
        else:
            return HttpResponse(status=400)
    return render(
        request,
        "initiatieven/organiser_invitation.html",
        {"invitation": invitation, "can_accept": can_accept, "error": error},
        status=400 if error else 200,
    )

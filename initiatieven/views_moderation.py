"""E-mail preferences and unsubscribing, reporting a problem, and the moderators queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from core.http import AuthenticatedHttpRequest
from initiatieven import moderation, notifications, services
from initiatieven.forms import (
    MeldingForm,
    MeldingsvoorkeurForm,
    VerbergenForm,
)
from initiatieven.models import (
    Bericht,
    Melding,
    MeldingStatus,
)
from initiatieven.views import _visible_or_404


@login_required
def meldingen(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = MeldingsvoorkeurForm(request.POST)
        if form.is_valid():
            notifications.frequency_set(
                user=user,
                frequency=form.cleaned_data["frequency"],
            )
            messages.success(request, _("Uw keuze is opgeslagen."))
            return redirect("initiatieven:meldingen")
    else:
        form = MeldingsvoorkeurForm(
            initial={"frequency": notifications.frequency_of(user=user)}
        )
    return render(
        request,
        "initiatieven/meldingen.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@csrf_exempt  # one-click unsubscribe from a mail program; the signed token is the key
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user = notifications.user_from_token(token)
    if user is None:
        return render(
            request, "initiatieven/afmelden.html", {"invalid": True}, status=400
        )
    done = False
    if request.method == "POST":
        notifications.frequency_set(user=user, frequency="uit")
        done = True
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(request, "initiatieven/afmelden.html", {"done": done})


@login_required
def melding_create(
    request: AuthenticatedHttpRequest, pk: int, bericht_pk: int | None = None
) -> HttpResponse:
    initiatief = _visible_or_404(request, pk)
    bericht = None
    if bericht_pk is not None:
        bericht = get_object_or_404(
            Bericht, pk=bericht_pk, initiatief=initiatief, is_hidden=False
        )
    form = MeldingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.melding_create(
                reporter=request.user,
                initiatief=initiatief,
                bericht=bericht,
                **form.cleaned_data,
            )
        except moderation.AlreadyReported:
            form.add_error(
                None,
                _("U heeft dit al gemeld. Een beheerder kijkt ernaar. Dank u wel."),
            )
        except services.RateLimited:
            form.add_error(
                None,
                _(
                    "U heeft vandaag al %(limit)s keer iets gemeld. Dat is het "
                    "maximum per dag. Probeer het morgen opnieuw."
                )
                % {"limit": moderation.report_limit()},
            )
        else:
            messages.success(
                request, _("Dank u wel. Een beheerder kijkt naar uw melding.")
            )
            return redirect(initiatief)
    return render(
        request,
        "initiatieven/melding_form.html",
        {"form": form, "initiatief": initiatief, "bericht": bericht},
        status=400 if form.errors else 200,
    )


@role_required(Role.BEHEERDER)
def moderatie(request: HttpRequest) -> HttpResponse:
    meldingen = moderation.meldingen_open()
    return render(
        request,
        "initiatieven/moderatie.html",
        # The menu's count, known here without a query of its own.
        {"meldingen": meldingen, "open_meldingen": len(meldingen)},
    )


@require_POST
@role_required(Role.BEHEERDER)
def moderatie_handle(
    request: AuthenticatedHttpRequest, melding_pk: int
) -> HttpResponse:
    melding = get_object_or_404(Melding, pk=melding_pk, status=MeldingStatus.OPEN)
    action = request.POST.get("action")
    if action == "dismiss":
        moderation.melding_dismiss(melding=melding, by=request.user)
        messages.success(request, _("De melding is afgewezen."))
        return redirect("initiatieven:moderatie")
    if action != "hide":
        return HttpResponse(status=400)
    form = VerbergenForm(request.POST, prefix=f"m{melding.pk}")
    if form.is_valid():
        moderation.melding_hide(
            melding=melding,
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            request, _("Het is verborgen. De eigenaar krijgt een e-mail met de reden.")
        )
        return redirect("initiatieven:moderatie")
    return render(
        request,
        "initiatieven/moderatie.html",
        {
            "meldingen": (meldingen := moderation.meldingen_open()),
            "open_meldingen": len(meldingen),
            "error_pk": melding.pk,
            "error_form": form,
        },
        status=400,
    )

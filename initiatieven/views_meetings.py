"""Meetings of an initiative: plan, change, cancel, agreements made there, the .ics file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.http import AuthenticatedHttpRequest
from initiatieven import queries, services
from initiatieven.forms import (
    AfspraakForm,
    BijeenkomstForm,
)
from initiatieven.ics import bijeenkomst_ics
from initiatieven.models import (
    Initiatief,
)
from initiatieven.permissions import is_organiser
from initiatieven.views import _editable_or_403, _post_limit_message, _visible_or_404


@login_required
def bijeenkomst_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    initiatief = _editable_or_403(request, pk)
    form = BijeenkomstForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bijeenkomst = services.bijeenkomst_create(
                initiatief=initiatief,
                created_by=request.user,
                starts_at=data["starts_at"],
                place=data["place"],
                agenda=data["agenda"],
            )
        except services.RateLimited:
            form.add_error(None, _post_limit_message())
        except services.PastDate:
            form.add_error(
                "date",
                _(
                    "Deze datum en tijd zijn al voorbij. Kies een moment in de toekomst."
                ),
            )
        else:
            messages.success(request, _("De bijeenkomst is gepland."))
            return redirect(bijeenkomst)
    return render(
        request,
        "initiatieven/bijeenkomst_form.html",
        {"form": form, "initiatief": initiatief},
        status=400 if form.errors else 200,
    )


def _bijeenkomst_or_404(
    request: HttpRequest, pk: int, bijeenkomst_pk: int
) -> tuple[Initiatief, Any]:
    initiatief = _visible_or_404(request, pk)
    bijeenkomst = queries.bijeenkomst_get(initiatief=initiatief, pk=bijeenkomst_pk)
    if bijeenkomst is None:
        raise Http404
    return initiatief, bijeenkomst


def _editable_bijeenkomst_or_404(
    request: HttpRequest, pk: int, bijeenkomst_pk: int
) -> tuple[Initiatief, Any]:
    initiatief = _editable_or_403(request, pk)
    bijeenkomst = queries.bijeenkomst_get(initiatief=initiatief, pk=bijeenkomst_pk)
    if bijeenkomst is None:
        raise Http404
    return initiatief, bijeenkomst


def _afspraak_form(
    initiatief: Initiatief, bijeenkomst: Any, data: Any = None
) -> AfspraakForm:
    from django.utils import timezone

    return AfspraakForm(
        data,
        prefix="afspraak",
        people=queries.people_for_afspraak(initiatief=initiatief),
        meeting_day=timezone.localdate(bijeenkomst.starts_at),
    )


@require_GET
def bijeenkomst_detail(
    request: HttpRequest, pk: int, bijeenkomst_pk: int
) -> HttpResponse:
    initiatief, bijeenkomst = _bijeenkomst_or_404(request, pk, bijeenkomst_pk)
    organiser = is_organiser(request.user, initiatief)
    context: dict[str, Any] = {
        "initiatief": initiatief,
        "bijeenkomst": bijeenkomst,
        "is_organiser": organiser,
    }
    if organiser:
        context["afspraak_form"] = _afspraak_form(initiatief, bijeenkomst)
    return render(request, "initiatieven/bijeenkomst_detail.html", context)


@require_POST
@login_required
def afspraak_add(request: HttpRequest, pk: int, bijeenkomst_pk: int) -> HttpResponse:
    initiatief, bijeenkomst = _editable_bijeenkomst_or_404(request, pk, bijeenkomst_pk)
    form = _afspraak_form(initiatief, bijeenkomst, request.POST)
    if form.is_valid():
        services.afspraak_add(bijeenkomst=bijeenkomst, **form.cleaned_data)
        messages.success(request, _("De afspraak is opgeslagen."))
        return redirect(bijeenkomst.get_absolute_url() + "#afspraken")
    return render(
        request,
        "initiatieven/bijeenkomst_detail.html",
        {
            "initiatief": initiatief,
            "bijeenkomst": bijeenkomst,
            "is_organiser": True,
            "afspraak_form": form,
        },
        status=400,
    )


@login_required
def bijeenkomst_update(
    request: HttpRequest, pk: int, bijeenkomst_pk: int
) -> HttpResponse:
    from django.utils import timezone

    initiatief, bijeenkomst = _editable_bijeenkomst_or_404(request, pk, bijeenkomst_pk)
    local = timezone.localtime(bijeenkomst.starts_at)
    initial = {
        "date": local.date(),
        "time": local.time().replace(second=0, microsecond=0),
        "place": bijeenkomst.place,
        "agenda": bijeenkomst.agenda,
    }
    data = request.POST if request.method == "POST" else None
    form = BijeenkomstForm(data, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.bijeenkomst_update(
                bijeenkomst=bijeenkomst,
                starts_at=form.cleaned_data["starts_at"],
                place=form.cleaned_data["place"],
                agenda=form.cleaned_data["agenda"],
            )
        except services.PastDate:
            form.add_error(
                "date",
                _(
                    "Deze datum en tijd zijn al voorbij. Kies een moment in de toekomst."
                ),
            )
        else:
            messages.success(request, _("De bijeenkomst is gewijzigd."))
            return redirect(bijeenkomst)
    return render(
        request,
        "initiatieven/bijeenkomst_form.html",
        {"form": form, "initiatief": initiatief, "bijeenkomst": bijeenkomst},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def bijeenkomst_delete(
    request: AuthenticatedHttpRequest, pk: int, bijeenkomst_pk: int
) -> HttpResponse:
    initiatief, bijeenkomst = _editable_bijeenkomst_or_404(request, pk, bijeenkomst_pk)
    services.bijeenkomst_delete(
        bijeenkomst=bijeenkomst,
        actor=request.user,
    )
    messages.success(request, _("De bijeenkomst is afgezegd."))
    return redirect(initiatief.get_absolute_url())


@require_GET
def bijeenkomst_ics_download(
    request: HttpRequest, pk: int, bijeenkomst_pk: int
) -> HttpResponse:
    _initiatief, bijeenkomst = _bijeenkomst_or_404(request, pk, bijeenkomst_pk)
    body = bijeenkomst_ics(
        bijeenkomst=bijeenkomst,
        url=request.build_absolute_uri(bijeenkomst.get_absolute_url()),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="bijeenkomst-{bijeenkomst.pk}.ics"'
    )
    return response

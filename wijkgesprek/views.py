"""The wijkgesprek: thin views over services.py and queries.py.

- /wijkgesprek/wijk/<code>/: the wijk's meetings: planned ones for its residents and
  the planners, public minutes for everyone; residents say they want to chair;
- /wijkgesprek/wijk/<code>/nieuw/: the team or the gemeente plans one (agenda drafted);
- /wijkgesprek/<pk>/: one meeting: agenda (the chair and planners order it), minutes
  and agreements (the chair and planners write them), the calendar file.

A refused write shows the page again with the error (status 400); a done write
redirects with a message. Not yours: 404; not your role: 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from accounts.permissions import role_required
from bewonersagenda.permissions import has_verified_email
from core.http import AuthenticatedHttpRequest, never_cache
from core.mail import site_url
from initiatieven.ics import AMSTERDAM, MEETING_LENGTH
from wijken.models import Wijk
from wijkgesprek import permissions, queries, services
from wijkgesprek.forms import AfspraakForm, GesprekForm, PuntForm, VerslagForm
from wijkgesprek.models import GesprekPunt, Wijkgesprek
from wijkgesprek.services import GesprekError


def _wijk(code: str) -> Wijk:
    wijk = (
        Wijk.objects.select_related("gemeente")
        .filter(code=code.upper(), is_active=True)
        .first()
    )
    if wijk is None:
        raise Http404
    return wijk


def _gesprek(user: Any, pk: int) -> Wijkgesprek:
    gesprek = (
        Wijkgesprek.objects.select_related("wijk__gemeente", "chair")
        .filter(pk=pk)
        .first()
    )
    if gesprek is None or not permissions.can_see(user, gesprek):
        raise Http404
    return gesprek


def _writable(user: Any, pk: int) -> Wijkgesprek:
    gesprek = _gesprek(user, pk)
    if not permissions.can_write(user, gesprek):
        raise Http404
    return gesprek


@never_cache
@require_GET
def gesprek_wijk(request: HttpRequest, code: str) -> HttpResponse:
    wijk = _wijk(code)
    user: Any = request.user
    can_plan = permissions.can_plan(user, wijk)
    sees_planned = can_plan or permissions.can_volunteer(user, wijk)
    upcoming = list(queries.upcoming(wijk)) if sees_planned else []
    if not sees_planned and user.is_authenticated:
        # A chair who moved away still sees the meeting they chair.
        upcoming = [g for g in queries.upcoming(wijk) if permissions.is_chair(user, g)]
    if can_plan:
        past = list(queries.past(wijk))
    else:
        past = [
            g
            for g in queries.past(wijk)
            if permissions.can_see_minutes(user, g)
            or permissions.can_see_meeting(user, g)
        ]
    return render(
        request,
        "wijkgesprek/gesprek_list.html",
        {
            "wijk": wijk,
            "upcoming": upcoming,
            "past": past,
            "can_plan": can_plan,
            "can_volunteer": permissions.can_volunteer(user, wijk),
            "is_volunteer": queries.is_volunteer(
                wijk, user.pk if user.is_authenticated else None
            ),
            "is_resident_unverified": user.is_authenticated
            and user.role == Role.BEWONER
            and user.wijk_id == wijk.pk
            and not has_verified_email(user),
            "proposal": queries.chair_proposal(wijk) if can_plan else None,
        },
    )


@never_cache
@role_required(Role.PROFESSIONAL, Role.AMBTENAAR)
@require_http_methods(["GET", "POST"])
def gesprek_create(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    wijk = _wijk(code)
    if not permissions.can_plan(request.user, wijk):
        raise Http404
    volunteers = queries.volunteers(wijk)
    form = GesprekForm(request.POST or None, volunteers=volunteers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chair = next((u for u in volunteers if u.pk == data["chair"]), None)
        try:
            planned = services.gesprek_plan(
                actor=request.user,
                wijk=wijk,
                starts_at=data["starts_at"],
                place=data["place"],
                facilitator=data["facilitator"],
                chair=chair,
                draft=data["draft"],
            )
        except GesprekError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Het wijkgesprek is gepland."))
            if planned.removed:
                messages.info(
                    request,
                    _(
                        "Uit de plaats of de gespreksleider is weggehaald, omdat het "
                        "naar een persoon kan wijzen: %(kinds)s."
                    )
                    % {"kinds": ", ".join(planned.removed)},
                )
            return redirect(planned.gesprek)
    return render(
        request,
        "wijkgesprek/gesprek_form.html",
        {"wijk": wijk, "form": form},
        status=400 if form.errors else 200,
    )


@never_cache
@role_required(Role.BEWONER)
@require_POST
def volunteer(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    wijk = _wijk(code)
    if not permissions.can_volunteer(request.user, wijk):
        raise Http404
    wants = request.POST.get("actie") != "afmelden"
    services.volunteer_set(user=request.user, wijk=wijk, wants=wants)
    messages.success(
        request,
        _("Dank u. Het wijkteam weet nu dat u voorzitter wilt zijn.")
        if wants
        else _("U staat niet meer op de lijst van voorzitters."),
    )
    return redirect("wijkgesprek:wijk", code=wijk.code)


def _detail_page(
    request: HttpRequest,
    gesprek: Wijkgesprek,
    *,
    punt_form: PuntForm | None = None,
    verslag_form: VerslagForm | None = None,
    afspraak_form: AfspraakForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    can_write = permissions.can_write(user, gesprek)
    # The chair's name is for those who may see the planned meeting; anonymous
    # visitors and other wijken (public minutes) read "een bewoner uit de wijk".
    sees_chair = permissions.can_see_meeting(user, gesprek)
    sees_minutes = permissions.can_see_minutes(user, gesprek)
    return render(
        request,
        "wijkgesprek/gesprek_detail.html",
        {
            "gesprek": gesprek,
            "wijk": gesprek.wijk,
            "punten": list(gesprek.punten.all()),
            "afspraken": list(queries.afspraken(gesprek)) if sees_minutes else [],
            "sees_minutes": sees_minutes,
            "sees_chair": sees_chair,
            "can_write": can_write,
            "can_plan": permissions.can_plan(user, gesprek.wijk),
            "is_chair": permissions.is_chair(user, gesprek),
            "is_upcoming": gesprek.starts_at > timezone.now(),
            "punt_form": punt_form or PuntForm(prefix="punt"),
            "verslag_form": verslag_form
            or VerslagForm(
                prefix="verslag",
                initial={"minutes": gesprek.minutes, "public": gesprek.minutes_public},
            ),
            "afspraak_form": afspraak_form or AfspraakForm(prefix="afspraak"),
        },
        status=status,
    )


@never_cache
@require_GET
def gesprek_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _gesprek(request.user, pk))


@never_cache
@login_required
@require_POST
def agenda(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """actie=opstellen: add the drafted points (planners); otherwise add an own point."""
    gesprek = _writable(request.user, pk)
    if request.POST.get("actie") == "opstellen":
        try:
            added = services.agenda_draft_add(actor=request.user, gesprek=gesprek)
        except GesprekError as error:
            messages.error(request, error.messages[0])
            return redirect(gesprek)
        messages.success(
            request,
            _("%(n)s punten toegevoegd aan de agenda.") % {"n": added}
            if added
            else _("Er zijn geen nieuwe punten."),
        )
        return redirect(reverse("wijkgesprek:detail", args=[gesprek.pk]) + "#agenda")
    form = PuntForm(request.POST, prefix="punt")
    if form.is_valid():
        try:
            services.punt_add(
                actor=request.user,
                gesprek=gesprek,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
            )
        except GesprekError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Het punt staat op de agenda."))
            return redirect(
                reverse("wijkgesprek:detail", args=[gesprek.pk]) + "#agenda"
            )
    return _detail_page(request, gesprek, punt_form=form, status=400)


@never_cache
@login_required
@require_POST
def punt(request: AuthenticatedHttpRequest, pk: int, punt_pk: int) -> HttpResponse:
    """actie=omhoog, omlaag or verwijderen."""
    gesprek = _writable(request.user, pk)
    item = GesprekPunt.objects.filter(pk=punt_pk, gesprek=gesprek).first()
    if item is None:
        raise Http404
    actie = request.POST.get("actie")
    if actie == "verwijderen":
        services.punt_remove(actor=request.user, gesprek=gesprek, punt=item)
        messages.success(request, _("Het punt is van de agenda gehaald."))
    elif actie in ("omhoog", "omlaag"):
        services.punt_move(
            actor=request.user, gesprek=gesprek, punt=item, up=actie == "omhoog"
        )
        messages.success(request, _("De volgorde is aangepast."))
    else:
        return _detail_page(request, gesprek, status=400)
    return redirect(reverse("wijkgesprek:detail", args=[gesprek.pk]) + "#agenda")


@never_cache
@login_required
@require_POST
def verslag(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Save the minutes; with actie=publiceren also publish them."""
    gesprek = _writable(request.user, pk)
    form = VerslagForm(request.POST, prefix="verslag")
    publish = request.POST.get("actie") == "publiceren"
    if form.is_valid():
        try:
            services.minutes_save(
                actor=request.user,
                gesprek=gesprek,
                minutes=form.cleaned_data["minutes"],
                public=form.cleaned_data["public"],
                publish=publish,
            )
        except GesprekError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Het verslag is gepubliceerd.")
                if publish
                else _("Het verslag is opgeslagen."),
            )
            return redirect(
                reverse("wijkgesprek:detail", args=[gesprek.pk]) + "#verslag"
            )
    return _detail_page(request, gesprek, verslag_form=form, status=400)


@never_cache
@login_required
@require_POST
def afspraak(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    gesprek = _writable(request.user, pk)
    form = AfspraakForm(request.POST, prefix="afspraak")
    if form.is_valid():
        try:
            services.afspraak_add(
                actor=request.user, gesprek=gesprek, **form.cleaned_data
            )
        except GesprekError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De afspraak is opgeslagen."))
            return redirect(
                reverse("wijkgesprek:detail", args=[gesprek.pk]) + "#afspraken"
            )
    return _detail_page(request, gesprek, afspraak_form=form, status=400)


@require_GET
def gesprek_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting as a calendar file (RFC 5545), like an initiative's meeting."""
    from icalendar import Calendar, Event

    gesprek = _gesprek(request.user, pk)
    if not permissions.can_see_meeting(request.user, gesprek):
        raise Http404
    calendar = Calendar()
    calendar.add("prodid", "-//Buurtwijs//Wijkgesprek//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    start = gesprek.starts_at.astimezone(AMSTERDAM).replace(microsecond=0)
    event.add("uid", gesprek.uid)
    event.add("dtstamp", gesprek.created_at)
    event.add("dtstart", start)
    event.add("dtend", start + MEETING_LENGTH)
    event.add("summary", _("Wijkgesprek %(wijk)s") % {"wijk": gesprek.wijk.name})
    event.add("location", gesprek.place)
    event.add("url", site_url(gesprek.get_absolute_url()))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="wijkgesprek-{pk}.ics"'
    return response

"""Buurtverbinders: thin views over services.py and queries.py.

- /buurtverbinders/: a resident's consent (welcome, offer) and matches to confirm;
  a professional's wijken; a connector's link to their workspace;
- /buurtverbinders/wijk/<code>/team/: the team grants and revokes the role, reads
  the log and the figures;
- /buurtverbinders/wijk/<code>/: the connector's workspace: open needs, consented
  offers, welcome requests, matches and the log.

Not yours: 404; not your role: 403. A refused write shows the page again (400).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role, User
from accounts.permissions import role_required, wijken_of_user
from buurtverbinders import permissions, queries, services
from buurtverbinders.forms import ConsentForm, GrantForm, LogForm, ProposeForm
from buurtverbinders.models import Koppeling, Toestemming, Verbinder
from buurtverbinders.services import VerbinderError
from core.http import AuthenticatedHttpRequest, never_cache
from initiatieven.models import Aanbod, Behoefte
from wijken.models import Wijk


def _wijk(code: str) -> Wijk:
    wijk = (
        Wijk.objects.select_related("gemeente")
        .filter(code=code.upper(), is_active=True)
        .first()
    )
    if wijk is None:
        raise Http404
    return wijk


@never_cache
@role_required(Role.BEWONER, Role.PROFESSIONAL)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    user: Any = request.user
    consent = Toestemming.objects.filter(user=user).first()
    return render(
        request,
        "buurtverbinders/index.html",
        {
            "is_resident": user.role == Role.BEWONER,
            "team_wijken": (
                wijken_of_user(user).order_by("code")
                if user.role == Role.PROFESSIONAL
                else []
            ),
            "connector_wijken": queries.connector_wijken(user),
            "consent": consent,
            "consent_text": services.consent_text(),
            "consent_form": ConsentForm(
                initial={
                    "welcome": bool(consent and consent.welcome),
                    "share_offer": bool(consent and consent.share_offer),
                }
            ),
            "has_offer": Aanbod.objects.filter(user=user).exists(),
            "koppelingen": [
                (
                    k,
                    permissions.is_helper(user, k),
                    queries.contact_visible(k, user),
                )
                for k in queries.koppelingen_for_resident(user)
            ],
        },
    )


@never_cache
@role_required(Role.BEWONER)
@require_POST
def consent(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ConsentForm(request.POST)
    form.is_valid()  # two booleans: always valid
    try:
        result = services.consent_set(
            user=request.user,
            welcome=bool(form.cleaned_data.get("welcome")),
            share_offer=bool(form.cleaned_data.get("share_offer")),
        )
    except VerbinderError as error:
        messages.error(request, error.messages[0])
        return redirect("buurtverbinders:index")
    messages.success(
        request,
        _("Uw keuze is bewaard.")
        if result
        else _("U hebt uw toestemming ingetrokken. Buurtverbinders zien u niet meer."),
    )
    return redirect("buurtverbinders:index")


@never_cache
@role_required(Role.BEWONER)
@require_POST
def koppeling_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    koppeling = (
        Koppeling.objects.select_related("behoefte__initiatief").filter(pk=pk).first()
    )
    if koppeling is None or not permissions.can_see_koppeling(request.user, koppeling):
        raise Http404
    accept = request.POST.get("actie") == "ja"
    try:
        koppeling = services.koppeling_answer(
            user=request.user, koppeling=koppeling, accept=accept
        )
    except VerbinderError as error:
        messages.error(request, error.messages[0])
        return redirect("buurtverbinders:index")
    if not accept:
        messages.success(request, _("U zei nee. De ander ziet uw naam niet."))
    elif queries.contact_visible(koppeling, request.user):
        messages.success(request, _("Beide kanten zeiden ja. U ziet nu elkaars naam."))
    else:
        messages.success(request, _("Dank u. Nu wachten we op de andere kant."))
    return redirect("buurtverbinders:index")


def _team_page(
    request: AuthenticatedHttpRequest,
    wijk: Wijk,
    *,
    form: GrantForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "buurtverbinders/team.html",
        {
            "wijk": wijk,
            "connectors": queries.active_connectors(wijk),
            "form": form or GrantForm(),
            "log": queries.log_for(wijk),
            "koppelingen": queries.koppelingen_for_wijk(wijk)[:50],
        },
        status=status,
    )


@never_cache
@role_required(Role.PROFESSIONAL)
@require_http_methods(["GET", "POST"])
def team(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    wijk = _wijk(code)
    if not permissions.is_team(request.user, wijk):
        raise Http404
    if request.method != "POST":
        return _team_page(request, wijk)
    form = GrantForm(request.POST)
    if form.is_valid():
        try:
            services.role_grant(
                actor=request.user, wijk=wijk, email=form.cleaned_data["email"]
            )
        except VerbinderError as error:
            form.add_error("email", error)
        else:
            messages.success(request, _("De bewoner is nu buurtverbinder."))
            return redirect("buurtverbinders:team", code=wijk.code)
    return _team_page(request, wijk, form=form, status=400)


@never_cache
@role_required(Role.PROFESSIONAL)
@require_POST
def revoke(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    wijk = _wijk(code)
    if not permissions.is_team(request.user, wijk):
        raise Http404
    verbinder = Verbinder.objects.filter(pk=pk, wijk=wijk).first()
    if verbinder is None:
        raise Http404
    try:
        services.role_revoke(actor=request.user, verbinder=verbinder)
    except VerbinderError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("De rol is ingetrokken."))
    return redirect("buurtverbinders:team", code=wijk.code)


def _connector_wijk(request: AuthenticatedHttpRequest, code: str) -> Wijk:
    wijk = _wijk(code)
    if not permissions.is_connector(request.user, wijk):
        raise Http404
    return wijk


def _propose_form(wijk: Wijk, data: Any = None) -> ProposeForm:
    needs = [
        (b.pk, f"{b.initiatief.title}: {b.description}")
        for b in queries.unmatched_needs(wijk)
    ]
    helpers = [
        (user.pk, f"{user.display_name}: {aanbod.talents[:80]}")
        for user, aanbod in queries.consented_offers(wijk)
    ]
    return ProposeForm(data, needs=needs, helpers=helpers)


def _workspace(
    request: AuthenticatedHttpRequest,
    wijk: Wijk,
    *,
    propose_form: ProposeForm | None = None,
    log_form: LogForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "buurtverbinders/werkplek.html",
        {
            "wijk": wijk,
            "needs": queries.unmatched_needs(wijk),
            "offers": queries.consented_offers(wijk),
            "welcome": queries.welcome_requests(wijk),
            "koppelingen": queries.koppelingen_for_wijk(wijk).filter(
                verbinder=request.user
            )[:50],
            "log": [
                r for r in queries.log_for(wijk) if r.verbinder_id == request.user.pk
            ],
            "propose_form": propose_form or _propose_form(wijk),
            "log_form": log_form or LogForm(),
        },
        status=status,
    )


@never_cache
@role_required(Role.BEWONER)
def workspace(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _workspace(request, _connector_wijk(request, code))


@never_cache
@role_required(Role.BEWONER)
@require_POST
def propose(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    wijk = _connector_wijk(request, code)
    form = _propose_form(wijk, request.POST)
    if form.is_valid():
        behoefte = Behoefte.objects.select_related("initiatief").get(
            pk=form.cleaned_data["behoefte"]
        )
        helper = User.objects.get(pk=form.cleaned_data["helper"])
        try:
            services.koppeling_propose(
                actor=request.user, wijk=wijk, behoefte=behoefte, helper=helper
            )
        except VerbinderError as error:
            form.add_error("helper" if error.code == "helper" else "behoefte", error)
        else:
            messages.success(
                request,
                _("De koppeling is voorgesteld. Beide kanten krijgen een bericht."),
            )
            return redirect("buurtverbinders:workspace", code=wijk.code)
    return _workspace(request, wijk, propose_form=form, status=400)


@never_cache
@role_required(Role.BEWONER)
@require_POST
def log_add(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    wijk = _connector_wijk(request, code)
    form = LogForm(request.POST)
    if form.is_valid():
        welcome_id = request.POST.get("welkom") or ""
        try:
            services.log_add(
                actor=request.user,
                wijk=wijk,
                kind=form.cleaned_data["kind"],
                date=form.cleaned_data["date"],
                note=form.cleaned_data["note"],
                welcome_user_id=int(welcome_id) if welcome_id.isdigit() else None,
            )
        except VerbinderError as error:
            field = error.code if error.code in ("kind", "date", "note") else None
            form.add_error(field, error)
        else:
            messages.success(request, _("Het staat in uw logboek."))
            return redirect("buurtverbinders:workspace", code=wijk.code)
    return _workspace(request, wijk, log_form=form, status=400)

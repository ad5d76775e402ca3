"""Pages of the wijkbudget. Views parse input, check permission, call a service or a
query, render. 404 for what is not yours, 403 for what your role may not do; a form
with mistakes comes back with status 400."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.client_ip import client_ip
from accounts.models import Role
from core import ratelimit
from core.exports import csv_writer
from core.http import AuthenticatedHttpRequest, never_cache
from initiatieven.models import Initiatief
from initiatieven.permissions import can_see
from signalen.answers.queries import public_themes_for_wijk
from signalen.models import WijkThema
from wijkbudget import permissions, queries, services
from wijkbudget.codes import code_printed
from wijkbudget.forms import (
    AanvraagForm,
    AdviesForm,
    BesluitForm,
    CodesForm,
    RondeForm,
    StemForm,
    UitgaveForm,
    breakdown_text,
)
from wijkbudget.models import Aanvraag, Ronde, StemcodeReeks, Uitgave
from wijken.models import Wijk

# Entering a code: this many tries per address per window, then wait.
CODE_TRIES = 10
CODE_WINDOW_SECONDS = 15 * 60


def _ronde_or_404(pk: int) -> Ronde:
    ronde = queries.ronde_get(pk)
    if ronde is None:
        raise Http404
    return ronde


def _managed_or_404(request: HttpRequest, pk: int) -> Ronde:
    ronde = _ronde_or_404(pk)
    if not permissions.can_manage(request.user, ronde):
        raise Http404
    return ronde


def _aanvraag_or_404(ronde: Ronde, aanvraag_pk: int) -> Aanvraag:
    aanvraag = (
        Aanvraag.objects.select_related("initiatief", "ronde", "ronde__wijk")
        .filter(pk=aanvraag_pk, ronde=ronde, initiatief__is_hidden=False)
        .first()
    )
    if aanvraag is None:
        raise Http404
    return aanvraag


def _form_error(form: Any, exc: services.BudgetError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@require_GET
def ronde_list(request: HttpRequest) -> HttpResponse:
    wijk = None
    code = request.GET.get("wijk", "")
    if code:
        wijk = Wijk.objects.filter(code=code[:20], is_active=True).first()
        if wijk is None:
            raise Http404
    today = timezone.localdate()
    rows = [(ronde, ronde.phase(today)) for ronde in queries.rondes(wijk=wijk)[:100]]
    return render(
        request,
        "wijkbudget/ronde_list.html",
        {
            "rows": rows,
            "wijk": wijk,
            "can_create": permissions.can_manage_any(request.user),
        },
    )


def _manageable_wijken(user: Any) -> Any:
    qs = Wijk.objects.filter(is_active=True).select_related("gemeente")
    if user.role == Role.BEHEERDER:
        return qs.order_by("gemeente__name", "name")
    return qs.filter(gemeente_id=user.gemeente_id).order_by("name")


@never_cache
@login_required
def ronde_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_manage_any(request.user):
        raise PermissionDenied
    wijken = _manageable_wijken(request.user)
    initial = {}
    if request.GET.get("wijk"):
        found = wijken.filter(code=request.GET["wijk"][:20]).first()
        if found is not None:
            initial["wijk"] = found.pk
    form = RondeForm(
        request.POST if request.method == "POST" else None,
        wijken=wijken,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            ronde = services.ronde_create(by=request.user, **form.cleaned_data)
        except services.BudgetError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("De budgetronde staat klaar."))
            return redirect(ronde)
    return render(
        request,
        "wijkbudget/ronde_form.html",
        {"form": form, "is_new": True},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def ronde_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ronde = _managed_or_404(request, pk)
    fields = (
        "title",
        "amount",
        "rules",
        "requests_open",
        "requests_close",
        "vote_open",
        "vote_close",
    )
    form = RondeForm(
        request.POST if request.method == "POST" else None,
        initial={name: getattr(ronde, name) for name in fields},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ronde_update(ronde=ronde, data=form.cleaned_data)
        except services.BudgetError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect(ronde)
    return render(
        request,
        "wijkbudget/ronde_form.html",
        {"form": form, "ronde": ronde, "is_new": False},
        status=400 if form.errors else 200,
    )


@require_GET
def ronde_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ronde = _ronde_or_404(pk)
    today = timezone.localdate()
    user = request.user
    rows = queries.aanvraag_rows(ronde, today=today)
    own_initiatieven: list[Initiatief] = []
    if ronde.takes_requests(today) and user.is_authenticated and user.is_bewoner:  # type: ignore[union-attr]
        asked = {row.aanvraag.initiatief_id for row in rows}
        own_initiatieven = [
            i for i in _own_initiatieven(user, ronde) if i.pk not in asked
        ]
    return render(
        request,
        "wijkbudget/ronde_detail.html",
        {
            "ronde": ronde,
            "phase": queries.ronde_phase(ronde, today),
            "rows": rows,
            "closed": ronde.is_closed(today),
            "voting": ronde.is_voting(today),
            "takes_requests": ronde.takes_requests(today),
            "ballots": queries.ballots_shown(ronde),
            "k": settings.K_ANONYMITY,
            "granted": queries.granted_total(ronde),
            "can_manage": permissions.can_manage(user, ronde),
            "can_advise": permissions.can_advise(user, ronde)
            and not ronde.is_closed(today),
            "own_initiatieven": own_initiatieven,
            "own_ids": {i.pk for i in _own_initiatieven(user, ronde)}
            if user.is_authenticated
            else set(),
            "refusal": permissions.account_vote_refusal(user, ronde),
        },
    )


def _own_initiatieven(user: Any, ronde: Ronde) -> list[Initiatief]:
    if not user.is_authenticated or user.role != Role.BEWONER:
        return []
    from django.db.models import Q

    return list(
        Initiatief.objects.filter(wijk=ronde.wijk, is_hidden=False)
        .filter(Q(owner=user) | Q(co_organisers=user))
        .distinct()
        .order_by("title")
    )


@never_cache
@login_required
def aanvraag_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ronde = _ronde_or_404(pk)
    if request.user.role != Role.BEWONER:
        raise PermissionDenied
    own = _own_initiatieven(request.user, ronde)
    choices = Initiatief.objects.filter(pk__in=[i.pk for i in own]).order_by("title")
    initial = {}
    if request.GET.get("initiatief", "").isdigit():
        initial["initiatief"] = int(request.GET["initiatief"])
    form = AanvraagForm(
        request.POST if request.method == "POST" else None,
        initiatieven=choices,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            aanvraag = services.aanvraag_create(
                ronde=ronde,
                initiatief=data["initiatief"],
                user=request.user,
                amount=data["amount"],
                purpose=data["purpose"],
                breakdown=data["breakdown"],
            )
        except services.BudgetError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                _("Uw aanvraag staat in de ronde. Het wijkteam geeft er advies over."),
            )
            return redirect(aanvraag)
    return render(
        request,
        "wijkbudget/aanvraag_form.html",
        {
            "form": form,
            "ronde": ronde,
            "is_new": True,
            "has_initiatieven": bool(own),
            "takes_requests": ronde.takes_requests(timezone.localdate()),
        },
        status=400 if form.errors else 200,
    )


@require_GET
def aanvraag_detail(request: HttpRequest, pk: int, aanvraag_pk: int) -> HttpResponse:
    ronde = _ronde_or_404(pk)
    aanvraag = _aanvraag_or_404(ronde, aanvraag_pk)
    row = queries.aanvraag_row(aanvraag)
    assert row is not None
    today = timezone.localdate()
    user = request.user
    organiser = permissions.can_request_for(user, aanvraag.initiatief)
    return render(
        request,
        "wijkbudget/aanvraag_detail.html",
        {
            "ronde": ronde,
            "aanvraag": row.aanvraag,
            "row": row,
            "closed": ronde.is_closed(today),
            "is_organiser": organiser,
            "can_edit": organiser and ronde.takes_requests(today),
            "can_spend": organiser and row.aanvraag.is_funded,
            "can_advise": permissions.can_advise(user, ronde)
            and not ronde.is_closed(today),
            "can_decide": permissions.can_manage(user, ronde)
            and ronde.is_closed(today),
        },
    )


@never_cache
@login_required
def aanvraag_update(
    request: AuthenticatedHttpRequest, pk: int, aanvraag_pk: int
) -> HttpResponse:
    ronde = _ronde_or_404(pk)
    aanvraag = _aanvraag_or_404(ronde, aanvraag_pk)
    if not permissions.can_request_for(request.user, aanvraag.initiatief):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        try:
            services.aanvraag_withdraw(aanvraag=aanvraag, user=request.user)
        except services.BudgetError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(aanvraag)
        messages.success(request, _("Uw aanvraag is ingetrokken."))
        return redirect(ronde)
    form = AanvraagForm(
        request.POST if request.method == "POST" else None,
        initial={
            "amount": aanvraag.amount,
            "purpose": aanvraag.purpose,
            "breakdown": breakdown_text(aanvraag.breakdown),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.aanvraag_update(
                aanvraag=aanvraag, user=request.user, **form.cleaned_data
            )
        except services.BudgetError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect(aanvraag)
    return render(
        request,
        "wijkbudget/aanvraag_form.html",
        {
            "form": form,
            "ronde": ronde,
            "aanvraag": aanvraag,
            "is_new": False,
            "has_initiatieven": True,
            "takes_requests": ronde.takes_requests(timezone.localdate()),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def advies(
    request: AuthenticatedHttpRequest, pk: int, aanvraag_pk: int
) -> HttpResponse:
    ronde = _ronde_or_404(pk)
    if request.user.role != Role.PROFESSIONAL:
        raise PermissionDenied
    if not permissions.can_advise(request.user, ronde):
        raise Http404
    aanvraag = _aanvraag_or_404(ronde, aanvraag_pk)
    themes = public_themes_for_wijk(ronde.wijk)
    form = AdviesForm(
        request.POST if request.method == "POST" else None,
        themes=themes,
        initial={
            "advice": aanvraag.advice,
            "text": aanvraag.advice_text,
            "themas": [str(t.pk) for t in aanvraag.advice_themas.all()],
        },
    )
    if request.method == "POST" and form.is_valid():
        ids = [int(pk) for pk in form.cleaned_data.get("themas", [])]
        chosen = list(WijkThema.objects.filter(pk__in=ids, wijk=ronde.wijk))
        try:
            services.advies_set(
                aanvraag=aanvraag,
                user=request.user,
                advice=form.cleaned_data["advice"],
                text=form.cleaned_data["text"],
                themas=chosen,
            )
        except services.BudgetError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Het advies staat bij de aanvraag."))
            return redirect(aanvraag)
    return render(
        request,
        "wijkbudget/advies_form.html",
        {"form": form, "ronde": ronde, "aanvraag": aanvraag},
        status=400 if form.errors else 200,
    )


def _code_key(request: HttpRequest) -> str:
    return f"wijkbudget:code:{client_ip(request)}"


@never_cache
def stemmen(request: HttpRequest, pk: int) -> HttpResponse:
    """The ballot: a verified resident of the wijk votes with their account, anyone
    else with the printed code of the round."""
    ronde = _ronde_or_404(pk)
    today = timezone.localdate()
    refusal = permissions.account_vote_refusal(request.user, ronde)
    with_code = refusal not in (None, permissions.NoAccountVote.VOTED)
    aanvragen = services.ballot_aanvragen(ronde)
    form = StemForm(
        request.POST if request.method == "POST" else None,
        aanvragen=aanvragen,
        with_code=with_code,
    )
    limited = False
    if request.method == "POST":
        if not ronde.is_voting(today):
            form.is_valid()
            form.add_error(None, _("Er kan nu niet gestemd worden in deze ronde."))
        elif refusal == permissions.NoAccountVote.VOTED:
            form.is_valid()
            form.add_error(None, _("U heeft in deze ronde al gestemd."))
        elif form.is_valid():
            key = _code_key(request)
            try:
                if with_code:
                    if not ratelimit.allow(
                        key, limit=CODE_TRIES, seconds=CODE_WINDOW_SECONDS
                    ):
                        limited = True
                        raise services.BudgetError(
                            _(
                                "U heeft te vaak een code geprobeerd. Wacht een "
                                "kwartier en probeer het dan opnieuw."
                            ),
                            code="rate_limited",
                        )
                    services.vote_with_code(
                        ronde=ronde,
                        code=form.cleaned_data["code"],
                        chosen_ids=form.chosen_ids(),
                    )
                    ratelimit.give_back(key)  # only wrong codes count
                else:
                    services.vote_with_account(
                        ronde=ronde,
                        user=request.user,  # type: ignore[arg-type]
                        chosen_ids=form.chosen_ids(),
                    )
            except services.BudgetError as exc:
                if exc.code in ("bad_code", "used_code"):
                    form.add_error("code", exc.messages[0])
                else:
                    _form_error(form, exc)
            else:
                return redirect("wijkbudget:gestemd", pk=ronde.pk)
    return render(
        request,
        "wijkbudget/stemmen.html",
        {
            "ronde": ronde,
            "form": form,
            "aanvragen": aanvragen,
            "voting": ronde.is_voting(today),
            "closed": ronde.is_closed(today),
            "refusal": refusal,
            "with_code": with_code,
            "limited": limited,
        },
        status=429 if limited else (400 if form.errors else 200),
    )


@require_GET
def gestemd(request: HttpRequest, pk: int) -> HttpResponse:
    ronde = _ronde_or_404(pk)
    return render(request, "wijkbudget/gestemd.html", {"ronde": ronde})


@never_cache
@login_required
def stemcodes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The officer's codes page. Making a batch answers with the print sheet at once:
    the plain codes exist only in that answer."""
    ronde = _managed_or_404(request, pk)
    form = CodesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        raw = request.POST.get("reeks", "")
        reeks = (
            StemcodeReeks.objects.filter(ronde=ronde, pk=int(raw)).first()
            if raw.isdigit()
            else None
        )
        if reeks is None:
            raise Http404
        services.reeks_withdraw(reeks=reeks)
        messages.success(
            request, _("De reeks is ingetrokken. Die codes werken niet meer.")
        )
        return redirect("wijkbudget:stemcodes", pk=ronde.pk)
    if request.method == "POST" and form.is_valid():
        try:
            reeks, plain = services.codes_create(
                ronde=ronde,
                size=form.cleaned_data["size"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except services.BudgetError as exc:
            _form_error(form, exc)
        else:
            return render(
                request,
                "wijkbudget/stemcodes_print.html",
                {
                    "ronde": ronde,
                    "reeks": reeks,
                    "codes": [code_printed(c) for c in plain],
                    "vote_url": request.build_absolute_uri(
                        ronde.get_absolute_url() + "stemmen/"
                    ),
                },
            )
    reeksen = list(_reeksen_with_use(ronde))
    return render(
        request,
        "wijkbudget/stemcodes.html",
        {"ronde": ronde, "form": form, "reeksen": reeksen},
        status=400 if form.errors else 200,
    )


def _reeksen_with_use(ronde: Ronde) -> Any:
    from django.db.models import Count, Q

    return ronde.codereeksen.annotate(
        used=Count("codes", filter=Q(codes__used_on__isnull=False))
    ).order_by("-created_at")


@never_cache
@login_required
def besluit(
    request: AuthenticatedHttpRequest, pk: int, aanvraag_pk: int
) -> HttpResponse:
    ronde = _managed_or_404(request, pk)
    aanvraag = _aanvraag_or_404(ronde, aanvraag_pk)
    row = queries.aanvraag_row(aanvraag)
    form = BesluitForm(
        request.POST if request.method == "POST" else None,
        initial={
            "decision": aanvraag.decision,
            "amount": aanvraag.decision_amount or aanvraag.amount,
            "reason": aanvraag.decision_reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.besluit_set(
                aanvraag=aanvraag,
                user=request.user,
                decision=form.cleaned_data["decision"],
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except services.BudgetError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Het besluit is vastgelegd."))
            return redirect(aanvraag)
    return render(
        request,
        "wijkbudget/besluit_form.html",
        {
            "form": form,
            "ronde": ronde,
            "aanvraag": aanvraag,
            "row": row,
            "closed": ronde.is_closed(timezone.localdate()),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def uitgave_create(
    request: AuthenticatedHttpRequest, pk: int, aanvraag_pk: int
) -> HttpResponse:
    ronde = _ronde_or_404(pk)
    aanvraag = _aanvraag_or_404(ronde, aanvraag_pk)
    if not permissions.can_request_for(request.user, aanvraag.initiatief):
        raise PermissionDenied
    form = UitgaveForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.uitgave_create(
                aanvraag=aanvraag, user=request.user, **form.cleaned_data
            )
        except services.BudgetError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("De uitgave staat bij de aanvraag."))
            return redirect(aanvraag.get_absolute_url() + "#uitgaven")
    return render(
        request,
        "wijkbudget/uitgave_form.html",
        {"form": form, "ronde": ronde, "aanvraag": aanvraag},
        status=400 if form.errors else 200,
    )


@require_GET
def bon(
    request: HttpRequest, pk: int, aanvraag_pk: int, uitgave_pk: int
) -> HttpResponseBase:
    ronde = _ronde_or_404(pk)
    aanvraag = _aanvraag_or_404(ronde, aanvraag_pk)
    uitgave = get_object_or_404(Uitgave, pk=uitgave_pk, aanvraag=aanvraag)
    if not uitgave.receipt or not can_see(request.user, aanvraag.initiatief):
        raise Http404
    try:
        handle = uitgave.receipt.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def uitslag(request: HttpRequest, pk: int) -> HttpResponse:
    ronde = _ronde_or_404(pk)
    today = timezone.localdate()
    closed = ronde.is_closed(today)
    return render(
        request,
        "wijkbudget/uitslag.html",
        {
            "ronde": ronde,
            "closed": closed,
            "rows": queries.aanvraag_rows(ronde, today=today) if closed else [],
            "ballots": queries.ballots_shown(ronde),
            "k": settings.K_ANONYMITY,
            "granted": queries.granted_total(ronde),
            "phase": queries.ronde_phase(ronde, today),
        },
    )


@require_GET
def uitslag_csv(request: HttpRequest, pk: int) -> HttpResponse:
    ronde = _ronde_or_404(pk)
    if not ronde.is_closed(timezone.localdate()):
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="wijkbudget-{ronde.wijk.code}-{ronde.pk}.csv"'
    )
    writer = csv_writer(response)
    writer.writerow(queries.RESULT_COLUMNS)
    writer.writerows(queries.result_rows(ronde))
    return response

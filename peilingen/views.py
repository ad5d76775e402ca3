"""Wijkpeilingen: thin views over peilingen/services.py and peilingen/queries.py.

- /peilingen/: the list (per role), and a new survey (professional or officer);
- /peilingen/<pk>/: the survey's page: questions, status, rounds, coverage;
- /peilingen/<pk>/invullen/: a resident answers online (once);
- /peilingen/<pk>/rondes/...: a street or door round on a phone: answer with one
  person after another, mark streets visited;
- /peilingen/<pk>/resultaten/ (and .csv): k-anonymous results, once closed; public;
- /peilingen/<pk>/open-antwoorden/: the team reads the scrubbed open answers, makes
  signals of them, writes a summary (four eyes) and links themes.

A refused write shows the form again with the error (status 400); a done write
redirects with a message. Not yours: 404; not your role: 403.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role, User
from accounts.permissions import role_required, wijken_of_user
from core.exports import csv_writer
from core.http import AuthenticatedHttpRequest, never_cache
from peilingen import permissions, queries, services
from peilingen.forms import (
    AnswerForm,
    BezoekForm,
    HelperForm,
    PeilingForm,
    RejectForm,
    RondeForm,
    SamenvattingForm,
    SignaalForm,
    ThemaForm,
    VraagForm,
)
from peilingen.models import (
    Antwoord,
    Kanaal,
    Peiling,
    PeilingSamenvatting,
    PeilingStatus,
    Ronde,
    SamenvattingStatus,
    Vraag,
)
from peilingen.services import MAX_QUESTIONS, PeilingError, minutes_for
from signalen.answers.queries import is_public
from signalen.kanon import k_count
from signalen.models import WijkThema
from wijken.models import Wijk

writers_required = role_required(Role.PROFESSIONAL, Role.AMBTENAAR)
professional_required = role_required(Role.PROFESSIONAL)


def _add_error(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _peiling_for(user: User, pk: int) -> Peiling:
    peiling = (
        Peiling.objects.select_related("wijk__gemeente", "team").filter(pk=pk).first()
    )
    if peiling is None or not permissions.can_see(user, peiling):
        raise Http404
    return peiling


def _wijken_to_write(user: User) -> QuerySet[Wijk]:
    if user.role == Role.AMBTENAAR:
        if user.gemeente_id is None:
            return Wijk.objects.none()
        return Wijk.objects.filter(gemeente_id=user.gemeente_id, is_active=True)
    return wijken_of_user(user)


def _minutes(peiling: Peiling) -> int:
    return minutes_for([v.kind for v in peiling.vragen.all()])


# --- The list and writing ---------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def peiling_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    peilingen = list(permissions.peilingen_for_user(user))
    answered = set()
    if user.role == Role.BEWONER:
        answered = set(user.peiling_deelnames.values_list("peiling_id", flat=True))
    return render(
        request,
        "peilingen/peiling_list.html",
        {
            "peilingen": peilingen,
            "answered": answered,
            "can_create": user.role in (Role.PROFESSIONAL, Role.AMBTENAAR)
            and _wijken_to_write(user).exists(),
        },
    )


@never_cache
@writers_required
@require_http_methods(["GET", "POST"])
def peiling_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    wijken = _wijken_to_write(user).order_by("name")
    form = PeilingForm(request.POST or None, wijken=wijken)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                peiling = services.peiling_create(
                    actor=user,
                    wijk=data["wijk"],
                    title=data["title"],
                    intro=data["intro"],
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                    online=data["online"],
                    street=data["street"],
                )
            except PeilingError as error:
                _add_error(form, error)
            else:
                messages.success(
                    request, _("De peiling is gemaakt. Zet er nu de vragen in.")
                )
                return redirect("peilingen:detail", pk=peiling.pk)
        status = 400
    return render(request, "peilingen/peiling_form.html", {"form": form}, status=status)


@never_cache
@writers_required
@require_http_methods(["GET", "POST"])
def peiling_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    peiling = _peiling_for(user, pk)
    if not permissions.can_write(user, peiling):
        raise PermissionDenied
    form = PeilingForm(
        request.POST or None, wijken=Wijk.objects.none(), peiling=peiling
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.peiling_update(
                    actor=user,
                    peiling=peiling,
                    title=data["title"],
                    intro=data["intro"],
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                    online=data["online"],
                    street=data["street"],
                )
            except PeilingError as error:
                _add_error(form, error)
            else:
                messages.success(request, _("De peiling is opgeslagen."))
                return redirect("peilingen:detail", pk=peiling.pk)
        status = 400
    return render(
        request,
        "peilingen/peiling_form.html",
        {"form": form, "peiling": peiling},
        status=status,
    )


def _detail(
    request: AuthenticatedHttpRequest,
    peiling: Peiling,
    *,
    vraag_form: VraagForm | None = None,
    ronde_form: RondeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_write = permissions.can_write(user, peiling)
    is_team = permissions.is_team(user, peiling)
    vragen = list(peiling.vragen.all())
    context: dict[str, Any] = {
        "peiling": peiling,
        "vragen": vragen,
        "minutes": minutes_for([v.kind for v in vragen]),
        "max_questions": MAX_QUESTIONS,
        "can_write": can_write,
        "is_team": is_team,
        "is_concept": peiling.status == PeilingStatus.CONCEPT,
        "answered": user.role == Role.BEWONER
        and services.has_answered(user=user, peiling=peiling),
        "can_answer_online": user.role == Role.BEWONER
        and peiling.is_open
        and peiling.online
        and user.wijk_id == peiling.wijk_id,
        "k": settings.K_ANONYMITY,
    }
    if is_team:
        context["respondents"] = queries.respondent_count(peiling)
    elif can_write or user.role == Role.AMBTENAAR:
        # Outside the team (an officer, also the one who wrote a gemeente survey) the
        # running number passes k_count: a count under K never reaches an officer.
        shown = k_count(queries.respondent_count(peiling))
        context["respondents"] = shown.value
        context["respondents_hidden"] = shown.is_hidden
    if can_write and peiling.status == PeilingStatus.CONCEPT:
        context["vraag_form"] = vraag_form or VraagForm()
    rondes = list(queries.rondes_of(peiling))
    if is_team:
        context["rondes"] = rondes
        if peiling.is_open and peiling.street:
            context["ronde_form"] = ronde_form or RondeForm(peiling=peiling)
    elif user.role == Role.BEWONER:
        context["rondes"] = [
            r
            for r in rondes
            if r.closed_at is None and r.helpers.filter(pk=user.pk).exists()
        ]
    if is_team or can_write:
        rows = queries.coverage(peiling)
        context["coverage"] = rows
        context["coverage_map"] = queries.coverage_map(peiling, rows)
    return render(request, "peilingen/peiling_detail.html", context, status=status)


@never_cache
@login_required
@require_GET
def peiling_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _peiling_for(request.user, pk))


@never_cache
@writers_required
@require_POST
def vraag_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    peiling = _peiling_for(user, pk)
    if not permissions.can_write(user, peiling):
        raise PermissionDenied
    form = VraagForm(request.POST)
    if form.is_valid():
        try:
            services.vraag_add(
                actor=user,
                peiling=peiling,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                options=form.option_lines(),
            )
        except PeilingError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("De vraag staat erin."))
            return redirect("peilingen:detail", pk=peiling.pk)
    return _detail(request, peiling, vraag_form=form, status=400)


@never_cache
@writers_required
@require_POST
def vraag_delete(
    request: AuthenticatedHttpRequest, pk: int, vraag_pk: int
) -> HttpResponse:
    user = request.user
    peiling = _peiling_for(user, pk)
    vraag = get_object_or_404(Vraag, pk=vraag_pk, peiling=peiling)
    try:
        services.vraag_delete(actor=user, vraag=vraag)
    except PeilingError as error:
        messages.error(request, error.messages[0])
        return redirect("peilingen:detail", pk=peiling.pk)
    messages.success(request, _("De vraag is weg."))
    return redirect("peilingen:detail", pk=peiling.pk)


@never_cache
@writers_required
@require_POST
def peiling_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """POST actie=openen or actie=sluiten."""
    user = request.user
    peiling = _peiling_for(user, pk)
    action = request.POST.get("actie")
    try:
        if action == "openen":
            services.peiling_open(actor=user, peiling=peiling)
            messages.success(
                request, _("De peiling is open. Bewoners kunnen nu antwoorden.")
            )
        elif action == "sluiten":
            services.peiling_close(actor=user, peiling=peiling)
            messages.success(
                request, _("De peiling is gesloten. De uitkomsten staan klaar.")
            )
        else:
            return HttpResponse(status=400)
    except PeilingError as error:
        if getattr(error, "code", None) == "forbidden":
            raise PermissionDenied from error
        messages.error(request, error.messages[0])
        return _detail(request, peiling, status=400)
    return redirect("peilingen:detail", pk=peiling.pk)


# --- Answering online ------------------------------------------------------------------------------


@never_cache
@role_required(Role.BEWONER)
@require_http_methods(["GET", "POST"])
def peiling_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    peiling = _peiling_for(user, pk)
    if not (peiling.is_open and peiling.online and user.wijk_id == peiling.wijk_id):
        raise Http404
    if services.has_answered(user=user, peiling=peiling):
        messages.info(request, _("U hebt deze peiling al ingevuld. Dank u wel!"))
        return redirect("peilingen:detail", pk=peiling.pk)
    form = AnswerForm(request.POST or None, peiling=peiling, channel=Kanaal.ONLINE)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.response_submit(
                    peiling=peiling,
                    channel=Kanaal.ONLINE,
                    answers=form.answers(),
                    consent=data["consent"],
                    buurt=data["buurt"],
                    age_band=data["age_band"],
                    household=data["household"],
                    user=user,
                )
            except PeilingError as error:
                _add_error(form, error)
            else:
                messages.success(
                    request,
                    _("Dank u wel! Uw antwoorden zijn bewaard, zonder uw naam."),
                )
                return redirect("peilingen:detail", pk=peiling.pk)
        status = 400
    return render(
        request,
        "peilingen/answer_form.html",
        {"peiling": peiling, "form": form, "minutes": _minutes(peiling)},
        status=status,
    )


# --- Street and door rounds -----------------------------------------------------------------------


@never_cache
@professional_required
@require_POST
def ronde_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    peiling = _peiling_for(user, pk)
    form = RondeForm(request.POST, peiling=peiling)
    if form.is_valid():
        try:
            ronde = services.ronde_start(
                actor=user,
                peiling=peiling,
                date=form.cleaned_data["date"],
                buurt=form.cleaned_data["buurt"],
                streets=form.cleaned_data["streets"],
            )
        except PeilingError as error:
            if getattr(error, "code", None) == "forbidden":
                raise PermissionDenied from error
            _add_error(form, error)
        else:
            request.session[f"peiling-ronde-{ronde.pk}"] = form.cleaned_data["channel"]
            return redirect("peilingen:ronde", pk=peiling.pk, ronde_pk=ronde.pk)
    return _detail(request, peiling, ronde_form=form, status=400)


def _ronde_for(user: User, pk: int, ronde_pk: int) -> Ronde:
    ronde = (
        Ronde.objects.select_related("peiling__wijk__gemeente", "buurt")
        .filter(pk=ronde_pk, peiling_id=pk)
        .first()
    )
    if ronde is None or not (
        permissions.is_team(user, ronde.peiling)
        or ronde.helpers.filter(pk=user.pk).exists()
    ):
        raise Http404
    return ronde


def _ronde_page(
    request: AuthenticatedHttpRequest,
    ronde: Ronde,
    *,
    form: AnswerForm | None = None,
    bezoek_form: BezoekForm | None = None,
    helper_form: HelperForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    peiling = ronde.peiling
    channel = request.session.get(f"peiling-ronde-{ronde.pk}", Kanaal.DEUR)
    can_ask = permissions.can_ask(user, ronde)
    context = {
        "peiling": peiling,
        "ronde": ronde,
        "channel": channel,
        "can_ask": can_ask,
        "is_team": permissions.is_team(user, peiling),
        "minutes": _minutes(peiling),
        "k": settings.K_ANONYMITY,
        "bezoeken": list(ronde.bezoeken.all()),
        "helpers": list(ronde.helpers.all()),
    }
    # The team sees the exact number; a volunteer helping in the street only from K
    # up (with the day and the buurt, a small number tells who answered).
    answers = ronde.responses.count()
    context["answer_count"] = answers if context["is_team"] else k_count(answers).value
    if can_ask:
        context["form"] = form or AnswerForm(peiling=peiling, channel=channel)
        context["bezoek_form"] = bezoek_form or BezoekForm()
    if context["is_team"] and ronde.closed_at is None:
        context["helper_form"] = helper_form or HelperForm()
    return render(request, "peilingen/ronde.html", context, status=status)


@never_cache
@role_required(Role.PROFESSIONAL, Role.BEWONER)
@require_http_methods(["GET", "POST"])
def ronde_detail(
    request: AuthenticatedHttpRequest, pk: int, ronde_pk: int
) -> HttpResponse:
    """The round on a phone: the answer form for the next person, and the visits.
    A POST saves one person's answers and shows an empty form for the next one."""
    user = request.user
    ronde = _ronde_for(user, pk, ronde_pk)
    if request.method == "GET":
        return _ronde_page(request, ronde)
    if not permissions.can_ask(user, ronde):
        raise PermissionDenied
    channel = request.POST.get("kanaal", "")
    if channel not in (Kanaal.STRAAT, Kanaal.DEUR):
        channel = request.session.get(f"peiling-ronde-{ronde.pk}", Kanaal.DEUR)
    request.session[f"peiling-ronde-{ronde.pk}"] = channel
    form = AnswerForm(request.POST, peiling=ronde.peiling, channel=channel)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.response_submit(
                peiling=ronde.peiling,
                channel=channel,
                answers=form.answers(),
                consent=data["consent"],
                buurt=data["buurt"] or ronde.buurt,
                age_band=data["age_band"],
                household=data["household"],
                ronde=ronde,
                actor=user,
            )
        except PeilingError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Opgeslagen. Klaar voor de volgende persoon."))
            return redirect("peilingen:ronde", pk=pk, ronde_pk=ronde.pk)
    return _ronde_page(request, ronde, form=form, status=400)


@never_cache
@role_required(Role.PROFESSIONAL, Role.BEWONER)
@require_POST
def bezoek_add(
    request: AuthenticatedHttpRequest, pk: int, ronde_pk: int
) -> HttpResponse:
    user = request.user
    ronde = _ronde_for(user, pk, ronde_pk)
    form = BezoekForm(request.POST)
    if form.is_valid():
        try:
            services.bezoek_add(actor=user, ronde=ronde, **form.cleaned_data)
        except PeilingError as error:
            if getattr(error, "code", None) == "forbidden":
                raise PermissionDenied from error
            _add_error(form, error)
        else:
            messages.success(request, _("Het bezoek is genoteerd."))
            return redirect("peilingen:ronde", pk=pk, ronde_pk=ronde.pk)
    return _ronde_page(request, ronde, bezoek_form=form, status=400)


@never_cache
@professional_required
@require_POST
def ronde_helper(
    request: AuthenticatedHttpRequest, pk: int, ronde_pk: int
) -> HttpResponse:
    user = request.user
    ronde = _ronde_for(user, pk, ronde_pk)
    form = HelperForm(request.POST)
    if form.is_valid():
        try:
            helper = services.ronde_helper_add(
                actor=user, ronde=ronde, email=form.cleaned_data["email"]
            )
        except PeilingError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s helpt mee in deze ronde.") % {"name": helper.display_name},
            )
            return redirect("peilingen:ronde", pk=pk, ronde_pk=ronde.pk)
    return _ronde_page(request, ronde, helper_form=form, status=400)


@never_cache
@professional_required
@require_POST
def ronde_close(
    request: AuthenticatedHttpRequest, pk: int, ronde_pk: int
) -> HttpResponse:
    user = request.user
    ronde = _ronde_for(user, pk, ronde_pk)
    services.ronde_close(actor=user, ronde=ronde)
    messages.success(request, _("De ronde is afgesloten."))
    return redirect("peilingen:detail", pk=pk)


# --- Results -----------------------------------------------------------------------------------------


def _results_peiling(request: HttpRequest, pk: int) -> Peiling:
    peiling = get_object_or_404(
        Peiling.objects.select_related("wijk__gemeente"),
        pk=pk,
        status=PeilingStatus.GESLOTEN,
    )
    return peiling


def _filters(request: HttpRequest) -> dict[str, str]:
    return {
        key: request.GET.get(key, "")[:20]
        for key in queries.DIMENSIONS
        if request.GET.get(key)
    }


@require_GET
def peiling_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Public once closed: k-anonymous counts per question, one filter at a time."""
    peiling = _results_peiling(request, pk)
    filters = _filters(request)
    error = ""
    status = 200
    try:
        results = queries.peiling_results(peiling, filters=filters)
    except queries.FilterError:
        error = (
            _("Kies één filter tegelijk: buurt, leeftijd of huishouden.")
            if len(filters) > 1
            else _("Dit filter bestaat niet (meer). U ziet de hele wijk.")
        )
        status = 400
        results = queries.peiling_results(peiling)
    user = request.user
    is_team = user.is_authenticated and permissions.is_team(user, peiling)  # type: ignore[arg-type]
    return render(
        request,
        "peilingen/results.html",
        {
            "peiling": peiling,
            "results": results,
            "filters": filters,
            "filter_error": error,
            "summary": queries.summary_published(peiling),
            "open_count": queries.open_answer_count(peiling),
            "is_team": is_team,
            "themas": [t for t in peiling.themas.all() if is_public(t)],
            "k": settings.K_ANONYMITY,
        },
        status=status,
    )


@require_GET
def peiling_results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    peiling = _results_peiling(request, pk)
    results = queries.peiling_results(peiling)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"peiling-{peiling.pk}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    csv_writer(response, delimiter=";").writerows(queries.results_csv_rows(results))
    return response


# --- The team: open answers, summary, signals, themes ----------------------------------------------------


def _team_peiling(user: User, pk: int) -> Peiling:
    peiling = _peiling_for(user, pk)
    if not permissions.is_team(user, peiling):
        raise Http404
    return peiling


def _open_page(
    request: AuthenticatedHttpRequest,
    peiling: Peiling,
    *,
    summary_form: SamenvattingForm | None = None,
    thema_form: ThemaForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "peilingen/open_answers.html",
        {
            "peiling": peiling,
            "answers": queries.open_answers(peiling),
            "summary": queries.summary_published(peiling),
            "pending": queries.summary_pending(peiling),
            "summary_form": summary_form or SamenvattingForm(),
            "thema_form": thema_form or ThemaForm(peiling=peiling),
            "themas": list(peiling.themas.all()),
            "reject_form": RejectForm(),
        },
        status=status,
    )


@never_cache
@professional_required
@require_GET
def open_answers(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _open_page(request, _team_peiling(request.user, pk))


@never_cache
@professional_required
@require_POST
def summary_propose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    peiling = _team_peiling(user, pk)
    form = SamenvattingForm(request.POST)
    if form.is_valid():
        try:
            services.summary_propose(
                actor=user, peiling=peiling, text=form.cleaned_data["text"]
            )
        except PeilingError as error:
            _add_error(form, error)
        else:
            messages.success(
                request, _("De samenvatting wacht op een collega die hem goedkeurt.")
            )
            return redirect("peilingen:open_answers", pk=pk)
    return _open_page(request, peiling, summary_form=form, status=400)


@never_cache
@professional_required
@require_POST
def summary_decide(
    request: AuthenticatedHttpRequest, pk: int, summary_pk: int
) -> HttpResponse:
    """POST actie=goedkeuren or actie=afwijzen (with a reason)."""
    user = request.user
    peiling = _team_peiling(user, pk)
    samenvatting = get_object_or_404(
        PeilingSamenvatting,
        pk=summary_pk,
        peiling=peiling,
        status=SamenvattingStatus.PENDING,
    )
    action = request.POST.get("actie")
    try:
        if action == "goedkeuren":
            services.summary_approve(actor=user, samenvatting=samenvatting)
            messages.success(request, _("De samenvatting is openbaar."))
        elif action == "afwijzen":
            form = RejectForm(request.POST)
            form.is_valid()
            services.summary_reject(
                actor=user,
                samenvatting=samenvatting,
                reason=form.cleaned_data.get("reason", ""),
            )
            messages.success(request, _("De samenvatting is afgewezen."))
        else:
            return HttpResponse(status=400)
    except PeilingError as error:
        messages.error(request, error.messages[0])
        return _open_page(request, peiling, status=400)
    return redirect("peilingen:open_answers", pk=pk)


@never_cache
@professional_required
@require_http_methods(["GET", "POST"])
def answer_signal(
    request: AuthenticatedHttpRequest, pk: int, antwoord_pk: int
) -> HttpResponse:
    user = request.user
    peiling = _team_peiling(user, pk)
    antwoord = get_object_or_404(
        Antwoord.objects.select_related("vraag", "respons__buurt"),
        pk=antwoord_pk,
        respons__peiling=peiling,
        vraag__kind="open",
    )
    form = SignaalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                signaal = services.answer_to_signal(
                    actor=user,
                    antwoord=antwoord,
                    categorie=form.cleaned_data["categorie"],
                    bron=form.cleaned_data["bron"],
                )
            except (PeilingError, ValidationError) as error:
                _add_error(form, error)
            else:
                messages.success(request, _("Er is een signaal van gemaakt."))
                return redirect("signalen:detail", pk=signaal.pk)
        status = 400
    return render(
        request,
        "peilingen/answer_signal.html",
        {"peiling": peiling, "antwoord": antwoord, "form": form},
        status=status,
    )


@never_cache
@professional_required
@require_POST
def thema_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """POST thema=<pk> to link; with actie=ontkoppelen to unlink."""
    user = request.user
    peiling = _team_peiling(user, pk)
    if request.POST.get("actie") == "ontkoppelen":
        thema = get_object_or_404(WijkThema, pk=request.POST.get("thema") or 0)
        services.thema_unlink(actor=user, peiling=peiling, thema=thema)
        messages.success(request, _("Het thema is losgekoppeld."))
        return redirect("peilingen:open_answers", pk=pk)
    form = ThemaForm(request.POST, peiling=peiling)
    if form.is_valid():
        services.thema_link(
            actor=user, peiling=peiling, thema=form.cleaned_data["thema"]
        )
        messages.success(request, _("De peiling staat nu bij het thema."))
        return redirect("peilingen:open_answers", pk=pk)
    return _open_page(request, peiling, thema_form=form, status=400)

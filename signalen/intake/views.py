"""Signal pages, for professionals only: log, list, view, change, withdraw, export.

Every page that shows signal data writes an audit entry. The text the author typed
is scrubbed before saving; what was removed is shown once, on the confirmation
that answers the POST itself, so the removed originals never touch the database
or the session.
"""

from __future__ import annotations

import csv
import uuid

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from accounts.permissions import wijken_of_user
from signalen.intake import bulk_template, services
from signalen.intake.filters import SignaalFilter
from signalen.intake.forms import (
    BulkForm,
    SignaalForm,
    SignaalWithdrawForm,
    bulk_rows_clean,
)
from signalen.intake.permissions import (
    can_change_signaal,
    professional_required,
    signaal_get_for_user,
)
from signalen.intake.queries import last_wijk_of_author, signalen_for_user
from signalen.intake.scrubbing import LABELS, ScrubResult, ScrubUnavailable
from signalen.models import AuditAction, Signaal
from signalen.themes.correction_views import suggestion_context
from wijken.models import Buurt, Wijk

LAST_WIJK_SESSION_KEY = "signalen_last_wijk"
PAGE_SIZE = 25
EXPORT_MAX_ROWS = 10_000
SCRUB_UNAVAILABLE_MESSAGE = gettext_lazy(
    "Het opslaan lukt nu even niet. Probeer het over een minuut opnieuw."
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _no_store(response: HttpResponse) -> HttpResponse:
    # Pages with signal text (or removed originals) stay out of shared caches.
    response["Cache-Control"] = "no-store, private"
    return response


def _removals(result: ScrubResult | None) -> list[dict[str, str]]:
    if result is None:
        return []
    return [
        {"label": str(LABELS.get(r.kind, r.label)), "original": r.original}
        for r in result.removals
    ]


def _initial_wijk(request: HttpRequest, wijken: QuerySet[Wijk]) -> Wijk | None:
    """The wijk asked for, else the last one used: this session's, else the wijk of
    the professional's latest signal (a new session forgets), else the first."""
    for candidate in (
        request.GET.get("wijk"),
        request.session.get(LAST_WIJK_SESSION_KEY),
    ):
        if candidate is not None and str(candidate).isdigit():
            wijk = wijken.filter(pk=int(candidate)).first()
            if wijk is not None:
                return wijk
    last = last_wijk_of_author(author=_user(request), wijken=wijken)
    return last if last is not None else wijken.order_by("name").first()


def _hide_single_wijk(form: SignaalForm, wijken: QuerySet[Wijk]) -> Wijk | None:
    """A professional with one wijk does not have to choose it."""
    if form.signaal is not None or wijken.count() != 1:
        return None
    form.fields["wijk"].widget = forms.HiddenInput()
    return wijken.first()


@professional_required
@require_http_methods(["GET", "POST"])
def signaal_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    wijken = wijken_of_user(user).select_related("gemeente")
    if not wijken.exists():
        return render(request, "signalen/no_team.html", status=403)
    if request.method == "POST":
        form = SignaalForm(request.POST, wijken=wijken)
        only_wijk = _hide_single_wijk(form, wijken)
        if form.is_valid():
            data = form.cleaned_data
            try:
                signaal, result = services.signaal_create(
                    author=user,
                    wijk=data["wijk"],
                    buurt=data["buurt"],
                    categorie=data["categorie"],
                    doelgroepen=data["doelgroepen"],
                    bron=data["bron"],
                    text=data["text"],
                    households_estimate=data["households_estimate"],
                    observed_on=data["observed_on"],
                    intake_token=data.get("intake_token"),
                )
            except services.SignaalError as error:
                form.add_error(None, error)
            else:
                request.session[LAST_WIJK_SESSION_KEY] = signaal.wijk_id
                # Issue 16 item 3: the wijk's closest themes, one tap attaches. Empty
                # while the text is sealed or the vector is not there yet.
                return _no_store(
                    render(
                        request,
                        "signalen/signaal_confirm.html",
                        {
                            "signaal": signaal,
                            "removals": _removals(result),
                            "created": True,
                            "pending": signaal.scrub_pending,
                            "repeated": result is None and not signaal.scrub_pending,
                            **suggestion_context(user, signaal),
                        },
                    )
                )
        status = 400
    else:
        initial_wijk = _initial_wijk(request, wijken)
        form = SignaalForm(
            initial={
                "wijk": initial_wijk,
                "observed_on": timezone.localdate(),
                "intake_token": uuid.uuid4(),
            },
            wijken=wijken,
        )
        only_wijk = _hide_single_wijk(form, wijken)
        status = 200
    return _no_store(
        render(
            request,
            "signalen/signaal_form.html",
            {"form": form, "only_wijk": only_wijk, "signaal": None},
            status=status,
        )
    )


@professional_required
@require_GET
def buurt_options(request: HttpRequest) -> HttpResponse:
    """The buurt choices of one of the user's wijken (for the form's script)."""
    raw = request.GET.get("wijk", "")
    wijk = (
        wijken_of_user(_user(request)).filter(pk=int(raw)).first()
        if raw.isdigit()
        else None
    )
    buurten: QuerySet[Buurt] = (
        Buurt.objects.filter(wijk=wijk, is_active=True).order_by("name")
        if wijk is not None
        else Buurt.objects.none()
    )
    return render(request, "signalen/buurt_options.html", {"buurten": buurten})


def _filtered(request: HttpRequest) -> tuple[SignaalFilter, QuerySet[Signaal]]:
    user = _user(request)
    signal_filter = SignaalFilter(
        request.GET or None, queryset=signalen_for_user(user=user), user=user
    )
    return signal_filter, signal_filter.qs


@professional_required
@require_GET
def signaal_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    signal_filter, queryset = _filtered(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("pagina"))
    services.audit_log(
        actor=user,
        action=AuditAction.LIST,
        detail={
            "filters": signal_filter.used_filters(),
            "page": page.number,
            "rows": len(page.object_list),
            "total": page.paginator.count,
        },
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    now = timezone.now()
    rows = [
        (signaal, can_change_signaal(user=user, signaal=signaal, now=now))
        for signaal in page.object_list
    ]
    return _no_store(
        render(
            request,
            "signalen/signaal_list.html",
            {
                "filter": signal_filter,
                "page": page,
                "rows": rows,
                "query": query.urlencode(),
                "has_wijken": wijken_of_user(user).exists(),
            },
        )
    )


@professional_required
@require_GET
def signaal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    signaal = signaal_get_for_user(user=user, pk=pk)
    services.audit_log(actor=user, action=AuditAction.VIEW, signaal=signaal)
    return _no_store(
        render(
            request,
            "signalen/signaal_detail.html",
            {
                "signaal": signaal,
                "can_change": can_change_signaal(user=user, signaal=signaal),
            },
        )
    )


def _signaal_changeable(request: HttpRequest, pk: int) -> Signaal | HttpResponse:
    user = _user(request)
    signaal = signaal_get_for_user(user=user, pk=pk)
    if not can_change_signaal(user=user, signaal=signaal):
        messages.error(
            request,
            _(
                "Dit signaal kunt u niet meer wijzigen of intrekken. Dat kan alleen "
                "de melder, binnen 24 uur."
            ),
        )
        return redirect("signalen:detail", pk=signaal.pk)
    return signaal


@professional_required
@require_http_methods(["GET", "POST"])
def signaal_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    signaal = _signaal_changeable(request, pk)
    if isinstance(signaal, HttpResponse):
        return signaal
    wijken = wijken_of_user(user)
    status = 200
    if request.method == "POST":
        form = SignaalForm(request.POST, wijken=wijken, signaal=signaal)
        if form.is_valid():
            data = form.cleaned_data
            try:
                signaal, result = services.signaal_update(
                    signaal=signaal,
                    actor=user,
                    buurt=data["buurt"],
                    categorie=data["categorie"],
                    doelgroepen=data["doelgroepen"],
                    bron=data["bron"],
                    text=data["text"],
                    households_estimate=data["households_estimate"],
                    observed_on=data["observed_on"],
                )
            except ScrubUnavailable:
                form.add_error(None, SCRUB_UNAVAILABLE_MESSAGE)
            except services.SignaalError as error:
                form.add_error(None, error)
            else:
                return _no_store(
                    render(
                        request,
                        "signalen/signaal_confirm.html",
                        {
                            "signaal": signaal,
                            "removals": _removals(result),
                            "created": False,
                        },
                    )
                )
        status = 400
    else:
        form = SignaalForm(
            initial={
                "wijk": signaal.wijk,
                "buurt": signaal.buurt,
                "categorie": signaal.categorie,
                "doelgroepen": list(signaal.doelgroepen.all()),
                "bron": signaal.bron,
                "text": signaal.text,
                "households_estimate": signaal.households_estimate,
                "observed_on": signaal.observed_on,
            },
            wijken=wijken,
            signaal=signaal,
        )
    return _no_store(
        render(
            request,
            "signalen/signaal_form.html",
            {"form": form, "only_wijk": None, "signaal": signaal},
            status=status,
        )
    )


@professional_required
@require_http_methods(["GET", "POST"])
def signaal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    signaal = _signaal_changeable(request, pk)
    if isinstance(signaal, HttpResponse):
        return signaal
    form = SignaalWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.signaal_withdraw(
            signaal=signaal, actor=user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Het signaal is ingetrokken."))
        return redirect("signalen:list")
    return render(
        request,
        "signalen/signaal_withdraw.html",
        {"form": form, "signaal": signaal},
        status=400 if request.method == "POST" else 200,
    )


EXPORT_COLUMNS = [
    ("id", "id"),
    ("gezien_op", "observed_on"),
    ("gemeld_op", "created_at"),
    ("wijk", "wijk"),
    ("buurt", "buurt"),
    ("categorie", "categorie"),
    ("doelgroepen", "doelgroepen"),
    ("bron", "bron"),
    ("huishoudens", "households_estimate"),
    ("tekst", "text"),
    ("gemeld_door", "author"),
]


def _csv_safe(value: str) -> str:
    # Spreadsheet programs run cells that start with these as formulas.
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _export_row(signaal: Signaal) -> list[str]:
    return [
        str(signaal.pk),
        signaal.observed_on.isoformat(),
        timezone.localtime(signaal.created_at).strftime("%Y-%m-%d %H:%M"),
        signaal.wijk.code,
        signaal.buurt.code if signaal.buurt else "",
        signaal.categorie.code,
        ";".join(d.code for d in signaal.doelgroepen.all()),
        signaal.bron.code,
        "" if signaal.households_estimate is None else str(signaal.households_estimate),
        _csv_safe(signaal.text),
        _csv_safe(signaal.author.display_name) if signaal.author else "",
    ]


@professional_required
@require_GET
def signaal_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV: scrubbed text, author names but no e-mail addresses."""
    user = _user(request)
    signal_filter, queryset = _filtered(request)
    signalen = list(queryset[:EXPORT_MAX_ROWS])
    services.audit_log(
        actor=user,
        action=AuditAction.EXPORT,
        detail={"filters": signal_filter.used_filters(), "rows": len(signalen)},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = "signalen-" + timezone.localdate().isoformat() + ".csv"
    response["Content-Disposition"] = 'attachment; filename="' + filename + '"'
    response.write("\ufeff")  # so Excel reads UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow([name for name, _field in EXPORT_COLUMNS])
    for signaal in signalen:
        writer.writerow(_export_row(signaal))
    return _no_store(response)


def _bulk_download(kind: str, wijken: QuerySet[Wijk]) -> HttpResponse:
    """?bestand=sjabloon: the template to fill in; ?bestand=codes: the valid codes."""
    makers = {
        "sjabloon": (bulk_template.bulk_template_csv, "signalen-sjabloon.csv"),
        "codes": (bulk_template.bulk_codes_csv, "signalen-codes.csv"),
    }
    if kind not in makers:
        raise Http404
    make, filename = makers[kind]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so Excel reads UTF-8
    response.write(make(wijken=wijken))
    return _no_store(response)


@professional_required
@require_http_methods(["GET", "POST"])
def signaal_bulk(request: HttpRequest) -> HttpResponse:
    """Paste or upload a CSV of signals collected on paper: all rows valid, or none
    saved."""
    user = _user(request)
    wijken = wijken_of_user(user)
    if not wijken.exists():
        return render(request, "signalen/no_team.html", status=403)
    download = request.GET.get("bestand")
    if request.method == "GET" and download is not None:
        return _bulk_download(download, wijken)
    context: dict[str, object] = {
        "row_errors": [],
        "file_error": "",
        "code_lists": bulk_template.bulk_code_lists(wijken=wijken),
    }
    status = 200
    if request.method == "POST":
        form = BulkForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            rows, row_errors, file_error = bulk_rows_clean(
                content=form.cleaned_data["content"], wijken=wijken
            )
            context.update(row_errors=row_errors, file_error=file_error)
            if not row_errors and not file_error:
                try:
                    created = services.signalen_bulk_create(author=user, rows=rows)
                except ScrubUnavailable:
                    form.add_error(None, SCRUB_UNAVAILABLE_MESSAGE)
                except services.SignaalError as error:
                    form.add_error(None, error)
                else:
                    return _no_store(
                        render(
                            request,
                            "signalen/bulk_done.html",
                            {
                                "created": [
                                    (signaal, _removals(result))
                                    for signaal, result in created
                                ]
                            },
                        )
                    )
    else:
        form = BulkForm()
    context["form"] = form
    context["wijken"] = wijken.defer("geometry").order_by("name")
    return _no_store(render(request, "signalen/bulk_form.html", context, status=status))

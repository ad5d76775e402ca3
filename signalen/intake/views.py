"""Signal pages, for professionals only: log, list, view, change, withdraw, export.

Every page that shows signal data writes an audit entry. Logging or changing a signal
saves its text sealed and answers at once with a redirect to the author's confirm page
(issue 17 item 1: no web worker waits for the scrubber); that page says "wordt nog
geanonimiseerd" and fetches its status fragment until the worker has scrubbed (and
embedded) the text, then shows the stored text, what was removed (kept sealed in the
cache for a few minutes, never in the database or the session) and the themes it may
belong to. Without JavaScript a link reloads the page.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from accounts.permissions import wijken_of_user
from core.exports import csv_writer
from core.http import AuthenticatedHttpRequest, never_cache
from signalen.intake import bulk_template, removals, services
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
    wijken_with_team,
)
from signalen.intake.queries import last_wijk_of_author, signalen_for_user
from signalen.intake.scrub.types import Removal
from signalen.intake.scrubbing import LABELS
from signalen.models import AuditAction, Signaal
from wijken.models import Buurt, Wijk

LAST_WIJK_SESSION_KEY = "signalen_last_wijk"
PAGE_SIZE = 25
EXPORT_MAX_ROWS = 10_000
# The confirm page's query: which message it opens with (the POST answered with it).
CONFIRM_REPEATED = "opnieuw"  # the same form posted twice: saved once
CONFIRM_CHANGED = "gewijzigd"  # a change, not a new signal


# What the packages above intake add to the confirm page (the themes package adds
# the wijk's closest themes; signalen/apps.py wires it): intake imports none of them.
CONFIRM_PANELS: list[Callable[[User, Signaal], dict[str, Any]]] = []
# What they add to the whole confirm page only, at once (not to the status fragment
# the page's script fetches): "Waar kan iemand terecht?" (signalen/terecht/).
CONFIRM_PAGE_PANELS: list[Callable[[User, Signaal], dict[str, Any]]] = []


def _confirm_panels(user: User, signaal: Signaal) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for panel in CONFIRM_PANELS:
        context.update(panel(user, signaal))
    return context


def _removals(found: list[Removal] | None) -> list[dict[str, str]]:
    if not found:
        return []
    return [
        {"label": str(LABELS.get(r.kind, r.label)), "original": r.original}
        for r in found
    ]


def _removed_kinds(summary: dict[str, int]) -> list[dict[str, object]]:
    """What was removed without the originals (they are gone): kinds and counts."""
    return [
        {"label": str(LABELS.get(kind, kind)), "count": count}
        for kind, count in sorted(summary.items())
        if count
    ]


def _initial_wijk(request: AuthenticatedHttpRequest, wijken: list[Wijk]) -> Wijk | None:
    """The wijk asked for, else the last one used: this session's, else the wijk of
    the professional's latest signal (a new session forgets), else the first."""
    by_pk = {wijk.pk: wijk for wijk in wijken}
    for candidate in (
        request.GET.get("wijk"),
        request.session.get(LAST_WIJK_SESSION_KEY),
    ):
        if candidate is not None and str(candidate).isdigit():
            wijk = by_pk.get(int(candidate))
            if wijk is not None:
                return wijk
    last = last_wijk_of_author(author=request.user, wijken=wijken)
    return last if last is not None else (wijken[0] if wijken else None)


def _hide_single_wijk(form: SignaalForm, wijken: list[Wijk]) -> Wijk | None:
    """A professional with one wijk does not have to choose it."""
    if form.signaal is not None or len(wijken) != 1:
        return None
    form.fields["wijk"].widget = forms.HiddenInput()
    return wijken[0]


def _form_wijken(user: User) -> QuerySet[Wijk]:
    """The user's wijken for the signal forms: names, not shapes. A wijk's and its
    gemeente's GeoJSON can be large, and SELECT DISTINCT would compare it."""
    return (
        wijken_of_user(user)
        .select_related("gemeente")
        .defer("geometry", "gemeente__geometry")
    )


@never_cache
@professional_required
@require_http_methods(["GET", "POST"])
def signaal_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    wijken = _form_wijken(user)
    # One query for all that follows, the author's team in each wijk included.
    wijk_list = list(wijken_with_team(wijken, user=user).order_by("name"))
    if not wijk_list:
        return render(request, "signalen/no_team.html", status=403)
    if request.method == "POST":
        form = SignaalForm(request.POST, wijken=wijken, wijk_list=wijk_list)
        only_wijk = _hide_single_wijk(form, wijk_list)
        if form.is_valid():
            data = form.cleaned_data
            try:
                signaal, created = services.signaal_create(
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
                    team_id=getattr(data["wijk"], "author_team_id", None),
                )
            except services.SignaalError as error:
                form.add_error(None, error)
            else:
                if request.session.get(LAST_WIJK_SESSION_KEY) != signaal.wijk_id:
                    request.session[LAST_WIJK_SESSION_KEY] = signaal.wijk_id
                return _confirm_redirect(signaal, repeated=not created)
        status = 400
    else:
        initial_wijk = _initial_wijk(request, wijk_list)
        form = SignaalForm(
            initial={
                "wijk": initial_wijk,
                "observed_on": timezone.localdate(),
                "intake_token": uuid.uuid4(),
            },
            wijken=wijken,
        )
        only_wijk = _hide_single_wijk(form, wijk_list)
        status = 200
    return render(
        request,
        "signalen/signaal_form.html",
        {"form": form, "only_wijk": only_wijk, "signaal": None},
        status=status,
    )


def _confirm_redirect(
    signaal: Signaal, *, repeated: bool = False, changed: bool = False
) -> HttpResponse:
    url = reverse("signalen:confirm", args=[signaal.pk])
    if repeated:
        url += "?" + CONFIRM_REPEATED
    elif changed:
        url += "?" + CONFIRM_CHANGED
    return redirect(url)


def _own_signaal(request: AuthenticatedHttpRequest, pk: int) -> Signaal:
    """The confirm page is its author's alone (it may show what was removed): anyone
    else, a teammate too, gets 404, as for a withdrawn signal."""
    signaal = signaal_get_for_user(user=request.user, pk=pk)
    if signaal.author_id != request.user.pk:
        raise Http404
    return signaal


def _confirm_context(
    request: AuthenticatedHttpRequest, signaal: Signaal
) -> dict[str, Any]:
    """What the confirm page and its status fragment show, in three steps: the text
    waits for the scrubber; it is there (with what was removed); the themes it may
    belong to are there (or there is nothing more to wait for). `poll_*`: the page
    asks again while a step is still to come."""
    user = request.user
    created = CONFIRM_CHANGED not in request.GET
    pending = signaal.scrub_pending
    context: dict[str, Any] = {
        "signaal": signaal,
        "created": created,
        "repeated": CONFIRM_REPEATED in request.GET,
        "pending": pending,
        "removals": [],
        "removed_kinds": [],
        "suggestions": [],
        "suggest_later": False,
        "query": request.GET.urlencode(),
    }
    if not pending:
        found = removals.recall(signaal_id=signaal.pk)
        context["removals"] = _removals(found)
        if found is None:
            context["removed_kinds"] = _removed_kinds(signaal.scrub_summary or {})
        if created:
            # Issue 16 item 3: the wijk's closest themes, one tap attaches. Empty
            # until the worker has stored the signal's vector.
            context.update(_confirm_panels(user, signaal))
    context["poll_text"] = pending
    context["poll_themes"] = created and (pending or bool(context["suggest_later"]))
    return context


@never_cache
@professional_required
@require_GET
def signaal_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The answer to logging (or changing) a signal: saved; the text once scrubbed."""
    signaal = _own_signaal(request, pk)
    context = _confirm_context(request, signaal)
    for panel in CONFIRM_PAGE_PANELS:
        context.update(panel(request.user, signaal))
    return render(request, "signalen/signaal_confirm.html", context)


@never_cache
@professional_required
@require_GET
def signaal_confirm_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The confirm page's changing parts, for its script to fetch until done."""
    signaal = _own_signaal(request, pk)
    return render(
        request,
        "signalen/signaal_confirm.html#status",
        _confirm_context(request, signaal),
    )


@professional_required
@require_GET
def buurt_options(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The buurt choices of one of the user's wijken (for the form's script)."""
    raw = request.GET.get("wijk", "")
    wijk = (
        wijken_of_user(request.user).filter(pk=int(raw)).first()
        if raw.isdigit()
        else None
    )
    buurten: QuerySet[Buurt] = (
        Buurt.objects.filter(wijk=wijk, is_active=True).order_by("name")
        if wijk is not None
        else Buurt.objects.none()
    )
    return render(request, "signalen/buurt_options.html", {"buurten": buurten})


def _filtered(
    request: AuthenticatedHttpRequest,
) -> tuple[SignaalFilter, QuerySet[Signaal]]:
    user = request.user
    signal_filter = SignaalFilter(
        request.GET or None, queryset=signalen_for_user(user=user), user=user
    )
    return signal_filter, signal_filter.qs


@never_cache
@professional_required
@require_GET
def signaal_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
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
    return render(
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


@never_cache
@professional_required
@require_GET
def signaal_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    signaal = signaal_get_for_user(user=user, pk=pk)
    services.audit_log(actor=user, action=AuditAction.VIEW, signaal=signaal)
    return render(
        request,
        "signalen/signaal_detail.html",
        {
            "signaal": signaal,
            "can_change": can_change_signaal(user=user, signaal=signaal),
        },
    )


def _signaal_changeable(
    request: AuthenticatedHttpRequest, pk: int
) -> Signaal | HttpResponse:
    user = request.user
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


@never_cache
@professional_required
@require_http_methods(["GET", "POST"])
def signaal_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    signaal = _signaal_changeable(request, pk)
    if isinstance(signaal, HttpResponse):
        return signaal
    if signaal.scrub_pending:
        # Its text is still sealed: the form would offer an empty text to change.
        messages.info(
            request,
            _(
                "De tekst wordt nog geanonimiseerd. Wijzigen kan zodra de tekst "
                "hieronder staat, meestal binnen een minuut."
            ),
        )
        return redirect("signalen:detail", pk=signaal.pk)
    wijken = wijken_of_user(user)
    status = 200
    if request.method == "POST":
        form = SignaalForm(request.POST, wijken=wijken, signaal=signaal)
        if form.is_valid():
            data = form.cleaned_data
            try:
                signaal = services.signaal_update(
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
            except services.SignaalError as error:
                form.add_error(None, error)
            else:
                return _confirm_redirect(signaal, changed=True)
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
    return render(
        request,
        "signalen/signaal_form.html",
        {"form": form, "only_wijk": None, "signaal": signaal},
        status=status,
    )


@professional_required
@require_http_methods(["GET", "POST"])
def signaal_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
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
        signaal.text,
        signaal.author.display_name if signaal.author else "",
    ]


@never_cache
@professional_required
@require_GET
def signaal_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The filtered list as CSV: scrubbed text, author names but no e-mail addresses."""
    user = request.user
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
    writer = csv_writer(response, delimiter=";")  # formula-safe cells
    writer.writerow([name for name, _field in EXPORT_COLUMNS])
    for signaal in signalen:
        writer.writerow(_export_row(signaal))
    return response


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
    return response


@never_cache
@professional_required
@require_http_methods(["GET", "POST"])
def signaal_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Paste or upload a CSV of signals collected on paper: all rows valid, or none
    saved."""
    user = request.user
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
                except services.SignaalError as error:
                    form.add_error(None, error)
                else:
                    return render(
                        request, "signalen/bulk_done.html", {"created": created}
                    )
    else:
        form = BulkForm()
    context["form"] = form
    context["wijken"] = wijken.defer("geometry").order_by("name")
    return render(request, "signalen/bulk_form.html", context, status=status)

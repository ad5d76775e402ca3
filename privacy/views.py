"""Pages of the data rights: the privacy statement, "Mijn gegevens" (view and download),
"Account verwijderen", and the beheerder's deactivation of staff accounts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import services as accounts_services
from accounts.models import Role
from accounts.permissions import role_required
from core import ratelimit
from core.http import AuthenticatedHttpRequest
from outbox.services import outbox_send
from privacy import queries, services
from privacy.forms import AccountDeleteForm, StaffDeactivateForm

# Wrong passwords on the delete page, per account, before it waits a while.
DELETE_ATTEMPTS = 5
DELETE_ATTEMPTS_SECONDS = 15 * 60

SECTION_TITLES: dict[str, Any] = {
    "toestemming": gettext_lazy("Uw toestemming voor buurtverbinders"),
    "rollen": gettext_lazy("Uw rol als buurtverbinder"),
    "koppelingen_als_helper": gettext_lazy("Koppelingen waarin u hulp aanbood"),
    "logboek": gettext_lazy("Uw logboek als buurtverbinder"),
    "profile": gettext_lazy("Uw account"),
    "email_addresses": gettext_lazy("E-mailadressen"),
    "two_step_verification": gettext_lazy("Tweestapsverificatie"),
    "teams": gettext_lazy("Uw wijkteams"),
    "invitations_sent": gettext_lazy("Uitnodigingen die u verstuurde (aantal)"),
    "initiatives_owned": gettext_lazy("Initiatieven waarvan u eigenaar bent"),
    "initiatives_co_organised": gettext_lazy("Initiatieven die u mee organiseert"),
    "participations": gettext_lazy("Waar u aan meedoet of wat u steunt"),
    "follows": gettext_lazy("Initiatieven die u volgt"),
    "offer": gettext_lazy("Wat u kunt geven"),
    "notification_preference": gettext_lazy("Hoe vaak u e-mail wilt"),
    "notifications": gettext_lazy("Berichten aan u"),
    "reports_filed": gettext_lazy("Meldingen die u deed"),
    "updates_written": gettext_lazy("Nieuws dat u schreef"),
    "meetings_planned": gettext_lazy("Bijeenkomsten die u plande"),
    "agreements": gettext_lazy("Afspraken voor u"),
    "reports_handled": gettext_lazy("Meldingen die u afhandelde (aantal)"),
    "themes_adopted": gettext_lazy("Thema's die u trekt"),
    "theme_progress_written": gettext_lazy("Voortgang die u schreef bij een thema"),
    "work_counts": gettext_lazy("Uw werk in aantallen"),
    "budget_votes": gettext_lazy(
        "Wijkbudget: rondes waarin u stemde (niet wat: uw stem is geheim)"
    ),
    "budget_requests": gettext_lazy("Wijkbudget: aanvragen die u indiende"),
    "budget_spending": gettext_lazy("Wijkbudget: uitgaven die u verantwoordde"),
}

FIELD_LABELS: dict[str, Any] = {
    "id": gettext_lazy("Nummer"),
    "voted_on": gettext_lazy("Gestemd op"),
    "round": gettext_lazy("Budgetronde"),
    "purpose": gettext_lazy("Waar het geld voor is"),
    "spent_on": gettext_lazy("Datum van de uitgave"),
    "email": gettext_lazy("E-mailadres"),
    "display_name": gettext_lazy("Naam"),
    "role": gettext_lazy("Rol (code)"),
    "role_label": gettext_lazy("Rol"),
    "wijk": gettext_lazy("Wijk"),
    "gemeente": gettext_lazy("Gemeente"),
    "is_active": gettext_lazy("Actief"),
    "date_joined": gettext_lazy("Lid sinds"),
    "last_login": gettext_lazy("Laatst ingelogd"),
    "inactivity_warned_at": gettext_lazy("Gewaarschuwd voor inactiviteit op"),
    "verified": gettext_lazy("Bevestigd"),
    "primary": gettext_lazy("Hoofdadres"),
    "type": gettext_lazy("Soort"),
    "created_at": gettext_lazy("Gemaakt op"),
    "last_used_at": gettext_lazy("Laatst gebruikt"),
    "name": gettext_lazy("Naam"),
    "wijken": gettext_lazy("Wijken"),
    "title": gettext_lazy("Titel"),
    "summary": gettext_lazy("Samenvatting"),
    "description": gettext_lazy("Beschrijving"),
    "status": gettext_lazy("Status"),
    "where": gettext_lazy("Waar"),
    "when": gettext_lazy("Wanneer"),
    "is_hidden": gettext_lazy("Verborgen"),
    "url": gettext_lazy("Link"),
    "needs": gettext_lazy("Wat er nodig is"),
    "kind": gettext_lazy("Soort"),
    "is_met": gettext_lazy("Geregeld"),
    "initiative": gettext_lazy("Initiatief"),
    "show_name": gettext_lazy("Naam openbaar"),
    "since": gettext_lazy("Sinds"),
    "talents": gettext_lazy("Wat ik kan en wil doen"),
    "kinds": gettext_lazy("Wat ik kan geven"),
    "hours_per_month": gettext_lazy("Uren per maand"),
    "updated_at": gettext_lazy("Gewijzigd op"),
    "frequency": gettext_lazy("Hoe vaak"),
    "text": gettext_lazy("Tekst"),
    "sent_at": gettext_lazy("Verstuurd op"),
    "update_id": gettext_lazy("Nummer van het bericht"),
    "reason": gettext_lazy("Reden"),
    "starts_at": gettext_lazy("Datum en tijd"),
    "place": gettext_lazy("Plaats"),
    "agenda": gettext_lazy("Agenda"),
    "meeting_starts_at": gettext_lazy("Bijeenkomst op"),
    "due_date": gettext_lazy("Klaar op"),
    "theme": gettext_lazy("Thema"),
    "signals_logged": gettext_lazy("Signalen doorgegeven"),
    "signals_withdrawn": gettext_lazy("Signalen ingetrokken"),
    "audit_log_entries": gettext_lazy("Regels in het auditlog"),
    "theme_changes": gettext_lazy("Wijzigingen aan thema's"),
    "escalations_sent": gettext_lazy("Beleidssignalen verstuurd"),
    "escalations_handled": gettext_lazy("Beleidssignalen behandeld"),
    "goals_created": gettext_lazy("Doelen gemaakt"),
    "goal_progress_entries": gettext_lazy("Voortgang bij doelen"),
}


def _text(value: Any) -> str:
    """One value in words a person reads: dates as dates, yes/no, lists joined."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, dict):
        if "title" in value:
            return str(value["title"])
        if "name" in value:
            return str(value["name"])
        return ", ".join(f"{_label(k)}: {_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, str):
        moment = parse_datetime(value) if "T" in value else None
        if isinstance(moment, datetime):
            return formats.date_format(moment, "j F Y, H:i")
        day = parse_date(value) if len(value) == 10 else None
        if isinstance(day, date):
            return formats.date_format(day, "j F Y")
    return str(value)


def _label(key: str) -> str:
    return str(FIELD_LABELS.get(key, key))


def _rows(record: dict[str, Any]) -> list[tuple[str, str]]:
    return [(_label(k), _text(v)) for k, v in record.items()]


def readable_sections(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The export as sections for the page: a title and either records (label, value
    rows) or one value."""
    sections: list[dict[str, Any]] = []
    for group in (
        "account",
        "initiatieven",
        "signalen",
        "wijkbudget",
        "buurtverbinders",
    ):
        for key, value in data.get(group, {}).items():
            section: dict[str, Any] = {
                "id": key.replace("_", "-"),
                "title": str(SECTION_TITLES.get(key, key)),
                "records": [],
                "value": None,
            }
            if isinstance(value, list):
                section["records"] = [
                    _rows(r) if isinstance(r, dict) else [("", _text(r))] for r in value
                ]
            elif isinstance(value, dict):
                section["records"] = [_rows(value)]
            else:
                section["value"] = _text(value)
            sections.append(section)
    return sections


# --- Privacy statement ---------------------------------------------------------------------


def _years_or_days(days: int) -> dict[str, Any]:
    return {"days": days, "years": days // 365 if days % 365 == 0 else None}


@require_GET
def privacy_statement(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/statement.html",
        {
            "k": settings.K_ANONYMITY,
            "signal_text": _years_or_days(settings.SIGNAL_TEXT_RETENTION_DAYS),
            "inactive": _years_or_days(settings.AVG_INACTIVE_DAYS),
            "grace_days": settings.AVG_INACTIVE_GRACE_DAYS,
            "invitation_days": settings.INVITATION_VALID_DAYS,
            "invitation_purge_days": accounts_services.INVITATION_PURGE_DAYS,
            "export_link_days": settings.AVG_EXPORT_LINK_DAYS,
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
        },
    )


# --- Mijn gegevens --------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    large = services.export_is_large(user)
    context: dict[str, Any] = {
        "large": large,
        "link_days": settings.AVG_EXPORT_LINK_DAYS,
    }
    if not large:
        context["sections"] = readable_sections(services.personal_data_export(user))
    return render(request, "privacy/my_data.html", context)


@never_cache
@login_required
@require_GET
def my_data_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if services.export_is_large(user):
        messages.info(
            request,
            _(
                "U heeft veel gegevens. Vraag hieronder een bestand aan. U krijgt dan "
                "een e-mail met een link."
            ),
        )
        return redirect("privacy:my_data")
    data = services.personal_data_export(user)
    response = HttpResponse(
        services.export_json(data), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{services.export_filename()}"'
    )
    return response


@login_required
@require_POST
def my_data_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Build a large export in the background; the link comes by e-mail."""
    from privacy.tasks import avg_export_build

    user_id = request.user.pk
    outbox_send(avg_export_build, user_id)
    messages.success(
        request,
        _(
            "Wij maken uw bestand. U krijgt een e-mail met een link zodra het klaar "
            "is. De link werkt %(days)s dagen."
        )
        % {"days": settings.AVG_EXPORT_LINK_DAYS},
    )
    return redirect("privacy:my_data")


@never_cache
@login_required
@require_GET
def my_data_file(request: AuthenticatedHttpRequest, token: str) -> FileResponse:
    path = services.export_file_for(token=token, user=request.user)
    if path is None:
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=services.export_filename(),
        content_type="application/json",
    )


# --- Account verwijderen --------------------------------------------------------------------


def _attempts_key(user_id: int) -> str:
    return f"bw:account-delete-attempts:{user_id}"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.role != Role.BEWONER:
        # Staff accounts hold the team's work: only a beheerder can deactivate them.
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "privacy/account_delete_staff.html")
    form = AccountDeleteForm(request.POST or None, user=user)
    key = _attempts_key(user.pk)
    if request.method == "POST":
        # Count the attempt first, then compare (core.ratelimit): simultaneous
        # guesses cannot all get past the limit.
        too_many = not ratelimit.allow(
            key, limit=DELETE_ATTEMPTS, seconds=DELETE_ATTEMPTS_SECONDS
        )
    else:
        too_many = ratelimit.count(key) >= DELETE_ATTEMPTS
    if request.method == "POST" and not too_many and form.is_valid():
        ratelimit.reset(key)
        services.account_forget(user=user)
        logout(request)
        messages.success(
            request,
            _(
                "Uw account is verwijderd. Uw gegevens zijn weg. Bedankt dat u "
                "meedeed met Buurtwijs."
            ),
        )
        return redirect("home")
    status = 200
    if request.method == "POST":
        status = 429 if too_many else 400
    return render(
        request,
        "privacy/account_delete.html",
        {
            "form": form,
            "too_many": too_many,
            "wait_minutes": DELETE_ATTEMPTS_SECONDS // 60,
            "inactive": _years_or_days(settings.AVG_INACTIVE_DAYS),
        },
        status=status,
    )


# --- Staff accounts: the beheerder deactivates ---------------------------------------------


@never_cache
@role_required(Role.BEHEERDER)
@require_GET
def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    term = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "privacy/staff_list.html",
        {
            "staff": queries.staff_active(term=term)[:200],
            "term": term,
        },
    )


@never_cache
@role_required(Role.BEHEERDER)
@require_http_methods(["GET", "POST"])
def staff_deactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(queries.staff_active(), pk=pk)
    if person.pk == request.user.pk:
        messages.error(
            request,
            _("U kunt uw eigen account niet uitzetten. Vraag een andere beheerder."),
        )
        return redirect("privacy:staff_list")
    form = StaffDeactivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = person.display_name
        done = services.staff_deactivate(
            user=person,
            by=request.user,
        )
        messages.success(
            request,
            _(
                "Het account van %(name)s is uitgezet. Het heet nu %(pseudonym)s. "
                "Signalen en het auditlog blijven bewaard."
            )
            % {"name": name, "pseudonym": done.display_name},
        )
        return redirect("privacy:staff_list")
    return render(
        request,
        "privacy/staff_deactivate.html",
        {"person": person, "form": form},
        status=400 if request.method == "POST" else 200,
    )

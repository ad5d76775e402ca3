"""Wijk goals and the team report: thin views over signalen/goals/services.py and
signalen/goals/report.py.

- /signalen/doelen/: the goals per wijk. Professionals see their own team's goals and
  write them; officers of the gemeente read them (no forms); everyone else gets 403.
- /signalen/rapport/<wijk code>/: the team's printable report of one wijk
  (professionals of a team in that wijk), and its CSV download. A POST there is the
  team's switch to share the report with its gemeente; officers of that gemeente then
  read the outside version (signalen/report.py).

A refused write shows the form again with the error (status 400); a done write
redirects with a message. The charts are server-side SVG with the same facts in text.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role, User
from accounts.permissions import role_required, wijken_of_user
from accounts.queries import teams_sharing_report
from accounts.services import team_report_share
from core.http import AuthenticatedHttpRequest, never_cache
from signalen.goals import queries as goal_queries
from signalen.goals import report
from signalen.goals import services as goals
from signalen.goals.services import GoalError
from signalen.intake.forms import TaxonomyChoiceField
from signalen.intake.permissions import professional_required, team_for_signaal
from signalen.models import (
    AuditAction,
    Doelgroep,
    DoelRichting,
    DoelVoortgang,
    WijkDoel,
    WijkThema,
)
from wijken.models import Wijk

readers_required: Callable[..., Any] = role_required(Role.PROFESSIONAL, Role.AMBTENAAR)

DATE_WIDGET_FORMAT = "%Y-%m-%d"


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format=DATE_WIDGET_FORMAT)


DATE_ERRORS = {
    "invalid": gettext_lazy("Vul een datum in, bijvoorbeeld 15-03-2025."),
    "required": gettext_lazy("Vul een datum in."),
}
NUMBER_ERRORS = {
    "invalid": gettext_lazy("Vul een heel getal in."),
    "required": gettext_lazy("Vul een getal in."),
    "min_value": gettext_lazy("Vul een getal in van %(limit_value)s of meer."),
    "max_value": gettext_lazy("Vul een getal in van hoogstens %(limit_value)s."),
}


def _too_long(what: Any) -> dict[str, Any]:
    return {
        "max_length": gettext_lazy(
            "Te lang: hoogstens %(limit_value)d tekens (nu %(show_value)d)."
        ),
        "required": what,
    }


# --- Forms -----------------------------------------------------------------------------


class OfficerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name or obj.email)


class ThemaChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class DoelForm(forms.Form):
    """A goal. The service checks everything again (goals.goal_clean)."""

    use_required_attribute = False

    title = forms.CharField(
        label=gettext_lazy("Doel"),
        max_length=goals.TITLE_MAX_LENGTH,
        help_text=gettext_lazy(
            "Kort en concreet. Bijvoorbeeld: 50 bewoners doen vrijwilligerswerk."
        ),
        error_messages=_too_long(gettext_lazy("Schrijf op wat het doel is.")),
    )
    doelgroep = TaxonomyChoiceField(
        label=gettext_lazy("Doelgroep"),
        queryset=Doelgroep.objects.none(),
        required=False,
        empty_label=gettext_lazy("Geen bepaalde doelgroep"),
        error_messages={
            "invalid_choice": gettext_lazy("Kies een doelgroep uit de lijst.")
        },
    )
    indicator = forms.CharField(
        label=gettext_lazy("Wat tellen we?"),
        max_length=goals.INDICATOR_MAX_LENGTH,
        help_text=gettext_lazy(
            "Bijvoorbeeld: bewoners die vrijwilligerswerk doen. U telt mensen, geen "
            "signalen."
        ),
        error_messages=_too_long(gettext_lazy("Schrijf op wat u telt.")),
    )
    direction = forms.ChoiceField(
        label=gettext_lazy("Welke kant moet het aantal op?"),
        choices=DoelRichting.choices,
        initial=DoelRichting.OMHOOG,
        required=False,  # not chosen: omhoog (the service decides)
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Omhoog: bijvoorbeeld meer bewoners die vrijwilligerswerk doen. Omlaag: "
            "bijvoorbeeld minder mensen op een wachtlijst."
        ),
        error_messages={
            "required": gettext_lazy("Kies of het aantal omhoog of omlaag moet."),
            "invalid_choice": gettext_lazy("Kies of het aantal omhoog of omlaag moet."),
        },
    )
    start_value = forms.IntegerField(
        label=gettext_lazy("Beginstand"),
        min_value=0,
        max_value=goals.VALUE_MAX,
        initial=0,
        help_text=gettext_lazy("Hoeveel zijn het er nu al?"),
        error_messages=NUMBER_ERRORS,
    )
    target_value = forms.IntegerField(
        label=gettext_lazy("Doel (aantal)"),
        min_value=0,
        max_value=goals.VALUE_MAX,
        help_text=gettext_lazy(
            "Hoeveel wilt u er halen? Omhoog: hoger dan de beginstand. Omlaag: lager "
            "dan de beginstand (0 mag dan ook)."
        ),
        error_messages=NUMBER_ERRORS,
    )
    start_date = forms.DateField(
        label=gettext_lazy("Begindatum"),
        widget=_date_widget(),
        error_messages=DATE_ERRORS,
    )
    deadline = forms.DateField(
        label=gettext_lazy("Einddatum"),
        widget=_date_widget(),
        help_text=gettext_lazy("Wanneer moet het doel gehaald zijn?"),
        error_messages=DATE_ERRORS,
    )
    thema = ThemaChoiceField(
        label=gettext_lazy("Bij thema"),
        queryset=WijkThema.objects.none(),
        required=False,
        empty_label=gettext_lazy("Geen thema"),
        error_messages={
            "invalid_choice": gettext_lazy("Kies een thema van deze wijk.")
        },
    )
    agreed_by = OfficerChoiceField(
        label=gettext_lazy("Afgesproken met (gemeente)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=gettext_lazy("Niemand gekozen"),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Kies een ambtenaar van de gemeente van deze wijk."
            )
        },
    )

    def __init__(
        self, *args: Any, wijk: Wijk, doel: WijkDoel | None = None, **kwargs: Any
    ) -> None:
        if doel is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": doel.title,
                    "doelgroep": doel.doelgroep_id,
                    "indicator": doel.indicator,
                    "direction": doel.direction,
                    "start_value": doel.start_value,
                    "target_value": doel.target_value,
                    "start_date": doel.start_date,
                    "deadline": doel.deadline,
                    "thema": doel.thema_id,
                    "agreed_by": doel.agreed_by_id,
                },
            )
        super().__init__(*args, **kwargs)
        self.wijk = wijk
        doelgroepen = Doelgroep.objects.filter(is_active=True)
        if doel is not None and doel.doelgroep_id:
            doelgroepen = Doelgroep.objects.filter(is_active=True) | (
                Doelgroep.objects.filter(pk=doel.doelgroep_id)
            )
        self.fields["doelgroep"].queryset = doelgroepen.order_by(  # type: ignore[attr-defined]
            "order", "name"
        )
        self.fields["thema"].queryset = goal_queries.themes_for_goal(wijk)  # type: ignore[attr-defined]
        self.fields["agreed_by"].queryset = goal_queries.officers_for_wijk(wijk)  # type: ignore[attr-defined]


class VoortgangForm(forms.Form):
    use_required_attribute = False

    date = forms.DateField(
        label=gettext_lazy("Datum"), widget=_date_widget(), error_messages=DATE_ERRORS
    )
    value = forms.IntegerField(
        label=gettext_lazy("Stand op die datum"),
        min_value=0,
        max_value=goals.VALUE_MAX,
        help_text=gettext_lazy("Het totaal tot nu toe, niet alleen wat erbij kwam."),
        error_messages=NUMBER_ERRORS,
    )
    note = forms.CharField(
        label=gettext_lazy("Toelichting"),
        max_length=goals.NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Hoogstens 500 tekens. Geen namen van bewoners."),
        error_messages=_too_long(""),
    )

    def __init__(self, *args: Any, doel: WijkDoel, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        widget = self.fields["date"].widget
        widget.attrs["max"] = timezone.localdate().isoformat()
        widget.attrs["min"] = doel.start_date.isoformat()


class VoortgangChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return _("de stand van %(date)s: %(value)s") % {
            "date": date_format(obj.date, "j F Y"),
            "value": obj.value,
        }


class ReactieForm(forms.Form):
    """A comment on a goal, optionally on one of its progress entries."""

    use_required_attribute = False
    prefix = "reactie"

    text = forms.CharField(
        label=gettext_lazy("Uw reactie"),
        max_length=goals.COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Hoogstens 2000 tekens. Het wijkteam en de gemeente lezen dit allebei. "
            "Geen namen van bewoners."
        ),
        error_messages=_too_long(gettext_lazy("Schrijf uw reactie.")),
    )
    voortgang = VoortgangChoiceField(
        label=gettext_lazy("Over"),
        queryset=DoelVoortgang.objects.none(),
        required=False,
        empty_label=gettext_lazy("het doel als geheel"),
        error_messages={"invalid_choice": gettext_lazy("Kies een stand van dit doel.")},
    )

    def __init__(self, *args: Any, doel: WijkDoel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["voortgang"].queryset = goal_queries.goal_entries(doel).order_by(  # type: ignore[attr-defined]
            "-date", "-pk"
        )


class PeriodForm(forms.Form):
    van = forms.DateField(
        label=gettext_lazy("Van"), widget=_date_widget(), error_messages=DATE_ERRORS
    )
    tot = forms.DateField(
        label=gettext_lazy("Tot en met"),
        widget=_date_widget(),
        error_messages=DATE_ERRORS,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        van, tot = cleaned.get("van"), cleaned.get("tot")
        if isinstance(van, datetime.date) and isinstance(tot, datetime.date):
            if van > tot:
                self.add_error("tot", _("De einddatum ligt voor de begindatum."))
            elif (tot - van).days > report.MAX_DAYS:
                self.add_error("van", _("Kies een periode van hoogstens drie jaar."))
        return cleaned


def _add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Put a service refusal on the form: per field when it names fields the form has,
    otherwise on the whole form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- The progress bar and the chart -----------------------------------------------------


# The texts and the bar live in signalen/goals/services.py, so the goal pages, the team report
# and the officer's dashboard (through signalen.goals.queries.goals_for_wijk) say the same.
progress_text = goal_queries.progress_text
time_text = goal_queries.time_text
Bar = goal_queries.Bar
bar_make = goal_queries.progress_bar


CHART_W = 640
CHART_H = 260
PAD_LEFT = 48
PAD_RIGHT = 16
PAD_TOP = 16
PAD_BOTTOM = 36


@dataclass(frozen=True)
class ChartLabel:
    x: str
    y: str
    text: str
    anchor: str = "middle"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plan: str  # "x1,y1 x2,y2"
    actual: str  # polyline points
    points: tuple[tuple[str, str], ...]
    today_x: str | None
    axis: str  # the two axis lines as a path
    labels: tuple[ChartLabel, ...]
    description: str


def chart_make(
    doel: WijkDoel, entries: list[DoelVoortgang], today: datetime.date
) -> Chart:
    """Value over time against the straight line from start to target."""
    first = doel.start_date
    last = max([doel.deadline, *(entry.date for entry in entries)])
    span = max(1, (last - first).days)
    top = max([doel.target_value, doel.start_value, *(e.value for e in entries)])
    top = max(1, round(top * 1.1))
    inner_w = CHART_W - PAD_LEFT - PAD_RIGHT
    inner_h = CHART_H - PAD_TOP - PAD_BOTTOM

    def x(day: datetime.date) -> float:
        return PAD_LEFT + (day - first).days / span * inner_w

    def y(value: int) -> float:
        return PAD_TOP + inner_h - value / top * inner_h

    def point(day: datetime.date, value: int) -> tuple[str, str]:
        return f"{x(day):.1f}", f"{y(value):.1f}"

    plan = " ".join(
        ",".join(point(day, value))
        for day, value in (
            (first, doel.start_value),
            (doel.deadline, doel.target_value),
        )
    )
    series = [(first, doel.start_value)] + [(e.date, e.value) for e in entries]
    points = tuple(point(day, value) for day, value in series)
    base = f"{PAD_TOP + inner_h:.1f}"
    axis = f"M{PAD_LEFT},{PAD_TOP} V{base} H{CHART_W - PAD_RIGHT}"
    labels = (
        ChartLabel(str(PAD_LEFT - 6), f"{y(0) + 4:.1f}", "0", "end"),
        ChartLabel(
            str(PAD_LEFT - 6),
            f"{y(doel.target_value) + 4:.1f}",
            str(doel.target_value),
            "end",
        ),
        ChartLabel(
            f"{x(first):.1f}", str(CHART_H - 12), date_format(first, "j M Y"), "start"
        ),
        ChartLabel(
            f"{x(doel.deadline):.1f}",
            str(CHART_H - 12),
            date_format(doel.deadline, "j M Y"),
            "end" if doel.deadline == last else "middle",
        ),
    )
    today_x = f"{x(today):.1f}" if first <= today <= last else None
    description = _(
        "Grafiek: de stand van %(start_date)s tot nu (doorgetrokken lijn) en de rechte "
        "lijn van de beginstand %(start)s naar het doel %(target)s op %(deadline)s "
        "(gestippeld). De cijfers staan in de tabel hieronder."
    ) % {
        "start_date": date_format(first, "j F Y"),
        "start": doel.start_value,
        "target": doel.target_value,
        "deadline": date_format(doel.deadline, "j F Y"),
    }
    return Chart(
        width=CHART_W,
        height=CHART_H,
        plan=plan,
        actual=" ".join(",".join(p) for p in points),
        points=points,
        today_x=today_x,
        axis=axis,
        labels=labels,
        description=description,
    )


# --- Goal pages --------------------------------------------------------------------------


def _reader_wijken(user: User) -> list[Wijk]:
    if user.role == Role.PROFESSIONAL:
        return list(wijken_of_user(user).defer("geometry").order_by("name"))
    if user.gemeente_id is None:
        return []
    return list(
        Wijk.objects.filter(gemeente_id=user.gemeente_id, is_active=True)
        .defer("geometry")
        .order_by("name")
    )


@never_cache
@readers_required
@require_GET
def doel_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    is_team = user.role == Role.PROFESSIONAL
    rows = goal_queries.goal_rows(list(goal_queries.goals_for_user(user)))
    by_wijk: dict[int, list[tuple[goal_queries.GoalRow, Bar]]] = {}
    for row in rows:
        by_wijk.setdefault(row.wijk_id, []).append((row, bar_make(row.progress)))
    sections = []
    for wijk in _reader_wijken(user):
        found = by_wijk.get(wijk.pk, [])
        if not is_team and not found:
            continue  # an officer sees the wijken that have goals
        sections.append(
            {
                "wijk": wijk,
                "open": [item for item in found if not item[0].is_closed],
                "closed": [item for item in found if item[0].is_closed],
            }
        )
    return render(
        request,
        "signalen/doel_list.html",
        {"sections": sections, "is_team": is_team},
    )


def _team_wijk(user: User, wijk_code: str) -> Wijk:
    wijk = wijken_of_user(user).defer("geometry").filter(code=wijk_code).first()
    if wijk is None or goal_queries.team_in_wijk(user, wijk) is None:
        raise Http404
    return wijk


@never_cache
@professional_required
@require_http_methods(["GET", "POST"])
def doel_create(request: AuthenticatedHttpRequest, wijk_code: str) -> HttpResponse:
    user = request.user
    wijk = _team_wijk(user, wijk_code)
    status = 200
    if request.method == "POST":
        form = DoelForm(request.POST, wijk=wijk)
        status = 400
        if form.is_valid():
            try:
                doel = goals.goal_create(actor=user, wijk=wijk, data=form.cleaned_data)
            except GoalError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("Het doel is opgeslagen."))
                return redirect("signalen:doel_detail", pk=doel.pk)
    else:
        today = timezone.localdate()
        form = DoelForm(wijk=wijk, initial={"start_date": today, "start_value": 0})
    return render(
        request,
        "signalen/doel_form.html",
        {"form": form, "wijk": wijk, "doel": None},
        status=status,
    )


@never_cache
@professional_required
@require_http_methods(["GET", "POST"])
def doel_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    doel = goal_queries.goal_for_user(user, pk)
    if not goal_queries.can_edit_goal(user, doel):
        raise Http404
    status = 200
    if request.method == "POST":
        form = DoelForm(request.POST, wijk=doel.wijk, doel=doel)
        status = 400
        if form.is_valid():
            try:
                goals.goal_update(doel=doel, actor=user, data=form.cleaned_data)
            except GoalError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("De wijzigingen zijn opgeslagen."))
                return redirect("signalen:doel_detail", pk=doel.pk)
    else:
        form = DoelForm(wijk=doel.wijk, doel=doel)
    return render(
        request,
        "signalen/doel_form.html",
        {"form": form, "wijk": doel.wijk, "doel": doel},
        status=status,
    )


@never_cache
def _render_detail(
    request: AuthenticatedHttpRequest,
    doel: WijkDoel,
    *,
    form: VoortgangForm | None = None,
    comment_form: ReactieForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    entries = list(goal_queries.goal_entries(doel))
    current = entries[-1].value if entries else None
    progress = goal_queries.goal_progress(doel, current=current, today=today)
    can_edit = goal_queries.can_edit_goal(user, doel)
    can_comment = goal_queries.can_comment_goal(user, doel)
    return render(
        request,
        "signalen/doel_detail.html",
        {
            "doel": doel,
            "progress": progress,
            "bar": bar_make(progress),
            "chart": chart_make(doel, entries, today),
            "entries": goal_queries.goal_entry_rows(entries, doel=doel, user=user),
            "thema_name": goal_queries.goal_theme_name(doel, user),
            "can_edit": can_edit,
            "form": form if form is not None else VoortgangForm(doel=doel),
            "timeline": goal_queries.goal_timeline(doel, user=user),
            "can_comment": can_comment,
            "comment_form": (
                comment_form if comment_form is not None else ReactieForm(doel=doel)
            ),
            "has_errors": (form is not None and bool(form.errors))
            or (comment_form is not None and bool(comment_form.errors)),
            "comment_errors": comment_form is not None and bool(comment_form.errors),
        },
        status=status,
    )


@readers_required
@require_GET
def doel_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    doel = goal_queries.goal_for_user(request.user, pk)
    return _render_detail(request, doel)


@professional_required
@require_POST
def doel_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    doel = goal_queries.goal_for_user(user, pk)
    if not goal_queries.can_edit_goal(user, doel):
        raise Http404
    form = VoortgangForm(request.POST, doel=doel)
    if form.is_valid():
        try:
            goals.progress_add(
                doel=doel,
                actor=user,
                date=form.cleaned_data["date"],
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
            )
        except GoalError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("De nieuwe stand is opgeslagen."))
            return redirect("signalen:doel_detail", pk=doel.pk)
    return _render_detail(request, doel, form=form, status=400)


@readers_required
@require_POST
def doel_comment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A comment by an officer of the gemeente or by the team."""
    user = request.user
    doel = goal_queries.goal_for_user(user, pk)
    if not goal_queries.can_comment_goal(user, doel):
        raise Http404
    form = ReactieForm(request.POST, doel=doel)
    if form.is_valid():
        try:
            reactie = goals.goal_comment_add(
                doel=doel,
                actor=user,
                text=form.cleaned_data["text"],
                voortgang=form.cleaned_data["voortgang"],
            )
        except GoalError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("Uw reactie is geplaatst."))
            response = redirect("signalen:doel_detail", pk=doel.pk)
            response["Location"] += f"#reactie-{reactie.pk}"
            return response
    return _render_detail(request, doel, comment_form=form, status=400)


def _set_closed(
    request: AuthenticatedHttpRequest, pk: int, *, closed: bool
) -> HttpResponse:
    user = request.user
    doel = goal_queries.goal_for_user(user, pk)
    if not goal_queries.can_edit_goal(user, doel):
        raise Http404
    goals.goal_set_closed(doel=doel, actor=user, closed=closed)
    messages.success(
        request,
        _("Het doel is afgesloten.") if closed else _("Het doel is weer open."),
    )
    return redirect("signalen:doel_detail", pk=doel.pk)


@professional_required
@require_POST
def doel_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _set_closed(request, pk, closed=True)


@professional_required
@require_POST
def doel_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _set_closed(request, pk, closed=False)


# --- The team report ---------------------------------------------------------------------


def _report_wijk(user: User, wijk_code: str) -> tuple[Wijk, list[int] | None]:
    """The wijk of the report and, for an officer, the teams that share theirs.

    A professional reads the report of their team's wijk. An officer reads it only
    when a team of that wijk shares its report with the officer's gemeente: 404 for
    a wijk outside their gemeente, 403 when no team shares (yours, but closed)."""
    if user.role == Role.PROFESSIONAL:
        return _team_wijk(user, wijk_code), None
    if user.gemeente_id is None:
        raise Http404
    wijk = (
        Wijk.objects.defer("geometry")
        .filter(code=wijk_code, is_active=True, gemeente_id=user.gemeente_id)
        .first()
    )
    if wijk is None:
        raise Http404
    sharing = list(
        teams_sharing_report(wijk_id=wijk.pk, gemeente_id=user.gemeente_id).values_list(
            "pk", flat=True
        )
    )
    if not sharing:
        raise PermissionDenied
    return wijk, sharing


def _report_for(
    request: AuthenticatedHttpRequest, wijk_code: str
) -> tuple[report.TeamReport, PeriodForm]:
    user = request.user
    wijk, sharing = _report_wijk(user, wijk_code)
    today = timezone.localdate()
    date_from, date_to = report.default_period(today)
    data = request.GET if ("van" in request.GET or "tot" in request.GET) else None
    form = PeriodForm(data, initial={"van": date_from, "tot": date_to})
    if form.is_bound and form.is_valid():
        date_from, date_to = form.cleaned_data["van"], form.cleaned_data["tot"]
    team_report = report.team_report(
        wijk=wijk,
        user=user,
        date_from=date_from,
        date_to=date_to,
        today=today,
        sharing_team_ids=sharing,
    )
    return team_report, form


def _share_switch(request: AuthenticatedHttpRequest, wijk_code: str) -> HttpResponse:
    """The team shares its report with its gemeente, or stops sharing it."""
    user = request.user
    if user.role != Role.PROFESSIONAL:
        raise PermissionDenied
    wijk = _team_wijk(user, wijk_code)
    team = team_for_signaal(user=user, wijk=wijk)
    shared = request.POST.get("share")
    if team is None or shared not in ("on", "off"):
        return HttpResponse(status=400)
    team_report_share(team=team, actor=user, shared=shared == "on")
    if shared == "on":
        messages.success(
            request,
            _(
                "De gemeente kan het rapport nu lezen: de cijfers en de thema's die "
                "het team met de gemeente deelt."
            ),
        )
    else:
        messages.success(request, _("Alleen het team kan het rapport nu lezen."))
    return redirect("signalen:teamrapport", wijk_code=wijk.code)


@never_cache
@readers_required
@require_http_methods(["GET", "POST"])
def teamrapport(request: AuthenticatedHttpRequest, wijk_code: str) -> HttpResponse:
    if request.method == "POST":
        return _share_switch(request, wijk_code)
    team_report, form = _report_for(request, wijk_code)
    report.report_audit(actor=request.user, report=team_report, action=AuditAction.VIEW)
    goal_bars = [(row, bar_make(row.progress)) for row in team_report.goals]
    user = request.user
    team = (
        team_for_signaal(user=user, wijk=team_report.wijk)
        if user.role == Role.PROFESSIONAL
        else None
    )
    return render(
        request,
        "signalen/teamrapport.html",
        {
            "report": team_report,
            "form": form,
            "goal_bars": goal_bars,
            "team": team,
            "csv_query": f"van={team_report.date_from.isoformat()}"
            f"&tot={team_report.date_to.isoformat()}",
        },
        status=400 if form.errors else 200,
    )


@never_cache
@readers_required
@require_GET
def teamrapport_csv(request: AuthenticatedHttpRequest, wijk_code: str) -> HttpResponse:
    team_report, _form = _report_for(request, wijk_code)
    report.report_audit(
        actor=request.user,
        report=team_report,
        action=AuditAction.EXPORT,
        detail={"format": "csv"},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = (
        f"teamrapport-{team_report.wijk.code}-{team_report.date_to.isoformat()}.csv"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so Excel reads UTF-8
    response.write(report.report_csv(team_report))
    return response

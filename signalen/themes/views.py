"""Wijk themes for the professionals of the team: the list, one theme, and the team's
actions on it (confirm, rename, dismiss, status, visibility).

Thin views: reads and writes go through signalen/themes/services.py. A theme's page shows
example signals (their scrubbed text), so showing it writes an audit entry like a
signal's page does. A refused action shows the page again with the form as it was
posted and the error in the shared form style; a done action redirects with a message.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.permissions import wijken_of_user
from core.http import AuthenticatedHttpRequest, never_cache
from signalen.intake.permissions import professional_required
from signalen.kanon import outside_until
from signalen.models import (
    ThemaGebeurtenis,
    ThemaStatus,
    ThemaZichtbaarheid,
    WijkThema,
)
from signalen.themes import queries as theme_queries
from signalen.themes import services as themes
from signalen.themes.services import ThemeError
from wijken.models import Wijk

MEMBERS_SHOWN = 100
SPARK_BAR = 4  # px per week: a 3 px bar and a 1 px gap
SPARK_HEIGHT = 28


# --- The sparkline ---------------------------------------------------------------------


@dataclass(frozen=True)
class SparkBar:
    x: int
    y: int
    height: int


@dataclass(frozen=True)
class Spark:
    bars: tuple[SparkBar, ...]
    width: int
    height: int
    description: str


def spark_make(counts: list[tuple[datetime.date, int]]) -> Spark:
    """Bars for a server-rendered SVG, with the same facts in words for screen readers.
    An empty week is a thin line on the base, so the weeks stay countable."""
    values = [n for _week, n in counts]
    top = max(values, default=0) or 1
    bars = []
    for i, n in enumerate(values):
        height = max(1, round(n / top * (SPARK_HEIGHT - 2))) if n else 1
        bars.append(SparkBar(i * SPARK_BAR, SPARK_HEIGHT - height, height))
    total = sum(values)
    recent = sum(values[-4:])
    first = date_format(counts[0][0], "j F Y") if counts else ""
    description = _(
        "Signalen per week sinds %(first)s (%(weeks)s weken): %(total)s in totaal, "
        "hoogstens %(top)s in één week, %(recent)s in de laatste 4 weken."
    ) % {
        "first": first,
        "weeks": len(values),
        "total": total,
        "top": max(values, default=0),
        "recent": recent,
    }
    return Spark(
        bars=tuple(bars),
        width=max(1, len(values) * SPARK_BAR),
        height=SPARK_HEIGHT,
        description=description,
    )


# --- Forms -----------------------------------------------------------------------------


class ThemaFilterForm(forms.Form):
    wijk = forms.ModelChoiceField(
        label=gettext_lazy("Wijk"),
        queryset=Wijk.objects.none(),
        required=False,
        empty_label=gettext_lazy("Alle wijken van uw team"),
        error_messages={"invalid_choice": gettext_lazy("Kies een wijk van uw team.")},
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("Alle statussen")), *ThemaStatus.choices],
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Kies een status uit de lijst.")
        },
    )

    def __init__(self, *args: Any, wijken: QuerySet[Wijk], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wijk"].queryset = wijken  # type: ignore[attr-defined]

    def used_filters(self) -> dict[str, str]:
        if not self.is_bound:
            return {}
        data = getattr(self, "cleaned_data", {})
        used = {}
        if data.get("wijk") is not None:
            used["wijk"] = data["wijk"].code
        if data.get("status"):
            used["status"] = data["status"]
        return used


class ThemaActionForm(forms.Form):
    """A theme action; `error_field` is where a refusal of the service is shown."""

    error_field: str | None = None
    # An empty required textarea would show as invalid (red) before anything is typed;
    # the server checks and says what is missing.
    use_required_attribute = False

    def __init__(self, *args: Any, thema: WijkThema, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.thema = thema


class ThemaConfirmForm(ThemaActionForm):
    pass


class ThemaRenameForm(ThemaActionForm):
    error_field = "name"
    name = forms.CharField(
        label=gettext_lazy("Naam van het thema"),
        max_length=themes.NAME_MAX_LENGTH,
        required=False,
        help_text=gettext_lazy(
            "Een eigen naam voor het team, hoogstens 120 tekens. Laat leeg om de "
            "woorden van het systeem te gebruiken."
        ),
        error_messages={
            "max_length": gettext_lazy(
                "De naam is te lang: hoogstens %(limit_value)d tekens "
                "(nu %(show_value)d)."
            ),
        },
    )

    def __init__(self, *args: Any, thema: WijkThema, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"name": thema.name})
        super().__init__(*args, thema=thema, **kwargs)


class ThemaDismissForm(ThemaActionForm):
    error_field = "reason"
    reason = forms.CharField(
        label=gettext_lazy("Waarom verwerpt u dit thema?"),
        max_length=themes.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Bijvoorbeeld: de signalen gaan over verschillende dingen. Hoogstens 500 "
            "tekens. Het systeem laat het thema dan met rust, tenzij het flink groeit."
        ),
        error_messages={
            "required": gettext_lazy("Schrijf op waarom u dit thema verwerpt."),
            "max_length": gettext_lazy(
                "De reden is te lang: hoogstens %(limit_value)d tekens "
                "(nu %(show_value)d)."
            ),
        },
    )


STEP_LABELS = {
    ThemaStatus.ERKEND: gettext_lazy("Erkend: het team ziet dit als een thema"),
    ThemaStatus.OPGEPAKT: gettext_lazy("Opgepakt: het team werkt eraan"),
    ThemaStatus.AFGEROND: gettext_lazy("Afgerond: er is een antwoord"),
}
UNDO_LABEL = gettext_lazy("Toch erkennen (verwerpen terugdraaien)")


class ThemaStatusForm(ThemaActionForm):
    error_field = "status"
    status = forms.ChoiceField(
        label=gettext_lazy("Nieuwe status"),
        widget=forms.RadioSelect,
        choices=list(STEP_LABELS.items()),
        error_messages={
            "required": gettext_lazy("Kies een nieuwe status."),
            "invalid_choice": gettext_lazy("Kies een status uit de lijst."),
        },
    )

    def __init__(self, *args: Any, thema: WijkThema, **kwargs: Any) -> None:
        super().__init__(*args, thema=thema, **kwargs)
        # Every step is accepted here; the service says why a step is not possible.
        # Only the steps from the current status are offered.
        field = self.fields["status"]
        field.widget.choices = self.steps()  # type: ignore[attr-defined]

    def steps(self) -> list[tuple[str, str]]:
        label: dict[str, Any] = {str(k): v for k, v in STEP_LABELS.items()}
        if self.thema.status == ThemaStatus.VERWORPEN:
            label[str(ThemaStatus.ERKEND)] = UNDO_LABEL
        elif self.thema.status in (ThemaStatus.OPGEPAKT, ThemaStatus.AFGEROND):
            label[str(ThemaStatus.ERKEND)] = gettext_lazy("Terug naar erkend")
        return [
            (step, str(label[step]))
            for step in themes.transitions_from(self.thema.status)
            if step in label
        ]


class ThemaVisibilityForm(ThemaActionForm):
    error_field = "visibility"
    visibility = forms.ChoiceField(
        label=gettext_lazy("Wie mag dit thema zien?"),
        widget=forms.RadioSelect,
        choices=ThemaZichtbaarheid.choices,
        error_messages={
            "required": gettext_lazy("Kies wie het thema mag zien."),
            "invalid_choice": gettext_lazy("Kies wie het thema mag zien."),
        },
    )

    def __init__(self, *args: Any, thema: WijkThema, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"visibility": thema.visibility})
        super().__init__(*args, thema=thema, **kwargs)
        self.fields["visibility"].help_text = _(
            "Buiten het team ziet niemand de tekst van de signalen, alleen aantallen "
            "van minstens %(k)s. Openbaar kan pas als het team het thema heeft erkend."
        ) % {"k": settings.K_ANONYMITY}


class ThemaMergeForm(ThemaActionForm):
    """Step one of a merge: which other theme of the wijk goes into this one. The
    confirm page (signalen/themes/correction_views.py) posts it again with `confirm`."""

    error_field = "other"
    other = forms.ModelChoiceField(
        label=gettext_lazy("Welk thema hoort bij dit thema?"),
        queryset=WijkThema.objects.none(),
        empty_label=gettext_lazy("Kies een thema"),
        error_messages={
            "required": gettext_lazy("Kies het thema dat erbij hoort."),
            "invalid_choice": gettext_lazy(
                "Kies een ander thema uit deze wijk, uit de lijst."
            ),
        },
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, thema: WijkThema, **kwargs: Any) -> None:
        super().__init__(*args, thema=thema, **kwargs)
        from signalen.themes.suggestions import wijk_targets

        self.fields["other"].queryset = wijk_targets(thema)  # type: ignore[attr-defined]


FORMS: dict[str, type[ThemaActionForm]] = {
    "erkennen": ThemaConfirmForm,
    "naam": ThemaRenameForm,
    "verwerpen": ThemaDismissForm,
    "status": ThemaStatusForm,
    "zichtbaarheid": ThemaVisibilityForm,
    "samenvoegen": ThemaMergeForm,
}


# --- The list --------------------------------------------------------------------------


@never_cache
@professional_required
@require_GET
def thema_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    wijken = wijken_of_user(user).defer("geometry").order_by("name")
    form = ThemaFilterForm(request.GET or None, wijken=wijken)
    wijk: Wijk | None = None
    status: str | None = None
    if form.is_bound:
        form.is_valid()  # a wrong value is shown as an error and left out
        wijk = form.cleaned_data.get("wijk")
        status = form.cleaned_data.get("status") or None
    found = list(
        themes.themes_for_user(user, wijk=wijk, status=status, include_closed=True)
    )
    counts = themes.themes_weekly_counts(found)
    # Both numbers of a theme, each saying what it counts (signalen.kanon's table).
    ids = [t.pk for t in found]
    team_sizes = theme_queries.theme_team_sizes(ids)
    outside_sizes = theme_queries.theme_outside_sizes(ids)
    for t in found:
        t.team_size = team_sizes[t.pk]  # type: ignore[attr-defined]
        t.outside_size = outside_sizes[t.pk]  # type: ignore[attr-defined]
    current = [(t, spark_make(counts[t.pk])) for t in found if t.is_current]
    closed = [t for t in found if not t.is_current]
    freshness = [
        (w, finished)
        for w, finished in themes.rollup_freshness_for_user(user)
        if wijk is None or w.pk == wijk.pk
    ]
    themes.themes_audit_list(
        actor=user,
        detail={
            "filters": form.used_filters(),
            "current": len(current),
            "closed": len(closed),
        },
    )
    return render(
        request,
        "signalen/thema_list.html",
        {
            "form": form,
            "current": current,
            "closed": closed,
            "freshness": freshness,
            "has_wijken": bool(freshness) or wijken.exists(),
            "filtered": bool(form.used_filters()),
            "k": settings.K_ANONYMITY,
            "outside_until": outside_until(timezone.localdate()),
        },
    )


# --- One theme -------------------------------------------------------------------------


def _label(choices: type[ThemaStatus] | type[ThemaZichtbaarheid], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _event_text(event: ThemaGebeurtenis) -> str:
    detail = event.detail or {}
    soort = event.soort
    if soort == ThemaGebeurtenis.Soort.STATUS:
        text = _("Van '%(old)s' naar '%(new)s'.") % {
            "old": _label(ThemaStatus, str(detail.get("from", ""))),
            "new": _label(ThemaStatus, str(detail.get("to", ""))),
        }
        if detail.get("reason"):
            text += " " + _("Reden: %(reason)s") % {"reason": detail["reason"]}
        return text
    if soort == ThemaGebeurtenis.Soort.RENAMED:
        engine = _("de woorden van het systeem")
        return _("Van '%(old)s' naar '%(new)s'.") % {
            "old": detail.get("from") or engine,
            "new": detail.get("to") or engine,
        }
    if soort == ThemaGebeurtenis.Soort.VISIBILITY:
        return _("Van '%(old)s' naar '%(new)s'.") % {
            "old": _label(ThemaZichtbaarheid, str(detail.get("from", ""))),
            "new": _label(ThemaZichtbaarheid, str(detail.get("to", ""))),
        }
    if soort == ThemaGebeurtenis.Soort.UNPUBLISHED:
        return _("Van de openbare pagina's gehaald. Reden: %(reason)s") % {
            "reason": detail.get("reason", "")
        }
    if soort == ThemaGebeurtenis.Soort.PROGRESS_HIDDEN:
        return _("Een bericht over de voortgang is verborgen. Reden: %(reason)s") % {
            "reason": detail.get("reason", "")
        }
    if soort == ThemaGebeurtenis.Soort.PROGRESS_SHOWN:
        return _("Een verborgen bericht staat weer op de openbare pagina.")
    if "size" in detail:
        text = _("%(size)s signalen.") % {"size": detail["size"]}
        if detail.get("added") or detail.get("removed"):
            text += " " + _("%(added)s erbij, %(removed)s eraf.") % {
                "added": detail.get("added", 0),
                "removed": detail.get("removed", 0),
            }
        return text
    return ""


@never_cache
def _render_detail(
    request: AuthenticatedHttpRequest,
    thema: WijkThema,
    *,
    bound: ThemaActionForm | None = None,
    bound_prefix: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    action_forms = {
        prefix: (
            bound
            if bound is not None and prefix == bound_prefix
            else form_class(prefix=prefix, thema=thema)
        )
        for prefix, form_class in FORMS.items()
    }
    members = themes.theme_members(thema)
    member_count = members.count()
    examples = themes.theme_examples(thema)
    themes.theme_audit_view(
        actor=user,
        thema=thema,
        signaal_ids=[signaal.pk for signaal in examples],
        members=member_count,
    )
    steps = themes.transitions_from(thema.status)
    status_form = action_forms["status"]
    assert isinstance(status_form, ThemaStatusForm)
    finished = dict(themes.rollup_freshness_for_user(user))
    context = {
        "thema": thema,
        "spark": spark_make(themes.theme_weekly_counts(thema)),
        "examples": examples,
        "members": list(members[:MEMBERS_SHOWN]),
        "member_count": member_count,
        "members_cut": member_count > MEMBERS_SHOWN,
        "outside_size": theme_queries.theme_outside_sizes([thema.pk])[thema.pk],
        "outside_until": outside_until(timezone.localdate()),
        "history": [
            (event, _event_text(event)) for event in themes.theme_history(thema)
        ],
        "forms": action_forms,
        "can_confirm": thema.status == ThemaStatus.GESIGNALEERD,
        "can_dismiss": ThemaStatus.VERWORPEN in steps,
        "can_step": thema.status != ThemaStatus.GESIGNALEERD
        and bool(status_form.steps()),
        "can_correct": thema.is_current,
        "can_merge": thema.is_current
        and action_forms["samenvoegen"].fields["other"].queryset.exists(),  # type: ignore[attr-defined]
        "last_run": finished.get(thema.wijk),
        "k": settings.K_ANONYMITY,
        "has_errors": bound is not None and bool(bound.errors),
        "error_section": bound_prefix,
    }
    return render(request, "signalen/thema_detail.html", context, status=status)


@professional_required
@require_GET
def thema_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    thema = themes.theme_for_user(request.user, pk)
    return _render_detail(request, thema)


# --- The actions -----------------------------------------------------------------------


Action = Callable[[WijkThema, User, dict[str, Any]], str]


def _act(
    request: AuthenticatedHttpRequest, pk: int, prefix: str, action: Action
) -> HttpResponse:
    user = request.user
    thema = themes.theme_for_user(user, pk)
    form = FORMS[prefix](request.POST, prefix=prefix, thema=thema)
    if form.is_valid():
        try:
            message = action(thema, user, form.cleaned_data)
        except ThemeError as error:
            field = None if error.code == "forbidden" else form.error_field
            form.add_error(field, error)
        else:
            messages.success(request, message)
            return redirect("signalen:thema_detail", pk=thema.pk)
    return _render_detail(request, thema, bound=form, bound_prefix=prefix, status=400)


def _confirm(thema: WijkThema, user: User, data: dict[str, Any]) -> str:
    themes.theme_confirm(thema=thema, actor=user)
    return _("Het thema is erkend.")


def _rename(thema: WijkThema, user: User, data: dict[str, Any]) -> str:
    if not themes.theme_rename(thema=thema, actor=user, name=data["name"]):
        return _("De naam was al zo. Er is niets veranderd.")
    if not thema.name:
        return _("Het thema heeft weer de woorden van het systeem als naam.")
    return _("De nieuwe naam is opgeslagen.")


def _dismiss(thema: WijkThema, user: User, data: dict[str, Any]) -> str:
    themes.theme_dismiss(thema=thema, actor=user, reason=data["reason"])
    return _(
        "Het thema is verworpen. Dat kunt u terugdraaien met 'Toch erkennen' "
        "op deze pagina."
    )


def _step(thema: WijkThema, user: User, data: dict[str, Any]) -> str:
    themes.theme_set_status(thema=thema, actor=user, status=data["status"])
    return _("De status is nu: %(status)s.") % {
        "status": _label(ThemaStatus, thema.status)
    }


def _visibility(thema: WijkThema, user: User, data: dict[str, Any]) -> str:
    if not themes.theme_set_visibility(
        thema=thema, actor=user, visibility=data["visibility"]
    ):
        return _("De zichtbaarheid was al zo. Er is niets veranderd.")
    return _("Wie het thema mag zien: %(visibility)s.") % {
        "visibility": _label(ThemaZichtbaarheid, thema.visibility)
    }


@professional_required
@require_POST
def thema_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "erkennen", _confirm)


@professional_required
@require_POST
def thema_rename(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "naam", _rename)


@professional_required
@require_POST
def thema_dismiss(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "verwerpen", _dismiss)


@professional_required
@require_POST
def thema_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "status", _step)


@professional_required
@require_POST
def thema_visibility(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "zichtbaarheid", _visibility)

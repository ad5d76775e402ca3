"""The team report of one wijk: what the team saw, what it did and what came of it,
over a period, for the team to print or download and show to others.

The team sees its own figures, but the report is made to leave the team (to the
gemeente, a board, a funder). So:
- it never holds signal text, and no list of signals;
- signals per category come from the pre-aggregated counts (SignaalTelling) through
  signalen.kanon.k_anonymous_counts, so no count below K is shown;
- theme figures (size, trend) are the team's own, as on the theme pages;
- goal figures count residents agreed as targets, not signals (see signalen/goals/services.py).

The team decides whether the report leaves it: with Team.report_shared on, officers
of the team's gemeente read the outside version (outside=True): only the themes the
team shares with the gemeente or the public, each under the name a professional wrote
(never the engine's keywords), sizes of at least K only, no status reasons or notes,
and only the sharing teams' beleidssignalen.

Opening the report and downloading it each write an audit entry.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exports import csv_writer
from signalen.goals import queries as goal_queries
from signalen.goals.queries import GoalRow
from signalen.kanon import (
    KCount,
    Period,
    k_anonymous_counts,
    k_threshold,
    merge_splits,
    monday_of,
    split_block,
)
from signalen.models import (
    AuditEntry,
    Categorie,
    Escalatie,
    SignaalTelling,
    ThemaGebeurtenis,
    ThemaInitiatief,
    ThemaStatus,
    ThemaZichtbaarheid,
    WijkThema,
)
from signalen.terecht.queries import Offered, offered_counts
from signalen.themes.queries import (
    outside_trend_label,
    theme_outside_sizes,
    theme_outside_trends,
    theme_team_sizes,
)
from wijken.models import Wijk

DEFAULT_DAYS = 365
MAX_DAYS = 3 * 366

# What the team did with a theme: the events a person caused (not the engine's).
TEAM_EVENTS = (
    ThemaGebeurtenis.Soort.STATUS,
    ThemaGebeurtenis.Soort.VISIBILITY,
    ThemaGebeurtenis.Soort.LINKED,
    ThemaGebeurtenis.Soort.UNLINKED,
    ThemaGebeurtenis.Soort.PUBLISHED,
    ThemaGebeurtenis.Soort.ADOPTED,
    ThemaGebeurtenis.Soort.ESCALATED,
)


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last 12 months up to and including today."""
    return today - datetime.timedelta(days=DEFAULT_DAYS - 1), today


@dataclass(frozen=True)
class ThemeLine:
    pk: int
    name: str
    status: str
    status_label: str
    visibility_label: str
    size: int
    trend: str
    trend_label: str
    keywords: tuple[str, ...]
    categorie: str
    is_current: bool
    first_observed_on: datetime.date | None
    last_observed_on: datetime.date | None


@dataclass(frozen=True)
class EventLine:
    when: datetime.datetime
    thema: str
    what: str
    text: str


@dataclass(frozen=True)
class AnswerLine:
    thema: str
    initiatief: str
    initiatief_status: str
    note: str
    linked_on: datetime.datetime


@dataclass(frozen=True)
class EscalationLine:
    title: str
    thema: str
    status_label: str
    sent_at: datetime.datetime
    received_at: datetime.datetime | None
    answered_at: datetime.datetime | None
    answer: str


@dataclass(frozen=True)
class CategoryLine:
    code: str
    name: str
    count: KCount


@dataclass(frozen=True)
class TeamReport:
    wijk: Wijk
    date_from: datetime.date
    date_to: datetime.date
    first_week: datetime.date
    themes: tuple[ThemeLine, ...]
    events: tuple[EventLine, ...]
    answers: tuple[AnswerLine, ...]
    escalations: tuple[EscalationLine, ...]
    goals: tuple[GoalRow, ...]
    categories: tuple[CategoryLine, ...]
    categories_total: KCount | None
    k: int
    made_at: datetime.datetime
    outside: bool = False
    # Outside the team: the last day the category table counts (the end of the last
    # whole block of four weeks in the period), None when no block in it is over.
    categories_until: datetime.date | None = None
    # "Informele hulp eerst aangeboden" per block of 4 weeks (signalen/terecht/).
    informal_help: Offered | None = None
    # Sections an app above signalen plugs in (report_section_add), e.g. the
    # buurtverbinders' counts: figures only, never names.
    extra: tuple[ExtraSection, ...] = ()


@dataclass(frozen=True)
class ExtraLine:
    label: str
    count: KCount | int


@dataclass(frozen=True)
class ExtraSection:
    title: str
    intro: str
    lines: tuple[ExtraLine, ...]


# fn(wijk=, date_from=, date_to=, outside=, k=) -> ExtraSection | None. Outside the
# team (outside=True) every count must be a KCount that hides numbers below k.
ReportSection = Callable[..., "ExtraSection | None"]
_SECTIONS: list[ReportSection] = []


def report_section_add(section: ReportSection) -> None:
    """Register a section of the team report from an app above signalen (in its
    AppConfig.ready); signalen never imports that app."""
    if section not in _SECTIONS:
        _SECTIONS.append(section)


def _extra_sections(
    wijk: Wijk, date_from: datetime.date, date_to: datetime.date, outside: bool, k: int
) -> tuple[ExtraSection, ...]:
    found = (
        section(wijk=wijk, date_from=date_from, date_to=date_to, outside=outside, k=k)
        for section in _SECTIONS
    )
    return tuple(item for item in found if item is not None)


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _event_text(event: ThemaGebeurtenis, *, outside: bool = False) -> str:
    detail = event.detail or {}
    if event.soort == ThemaGebeurtenis.Soort.STATUS:
        text = _("Van '%(old)s' naar '%(new)s'.") % {
            "old": _label(ThemaStatus, str(detail.get("from", ""))),
            "new": _label(ThemaStatus, str(detail.get("to", ""))),
        }
        if detail.get("reason") and not outside:
            text += " " + _("Reden: %(reason)s") % {"reason": detail["reason"]}
        return text
    if event.soort == ThemaGebeurtenis.Soort.VISIBILITY:
        return _("Van '%(old)s' naar '%(new)s'.") % {
            "old": _label(ThemaZichtbaarheid, str(detail.get("from", ""))),
            "new": _label(ThemaZichtbaarheid, str(detail.get("to", ""))),
        }
    for key in ("initiatief_title", "initiatief", "title"):
        value = detail.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _end(day: datetime.date) -> datetime.datetime:
    return _start(day + datetime.timedelta(days=1))


def _themes(
    wijk: Wijk, date_from: datetime.date, date_to: datetime.date
) -> list[WijkThema]:
    """Themes with signals in the period, or that the team acted on in it."""
    in_period = (
        Q(first_observed_on__isnull=True) | Q(first_observed_on__lte=date_to)
    ) & (Q(last_observed_on__isnull=True) | Q(last_observed_on__gte=date_from))
    acted = Q(
        gebeurtenissen__soort__in=TEAM_EVENTS,
        gebeurtenissen__created_at__gte=_start(date_from),
        gebeurtenissen__created_at__lt=_end(date_to),
    )
    ids = (
        WijkThema.objects.filter(wijk=wijk, created_at__lt=_end(date_to))
        .filter(in_period | acted)
        .values("pk")
    )
    return list(
        WijkThema.objects.filter(pk__in=ids)
        .select_related("categorie")
        .order_by("-is_current", "-size", "pk")
    )


def _category_table(
    wijk: Wijk, first_week: datetime.date, date_to: datetime.date
) -> tuple[list[CategoryLine], KCount | None]:
    rows = (
        SignaalTelling.objects.filter(
            wijk=wijk,
            buurt__isnull=True,
            doelgroep__isnull=True,
            week__gte=first_week,
            week__lte=date_to,
        )
        .values("categorie__code")
        .annotate(n=Sum("count"))
        .values_list("categorie__code", "n")
    )
    counts = {code: int(n or 0) for code, n in rows}
    names = dict(
        Categorie.objects.filter(Q(is_active=True) | Q(code__in=list(counts)))
        .order_by("order", "name")
        .values_list("code", "name")
    )
    cells = {code: counts.get(code, 0) for code in names}
    table = k_anonymous_counts(cells)
    return (
        [CategoryLine(code, names[code], count) for code, count in table.cells],
        table.total,
    )


def _category_table_outside(
    wijk: Wijk, date_from: datetime.date, date_to: datetime.date, today: datetime.date
) -> tuple[list[CategoryLine], KCount, datetime.date, datetime.date | None]:
    """The category table as it leaves the team: only the whole blocks of four weeks
    in the period that are over, each signal in the block in which it was logged (the
    frozen counts, signalen.intake.facts), and a category only when the officer's
    chart shows it on its own in every one of those blocks (signalen.kanon
    split_block): a table for any two days could otherwise be subtracted from the
    next day's, or from the dashboard's, to pin a small count, and a block that is
    over never changes here either."""
    k = k_threshold()
    period = Period.snapped(date_from, date_to, as_of=today)
    hidden = KCount(None, k)
    counts: dict[tuple[datetime.date, str], int] = {}
    if period is not None:
        rows = (
            SignaalTelling.objects.filter(
                wijk=wijk,
                buurt__isnull=True,
                doelgroep__isnull=True,
                week__gte=period.first_week,
                week__lte=period.last_week,
            )
            .values("week", "categorie__code")
            .annotate(n=Sum("count"))
            .values_list("week", "categorie__code", "n")
        )
        counts = {(week, code): int(n or 0) for week, code, n in rows}
    names = dict(
        Categorie.objects.filter(
            Q(is_active=True) | Q(code__in=[code for _w, code in counts])
        )
        .order_by("order", "name")
        .values_list("code", "name")
    )
    if period is None:
        lines = [CategoryLine(code, name, hidden) for code, name in names.items()]
        return lines, hidden, monday_of(date_from), None
    merged = merge_splits(
        [
            split_block(counts, weeks=block, codes=list(names), k=k)
            for block in period.blocks
        ]
    )
    shown = sorted(merged.alone.items(), key=lambda item: (-item[1], item[0]))
    lines = [CategoryLine(code, names[code], KCount(n, k)) for code, n in shown]
    lines += [
        CategoryLine(code, names[code], hidden)
        for code in sorted(names)
        if code not in merged.alone
    ]
    total = (
        KCount(merged.total, k)
        if merged.total is not None and merged.total >= k
        else hidden
    )
    return lines, total, period.first_week, period.last_day


OUTSIDE_VISIBILITY = (ThemaZichtbaarheid.GEMEENTE, ThemaZichtbaarheid.PUBLIEK)


def _shown_outside(thema: WijkThema) -> bool:
    return (
        thema.visibility in OUTSIDE_VISIBILITY
        and bool(thema.name)
        and thema.status != ThemaStatus.VERWORPEN
    )


def team_report(
    *,
    wijk: Wijk,
    user: User,
    date_from: datetime.date,
    date_to: datetime.date,
    today: datetime.date | None = None,
    sharing_team_ids: list[int] | None = None,
) -> TeamReport:
    """The report's data. The caller checked that the user works in the wijk, or
    (sharing_team_ids given: the outside version) that the user is an officer of the
    wijk's gemeente and these teams of the wijk share their report."""
    today = today or timezone.localdate()
    outside = sharing_team_ids is not None
    k = k_threshold()
    themes = _themes(wijk, date_from, date_to)
    if outside:
        # The outside number (whole 4-week blocks, k-anonymous): a theme whose
        # number is hidden is not in the outside report at all.
        # Fixed per block that is over (signalen.themes.published): the engine's
        # own size would let the list move after a run.
        counts = theme_outside_sizes([thema.pk for thema in themes])
        themes = [
            thema
            for thema in themes
            if _shown_outside(thema) and counts[thema.pk].value is not None
        ]
        sizes = {pk: int(count.value or 0) for pk, count in counts.items()}
        outside_trends = theme_outside_trends([thema.pk for thema in themes])
        trends = {
            pk: (trend, outside_trend_label(trend))
            for pk, trend in outside_trends.items()
        }
    else:
        # The team's number of each theme, as on the theme pages (signalen.kanon).
        sizes = theme_team_sizes([thema.pk for thema in themes])
        trends = {
            thema.pk: (thema.trend, str(thema.get_trend_display())) for thema in themes
        }
    shown_ids = {thema.pk for thema in themes}
    theme_lines = tuple(
        ThemeLine(
            pk=thema.pk,
            name=str(thema.outside_name if outside else thema.display_name),
            status=thema.status,
            status_label=str(thema.get_status_display()),
            visibility_label=str(thema.get_visibility_display()),
            size=sizes[thema.pk],
            trend=trends[thema.pk][0],
            trend_label=trends[thema.pk][1],
            # Outside the team: no engine words (signalen.naming).
            keywords=() if outside else tuple(thema.team_keywords[:8]),
            categorie=thema.categorie.name if thema.categorie else "",
            is_current=thema.is_current,
            first_observed_on=thema.first_observed_on,
            last_observed_on=thema.last_observed_on,
        )
        for thema in themes
    )
    events = tuple(
        EventLine(
            when=event.created_at,
            thema=str(
                event.thema.outside_name if outside else event.thema.display_name
            ),
            what=str(event.get_soort_display()),
            text=_event_text(event, outside=outside),
        )
        for event in ThemaGebeurtenis.objects.filter(
            thema__wijk=wijk,
            soort__in=TEAM_EVENTS,
            created_at__gte=_start(date_from),
            created_at__lt=_end(date_to),
        )
        .select_related("thema")
        .order_by("created_at", "pk")
        if not outside or event.thema_id in shown_ids
    )
    answers = tuple(
        AnswerLine(
            thema=str(link.thema.outside_name if outside else link.thema.display_name),
            initiatief=link.initiatief.title,
            initiatief_status=str(link.initiatief.get_status_display()),
            note="" if outside else link.note,
            linked_on=link.created_at,
        )
        for link in ThemaInitiatief.objects.filter(
            thema__wijk=wijk, created_at__lt=_end(date_to)
        )
        .select_related("thema", "initiatief")
        .order_by("thema_id", "created_at", "pk")
        if not outside or link.thema_id in shown_ids
    )
    # Only the reader's own team(s), or outside the sharing teams: another team in
    # the same wijk keeps its beleidssignalen to itself.
    own = (
        Q(team_id__in=sharing_team_ids)
        if sharing_team_ids is not None
        else Q(team__members=user)
    )
    escalations = tuple(
        EscalationLine(
            title=item.title,
            thema=str(item.thema.outside_name if outside else item.thema.display_name),
            status_label=str(item.get_status_display()),
            sent_at=item.sent_at,
            received_at=item.received_at,
            answered_at=item.answered_at,
            answer=item.answer,
        )
        for item in Escalatie.objects.filter(own, wijk=wijk, sent_at__lt=_end(date_to))
        .distinct()
        .filter(
            Q(sent_at__gte=_start(date_from))
            | Q(answered_at__isnull=True)
            | Q(answered_at__gte=_start(date_from))
        )
        .select_related("thema")
        .order_by("sent_at", "pk")
    )
    doelen = goal_queries.goals_for_user(user, wijk=wijk).filter(
        start_date__lte=date_to, deadline__gte=date_from
    )
    if sharing_team_ids is not None:
        doelen = doelen.filter(team_id__in=sharing_team_ids)
    doelen = doelen.order_by("is_closed", "deadline", "pk")
    goal_lines = tuple(goal_queries.goal_rows(list(doelen), today=today))
    categories_until: datetime.date | None = None
    total: KCount | None
    if outside:
        categories, total, first_week, categories_until = _category_table_outside(
            wijk, date_from, date_to, today
        )
    else:
        first_week = monday_of(date_from)
        categories, total = _category_table(wijk, first_week, date_to)
    return TeamReport(
        wijk=wijk,
        date_from=date_from,
        date_to=date_to,
        first_week=first_week,
        themes=theme_lines,
        events=events,
        answers=answers,
        escalations=escalations,
        goals=goal_lines,
        categories=tuple(categories),
        categories_total=total,
        k=k,
        made_at=timezone.now(),
        outside=outside,
        categories_until=categories_until,
        informal_help=offered_counts(
            wijk=wijk,
            date_from=date_from,
            date_to=date_to,
            outside=outside,
            today=today,
        ),
        extra=_extra_sections(wijk, date_from, date_to, outside, k),
    )


def report_audit(
    *,
    actor: User,
    report: TeamReport,
    action: str,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Opening (VIEW) or downloading (EXPORT) the team report."""
    AuditEntry.objects.create(
        actor=actor,
        action=action,
        wijk=report.wijk,
        detail={
            "rapport": {
                "from": report.date_from.isoformat(),
                "to": report.date_to.isoformat(),
                "themas": len(report.themes),
                "doelen": len(report.goals),
                **dict(detail or {}),
            }
        },
    )


def _date(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


# Spreadsheet programs run a cell that starts with one of these as a formula.
def report_csv(report: TeamReport) -> str:
    """The report's tables in one CSV (semicolons, for Dutch spreadsheet programs):
    one block per table, each with a title row and a header row, an empty row between
    blocks. Hidden counts read "verborgen", as on the page."""
    out = io.StringIO()
    writer = csv_writer(out, delimiter=";")
    writer.writerow([_("Teamrapport"), report.wijk.name, report.wijk.code])
    writer.writerow([_("Periode"), _date(report.date_from), _date(report.date_to)])
    writer.writerow([])
    writer.writerow([_("Thema's")])
    writer.writerow(
        [
            _("Thema"),
            _("Status"),
            _("Signalen"),
            _("Trend"),
            _("Vooral over"),
            _("Actueel"),
        ]
    )
    for theme in report.themes:
        writer.writerow(
            [
                theme.name,
                theme.status_label,
                theme.size,
                theme.trend_label,
                theme.categorie,
                _("ja") if theme.is_current else _("nee"),
            ]
        )
    writer.writerow([])
    writer.writerow([_("Wat het team deed")])
    writer.writerow([_("Datum"), _("Thema"), _("Wat"), _("Toelichting")])
    for event in report.events:
        writer.writerow([_date(event.when), event.thema, event.what, event.text])
    writer.writerow([])
    writer.writerow([_("Initiatieven bij thema's")])
    writer.writerow(
        [_("Thema"), _("Initiatief"), _("Status"), _("Toelichting"), _("Sinds")]
    )
    for answer in report.answers:
        writer.writerow(
            [
                answer.thema,
                answer.initiatief,
                answer.initiatief_status,
                answer.note,
                _date(answer.linked_on),
            ]
        )
    writer.writerow([])
    writer.writerow([_("Beleidssignalen aan de gemeente")])
    writer.writerow(
        [
            _("Titel"),
            _("Thema"),
            _("Status"),
            _("Verstuurd"),
            _("Beantwoord"),
            _("Antwoord"),
        ]
    )
    for item in report.escalations:
        writer.writerow(
            [
                item.title,
                item.thema,
                item.status_label,
                _date(item.sent_at),
                _date(item.answered_at),
                item.answer,
            ]
        )
    writer.writerow([])
    writer.writerow([_("Doelen")])
    writer.writerow(
        [
            _("Doel"),
            _("Doelgroep"),
            _("Wat tellen we"),
            _("Richting"),
            _("Beginstand"),
            _("Stand"),
            _("Doel (aantal)"),
            _("Begindatum"),
            _("Einddatum"),
            _("Gedaan (%)"),
            _("Tijd verstreken (%)"),
            _("Stand van zaken"),
            _("Laatst bijgewerkt"),
        ]
    )
    for row in report.goals:
        writer.writerow(
            [
                row.title,
                row.doelgroep,
                row.indicator,
                _("omlaag") if row.counts_down else _("omhoog"),
                row.start_value,
                row.current_value,
                row.target_value,
                _date(row.start_date),
                _date(row.deadline),
                row.progress.percent_done,
                row.progress.percent_time,
                _("afgesloten") if row.is_closed else row.progress.state_label,
                _date(row.last_update),
            ]
        )
    writer.writerow([])
    writer.writerow(
        [
            _("Signalen per categorie (vanaf de week van %(date)s)")
            % {"date": _date(report.first_week)}
        ]
    )
    writer.writerow([_("Categorie"), _("Signalen")])
    for line in report.categories:
        writer.writerow([line.name, str(line.count)])
    if report.categories_total is not None:
        writer.writerow([_("Totaal"), str(report.categories_total)])
    if report.informal_help is not None:
        writer.writerow([])
        writer.writerow([_("Informele hulp eerst aangeboden")])
        writer.writerow([_("Blok van 4 weken"), _("Keer")])
        for block, count in report.informal_help.rows:
            writer.writerow(
                [f"{_date(block.block)} - {_date(block.last_day)}", str(count)]
            )
        if report.informal_help.table.total is not None:
            writer.writerow([_("Totaal"), str(report.informal_help.table.total)])
    for section in report.extra:
        writer.writerow([])
        writer.writerow([section.title])
        for extra in section.lines:
            writer.writerow([extra.label, str(extra.count)])
    return out.getvalue()

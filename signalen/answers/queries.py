"""Reads of answers: public themes, calls and trekkers, suggestions, feedback."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, Team, User
from accounts.permissions import can_work_in_wijk, wijken_of_user
from initiatieven.models import Initiatief
from initiatieven.models import Status as InitiatiefStatus
from initiatieven.models import Thema as InitiatiefThema
from initiatieven.queries import initiatieven_similar
from signalen.kanon import KCount
from signalen.models import (
    Escalatie,
    EscalatieStatus,
    Signaal,
    ThemaGebeurtenis,
    ThemaInitiatief,
    ThemaLid,
    ThemaStatus,
    ThemaTrekker,
    ThemaVoortgang,
    ThemaZichtbaarheid,
    WijkThema,
)
from signalen.themes.queries import theme_outside_sizes
from signalen.themes.services import PUBLIC_ALLOWED
from wijken.models import Wijk
from wijken.queries import PublicPlek, places_matching


@dataclass(frozen=True)
class PublicThemeRow:
    """A public theme as anyone may see it: the team's own public words, never signal
    text or engine keywords, and a k-anonymous size."""

    pk: int
    title: str
    text: str
    is_call: bool
    status: str
    status_label: str
    size: KCount
    initiatives: int
    trekkers: int
    url: str


def _public(themes: QuerySet[WijkThema]) -> QuerySet[WijkThema]:
    """The rule of the public theme page: visibility publiek, recognised, current or
    finished, with an approved public title."""
    return (
        themes.filter(
            visibility=ThemaZichtbaarheid.PUBLIEK,
            status__in=(ThemaStatus.ERKEND, ThemaStatus.OPGEPAKT, ThemaStatus.AFGEROND),
            public_approved_at__isnull=False,
        )
        .filter(Q(is_current=True) | Q(status=ThemaStatus.AFGEROND))
        .exclude(public_title="")
    )


def _public_theme_rows(themes: list[WijkThema]) -> dict[int, PublicThemeRow]:
    """Per theme its public row: the team's public words, the k-anonymous size
    (theme_outside_sizes), the visible initiatives linked and the trekkers."""

    from signalen.models import ThemaInitiatief, ThemaTrekker

    ids = [thema.pk for thema in themes]
    sizes = theme_outside_sizes(ids)
    initiatives = dict(
        ThemaInitiatief.objects.filter(thema_id__in=ids, initiatief__is_hidden=False)
        .values("thema_id")
        .annotate(n=Count("pk"))
        .values_list("thema_id", "n")
    )
    trekkers = dict(
        ThemaTrekker.objects.filter(thema_id__in=ids)
        .values("thema_id")
        .annotate(n=Count("pk"))
        .values_list("thema_id", "n")
    )
    return {
        thema.pk: PublicThemeRow(
            pk=thema.pk,
            title=thema.public_title,
            text=thema.public_text,
            is_call=thema.is_call,
            status=thema.status,
            status_label=str(thema.get_status_display()),
            size=sizes[thema.pk],
            initiatives=int(initiatives.get(thema.pk, 0)),
            trekkers=int(trekkers.get(thema.pk, 0)),
            url=reverse("themas:detail", kwargs={"pk": thema.pk}),
        )
        for thema in themes
    }


def _shown_order(row: PublicThemeRow) -> tuple[bool, int, int]:
    # Calls first, then by the size as shown (hidden sizes last, by id), never by the
    # real size: the order would tell which of two hidden themes is bigger.
    return (not row.is_call, -row.size.sort_value, row.pk)


def public_themes_for_wijk(wijk: Wijk) -> list[PublicThemeRow]:
    """The wijk's public themes (the same rule as the public theme page), calls first,
    then by size."""
    if not wijk.is_active:
        return []
    themes = list(_public(WijkThema.objects.filter(wijk=wijk)).order_by("pk"))
    return sorted(_public_theme_rows(themes).values(), key=_shown_order)


@dataclass(frozen=True)
class PublicThemeListRow:
    """A public theme with the wijk it belongs to (public_themes_for_wijk's row)."""

    wijk_code: str
    wijk_name: str
    gemeente_code: str
    theme: PublicThemeRow


def public_themes(
    *,
    gemeente_id: int | None = None,
    wijk_id: int | None = None,
    is_call: bool | None = None,
) -> list[PublicThemeListRow]:
    """The public themes of many wijken at once, by the same rule and with the same
    rows and order per wijk as public_themes_for_wijk (tested to agree), wijken by
    code. The sizes come from theme_outside_sizes: k-anonymous."""
    qs = _public(WijkThema.objects.filter(wijk__is_active=True))
    if gemeente_id is not None:
        qs = qs.filter(wijk__gemeente_id=gemeente_id)
    if wijk_id is not None:
        qs = qs.filter(wijk_id=wijk_id)
    if is_call is not None:
        qs = qs.filter(is_call=is_call)
    themes = list(
        qs.select_related("wijk", "wijk__gemeente")
        .only(
            "pk",
            "wijk_id",
            "wijk__code",
            "wijk__name",
            "wijk__gemeente__code",
            "public_title",
            "public_text",
            "is_call",
            "status",
            "updated_at",
        )
        .order_by("pk")
    )
    rows = _public_theme_rows(themes)
    themes.sort(key=lambda t: (t.wijk.code, *_shown_order(rows[t.pk])))
    return [
        PublicThemeListRow(
            wijk_code=thema.wijk.code,
            wijk_name=thema.wijk.name,
            gemeente_code=thema.wijk.gemeente.code,
            theme=rows[thema.pk],
        )
        for thema in themes
    ]


@dataclass(frozen=True)
class PublicProgressRow:
    """An update on a public theme, with its author in public words."""

    text: str
    author: str
    created_at: datetime.datetime


@dataclass(frozen=True)
class PublicThemeDetail:
    """What the public theme page (/themas/<pk>/) shows, for anyone: never signal
    text, engine keywords or a small count; trekkers by name only when they chose so."""

    row: PublicThemeListRow
    status_text: str
    initiatives: tuple[tuple[int, str], ...]
    trekker_names: tuple[str, ...]
    progress: tuple[PublicProgressRow, ...]


def public_theme_detail(pk: int) -> PublicThemeDetail | None:
    """The public theme page's content as data; None when the theme is not public."""
    try:
        thema = public_theme(pk)
    except Http404:
        return None
    view = public_theme_view(thema, AnonymousUser())
    return PublicThemeDetail(
        row=PublicThemeListRow(
            wijk_code=thema.wijk.code,
            wijk_name=thema.wijk.name,
            gemeente_code=thema.wijk.gemeente.code,
            theme=_public_theme_rows([thema])[thema.pk],
        ),
        status_text=str(view.status_text),
        initiatives=tuple((i.pk, i.title) for i in view.initiatives),
        trekker_names=tuple(view.trekker_names),
        progress=tuple(
            PublicProgressRow(
                text=item.text,
                author=str(progress_author_label(item, view.shown_ids)),
                created_at=item.created_at,
            )
            for item in view.progress
        ),
    )


PUBLIC_TITLE_MAX_LENGTH = 120


PUBLIC_TEXT_MAX_LENGTH = 2000


# A public text that repeats this many characters of a signal in a row is refused.
OVERLAP_CHARS = 30


SUGGESTIONS = 5


# Initiatives that can still answer a theme.
LINKABLE = (
    InitiatiefStatus.IDEE,
    InitiatiefStatus.IN_VOORBEREIDING,
    InitiatiefStatus.ACTIEF,
)


# Signal category code -> initiative theme codes that could answer it (both seeded by
# migrations: signalen 0002, initiatieven 0002). Kept small and obvious on purpose.
CATEGORIE_THEMAS: Mapping[str, tuple[str, ...]] = {
    "eenzaamheid": ("eenzaamheid", "ontmoeting", "ouderen"),
    "geldzorgen-schulden": ("geldzaken",),
    "gezondheid": ("gezondheid-sport", "eten"),
    "psychische-klachten": ("ontmoeting", "gezondheid-sport"),
    "wonen-woonoverlast": ("wonen", "klussen-repair", "groen-buitenruimte"),
    "veiligheid": ("veiligheid",),
    "jeugd-opvoeding": ("jeugd",),
    "mantelzorg": ("ouderen", "ontmoeting"),
    "taal-meedoen": ("taal", "ontmoeting", "cultuur"),
    "werk-dagbesteding": ("ontmoeting", "klussen-repair"),
    "digitale-vaardigheden": ("taal",),
    "zelfzorg-dagelijks-leven": ("ouderen", "eten"),
}


# Signal category code -> kinds of place (wijken.models.PlekSoort) that may offer an
# answer: where residents meet, learn or get help. A place of such a kind gets a point;
# the theme's words found in its name or description count more
# (wijken.queries.places_matching).
CATEGORIE_PLEKSOORTEN: Mapping[str, tuple[str, ...]] = {
    "eenzaamheid": ("buurthuis", "wijkcentrum", "bibliotheek"),
    "geldzorgen-schulden": ("wijkcentrum", "bibliotheek"),
    "gezondheid": ("huisarts",),
    "psychische-klachten": ("huisarts", "wijkcentrum"),
    "wonen-woonoverlast": ("wijkcentrum",),
    "jeugd-opvoeding": ("school", "bibliotheek"),
    "mantelzorg": ("wijkcentrum", "huisarts"),
    "taal-meedoen": ("bibliotheek", "buurthuis"),
    "werk-dagbesteding": ("wijkcentrum", "buurthuis"),
    "digitale-vaardigheden": ("bibliotheek",),
    "zelfzorg-dagelijks-leven": ("wijkcentrum", "huisarts"),
}


PLACE_SUGGESTIONS = 5


def _plain(text: str | None) -> str:
    """Trimmed text with its line breaks kept; other whitespace runs made single."""
    lines = [" ".join(line.split()) for line in (text or "").strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


def is_team_professional(user: User, thema: WijkThema) -> bool:
    return bool(user.is_authenticated and can_work_in_wijk(user, thema.wijk))


def contains_signal_text(thema: WijkThema, *texts: str) -> bool:
    """True when any of the texts repeats OVERLAP_CHARS or more characters in a row of
    a member signal's text (case and spacing ignored)."""
    haystack = "\n".join(_normalised(t) for t in texts if t)
    if len(haystack) < OVERLAP_CHARS:
        return False
    signal_texts = Signaal.objects.filter(thema_leden__thema=thema).values_list(
        "text", flat=True
    )
    for raw in signal_texts:
        text = _normalised(raw or "")
        for start in range(len(text) - OVERLAP_CHARS + 1):
            if text[start : start + OVERLAP_CHARS] in haystack:
                return True
    return False


def theme_answers(thema: WijkThema) -> list[ThemaInitiatief]:
    """The initiatives linked to the theme, newest link first (hidden ones too: the
    team sees them; public reads leave them out)."""
    return list(
        ThemaInitiatief.objects.filter(thema=thema)
        .select_related("initiatief", "linked_by")
        .order_by("-created_at", "-pk")
    )


def _thema_words(thema: WijkThema) -> str:
    words = [thema.name, thema.label, " ".join(str(w) for w in thema.keywords or [])]
    return " ".join(w for w in words if w)


def initiative_theme_ids(thema: WijkThema) -> list[int]:
    """The initiative themes that fit the theme's category (CATEGORIE_THEMAS)."""
    if thema.categorie is None:
        return []
    codes = CATEGORIE_THEMAS.get(thema.categorie.code, ())
    if not codes:
        return []
    return list(
        InitiatiefThema.objects.filter(code__in=codes, is_active=True).values_list(
            "pk", flat=True
        )
    )


def answer_suggestions(
    thema: WijkThema, *, limit: int = SUGGESTIONS
) -> list[Initiatief]:
    """Existing initiatives in the theme's wijk that could answer it, best match first:
    visible, idee/in voorbereiding/actief, not linked yet."""
    linked = set(
        ThemaInitiatief.objects.filter(thema=thema).values_list(
            "initiatief_id", flat=True
        )
    )
    found = initiatieven_similar(
        wijk=thema.wijk,
        title=_thema_words(thema),
        thema_ids=initiative_theme_ids(thema),
    )
    return [
        initiatief
        for initiatief in found
        if initiatief.status in LINKABLE and initiatief.pk not in linked
    ][:limit]


def place_suggestions(
    thema: WijkThema, *, limit: int = PLACE_SUGGESTIONS
) -> list[PublicPlek]:
    """Places in the theme's wijk that may be part of the answer ("wat er al is in de
    wijk"): the theme's words in their name or description, or a kind that fits the
    theme's category. Shown with their contact; they are not linked to the theme."""
    kinds = (
        CATEGORIE_PLEKSOORTEN.get(thema.categorie.code, ())
        if thema.categorie is not None
        else ()
    )
    return places_matching(
        wijk=thema.wijk, words=_thema_words(thema), kinds=kinds, limit=limit
    )


def theme_answer_panel(user: User, thema: WijkThema) -> dict[str, Any]:
    """What the team's theme page shows in its "Wat is er al?" sections."""
    return {
        "suggestions": answer_suggestions(thema),
        "places": place_suggestions(thema),
        "linked": theme_answers(thema),
        "can_link": thema.status != ThemaStatus.VERWORPEN,
        "can_publish": thema.status in PUBLIC_ALLOWED,
        "is_public": is_public(thema),
        "trekkers": ThemaTrekker.objects.filter(thema=thema).count(),
        "title_max": PUBLIC_TITLE_MAX_LENGTH,
        "text_max": PUBLIC_TEXT_MAX_LENGTH,
    }


def can_moderate_progress(user: User | Any, thema: WijkThema) -> bool:
    """Professionals of a team in the theme's wijk, and beheerders."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.role == Role.BEHEERDER or is_team_professional(user, thema)


def hidden_progress(thema: WijkThema) -> list[ThemaVoortgang]:
    """The hidden updates of a theme, for those who may show them again."""
    return list(
        ThemaVoortgang.objects.filter(thema=thema, is_hidden=True)
        .select_related("author", "hidden_by")
        .order_by("-created_at", "-pk")
    )


def is_public(thema: WijkThema) -> bool:
    """Shown to everyone: public, with an approved public text, current or finished,
    in an active wijk."""
    return bool(
        thema.visibility == ThemaZichtbaarheid.PUBLIEK
        and thema.status in PUBLIC_ALLOWED
        and (thema.is_current or thema.status == ThemaStatus.AFGEROND)
        and thema.public_title
        and thema.public_approved_at is not None
        and thema.wijk.is_active
    )


def public_theme(pk: int) -> WijkThema:
    """The public theme, or 404 (also for a theme that exists but is not public)."""
    thema = (
        WijkThema.objects.select_related("wijk", "wijk__gemeente").filter(pk=pk).first()
    )
    if thema is None or not is_public(thema):
        raise Http404
    return thema


def was_public(pk: int) -> WijkThema | None:
    """A theme that was on the public pages once but is not any more (taken off,
    dismissed, or no longer current), in an active wijk; None otherwise. Its old
    address answers "no longer public" (410) instead of "not found"."""
    thema = (
        WijkThema.objects.select_related("wijk", "wijk__gemeente").filter(pk=pk).first()
    )
    if (
        thema is None
        or is_public(thema)
        or not thema.wijk.is_active
        or not thema.gebeurtenissen.filter(
            soort=ThemaGebeurtenis.Soort.PUBLISHED
        ).exists()
    ):
        return None
    return thema


def public_status_text(status: str) -> str:
    if status == ThemaStatus.OPGEPAKT:
        return _("Hier wordt aan gewerkt.")
    if status == ThemaStatus.AFGEROND:
        return _("Hier is een antwoord op gekomen.")
    return _("Het wijkteam ziet dit in de wijk en zoekt naar een antwoord.")


@dataclass(frozen=True)
class PublicTheme:
    """Everything the public theme page shows: no signal text, no small counts."""

    thema: WijkThema
    title: str
    text: str
    size: KCount
    status_text: str
    initiatives: list[Initiatief]
    trekker_names: list[str]
    shown_ids: set[int]
    trekker_count: int
    progress: list[ThemaVoortgang]
    user_is_trekker: bool = False
    user_is_team: bool = False
    user_in_wijk: bool = False
    own_initiatives: list[Initiatief] = field(default_factory=list)
    can_moderate: bool = False
    hidden_progress: list[ThemaVoortgang] = field(default_factory=list)


def _own_initiatives(user: User, thema: WijkThema) -> list[Initiatief]:
    """The user's own (owned or co-organised) running initiatives in the theme's wijk,
    not linked yet."""
    linked = ThemaInitiatief.objects.filter(thema=thema).values("initiatief_id")
    return list(
        Initiatief.objects.filter(
            Q(owner=user) | Q(co_organisers=user),
            wijk_id=thema.wijk_id,
            is_hidden=False,
            status__in=LINKABLE,
        )
        .exclude(pk__in=linked)
        .distinct()
        .order_by("title")
    )


def public_initiatives(thema: WijkThema) -> list[Initiatief]:
    return list(
        Initiatief.objects.filter(
            pk__in=ThemaInitiatief.objects.filter(thema=thema).values("initiatief_id"),
            is_hidden=False,
        ).order_by("title")
    )


def public_theme_view(thema: WijkThema, user: User | Any) -> PublicTheme:
    trekkers = list(
        ThemaTrekker.objects.filter(thema=thema).select_related("user").order_by("pk")
    )
    authenticated = bool(getattr(user, "is_authenticated", False))
    can_moderate = can_moderate_progress(user, thema)
    in_wijk = bool(
        authenticated
        and user.role == Role.BEWONER
        and user.wijk_id is not None
        and user.wijk_id == thema.wijk_id
    )
    return PublicTheme(
        thema=thema,
        title=thema.public_title,
        text=thema.public_text,
        size=theme_outside_sizes([thema.pk])[thema.pk],
        status_text=public_status_text(thema.status),
        initiatives=public_initiatives(thema),
        trekker_names=[t.user.display_name for t in trekkers if t.show_name],
        shown_ids={t.user_id for t in trekkers if t.show_name},
        trekker_count=len(trekkers),
        progress=list(
            ThemaVoortgang.objects.filter(thema=thema, is_hidden=False)
            .select_related("author")
            .order_by("-created_at", "-pk")[:50]
        ),
        user_is_trekker=authenticated and any(t.user_id == user.pk for t in trekkers),
        user_is_team=authenticated and is_team_professional(user, thema),
        user_in_wijk=in_wijk,
        own_initiatives=_own_initiatives(user, thema) if in_wijk else [],
        can_moderate=can_moderate,
        hidden_progress=hidden_progress(thema) if can_moderate else [],
    )


def progress_author_label(voortgang: ThemaVoortgang, shown_ids: set[int]) -> str:
    """Who wrote an update, in public words: a trekker by name only when they chose to
    show it (shown_ids: the trekkers who show their name); a professional as "het
    wijkteam"."""
    author = voortgang.author
    if author is None:
        return _("onbekend")
    if author.role == Role.PROFESSIONAL:
        return _("het wijkteam")
    return author.display_name if author.pk in shown_ids else _("een trekker")


def can_post_progress(user: User, thema: WijkThema) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if is_team_professional(user, thema):
        return True
    return ThemaTrekker.objects.filter(thema=thema, user=user).exists()


def team_professionals(thema: WijkThema) -> list[User]:
    """The active professionals of the teams that work in the theme's wijk."""
    teams = Team.objects.filter(wijken=thema.wijk)
    return list(
        User.objects.filter(teams__in=teams, role=Role.PROFESSIONAL, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


@dataclass(frozen=True)
class FeedbackRow:
    thema: WijkThema
    own_signals: int
    initiatives: list[Initiatief]
    escalations: list[Escalatie]
    is_public: bool

    @property
    def escalations_answered(self) -> int:
        return sum(
            1 for e in self.escalations if e.status == EscalatieStatus.BEANTWOORD
        )


def feedback_for_professional(user: User) -> list[FeedbackRow]:
    """The themes the user's own signals fed (in the wijken of the user's teams), with
    what became of them: status, linked initiatives, public call, escalations."""
    if not user.is_authenticated or user.role != Role.PROFESSIONAL:
        return []
    own = ThemaLid.objects.filter(
        signaal__author=user, thema__wijk__in=wijken_of_user(user).values("pk")
    )
    counts: dict[int, int] = {}
    for thema_id in own.values_list("thema_id", flat=True):
        counts[thema_id] = counts.get(thema_id, 0) + 1
    themas = list(
        WijkThema.objects.filter(pk__in=counts)
        .select_related("wijk", "categorie")
        .order_by("-is_current", "-status_changed_at", "-size", "pk")
    )
    links: dict[int, list[Initiatief]] = {t.pk: [] for t in themas}
    for link in ThemaInitiatief.objects.filter(thema__in=themas).select_related(
        "initiatief"
    ):
        links[link.thema_id].append(link.initiatief)
    escalations: dict[int, list[Escalatie]] = {t.pk: [] for t in themas}
    for escalatie in Escalatie.objects.filter(thema__in=themas).order_by("-sent_at"):
        escalations[escalatie.thema_id].append(escalatie)
    return [
        FeedbackRow(
            thema=thema,
            own_signals=counts[thema.pk],
            initiatives=links[thema.pk],
            escalations=escalations[thema.pk],
            is_public=is_public(thema),
        )
        for thema in themas
    ]

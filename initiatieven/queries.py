"""Reads of initiatives, with their joins and counts applied."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from shapely.geometry import shape

from initiatieven.models import (
    Aanbod,
    Afspraak,
    Behoefte,
    BehoefteKind,
    Bericht,
    Bijeenkomst,
    Deelname,
    DeelnameKind,
    Initiatief,
    Status,
    Thema,
    Volger,
)
from wijken import generations
from wijken.models import Buurt, Wijk

CENTROID_CACHE_SECONDS = 24 * 60 * 60
SIMILAR_LIMIT = 5
# Short and very common words say nothing about whether two initiatives are alike.
STOPWORDS = {
    "voor",
    "door",
    "met",
    "van",
    "een",
    "het",
    "de",
    "en",
    "in",
    "op",
    "om",
    "bij",
    "naar",
    "over",
    "onze",
    "ons",
    "wij",
    "samen",
    "wijk",
    "buurt",
    "elke",
    "iedere",
    "alle",
    "maar",
    "ook",
    "dat",
    "die",
    "deze",
    "wat",
    "wie",
    "waar",
    "zijn",
    "worden",
}


def _participant_count(kind: str) -> Coalesce:
    counts = (
        Deelname.objects.filter(initiatief=OuterRef("pk"), kind=kind)
        .order_by()
        .values("initiatief")
        .annotate(c=Count("pk"))
        .values("c")[:1]
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def initiatieven_visible(*, user: Any) -> QuerySet[Initiatief]:
    """Initiatives this user may see: public ones, plus hidden ones they organise
    (beheerders see all)."""
    qs = Initiatief.objects.all()
    if not user.is_authenticated:
        return qs.filter(is_hidden=False)
    if user.is_beheerder:
        return qs
    co_organised = Initiatief.co_organisers.through.objects.filter(
        initiatief_id=OuterRef("pk"), user_id=user.pk
    )
    return qs.filter(Q(is_hidden=False) | Q(owner=user) | Exists(co_organised))


def initiatieven_with_counts(qs: QuerySet[Initiatief]) -> QuerySet[Initiatief]:
    return (
        qs.select_related("wijk", "wijk__gemeente", "buurt")
        .prefetch_related(
            Prefetch("themas", queryset=Thema.objects.order_by("order", "name"))
        )
        .annotate(
            doe_mee_count=_participant_count(DeelnameKind.DOE_MEE),
            steun_count=_participant_count(DeelnameKind.STEUN),
            open_needs_count=Coalesce(
                Subquery(
                    Behoefte.objects.filter(initiatief=OuterRef("pk"), is_met=False)
                    .order_by()
                    .values("initiatief")
                    .annotate(c=Count("pk"))
                    .values("c")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
        )
    )


def search_words(term: str) -> list[str]:
    return [w for w in re.findall(r"\w+", term.lower()) if w][:10]


def initiatieven_search(qs: QuerySet[Initiatief], *, term: str) -> QuerySet[Initiatief]:
    """Full-text search on title, summary and description.

    PostgreSQL: the stored, GIN-indexed `search_vector` (Dutch stemming and stop words;
    title weighs most, then summary, then description), ranked.
    SQLite: every word must occur in one of the three fields (case-insensitive).
    """
    term = term.strip()
    if not term:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        # The stored vector (migration 0008): indexed, and never recomputed per row.
        query = SearchQuery(term, config="dutch", search_type="websearch")
        return qs.filter(search_vector=query).annotate(
            search_rank=SearchRank(F("search_vector"), query)
        )
    for word in search_words(term):
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
        )
    return qs.annotate(search_rank=Value(1.0))


def initiatief_detail_get(*, pk: int) -> Initiatief | None:
    return (
        initiatieven_with_counts(Initiatief.objects.filter(pk=pk))
        .select_related("owner")
        .prefetch_related(
            "co_organisers",
            "partners",
            "behoeften",
            Prefetch(
                "berichten",
                queryset=Bericht.objects.select_related("author").order_by(
                    "-created_at", "-pk"
                ),
            ),
            Prefetch(
                "bijeenkomsten", queryset=Bijeenkomst.objects.order_by("starts_at")
            ),
        )
        .first()
    )


def berichten_visible(*, user: Any, initiatief: Initiatief) -> list[Bericht]:
    """The initiative's updates, newest first; hidden ones only for its organisers
    and beheerders. Uses the prefetch of initiatief_detail_get."""
    from initiatieven.permissions import can_moderate, is_organiser

    show_hidden = can_moderate(user) or is_organiser(user, initiatief)
    return [b for b in initiatief.berichten.all() if show_hidden or not b.is_hidden]


def bijeenkomst_get(*, initiatief: Initiatief, pk: int) -> Bijeenkomst | None:
    return (
        Bijeenkomst.objects.filter(initiatief=initiatief, pk=pk)
        .prefetch_related(
            Prefetch("afspraken", queryset=Afspraak.objects.select_related("who_user"))
        )
        .first()
    )


def people_for_afspraak(*, initiatief: Initiatief) -> list[Any]:
    """Organisers and people who take part: who an agreement can be given to."""
    organisers = [initiatief.owner, *initiatief.co_organisers.all()]
    people = [p for p in organisers if p is not None]
    seen = {p.pk for p in people}
    for d in Deelname.objects.filter(initiatief=initiatief).select_related("user"):
        if d.user_id not in seen and d.user.is_active:
            seen.add(d.user_id)
            people.append(d.user)
    return people


def public_participants(*, initiatief: Initiatief) -> list[Deelname]:
    """Participants who chose to show their name, one row per person and kind."""
    return list(
        Deelname.objects.filter(initiatief=initiatief, show_name=True)
        .select_related("user")
        .order_by("kind", "created_at")
    )


def all_participants(*, initiatief: Initiatief) -> list[Deelname]:
    return list(
        Deelname.objects.filter(initiatief=initiatief)
        .select_related("user")
        .order_by("kind", "created_at")
    )


def user_state(*, user: Any, initiatief: Initiatief) -> dict[str, Any]:
    """What this user does with the initiative: their participation kinds and follow."""
    if not user.is_authenticated:
        return {"kinds": set(), "follows": False, "show_name": False}
    rows = list(
        Deelname.objects.filter(user=user, initiatief=initiatief).values_list(
            "kind", "show_name"
        )
    )
    follows = Volger.objects.filter(user=user, initiatief=initiatief).exists()
    return {
        "kinds": {kind for kind, _ in rows},
        "follows": follows,
        "show_name": any(show for _, show in rows),
    }


def _words(text: str) -> set[str]:
    return {
        w
        for w in re.findall(r"\w+", text.lower())
        if len(w) >= 4 and w not in STOPWORDS
    }


def initiatieven_similar(
    *,
    wijk: Wijk,
    title: str,
    summary: str = "",
    thema_ids: list[int] | None = None,
    exclude_pk: int | None = None,
) -> list[Initiatief]:
    """Existing public initiatives in the wijk that look like the one being started:
    sharing words in title or summary, or a theme. Best match first."""
    words = _words(f"{title} {summary}")
    thema_ids = thema_ids or []
    if not words and not thema_ids:
        return []
    match = Q()
    for word in sorted(words)[:12]:
        match |= Q(title__icontains=word) | Q(summary__icontains=word)
    if thema_ids:
        match |= Q(themas__in=thema_ids)
    candidates = (
        Initiatief.objects.filter(wijk=wijk, is_hidden=False)
        .exclude(status="gestopt")
        .exclude(pk=exclude_pk or 0)
        .filter(match)
        .distinct()
        .prefetch_related("themas")
        .order_by("-created_at")[:50]
    )
    scored = []
    for initiatief in candidates:
        score = 2 * len(words & _words(initiatief.title))
        score += len(words & _words(initiatief.summary))
        score += len({t.pk for t in initiatief.themas.all()} & set(thema_ids))
        if score:
            scored.append((score, initiatief))
    scored.sort(key=lambda pair: (-pair[0], -pair[1].pk))
    return [initiatief for _, initiatief in scored[:SIMILAR_LIMIT]]


def _centroid(area: Wijk | Buurt, kind: str) -> tuple[float, float] | None:
    key = f"initiatieven:centroid:{kind}:{area.pk}"
    cached = cache.get(key)
    if cached is not None:
        return tuple(cached) if cached else None  # type: ignore[return-value]
    point: tuple[float, float] | None = None
    if area.geometry:
        try:
            geometry = area.geometry
            if geometry.get("type") == "Feature":
                geometry = geometry.get("geometry")
            # representative_point lies inside the area even for odd shapes.
            c = shape(geometry).representative_point()
            point = (round(c.x, 6), round(c.y, 6))
        except (ValueError, TypeError, AttributeError, KeyError):
            point = None
    cache.set(key, list(point) if point else [], CENTROID_CACHE_SECONDS)
    return point


def _area_feature(area: Wijk | Buurt, kind: str) -> dict[str, Any] | None:
    geometry = area.geometry
    if not geometry:
        return None
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {"kind": kind, "code": area.code, "name": area.name},
    }


def map_features(qs: QuerySet[Initiatief], *, limit: int = 1000) -> dict[str, Any]:
    """A GeoJSON FeatureCollection with one point per initiative, at its buurt (or else
    wijk), and under "areas" the outlines of their wijken and those wijken's buurten
    (a foreign member, so the points stay plain GeoJSON). Each point says where it is
    ("place"); initiatives at the same place share a point, and the map lists them
    together. Three queries, however many initiatives."""
    rows = list(
        qs.order_by()
        .values("pk", "title", "summary", "status", "wijk_id", "buurt_id")
        .annotate(wijk_name=F("wijk__name"))[:limit]
    )
    wijk_ids = {row["wijk_id"] for row in rows}
    buurt_ids = {row["buurt_id"] for row in rows if row["buurt_id"]}
    wijken = list(
        Wijk.objects.filter(pk__in=wijk_ids)
        .only("pk", "code", "name", "geometry")
        .order_by("name")
    )
    buurten = list(
        Buurt.objects.filter(wijk_id__in=wijk_ids)
        .filter(Q(is_active=True) | Q(pk__in=buurt_ids))
        .only("pk", "code", "name", "geometry", "wijk_id")
        .order_by("name")
    )
    places: dict[tuple[str, int], tuple[tuple[float, float] | None, str]] = {}
    for wijk in wijken:
        places[("wijk", wijk.pk)] = (_centroid(wijk, "wijk"), wijk.name)
    for buurt in buurten:
        places[("buurt", buurt.pk)] = (_centroid(buurt, "buurt"), buurt.name)
    features = []
    for row in rows:
        point, place = None, ""
        if row["buurt_id"]:
            point, place = places.get(("buurt", row["buurt_id"]), (None, ""))
        if point is None:
            point, place = places.get(("wijk", row["wijk_id"]), (None, ""))
        if point is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": list(point)},
                "properties": {
                    "title": row["title"],
                    "summary": row["summary"],
                    "wijk": row["wijk_name"],
                    "place": place,
                    "url": reverse("initiatieven:detail", kwargs={"pk": row["pk"]}),
                },
            }
        )
    areas = [
        feature
        for feature in [
            *(_area_feature(wijk, "wijk") for wijk in wijken),
            *(_area_feature(buurt, "buurt") for buurt in buurten),
        ]
        if feature is not None
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "areas": {"type": "FeatureCollection", "features": areas},
    }


def initiatieven_for_wijk(*, wijk: Wijk, limit: int = 6) -> list[Initiatief]:
    return list(
        initiatieven_with_counts(
            Initiatief.objects.filter(wijk=wijk, is_hidden=False).exclude(
                status__in=["afgerond", "gestopt"]
            )
        ).order_by("-created_at")[:limit]
    )


def aanbod_get(*, user: Any) -> Aanbod | None:
    return Aanbod.objects.filter(user=user).first()


def needs_matching(*, user: Any, limit: int = 20) -> list[Behoefte]:
    """Open needs in the user's wijk of the kinds they offer."""
    aanbod = aanbod_get(user=user)
    if aanbod is None or not aanbod.kinds or user.wijk_id is None:
        return []
    return list(
        Behoefte.objects.filter(
            is_met=False,
            kind__in=aanbod.kinds,
            initiatief__wijk_id=user.wijk_id,
            initiatief__is_hidden=False,
        )
        .exclude(initiatief__status__in=["afgerond", "gestopt"])
        .select_related("initiatief")
        .order_by("-created_at")[:limit]
    )


def mijn_overview(*, user: Any) -> dict[str, Any]:
    co = Initiatief.co_organisers.through.objects.filter(
        initiatief_id=OuterRef("pk"), user_id=user.pk
    )
    organised = list(
        initiatieven_with_counts(
            Initiatief.objects.filter(Q(owner=user) | Exists(co))
        ).order_by("-created_at")
    )
    participations = list(
        Deelname.objects.filter(user=user, initiatief__is_hidden=False)
        .select_related("initiatief")
        .order_by("-created_at")
    )
    follows = list(
        Volger.objects.filter(user=user, initiatief__is_hidden=False)
        .select_related("initiatief")
        .order_by("-created_at")
    )
    return {
        "organised": organised,
        "participations": participations,
        "follows": follows,
        "matching_needs": needs_matching(user=user),
        "aanbod": aanbod_get(user=user),
    }


# --- Figures for the officers' dashboard (issue 6) --------------------------------------

# Initiatives that still run: not finished, not stopped, not hidden by a moderator.
RUNNING_STATUSES = ("idee", "in_voorbereiding", "actief")


def _running() -> QuerySet[Initiatief]:
    return Initiatief.objects.filter(is_hidden=False, status__in=RUNNING_STATUSES)


INITIATIVE_FIGURES_CACHE_TIMEOUT = 60 * 60


def initiative_figures_for_wijken(*, wijk_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per wijk: running initiatives and the residents taking part in them (each
    person once per wijk).

    Cached. The key holds the wijken's generation of their initiatives
    (``"initiatieven"``: renewed by every change of an initiative or of who takes
    part, hiding by moderation included, see wijken/generations.py), so reading it
    costs no query and a signal logged in the wijk does not make it anew."""
    key = "bw:initiative-figures:{}".format(
        hashlib.sha256(
            repr(
                (
                    sorted(set(wijk_ids)),
                    generations.stamp(wijk_ids=wijk_ids, domain="initiatieven"),
                )
            ).encode()
        ).hexdigest()[:40]
    )
    cached = cache.get(key)
    if cached is None:
        running = _running().filter(wijk_id__in=wijk_ids)
        counts = dict(
            running.values("wijk_id")
            .annotate(n=Count("pk"))
            .order_by("wijk_id")
            .values_list("wijk_id", "n")
        )
        people = (
            dict(
                Deelname.objects.filter(initiatief__in=running)
                .values("initiatief__wijk_id")
                .annotate(n=Count("user_id", distinct=True))
                .values_list("initiatief__wijk_id", "n")
            )
            if counts
            else {}
        )
        cached = (counts, people)
        cache.set(key, cached, INITIATIVE_FIGURES_CACHE_TIMEOUT)
    counts, people = cached
    return {
        wijk_id: {
            "active": counts.get(wijk_id, 0),
            "participants": people.get(wijk_id, 0),
        }
        for wijk_id in wijk_ids
    }


def initiative_counts_for_buurten(*, buurt_ids: list[int]) -> dict[int, int]:
    """Per buurt: running initiatives placed in that buurt."""
    found = dict(
        _running()
        .filter(buurt_id__in=buurt_ids)
        .values("buurt_id")
        .annotate(n=Count("pk"))
        .values_list("buurt_id", "n")
    )
    return {buurt_id: found.get(buurt_id, 0) for buurt_id in buurt_ids}


def initiative_overview_for_wijk(
    *, wijk: Wijk, needs_limit: int = 20
) -> dict[str, Any]:
    """Visible initiatives of a wijk by status and by theme, and their open needs."""
    visible = Initiatief.objects.filter(wijk=wijk, is_hidden=False)
    labels = dict(Status.choices)
    by_status_raw = dict(
        visible.values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    by_status = [
        (str(labels[code]), by_status_raw.get(code, 0)) for code in Status.values
    ]
    by_theme = list(
        Thema.objects.filter(initiatieven__in=_running().filter(wijk=wijk))
        .values("name")
        .annotate(n=Count("initiatieven", distinct=True))
        .order_by("-n", "name")
        .values_list("name", "n")
    )
    kinds = dict(BehoefteKind.choices)
    needs = [
        {
            "kind": str(kinds.get(need.kind, need.kind)),
            "description": need.description,
            "initiatief": need.initiatief.title,
            "url": reverse("initiatieven:detail", kwargs={"pk": need.initiatief_id}),
        }
        for need in Behoefte.objects.filter(
            is_met=False, initiatief__in=_running().filter(wijk=wijk)
        )
        .select_related("initiatief")
        .order_by("-created_at", "pk")[:needs_limit]
    ]
    open_needs = Behoefte.objects.filter(
        is_met=False, initiatief__in=_running().filter(wijk=wijk)
    ).count()
    return {
        "by_status": by_status,
        "by_theme": by_theme,
        "needs": needs,
        "open_needs": open_needs,
    }


# --- The public API and open data (issue 10) --------------------------------------------


def public_initiatives(
    *,
    gemeente_id: int | None = None,
    wijk_id: int | None = None,
    buurt_id: int | None = None,
    thema_code: str | None = None,
    status: str | None = None,
) -> QuerySet[Initiatief]:
    """Initiatives anyone may see (never hidden ones, never in an inactive wijk), with
    their counts, organisers and themes, newest first. The same fields as the public
    initiative page shows."""
    qs = Initiatief.objects.filter(is_hidden=False, wijk__is_active=True)
    if gemeente_id is not None:
        qs = qs.filter(wijk__gemeente_id=gemeente_id)
    if wijk_id is not None:
        qs = qs.filter(wijk_id=wijk_id)
    if buurt_id is not None:
        qs = qs.filter(buurt_id=buurt_id)
    if thema_code:
        qs = qs.filter(themas__code=thema_code)
    if status:
        qs = qs.filter(status=status)
    return (
        initiatieven_with_counts(qs)
        .select_related("owner")
        .prefetch_related("co_organisers")
        .order_by("-created_at", "-pk")
    )


def public_initiative_get(*, pk: int) -> Initiatief | None:
    """One initiative as the public page shows it (None when hidden or unknown), with
    its needs, partners, updates that are not hidden, meetings and the participants who
    chose to show their name (`public_deelnames`)."""
    return (
        public_initiatives()
        .filter(pk=pk)
        .prefetch_related(
            Prefetch("behoeften", queryset=Behoefte.objects.order_by("is_met", "pk")),
            "partners",
            Prefetch(
                "berichten",
                queryset=Bericht.objects.filter(is_hidden=False)
                .select_related("author")
                .order_by("-created_at", "-pk"),
                to_attr="public_berichten",
            ),
            Prefetch(
                "bijeenkomsten",
                queryset=Bijeenkomst.objects.order_by("starts_at", "pk"),
                to_attr="public_bijeenkomsten",
            ),
            Prefetch(
                "deelnames",
                queryset=Deelname.objects.filter(show_name=True)
                .select_related("user")
                .order_by("kind", "created_at", "pk"),
                to_attr="public_deelnames",
            ),
        )
        .first()
    )


def initiative_themes_active() -> list[tuple[str, str]]:
    """The initiative themes residents can pick: (code, name)."""
    return list(
        Thema.objects.filter(is_active=True)
        .order_by("order", "name")
        .values_list("code", "name")
    )


def initiative_statuses() -> list[tuple[str, str]]:
    """The status codes of an initiative and their labels."""
    return [(str(code), str(label)) for code, label in Status.choices]


@dataclass(frozen=True)
class ThemeReach:
    """The wijk's running initiatives and the residents taking part in them (each
    person once), in all and per initiative theme code (for "wie horen we niet?")."""

    initiatives: int
    participants: int
    initiatives_per_theme: dict[str, int]
    participants_per_theme: dict[str, int]


def initiative_reach_for_wijk(*, wijk_id: int, thema_codes: list[str]) -> ThemeReach:
    running = _running().filter(wijk_id=wijk_id)
    per_theme = dict(
        running.filter(themas__code__in=thema_codes)
        .values("themas__code")
        .annotate(n=Count("pk", distinct=True))
        .values_list("themas__code", "n")
    )
    people = dict(
        Deelname.objects.filter(
            initiatief__in=running, initiatief__themas__code__in=thema_codes
        )
        .values("initiatief__themas__code")
        .annotate(n=Count("user_id", distinct=True))
        .values_list("initiatief__themas__code", "n")
    )
    return ThemeReach(
        initiatives=running.count(),
        participants=Deelname.objects.filter(initiatief__in=running)
        .values("user_id")
        .distinct()
        .count(),
        initiatives_per_theme={code: int(n) for code, n in per_theme.items()},
        participants_per_theme={code: int(n) for code, n in people.items()},
    )

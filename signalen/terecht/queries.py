"""Waar kan iemand terecht? (issue 19 item 3): what already exists in the wijk for a
category and target groups, and the card a professional gives a resident.

Reads only. Matching:
- initiatives of the wijk that are running (actief, in voorbereiding) and visible,
  scored by the initiative themes that fit the category (2 points each, the mapping
  of signalen.answers.queries.CATEGORIE_THEMAS) and the target groups (1 point each,
  DOELGROEP_THEMAS below), the words of the category and target group names found in
  title or summary (1 point each), one more when it is actief and one more when it is
  in the buurt asked for ("dichtbij");
- places of the wijk with opening hours (wijken.queries.places_matching: the words
  in their name or description, a kind that fits the category), those in the buurt
  asked for first;
- the wijkteam's contact, always.
Nothing of another wijk is ever matched.

The card (`card_token` / `card_read`) holds only the wijk and the chosen ids, signed so
that nobody can make a card of other things: never the signal, its text, its
category or its target groups, and no name of the professional.

Buurtverbinders (another session builds them) plug in through SOURCES: a Source with
its own short key suggests items and shows them on the card; nothing here changes.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from initiatieven.models import Initiatief
from initiatieven.models import Status as InitiatiefStatus
from signalen.answers.queries import CATEGORIE_PLEKSOORTEN, CATEGORIE_THEMAS
from signalen.kanon import (
    BLOCK_SPAN,
    KCount,
    KTable,
    Period,
    block_start,
    k_anonymous_counts,
    k_threshold,
)
from signalen.models import Categorie, Doelgroep, InformeleHulpTelling
from wijken.models import Buurt, Wijk
from wijken.queries import (
    PublicContact,
    PublicPlek,
    contact_for_wijk,
    places_for_wijk,
    places_matching,
)

# Target group code (signalen 0002) -> initiative theme codes (initiatieven 0002).
DOELGROEP_THEMAS: Mapping[str, tuple[str, ...]] = {
    "ouderen": ("ouderen", "ontmoeting"),
    "jongeren": ("jeugd",),
    "kinderen": ("jeugd",),
    "gezinnen-met-kinderen": ("jeugd",),
    "eenoudergezinnen": ("jeugd", "geldzaken"),
    "alleenstaanden": ("ontmoeting", "eten"),
    "nieuwkomers": ("taal", "ontmoeting"),
    "mantelzorgers": ("ouderen",),
    "mensen-met-een-beperking": ("ontmoeting",),
    "mensen-met-laag-inkomen": ("geldzaken", "eten"),
    "werkenden-met-weinig-geld": ("geldzaken",),
    "huurders": ("wonen",),
}

# A place "for everyone" when nothing fits the category: where people walk in.
GENERAL_KINDS = ("buurthuis", "wijkcentrum", "bibliotheek")
RUNNING = (InitiatiefStatus.ACTIEF, InitiatiefStatus.IN_VOORBEREIDING)
LIMIT = 4
CARD_MAX_PER_KIND = 8
CARD_SALT = "signalen.terecht.kaart"
WORD_MIN = 4


@dataclass(frozen=True)
class Ask:
    """What the professional asks about: a wijk, optionally a buurt ("nearby"), a
    category and target groups (codes). Nothing of a signal's text."""

    wijk: Wijk
    buurt: Buurt | None = None
    categorie: str = ""
    doelgroepen: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """One thing on the card, in plain public words."""

    kind: str  # the source's key ("i", "p", ...)
    id: int
    title: str
    kind_label: str = ""
    text: str = ""
    where: str = ""
    when: str = ""
    phone: str = ""
    phone_href: str = ""
    url: str = ""
    nearby: bool = False


@dataclass(frozen=True)
class Source:
    """A kind of thing a resident can go to. `suggest` matches for an Ask; `on_card`
    shows the chosen ids of one wijk (those that no longer exist or are not public
    are left out)."""

    key: str
    heading: Any
    suggest: Callable[[Ask], list[Item]]
    on_card: Callable[[Wijk, Sequence[int]], list[Item]]


@dataclass(frozen=True)
class Section:
    source: Source
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Overview:
    ask: Ask
    sections: tuple[Section, ...]
    contact: PublicContact | None
    topic: str = ""  # the category's name, for the professional only

    @property
    def found(self) -> bool:
        return any(section.items for section in self.sections)


def _words(*texts: str) -> set[str]:
    return {
        w
        for text in texts
        for w in re.findall(r"\w+", text.lower())
        if len(w) >= WORD_MIN
    }


def _names(model: type[Categorie] | type[Doelgroep], codes: Iterable[str]) -> list[str]:
    return list(
        model.objects.filter(code__in=list(codes)).values_list("name", flat=True)
    )


def theme_weights(categorie: str, doelgroepen: Iterable[str]) -> dict[str, int]:
    """Initiative theme code -> points: 2 when it fits the category, 1 per target
    group it fits."""
    weights: dict[str, int] = {}
    for code in CATEGORIE_THEMAS.get(categorie, ()):
        weights[code] = weights.get(code, 0) + 2
    for group in doelgroepen:
        for code in DOELGROEP_THEMAS.get(group, ()):
            weights[code] = weights.get(code, 0) + 1
    return weights


def initiative_score(
    *,
    theme_codes: Iterable[str],
    title: str,
    summary: str,
    status: str,
    buurt_id: int | None,
    weights: Mapping[str, int],
    words: set[str],
    near_buurt_id: int | None,
) -> int:
    """How well one initiative fits (pure, see the module docstring); 0 = not at all."""
    score = sum(weights.get(code, 0) for code in set(theme_codes))
    score += len(words & _words(title, summary))
    if not score:
        return 0
    if status == InitiatiefStatus.ACTIEF:
        score += 1
    if near_buurt_id is not None and buurt_id == near_buurt_id:
        score += 1
    return score


def _initiative_item(initiatief: Initiatief, *, near: int | None = None) -> Item:
    return Item(
        kind="i",
        id=initiatief.pk,
        title=initiatief.title,
        kind_label=str(initiatief.get_status_display()),
        text=initiatief.summary,
        where=initiatief.where,
        when=initiatief.when,
        url=reverse("initiatieven:detail", args=[initiatief.pk]),
        nearby=near is not None and initiatief.buurt_id == near,
    )


def _running_initiatives(wijk: Wijk) -> Any:
    return Initiatief.objects.filter(wijk=wijk, is_hidden=False, status__in=RUNNING)


def suggest_initiatives(ask: Ask, *, limit: int = LIMIT) -> list[Item]:
    weights = theme_weights(ask.categorie, ask.doelgroepen)
    words = _words(
        *_names(Categorie, [ask.categorie]), *_names(Doelgroep, ask.doelgroepen)
    )
    if not weights and not words:
        return []
    match = Q(themas__code__in=list(weights))
    for word in sorted(words)[:12]:
        match |= Q(title__icontains=word) | Q(summary__icontains=word)
    near = ask.buurt.pk if ask.buurt else None
    scored = []
    for initiatief in (
        _running_initiatives(ask.wijk)
        .filter(match)
        .distinct()
        .prefetch_related("themas")
        .order_by("-created_at")[:50]
    ):
        score = initiative_score(
            theme_codes=[t.code for t in initiatief.themas.all()],
            title=initiatief.title,
            summary=initiatief.summary,
            status=initiatief.status,
            buurt_id=initiatief.buurt_id,
            weights=weights,
            words=words,
            near_buurt_id=near,
        )
        if score:
            scored.append((score, initiatief))
    scored.sort(key=lambda pair: (-pair[0], -pair[1].pk))
    return [_initiative_item(i, near=near) for _s, i in scored[:limit]]


def initiatives_on_card(wijk: Wijk, ids: Sequence[int]) -> list[Item]:
    found = {i.pk: i for i in _running_initiatives(wijk).filter(pk__in=list(ids))}
    return [_initiative_item(found[pk]) for pk in ids if pk in found]


def _place_item(place: PublicPlek, *, near: Buurt | None = None) -> Item:
    return Item(
        kind="p",
        id=place.id,
        title=place.name,
        kind_label=place.kind_label,
        text=place.description,
        where=place.address,
        when=place.opening_hours,
        phone=place.phone,
        phone_href=place.phone_href,
        nearby=near is not None and place.buurt_code == near.code,
    )


def suggest_places(ask: Ask, *, limit: int = LIMIT) -> list[Item]:
    """Places with opening hours that fit; the wijk's general walk-in places when
    none does. Those in the buurt asked for first, else by how well they fit."""
    words = " ".join(
        [*_names(Categorie, [ask.categorie]), *_names(Doelgroep, ask.doelgroepen)]
    )
    kinds = CATEGORIE_PLEKSOORTEN.get(ask.categorie, ())
    found = [
        p
        for p in places_matching(wijk=ask.wijk, words=words, kinds=kinds, limit=50)
        if p.opening_hours.strip()
    ]
    if not found:
        found = [
            p
            for p in places_for_wijk(ask.wijk)
            if p.kind in GENERAL_KINDS and p.opening_hours.strip()
        ]
    near = ask.buurt.code if ask.buurt else None
    found.sort(key=lambda p: 0 if near and p.buurt_code == near else 1)
    return [_place_item(p, near=ask.buurt) for p in found[:limit]]


def places_on_card(wijk: Wijk, ids: Sequence[int]) -> list[Item]:
    found = {p.id: p for p in places_for_wijk(wijk)}
    return [_place_item(found[pk]) for pk in ids if pk in found]


INITIATIVES = Source(
    key="i",
    heading=_("Initiatieven van bewoners"),
    suggest=suggest_initiatives,
    on_card=initiatives_on_card,
)
PLACES = Source(
    key="p",
    heading=_("Plekken waar u binnen kunt lopen"),
    suggest=suggest_places,
    on_card=places_on_card,
)
# The extension point: buurtverbinders append their Source here (in their app's
# ready()), with a key of one letter not used above.
SOURCES: list[Source] = [INITIATIVES, PLACES]


def overview(ask: Ask) -> Overview:
    topic = _names(Categorie, [ask.categorie])
    return Overview(
        ask=ask,
        sections=tuple(Section(s, tuple(s.suggest(ask))) for s in SOURCES),
        contact=contact_for_wijk(ask.wijk),
        topic=gettext(topic[0]) if topic else "",
    )


def ask_for_signaal(signaal: Any) -> Ask:
    return Ask(
        wijk=signaal.wijk,
        buurt=signaal.buurt,
        categorie=signaal.categorie.code if signaal.categorie_id else "",
        doelgroepen=tuple(signaal.doelgroepen.values_list("code", flat=True)),
    )


# --- The card -------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    wijk: Wijk
    sections: tuple[Section, ...]
    contact: PublicContact | None
    language: str = ""
    chosen: Mapping[str, tuple[int, ...]] = field(default_factory=dict)


def card_token(
    *, wijk: Wijk, chosen: Mapping[str, Iterable[int]], language: str = ""
) -> str:
    """A signed, compressed token with the wijk and the chosen ids per source."""
    keys = {s.key for s in SOURCES}
    payload: dict[str, Any] = {"w": wijk.pk}
    for key, ids in chosen.items():
        if key in keys:
            clean = sorted({int(i) for i in ids})[:CARD_MAX_PER_KIND]
            if clean:
                payload[key] = clean
    if language:
        payload["l"] = language
    return signing.dumps(payload, salt=CARD_SALT, compress=True)


def card_read(token: str) -> Card | None:
    """The card of a token, or None for a token that was not made here or a wijk
    that is gone."""
    try:
        payload = signing.loads(token, salt=CARD_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("w"), int):
        return None
    wijk = (
        Wijk.objects.filter(pk=payload["w"], is_active=True)
        .select_related("gemeente", "wijkteam_contact")
        .defer("geometry", "gemeente__geometry")
        .first()
    )
    if wijk is None:
        return None
    chosen: dict[str, tuple[int, ...]] = {}
    sections = []
    for source in SOURCES:
        raw = payload.get(source.key) or []
        ids = tuple(i for i in raw if isinstance(i, int))[:CARD_MAX_PER_KIND]
        chosen[source.key] = ids
        items = source.on_card(wijk, ids) if ids else []
        sections.append(Section(source, tuple(items)))
    language = payload.get("l") if payload.get("l") in ("nl", "en") else ""
    return Card(
        wijk=wijk,
        sections=tuple(sections),
        contact=contact_for_wijk(wijk),
        language=str(language),
        chosen=chosen,
    )


# --- The count, for the team report ----------------------------------------------


@dataclass(frozen=True)
class OfferedLine:
    block: datetime.date
    last_day: datetime.date


@dataclass(frozen=True)
class Offered:
    """How often informal help was offered first, per block of 4 weeks."""

    table: KTable[datetime.date]
    blocks: tuple[OfferedLine, ...]
    outside: bool
    until: datetime.date | None

    @property
    def rows(self) -> list[tuple[OfferedLine, KCount]]:
        """The blocks in time order, each with its (k-anonymous) count."""
        counts = self.table.as_dict()
        return [(line, counts[line.block]) for line in self.blocks]


def offered_counts(
    *,
    wijk: Wijk,
    date_from: datetime.date,
    date_to: datetime.date,
    outside: bool,
    today: datetime.date | None = None,
) -> Offered:
    """The blocks of the period, k-anonymous (signalen.kanon). Outside the team only
    whole blocks that are over: the running block still changes."""
    today = today or timezone.localdate()
    first = block_start(date_from)
    last = block_start(min(date_to, today))
    until: datetime.date | None = None
    if outside:
        period = Period.snapped(date_from, date_to, as_of=today)
        if period is None:
            return Offered(k_anonymous_counts({}), (), True, None)
        first, last = block_start(period.first_week), block_start(period.last_week)
        until = period.last_day
    starts = []
    day = first
    while day <= last:
        starts.append(day)
        day += BLOCK_SPAN
    rows = (
        InformeleHulpTelling.objects.filter(
            wijk=wijk, block__gte=first, block__lte=last
        )
        .values("block")
        .annotate(n=Sum("count"))
        .values_list("block", "n")
    )
    counts = {block: int(n or 0) for block, n in rows}
    cells = {start: counts.get(start, 0) for start in starts}
    one_day = datetime.timedelta(days=1)
    table = k_anonymous_counts(cells)
    if outside and any(count.is_hidden for _block, count in table.cells):
        # Kanon's period rule: outside the team a total shows only when every block
        # total shows, else the totals of two periods (1-4 and 1-3) give block 4.
        threshold = table.total.threshold if table.total else k_threshold()
        table = KTable(
            cells=table.cells, total=KCount(None, threshold, suppressed=True)
        )
    return Offered(
        table=table,
        blocks=tuple(OfferedLine(s, s + BLOCK_SPAN - one_day) for s in starts),
        outside=outside,
        until=until,
    )

"""The team in the loop: attach, move, "hoort er niet bij", merge, split, and the intake
suggestion (issue 16; ARCHITECTURE.md, engine step 3).

Every action is stored as ThemaActie rows (who, when, what) and audited in the theme's
history (ThemaGebeurtenis); ``signalen.themes.runs`` turns the rows into constraints
(``rollup.constraints.constraints_from_actions``) that every later run keeps. The
memberships change at once as well, so the theme page shows the action before the next
run. Re-exported by ``signalen.themes.services``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import cast

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import can_work_in_wijk
from signalen.intake.staff_text import staff_text_scrub
from signalen.kanon import k_count
from signalen.models import (
    Signaal,
    SignaalVector,
    ThemaActie,
    ThemaGebeurtenis,
    ThemaLid,
    ThemaStatus,
    WijkThema,
)
from signalen.themes import embedding
from signalen.themes.blocks import theme_blocks_write
from signalen.themes.rollup import InputSignal, ThemeId
from signalen.themes.rollup.constraints import (
    Action,
    ActionKind,
    constraints_from_actions,
)
from signalen.themes.rollup.suggest import rank_themes
from signalen.themes.services import ThemeError, _event, _locked
from wijken import generations
from wijken.text import without_bidi_controls

SUGGESTIONS = 3
WINDOW_DAYS = 180


def _check_signal(signaal: Signaal, thema: WijkThema) -> None:
    if signaal.wijk_id != thema.wijk_id:
        raise ThemeError(
            _("Dit signaal hoort bij een andere wijk dan dit thema."), code="wijk"
        )
    if signaal.withdrawn_at is not None:
        raise ThemeError(_("Dit signaal is ingetrokken."), code="withdrawn")


def _member_set(
    thema: WijkThema, *, add: Iterable[int] = (), remove: Iterable[int] = ()
) -> None:
    remove = list(remove)
    if remove:
        ThemaLid.objects.filter(thema=thema, signaal_id__in=remove).delete()
    have = set(
        ThemaLid.objects.filter(thema=thema).values_list("signaal_id", flat=True)
    )
    ThemaLid.objects.bulk_create(
        [ThemaLid(thema=thema, signaal_id=i) for i in sorted(set(add) - have)]
    )
    size = ThemaLid.objects.filter(thema=thema).count()
    WijkThema.objects.filter(pk=thema.pk).update(size=size)
    thema.size = size


def _pin(
    signal_ids: Sequence[int],
    *,
    to: WijkThema,
    source: WijkThema,
    soort: str,
    actor: User,
) -> None:
    """Record that these signals now belong to `to` (a merge or a split): every later
    run keeps them there."""
    ThemaActie.objects.bulk_create(
        [
            ThemaActie(
                signaal_id=pk, thema=to, from_thema=source, soort=soort, actor=actor
            )
            for pk in signal_ids
        ]
    )


def _bump(thema: WijkThema) -> None:
    # The members changed: the stored counts per block too (signalen.themes.blocks).
    theme_blocks_write(thema.wijk_id)
    generations.bump(wijk_ids=[thema.wijk_id], domains=["leden", "themas"])


def signal_attach(*, signaal: Signaal, thema: WijkThema, actor: User) -> ThemaActie:
    """Put a signal in a theme (one tap on the intake suggestion). A must-link."""
    _check_signal(signaal, thema)
    with transaction.atomic():
        locked = _locked(thema, actor)
        actie = ThemaActie.objects.create(
            signaal=signaal, thema=locked, soort=ThemaActie.Soort.ATTACH, actor=actor
        )
        _member_set(locked, add=[signaal.pk])
        _event(
            locked,
            soort=ThemaGebeurtenis.Soort.ATTACHED,
            actor=actor,
            detail={"signaal": signaal.pk},
        )
        _bump(locked)
    return actie


def signal_move(
    *, signaal: Signaal, source: WijkThema, target: WijkThema, actor: User
) -> ThemaActie:
    """Move a signal from one theme to another: must-link to the target, cannot-link
    to the source."""
    if source.pk == target.pk:
        raise ThemeError(_("Kies een ander thema."), code="same")
    _check_signal(signaal, source)
    _check_signal(signaal, target)
    with transaction.atomic():
        locked_source = _locked(source, actor)
        locked_target = _locked(target, actor)
        actie = ThemaActie.objects.create(
            signaal=signaal,
            thema=locked_target,
            from_thema=locked_source,
            soort=ThemaActie.Soort.MOVE,
            actor=actor,
        )
        _member_set(locked_source, remove=[signaal.pk])
        _member_set(locked_target, add=[signaal.pk])
        detail = {"signaal": signaal.pk, "from": source.pk, "to": target.pk}
        _event(
            locked_source,
            soort=ThemaGebeurtenis.Soort.MOVED_OUT,
            actor=actor,
            detail=detail,
        )
        _event(
            locked_target,
            soort=ThemaGebeurtenis.Soort.MOVED_IN,
            actor=actor,
            detail=detail,
        )
        _bump(locked_target)
    return actie


def signal_not_belong(*, signaal: Signaal, thema: WijkThema, actor: User) -> ThemaActie:
    """ "Hoort er niet bij": the signal leaves the theme and never joins it again; it
    teaches the noise gate."""
    _check_signal(signaal, thema)
    with transaction.atomic():
        locked = _locked(thema, actor)
        actie = ThemaActie.objects.create(
            signaal=signaal,
            thema=locked,
            soort=ThemaActie.Soort.NOT_BELONG,
            actor=actor,
        )
        _member_set(locked, remove=[signaal.pk])
        _event(
            locked,
            soort=ThemaGebeurtenis.Soort.NOT_BELONG,
            actor=actor,
            detail={"signaal": signaal.pk},
        )
        _bump(locked)
    return actie


def theme_merge(*, source: WijkThema, target: WijkThema, actor: User) -> WijkThema:
    """Merge ``source`` into ``target``: its signals are pinned to the target and the
    source is no longer current (it stays for the record)."""
    if source.pk == target.pk:
        raise ThemeError(_("Kies een ander thema."), code="same")
    if source.wijk_id != target.wijk_id:
        raise ThemeError(
            _("Thema's uit verschillende wijken samenvoegen kan niet."), code="wijk"
        )
    with transaction.atomic():
        locked_source = _locked(source, actor)
        locked_target = _locked(target, actor)
        members = sorted(
            ThemaLid.objects.filter(thema=locked_source).values_list(
                "signaal_id", flat=True
            )
        )
        _pin(
            members,
            to=locked_target,
            source=locked_source,
            soort=ThemaActie.Soort.MERGE,
            actor=actor,
        )
        _member_set(locked_target, add=members)
        WijkThema.objects.filter(pk=locked_source.pk).update(is_current=False)
        detail = {"from": source.pk, "to": target.pk, "signals": len(members)}
        _event(
            locked_source,
            soort=ThemaGebeurtenis.Soort.MERGED,
            actor=actor,
            detail=detail,
        )
        _event(
            locked_target,
            soort=ThemaGebeurtenis.Soort.MERGED,
            actor=actor,
            detail=detail,
        )
        _bump(locked_target)
    target.refresh_from_db()
    return target


def theme_split(
    *, thema: WijkThema, signalen: Sequence[Signaal], actor: User, name: str = ""
) -> WijkThema:
    """Split the chosen signals off into a new theme (with the team's name, if given):
    they are pinned to the new theme and never go back to the old one."""
    ids = sorted({s.pk for s in signalen})
    # Officers, residents and the public may read a theme's name (like theme_rename):
    # no person in it.
    name = " ".join(without_bidi_controls(name or "").split())
    if name:
        name = staff_text_scrub(name, wijk=thema.wijk, error=ThemeError).text
    with transaction.atomic():
        locked = _locked(thema, actor)
        members = set(
            ThemaLid.objects.filter(thema=locked).values_list("signaal_id", flat=True)
        )
        if not ids or not set(ids) <= members:
            raise ThemeError(_("Kies signalen uit dit thema."), code="not_members")
        if set(ids) == members:
            raise ThemeError(_("Laat minstens één signaal in het thema."), code="all")
        new = WijkThema.objects.create(
            wijk_id=locked.wijk_id,
            name=name[:120],
            categorie_id=locked.categorie_id,
            status=ThemaStatus.ERKEND,
        )
        _pin(ids, to=new, source=locked, soort=ThemaActie.Soort.SPLIT, actor=actor)
        _member_set(locked, remove=ids)
        _member_set(new, add=ids)
        detail = {"from": thema.pk, "to": new.pk, "signals": len(ids)}
        _event(locked, soort=ThemaGebeurtenis.Soort.SPLIT, actor=actor, detail=detail)
        _event(new, soort=ThemaGebeurtenis.Soort.SPLIT, actor=actor, detail=detail)
        _bump(locked)
    return new


# --- For the runs and the suggestion ------------------------------------------------


def wijk_actions(wijk_id: int) -> list[Action]:
    """The team's actions on the wijk's themes, oldest first, as engine actions."""
    return [
        Action(
            signal_id=signaal_id,
            kind=cast(ActionKind, soort),
            theme_id=thema_id,
            from_theme_id=from_id,
        )
        for signaal_id, soort, thema_id, from_id in ThemaActie.objects.filter(
            thema__wijk_id=wijk_id
        )
        .order_by("pk")
        .values_list("signaal_id", "soort", "thema_id", "from_thema_id")
    ]


def stored_vectors(signal_ids: Iterable[int]) -> dict[int, tuple[object, list[str]]]:
    """Stored vector and stems per signal id (signals without one are left out)."""
    out: dict[int, tuple[object, list[str]]] = {}
    ids = list(signal_ids)
    for start in range(0, len(ids), 2000):
        for pk, data, stems in SignaalVector.objects.filter(
            signaal_id__in=ids[start : start + 2000]
        ).values_list("signaal_id", "vector", "stems"):
            vector = embedding.from_bytes(data)
            if vector is not None:
                out[pk] = (vector, list(stems or []))
    return out


@dataclass(frozen=True)
class Suggestion:
    """A theme to offer at intake: the team's name or the engine's label (never signal
    text), and its size as a band that respects K."""

    thema_id: int
    name: str
    size: str
    score: float


def theme_suggestions(signaal: Signaal, k: int = SUGGESTIONS) -> list[Suggestion]:
    """The ``k`` current themes of the signal's own wijk whose stored vectors are
    closest to the signal's. Dismissed themes and themes the signal was marked
    "hoort er niet bij" for are left out. Empty while the signal has no vector yet."""
    mine = stored_vectors([signaal.pk]).get(signaal.pk)
    if mine is None:
        return []
    themes = {
        t.pk: t
        for t in WijkThema.objects.filter(wijk_id=signaal.wijk_id, is_current=True)
        .exclude(status=ThemaStatus.VERWORPEN)
        .annotate(n=Count("leden"))
    }
    if not themes:
        return []
    members: dict[ThemeId, list[int | str]] = {}
    for thema_id, signaal_id in ThemaLid.objects.filter(
        thema_id__in=list(themes)
    ).values_list("thema_id", "signaal_id"):
        members.setdefault(thema_id, []).append(signaal_id)
    since = signaal.observed_on - datetime.timedelta(days=WINDOW_DAYS)
    window_ids = set(
        Signaal.objects.filter(
            wijk_id=signaal.wijk_id, withdrawn_at__isnull=True, observed_on__gt=since
        ).values_list("pk", flat=True)
    ) | {int(i) for ids in members.values() for i in ids}
    vectors = stored_vectors(window_ids)
    codes = dict(
        Signaal.objects.filter(pk__in=[*list(window_ids), signaal.pk]).values_list(
            "pk", "categorie__code"
        )
    )
    window = [
        InputSignal(id=pk, wijk="", text="", category=codes.get(pk) or "", vector=v)
        for pk, (v, _stems) in vectors.items()
    ]
    me = InputSignal(
        id=signaal.pk,
        wijk="",
        text="",
        category=codes.get(signaal.pk) or "",
        vector=mine[0],
    )
    constraints = constraints_from_actions(wijk_actions(signaal.wijk_id))
    ranked = rank_themes(me, window, members, k=k, constraints=constraints)
    return [
        Suggestion(
            thema_id=int(theme_id),
            name=themes[int(theme_id)].display_name,
            size=str(k_count(themes[int(theme_id)].size)),
            score=score,
        )
        for theme_id, score in ranked
    ]


def can_suggest(user: User, signaal: Signaal) -> bool:
    """Suggestions are for a professional of the signal's wijk."""
    return can_work_in_wijk(user, signaal.wijk)

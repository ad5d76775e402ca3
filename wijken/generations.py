"""Generations: a cheap way to know that what a page shows of a wijk may have changed.

Every wijk and every gemeente has a generation, a short random token in the cache. A
write that changes what a dashboard shows of a wijk (a signal, a theme, a roll-up run,
an initiative, a participation, a goal, an escalation) gives the wijk and its gemeente a
new token; changes that reach everything (CBS figures, geography, the taxonomy) give
the whole site a new token. A page keyed on the tokens of what it shows is then never
out of date, and reading the key costs one cache round trip and no query. Every `bump`
also renews one site-wide token (`stamp_any_wijk`), for lists across all gemeenten;
`bump_names` renews the token of the names people show (`stamp(names=True)`), for
answers that name people.

A wijk's generation comes in parts (`PARTS`: its signal counts, its themes and their
members, its initiatives, goals, beleidssignalen, places), each with its own token. A
write names the parts it changes (``bump(domains=...)``) and renews only those, of its
own wijk only: a page keyed on the parts it shows (the officer's wijk dashboard caches
one fragment per part) is then made anew only where something changed, and a signal in
wijk A leaves every page of wijk B as it was. A write that names no part renews every
part of its wijk. The wijk's own token (``stamp(wijk_ids=...)`` without a part) and its
gemeente's token (for the gemeente overview, which lists every wijk) are renewed by
every write in the wijk.

The apps wire their models to `bump` in their `AppConfig.ready` (post_save, post_delete,
m2m_changed), and call it themselves where they write in bulk (``QuerySet.update``,
``bulk_create``, raw SQL), which sends no model signals. A token is set at once and again
after the transaction commits, so a page computed by another request in between, from
the data before the commit, is not kept under the new token.

A lost token (cache cleared, evicted) is simply made anew: everything keyed on it is
computed again. The tokens live as long as the cache keeps them (no timeout).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.cache import cache
from django.db import models, transaction

logger = logging.getLogger(__name__)

PREFIX = "bw:gen"
EVERYTHING = f"{PREFIX}:all"
# Renewed with every wijk's and gemeente's own token: for what lists all gemeenten.
ANY_WIJK = f"{PREFIX}:any-wijk"
# Renewed when a person's shown name may have changed or an account went.
NAMES = f"{PREFIX}:names"
# Set on a row before its save: the wijk it had, when the save may move it.
MOVED_FROM = "_generations_moved_from"

# The parts of a wijk that have their own token. "signalen": the signal counts;
# "leden": which signals are in which theme (the theme sizes); "themas": the themes
# themselves (name, status, visibility, links, public texts); "initiatieven":
# initiatives and who takes part; "doelen": goals and their progress;
# "beleidssignalen": escalations and their answers; "plekken": the wijkteam's contact
# and places.
PARTS = (
    "signalen",
    "leden",
    "themas",
    "initiatieven",
    "doelen",
    "beleidssignalen",
    "plekken",
)


def _wijk_key(wijk_id: int, domain: str = "") -> str:
    return f"{PREFIX}:wijk:{wijk_id}" + (f":{domain}" if domain else "")


def _gemeente_key(gemeente_id: int) -> str:
    return f"{PREFIX}:gemeente:{gemeente_id}"


def _new_tokens(keys: list[str]) -> None:
    try:
        cache.set_many({key: uuid.uuid4().hex[:16] for key in keys}, None)
    except Exception:  # a cache outage must not fail the write that changed the data
        logger.exception("could not renew the generations %s", keys)


def _renew(keys: list[str]) -> None:
    if not keys:
        return
    _new_tokens(keys)
    # Again after the commit: a page computed in between from the data before the
    # commit would otherwise stay under the new token.
    transaction.on_commit(lambda: _new_tokens(keys))


def bump(
    *,
    wijk_ids: Iterable[int | None] = (),
    gemeente_ids: Iterable[int | None] = (),
    domains: Iterable[str] = (),
    gemeente_of: Mapping[int, int] | None = None,
) -> None:
    """What is shown of these wijken (and so of their gemeenten) has changed.

    `gemeente_of`: the gemeente of some of these wijken, when the caller has them at
    hand (a row saved with its wijk loaded); the others are read.

    `domains` name the parts that changed (see `PARTS`), for the caches that depend
    on some parts only and need not be made anew after a write in another part; no
    `domains`: every part of these wijken. The wijken's own tokens, their gemeenten's
    and the site-wide `ANY_WIJK` are renewed either way."""
    from wijken.models import Wijk

    wijken = {pk for pk in wijk_ids if pk is not None}
    gemeenten = {pk for pk in gemeente_ids if pk is not None}
    given = gemeente_of or {}
    known = {pk: given[pk] for pk in wijken if pk in given}
    gemeenten.update(known.values())
    if wijken - set(known):
        gemeenten.update(
            Wijk.objects.filter(pk__in=wijken - set(known)).values_list(
                "gemeente_id", flat=True
            )
        )
    parts = sorted(set(domains)) or list(PARTS)
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise ValueError(f"unknown parts of a wijk: {sorted(unknown)}")
    keys = (
        [_wijk_key(pk) for pk in sorted(wijken)]
        + [_wijk_key(pk, part) for pk in sorted(wijken) for part in parts]
        + [_gemeente_key(pk) for pk in sorted(gemeenten)]
    )
    _renew([*keys, ANY_WIJK] if keys else [])


def bump_everything() -> None:
    """What is shown of every wijk has changed (CBS figures, geography, taxonomy)."""
    _renew([EVERYTHING])


def bump_names() -> None:
    """A person's shown name may have changed, or an account was removed."""
    _renew([NAMES])


def stamp(
    *,
    wijk_ids: Iterable[int] = (),
    gemeente_ids: Iterable[int] = (),
    domain: str = "",
    domains: Iterable[str] = (),
    names: bool = False,
) -> str:
    """The current tokens of these wijken and gemeenten and of the whole site, as one
    string to put in a cache key. Missing tokens are made. With a `domain` (or several
    `domains`), the wijken's tokens of those parts only (see `bump`); with `names`,
    also the token of the names people show (see `bump_names`)."""
    return ".".join(
        stamps(
            wijk_ids=wijk_ids,
            gemeente_ids=gemeente_ids,
            domains=[domain] if domain else domains,
            names=names,
        )
    )


def stamps(
    *,
    wijk_ids: Iterable[int] = (),
    gemeente_ids: Iterable[int] = (),
    domains: Iterable[str] = (),
    names: bool = False,
) -> list[str]:
    """Like `stamp`, the tokens one by one: the site's, the names' (with `names`),
    the gemeenten's, then per wijk its token or its parts' tokens in the order of
    `domains`. One cache round trip for all of them."""
    parts = list(domains)
    keys = [EVERYTHING] + ([NAMES] if names else [])
    keys += [_gemeente_key(pk) for pk in sorted(set(gemeente_ids))]
    for pk in sorted(set(wijk_ids)):
        keys += [_wijk_key(pk, part) for part in parts] if parts else [_wijk_key(pk)]
    found = _tokens(keys)
    return [str(found[key]) for key in keys]


def _tokens(keys: list[str]) -> dict[str, Any]:
    """The current tokens of these keys (one round trip); missing ones are made."""
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        made = {key: uuid.uuid4().hex[:16] for key in missing}
        for key, token in made.items():
            # Another request may have made it just now: keep the first.
            if not cache.add(key, token, None):
                token = cache.get(key) or token
            found[key] = token
    return found


def stamp_any_wijk(*, names: bool = False) -> str:
    """Like `stamp` for what spans every gemeente (a list across the whole site): the
    whole site's token and the one every `bump` renews, so it changes with any write
    that changes what is shown of any wijk."""
    keys = [EVERYTHING, ANY_WIJK] + ([NAMES] if names else [])
    found = _tokens(keys)
    return ".".join(str(found[key]) for key in keys)


# --- Model wiring ------------------------------------------------------------------------


def wijk_id_of(instance: models.Model, *, depth: int = 3) -> int | None:
    """The wijk a row belongs to: its own ``wijk`` or that of the row it points at
    (a theme, an initiative, a goal, an escalation), up to `depth` steps."""
    if hasattr(instance, "wijk_id"):
        return instance.wijk_id  # type: ignore[no-any-return]
    if depth <= 0:
        return None
    for field in instance._meta.concrete_fields:
        if not field.many_to_one or field.related_model is None:
            continue
        related: Any = field.related_model
        if related._meta.app_label != instance._meta.app_label:
            continue
        if getattr(instance, field.attname, None) is None:
            continue
        try:
            parent = getattr(instance, field.name)
        except related.DoesNotExist:
            continue
        found = wijk_id_of(parent, depth=depth - 1)
        if found is not None:
            return found
    return None


def _loaded_gemeente(instance: models.Model) -> dict[int, int]:
    """The gemeente of the row's own wijk when that wijk is loaded with it (a signal
    saved by the quick-log form): one query less per write."""
    wijk = instance._state.fields_cache.get("wijk")
    gemeente_id = None if wijk is None else wijk.__dict__.get("gemeente_id")
    if (
        wijk is None
        or gemeente_id is None
        or wijk.pk != getattr(instance, "wijk_id", None)
    ):
        return {}
    return {wijk.pk: gemeente_id}


def connect(
    senders: Iterable[type[models.Model]],
    *,
    everything: bool = False,
    deletes: bool = True,
    domain: str | Callable[[Any], str | Iterable[str]] = "",
) -> None:
    """Renew the generation of a row's wijk (or of everything) whenever one of these
    models is saved, deleted or has its many-to-many links changed.

    ``deletes=False`` for models deleted in bulk (a receiver on post_delete makes
    Django load every row before deleting it); their bulk deletes call `bump`.
    `domain`: the part of the wijk these rows belong to (see `PARTS`), or a function
    that tells the parts from the row ("" for every part)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

    def changed(
        sender: type[models.Model], instance: models.Model, **kwargs: Any
    ) -> None:
        if kwargs.get("raw"):
            return  # loading fixtures
        if everything:
            bump_everything()
            return
        if isinstance(instance, models.Model):
            named = domain(instance) if callable(domain) else domain
            parts = [named] if isinstance(named, str) else list(named)
            bump(
                wijk_ids=[wijk_id_of(instance), getattr(instance, MOVED_FROM, None)],
                domains=[part for part in parts if part],
                gemeente_of=_loaded_gemeente(instance),
            )

    def moving(
        sender: type[models.Model], instance: models.Model, **kwargs: Any
    ) -> None:
        # A row moved to another wijk (an initiative or a signal edited) changes what
        # is shown of the wijk it leaves too: remember that one before the save.
        fields = kwargs.get("update_fields")
        if kwargs.get("raw") or instance._state.adding or instance.pk is None:
            return
        if fields is not None and "wijk" not in fields and "wijk_id" not in fields:
            return
        setattr(
            instance,
            MOVED_FROM,
            sender._default_manager.filter(pk=instance.pk)
            .values_list("wijk_id", flat=True)
            .first(),
        )

    for sender in senders:
        uid = f"wijken.generations:{sender._meta.label}"
        if not everything and any(
            f.name == "wijk" for f in sender._meta.concrete_fields
        ):
            pre_save.connect(
                moving, sender=sender, dispatch_uid=uid + ":pre-save", weak=False
            )
        post_save.connect(
            changed, sender=sender, dispatch_uid=uid + ":save", weak=False
        )
        if deletes:
            post_delete.connect(
                changed, sender=sender, dispatch_uid=uid + ":delete", weak=False
            )
        for field in sender._meta.local_many_to_many:
            m2m_changed.connect(
                changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}:{field.name}:m2m",
                weak=False,
            )

"""What the team's pages show around the corrections (issue 16 items 3 and 4): the
intake suggestion as a professional sees it, and the themes a signal or theme may go to.

The engine's ranking lives in ``corrections.theme_suggestions``; this adds what the page
needs and checks who asks. A suggestion carries the team's name for the theme (or the
engine's words the team may see), a size band and one example phrase taken from what
the theme's own page already shows the team (the user's own signal first). Never a theme
of another wijk, never text of a signal that is still sealed or withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from signalen.models import (
    AuditAction,
    AuditEntry,
    Signaal,
    SignaalVector,
    ThemaLid,
    ThemaStatus,
    WijkThema,
)
from signalen.themes import corrections
from signalen.themes.services import themes_for_user

PHRASE_MAX = 100


@dataclass(frozen=True)
class ThemeChoice:
    """A theme offered at intake, ready for the page."""

    thema: WijkThema
    name: str
    size_band: str
    example: str
    example_signaal_id: int | None


def size_band(size: int) -> str:
    """The theme's size in words, as a band: the exact count is on the theme's page."""
    if size < 5:
        return _("minder dan 5 signalen")
    if size < 10:
        return _("5 tot 10 signalen")
    if size < 25:
        return _("10 tot 25 signalen")
    if size < 100:
        return _("25 tot 100 signalen")
    return _("100 signalen of meer")


def phrase(text: str, limit: int = PHRASE_MAX) -> str:
    """The first sentence of a (scrubbed) text, cut at a word before ``limit``."""
    text = " ".join(text.split())
    for end in (". ", "! ", "? "):
        cut = text.find(end)
        if 0 < cut < limit:
            return text[: cut + 1]
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip(",;:") + " …"


def wijk_targets(thema: WijkThema) -> QuerySet[WijkThema]:
    """The themes a signal of ``thema`` may move to, or ``thema`` may take in: the other
    current themes of its wijk that the team has not dismissed. (The views check first
    that the user works in the wijk; the services check the actor again.)"""
    return (
        WijkThema.objects.filter(wijk_id=thema.wijk_id, is_current=True)
        .exclude(pk=thema.pk)
        .exclude(status=ThemaStatus.VERWORPEN)
        .select_related("categorie")
        .order_by("-size", "pk")
    )


def attach_themes(*, user: User, signaal: Signaal) -> QuerySet[WijkThema]:
    """The themes a signal may be attached to: current, not dismissed, of its wijk."""
    return themes_for_user(user, wijk=signaal.wijk_id).exclude(
        status=ThemaStatus.VERWORPEN
    )


def may_suggest(*, user: User, signaal: Signaal) -> bool:
    """Only for a live, scrubbed signal, and only to a professional of its wijk."""
    return (
        signaal.withdrawn_at is None
        and not signaal.scrub_pending
        and signaal.text_wiped_at is None
        and corrections.can_suggest(user, signaal)
    )


def _example(
    thema: WijkThema, *, user: User, signaal: Signaal
) -> tuple[str, int | None]:
    """One member text the theme's page shows the team: the user's own newest first."""
    texts = (
        Signaal.objects.filter(
            thema_leden__thema=thema,
            withdrawn_at__isnull=True,
            text_wiped_at__isnull=True,
            scrub_pending=False,
        )
        .exclude(text="")
        .exclude(pk=signaal.pk)
        .order_by("-observed_on", "-pk")
    )
    found = texts.filter(author=user).first() or texts.first()
    if found is None:
        return "", None
    return phrase(found.text), found.pk


def suggestions_for_user(
    *, user: User, signaal: Signaal, k: int = corrections.SUGGESTIONS
) -> list[ThemeChoice]:
    """The signal's top ``k`` themes for this professional. Empty while the signal has
    no vector yet (the worker is busy), while it is sealed, or for anyone else."""
    if not may_suggest(user=user, signaal=signaal):
        return []
    ranked = corrections.theme_suggestions(signaal, k=k)
    if not ranked:
        return []
    # The ranking reads the wijk's themes; ask again through the user's own view, so a
    # theme the user may not see can never show up here.
    allowed = {
        t.pk: t
        for t in attach_themes(user=user, signaal=signaal).filter(
            pk__in=[s.thema_id for s in ranked]
        )
    }
    choices = []
    for suggestion in ranked:
        thema = allowed.get(suggestion.thema_id)
        if thema is None:
            continue
        example, example_id = _example(thema, user=user, signaal=signaal)
        choices.append(
            ThemeChoice(
                thema=thema,
                name=thema.display_name,
                size_band=size_band(thema.size),
                example=example,
                example_signaal_id=example_id,
            )
        )
    return choices


def suggestions_audit_view(
    *, actor: User, signaal: Signaal, choices: list[ThemeChoice]
) -> None:
    """Showing example phrases shows signal text: log it like a theme's page does."""
    shown = [c.example_signaal_id for c in choices if c.example_signaal_id]
    if not shown:
        return
    AuditEntry.objects.create(
        actor=actor,
        action=AuditAction.VIEW,
        wijk_id=signaal.wijk_id,
        detail={
            "suggestie": signaal.pk,
            "themas": [c.thema.pk for c in choices],
            "signalen": shown,
        },
    )


def has_vector(signaal: Signaal) -> bool:
    return SignaalVector.objects.filter(signaal=signaal).exists()


def current_themes_of_signal(*, user: User, signaal: Signaal) -> list[WijkThema]:
    """The current themes the signal belongs to, as the user may see them."""
    return list(
        themes_for_user(user, wijk=signaal.wijk_id).filter(
            pk__in=ThemaLid.objects.filter(signaal=signaal).values("thema_id")
        )
    )

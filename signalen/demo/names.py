"""Names for the demo's themes, as a professional of the demo team would write them.

Outside the team a theme carries only a name a professional wrote (ARCHITECTURE.md:
nothing the engine writes leaves the team). Without names the demo's themes showed
their keyword labels ("…ouderen, alleen, dicht"), which change as signals arrive, and
the escalation form offered that list as the title the gemeente receives.

Each demo theme gets the name of the demo topic most of its signals come from
(signalen/demo.py, DEMO_TOPICS), set through the team's own service (theme_rename) by
the first demo professional, so the history shows who named it. A theme that is not
mostly one topic is named after its main category and wijk. A theme that has a name
already keeps it: nothing here overwrites what a professional wrote.

load_demo calls demo_themes_load, which runs the roll-up, then names the themes, then
the collective loop (demo_loop_load), so that whatever the loop shares with the
gemeente or escalates already carries its name.
"""

from __future__ import annotations

import logging
from collections import Counter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import Team, User
from signalen.demo import (
    DEMO_AUTHORS,
    DEMO_TOPICS,
    demo_loop_load,
    demo_rollup,
)
from signalen.models import ThemaLid, ThemaStatus, WijkThema
from signalen.themes.runs import last_successful_run
from signalen.themes.services import theme_rename
from wijken.models import Wijk

log = logging.getLogger(__name__)

# Which part of a theme's signals must come from one topic to take its name.
TOPIC_SHARE = 0.5


def _demo_team() -> tuple[Team | None, User | None]:
    author = (
        User.objects.filter(email=DEMO_AUTHORS[0], is_active=True)
        .order_by("pk")
        .first()
    )
    if author is None:
        return None, None
    team = Team.objects.filter(members=author).order_by("pk").first()
    return team, author


def _topic_of_text() -> dict[str, str]:
    return {text: topic.about for topic in DEMO_TOPICS for text in topic.texts}


def demo_theme_name(thema: WijkThema, texts: list[str]) -> str:
    """The name for one demo theme from its members' texts (see the module docstring)."""
    topics = _topic_of_text()
    votes = Counter(topics[text] for text in texts if text in topics)
    if votes:
        about, n = votes.most_common(1)[0]
        if n >= TOPIC_SHARE * len(texts):
            return about
    if thema.categorie is not None:
        return _("%(categorie)s in %(wijk)s") % {
            "categorie": _(thema.categorie.name),
            "wijk": thema.wijk.name,
        }
    return _("Signalen in %(wijk)s") % {"wijk": thema.wijk.name}


def demo_theme_names_load(*, wijken: list[Wijk] | None = None) -> int:
    """Name every current, unnamed theme of the demo team's wijken; return how many
    were named. Idempotent."""
    team, actor = _demo_team()
    if team is None or actor is None:
        return 0
    if wijken is None:
        wijken = list(team.wijken.filter(is_active=True).order_by("code"))
    themas = list(
        WijkThema.objects.filter(wijk__in=wijken, is_current=True, name="")
        .exclude(status=ThemaStatus.VERWORPEN)
        .select_related("wijk", "categorie")
        .order_by("pk")
    )
    texts: dict[int, list[str]] = {t.pk: [] for t in themas}
    for thema_id, text in ThemaLid.objects.filter(thema__in=themas).values_list(
        "thema_id", "signaal__text"
    ):
        texts[thema_id].append(text)
    named = 0
    used = Counter(
        WijkThema.objects.filter(wijk__in=wijken)
        .exclude(name="")
        .values_list("wijk_id", "name")
    )
    for thema in themas:
        base = demo_theme_name(thema, texts[thema.pk])
        name = base
        if used[(thema.wijk_id, base)]:
            # Two parts of one topic: tell them apart, as a person would.
            name = _("%(name)s (deel %(n)s)") % {
                "name": base,
                "n": used[(thema.wijk_id, base)] + 1,
            }
        try:
            if theme_rename(thema=thema, actor=actor, name=name):
                named += 1
                used[(thema.wijk_id, base)] += 1
        except ValidationError as error:
            log.warning("demo theme %s not named: %s", thema.pk, error)
    return named


def demo_themes_load(*, new_signals: int) -> int:
    """Roll up the demo team's wijken, name their themes, then show the collective
    loop: what demo_signalen_load(rollup=True) does, with the names in between.
    Call after demo_signalen_load(rollup=False), with what it returned. Returns how
    many themes were named."""
    team, _actor = _demo_team()
    if team is None:
        return 0
    wijken = list(team.wijken.filter(is_active=True).order_by("code"))
    if not wijken:
        return 0
    # As demo_signalen_load: only when there are new signals, or never a good run.
    demo_rollup([w for w in wijken if new_signals or last_successful_run(w) is None])
    named = demo_theme_names_load(wijken=wijken)
    demo_loop_load(team=team, wijk=wijken[0])
    return named

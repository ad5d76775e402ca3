"""The demo's bewonersagenda, so a newcomer sees it at once (load_demo).

In the demo team's first wijk (where the demo resident lives), with a threshold set for
the demo gemeente:
- a concern one support short of its threshold, not yet supported by the demo
  resident: their support sends it to the wijkteam and the gemeente;
- a concern that reached its threshold a few days ago and waits for the officer's
  answer, linked by the team to a public theme of the wijk (when there is one).

The co-signers are made-up residents of the wijk (no password: they cannot log in).
The texts are written here and hold no personal data. A second run changes nothing.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_neighbours
from accounts.models import User
from bewonersagenda.models import (
    AgendaInstelling,
    Agendapunt,
    AgendapuntStatus,
    Steun,
)
from bewonersagenda.queries import threshold_for
from signalen.answers.queries import public_themes_for_wijk
from signalen.models import WijkThema
from wijken.models import Wijk

log = logging.getLogger(__name__)

DEMO_DOMAIN = "demo.buurtwijs.nl"
DEMO_MINIMUM = 8
DEMO_PER_THOUSAND = 1
NEAR_TITLE = "Een zebrapad bij de basisschool"
NEAR_TEXT = (
    "Kinderen steken elke ochtend over op de drukke weg langs de school. Auto's "
    "rijden daar hard. Wij vragen de gemeente om een zebrapad en een drempel."
)
WAITING_TITLE = "Een plek om samen te komen nu het buurthuis dicht is"
WAITING_TEXT = (
    "Sinds het buurthuis dicht is, is er geen plek meer voor de koffieochtend en de "
    "huiswerkklas. Kan de gemeente helpen een nieuwe plek te vinden?"
)


def _concern(
    *, wijk: Wijk, title: str, text: str, supporters: list[User]
) -> tuple[Agendapunt, bool]:
    agendapunt, created = Agendapunt.objects.get_or_create(
        wijk=wijk,
        title=title,
        defaults={"text": text, "author": supporters[0]},
    )
    if created:
        Steun.objects.bulk_create(
            [Steun(agendapunt=agendapunt, user=u) for u in supporters]
        )
    return agendapunt, created


@transaction.atomic
def demo_bewonersagenda_load(*, wijk: Wijk) -> int:
    """Create the demo concerns in `wijk`; return how many exist there afterwards."""
    AgendaInstelling.objects.get_or_create(
        gemeente_id=wijk.gemeente_id,
        defaults={"minimum": DEMO_MINIMUM, "per_thousand": DEMO_PER_THOUSAND},
    )
    threshold = threshold_for(wijk)
    neighbours = demo_neighbours(wijk, threshold)
    # One short: the demo resident's support reaches the threshold.
    _concern(
        wijk=wijk,
        title=NEAR_TITLE,
        text=NEAR_TEXT,
        supporters=neighbours[: threshold - 1],
    )
    waiting, created = _concern(
        wijk=wijk, title=WAITING_TITLE, text=WAITING_TEXT, supporters=neighbours
    )
    if created:
        waiting.status = AgendapuntStatus.DREMPEL
        waiting.threshold = threshold
        waiting.reached_at = timezone.now() - datetime.timedelta(days=3)
        waiting.save(update_fields=["status", "threshold", "reached_at"])
        public = public_themes_for_wijk(wijk)
        if public:
            waiting.themas.add(WijkThema.objects.get(pk=public[0].pk))
    log.info("demo bewonersagenda: threshold %s in %s", threshold, wijk.code)
    return Agendapunt.objects.filter(wijk=wijk).count()

"""The demo's wijkpeilingen, so a newcomer sees them at once (load_demo).

In the demo team's first wijk (where the demo resident lives):
- a closed survey of the gemeente with sixty made-up answers from every buurt, online
  and in the street, a summary two professionals approved, linked to the wijk's
  "buurthuis" theme: its results page shows charts, tables and hidden cells;
- an open survey of the team with a street round under way (streets ticked off, some
  answers): the resident can still answer it online.

The texts are written here and hold no personal data, so they are stored as they are
(the scrubber is not loaded for the demo). A second run changes nothing.
"""

from __future__ import annotations

import datetime
import logging
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, Team, User
from peilingen.models import (
    CONSENT_VERSION,
    Antwoord,
    Bezoek,
    BezoekUitkomst,
    Huishouden,
    Kanaal,
    Leeftijd,
    Peiling,
    PeilingSamenvatting,
    PeilingStatus,
    Respons,
    Ronde,
    SamenvattingStatus,
    Vraag,
    VraagSoort,
)
from signalen.models import ThemaStatus, WijkThema
from wijken.models import Buurt, Wijk

log = logging.getLogger(__name__)

DEMO_DOMAIN = "demo.buurtwijs.nl"
CLOSED_TITLE = "Hoe prettig woont u in de wijk?"
OPEN_TITLE = "Wat speelt er in uw straat?"
OPEN_TEXTS = (
    "Er is te weinig plek om elkaar te ontmoeten sinds het buurthuis dicht is.",
    "De stoep is slecht, met de rollator kom ik er niet goed langs.",
    "Graag meer activiteiten voor jongeren in de avond.",
    "Het is 's avonds donker op het pad langs het water.",
    "Ik ken mijn buren nauwelijks, een straatfeest zou leuk zijn.",
    "Meer bankjes in het park, dan kunnen ouderen even rusten.",
    "De energierekening is hoog, ik weet niet waar ik hulp kan vragen.",
    "Fijn dat jullie langskomen, dit mag vaker.",
)
STREETS = ("Dijkstraat", "Molenweg", "Kerkpad", "Havenkade", "Lindelaan")


def _team_and_people() -> tuple[Team | None, list[User], User | None]:
    pros = list(
        User.objects.filter(
            email__in=[f"professional@{DEMO_DOMAIN}", f"professional2@{DEMO_DOMAIN}"],
            is_active=True,
        ).order_by("email")
    )
    team = (
        Team.objects.filter(members__in=pros).order_by("pk").first() if pros else None
    )
    officer = User.objects.filter(
        email=f"ambtenaar@{DEMO_DOMAIN}", role=Role.AMBTENAAR
    ).first()
    return team, pros, officer


def _questions(
    peiling: Peiling, specs: list[tuple[str, str, list[str]]]
) -> list[Vraag]:
    return [
        Vraag.objects.create(
            peiling=peiling, order=i, kind=kind, text=text, options=options
        )
        for i, (kind, text, options) in enumerate(specs, start=1)
    ]


def _answer(
    rng: random.Random, respons: Respons, vragen: list[Vraag], open_share: float
) -> None:
    rows = []
    for vraag in vragen:
        if vraag.kind == VraagSoort.SCHAAL:
            rows.append(
                Antwoord(
                    respons=respons, vraag=vraag, scale=rng.choice([2, 3, 4, 4, 5])
                )
            )
        elif vraag.kind == VraagSoort.EEN:
            weights = [5, 3, 2, 1][: len(vraag.options)]
            pick = rng.choices(range(len(vraag.options)), weights=weights)[0]
            rows.append(Antwoord(respons=respons, vraag=vraag, choices=[pick]))
        elif vraag.kind == VraagSoort.MEER:
            picks = sorted(
                {rng.randrange(len(vraag.options)) for _i in range(rng.randint(1, 2))}
            )
            rows.append(Antwoord(respons=respons, vraag=vraag, choices=picks))
        elif rng.random() < open_share:
            rows.append(
                Antwoord(respons=respons, vraag=vraag, text=rng.choice(OPEN_TEXTS))
            )
    Antwoord.objects.bulk_create(rows)


def _responses(
    rng: random.Random,
    peiling: Peiling,
    vragen: list[Vraag],
    buurten: list[Buurt],
    *,
    count: int,
    day: datetime.date,
    ronde: Ronde | None = None,
    open_share: float = 0.3,
) -> None:
    for _i in range(count):
        if ronde is not None:
            channel = rng.choice([Kanaal.DEUR, Kanaal.STRAAT])
        else:
            channel = rng.choice(
                [Kanaal.ONLINE, Kanaal.ONLINE, Kanaal.DEUR, Kanaal.STRAAT]
            )
        respons = Respons.objects.create(
            peiling=peiling,
            channel=channel,
            ronde=ronde,
            buurt=(ronde.buurt if ronde else None)
            or (rng.choice(buurten) if buurten and rng.random() < 0.9 else None),
            age_band=rng.choice([*Leeftijd.values, Leeftijd.VANAF_65, ""]),
            household=rng.choice([*Huishouden.values, Huishouden.ALLEEN, ""]),
            consent=True,
            consent_version=CONSENT_VERSION,
            created_on=day,
        )
        _answer(rng, respons, vragen, open_share=open_share)


def demo_peilingen_load(*, wijk: Wijk | None = None, seed: int = 19) -> int:
    """Load the demo surveys (once); how many were made."""
    team, pros, officer = _team_and_people()
    if team is None or not pros:
        return 0
    wijk = wijk or team.wijken.filter(is_active=True).order_by("code").first()
    if wijk is None:
        return 0
    if Peiling.objects.filter(wijk=wijk, title__in=[CLOSED_TITLE, OPEN_TITLE]).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - made-up demo answers, not a secret
    buurten = list(Buurt.objects.filter(wijk=wijk, is_active=True).order_by("code"))
    today = timezone.localdate()
    with transaction.atomic():
        closed = Peiling.objects.create(
            wijk=wijk,
            team=None,
            title=CLOSED_TITLE,
            intro=(
                "De gemeente wil weten hoe u woont en wat de wijk beter zou maken. "
                "Uw antwoorden tellen we op; niemand ziet wat u zelf antwoordde."
            ),
            status=PeilingStatus.GESLOTEN,
            opens_on=today - datetime.timedelta(days=40),
            closes_on=today - datetime.timedelta(days=10),
            closed_at=timezone.now() - datetime.timedelta(days=10),
            created_by=officer,
        )
        vragen = _questions(
            closed,
            [
                (VraagSoort.SCHAAL, "Hoe prettig woont u in de wijk?", []),
                (
                    VraagSoort.EEN,
                    "Wat zou de wijk het meest helpen?",
                    [
                        "Een plek om elkaar te ontmoeten",
                        "Meer groen",
                        "Veiliger verkeer",
                        "Minder afval op straat",
                    ],
                ),
                (
                    VraagSoort.MEER,
                    "Waar komt u buren tegen?",
                    [
                        "In het buurthuis",
                        "Bij school",
                        "In de winkel",
                        "In het park",
                        "Nergens",
                    ],
                ),
                (VraagSoort.OPEN, "Wat wilt u nog kwijt?", []),
            ],
        )
        _responses(
            rng,
            closed,
            vragen,
            buurten,
            count=60,
            day=today - datetime.timedelta(days=20),
        )
        if len(pros) >= 2:
            PeilingSamenvatting.objects.create(
                peiling=closed,
                text=(
                    "Veel bewoners missen een plek om elkaar te ontmoeten, vooral ouderen "
                    "die alleen wonen. Ook hoorden we vaak over donkere paden en slechte "
                    "stoepen."
                ),
                status=SamenvattingStatus.PUBLISHED,
                author=pros[0],
                reviewer=pros[1],
                decided_at=timezone.now() - datetime.timedelta(days=5),
            )
        thema = (
            WijkThema.objects.filter(
                wijk=wijk, is_current=True, label__icontains="buurthuis"
            )
            .exclude(status=ThemaStatus.VERWORPEN)
            .order_by("-size", "pk")
            .first()
        )
        if thema is not None:
            closed.themas.add(thema)

        open_ = Peiling.objects.create(
            wijk=wijk,
            team=team,
            title=OPEN_TITLE,
            intro="Het wijkteam loopt deze maand door de wijk. Wat speelt er bij u?",
            status=PeilingStatus.OPEN,
            opens_on=today - datetime.timedelta(days=3),
            closes_on=today + datetime.timedelta(days=25),
            created_by=pros[0],
        )
        open_vragen = _questions(
            open_,
            [
                (
                    VraagSoort.EEN,
                    "Voelt u zich veilig in uw straat?",
                    ["Ja", "Meestal", "Nee"],
                ),
                (VraagSoort.SCHAAL, "Hoe goed kent u uw buren?", []),
                (VraagSoort.OPEN, "Wat zou u willen veranderen in uw straat?", []),
            ],
        )
        ronde = Ronde.objects.create(
            peiling=open_,
            date=today,
            buurt=buurten[0] if buurten else None,
            streets=", ".join(STREETS[:3]),
            started_by=pros[0],
        )
        for street, start, end, outcome in (
            (STREETS[0], 1, 21, BezoekUitkomst.GESPROKEN),
            (STREETS[0], 2, 30, BezoekUitkomst.NIET_THUIS),
            (STREETS[1], 1, 15, BezoekUitkomst.GESPROKEN),
            (STREETS[2], None, None, BezoekUitkomst.GEEN_INTERESSE),
        ):
            Bezoek.objects.create(
                ronde=ronde,
                buurt=ronde.buurt,
                street=street,
                number_from=start,
                number_to=end,
                outcome=outcome,
            )
        _responses(
            rng,
            open_,
            open_vragen,
            buurten,
            count=8,
            day=today,
            ronde=ronde,
            open_share=0.75,
        )
    return 2

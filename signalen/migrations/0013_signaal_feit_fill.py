"""Fill the frozen facts for the signals there are (#15 item 4), and recount the
pre-aggregated counts by the week a signal was LOGGED instead of the day it was seen.

Each live signal gets one fact with its current wijk, buurt, category and target
groups, in the week of its `created_at` (Europe/Amsterdam). Withdrawn signals get none:
they did not count before either. From here on signalen.intake.facts keeps them.

This moves the blocks published until now once, from "gezien in" to "gemeld in"; the
pages say which of the two they count. Reversing keeps the counts as they are (the
next roll-up run recounts only the running block) and removes the facts.
"""

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

BATCH = 2000


def _logged_week(created_at: datetime.datetime) -> datetime.date:
    day = created_at.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    return day - datetime.timedelta(days=day.weekday())


def facts_fill(apps, schema_editor):
    Signaal = apps.get_model("signalen", "Signaal")
    SignaalFeit = apps.get_model("signalen", "SignaalFeit")
    SignaalTelling = apps.get_model("signalen", "SignaalTelling")
    db = schema_editor.connection.alias
    groups: dict[int, list[int]] = {}
    for signaal_id, doelgroep_id in (
        Signaal.doelgroepen.through.objects.using(db)
        .order_by("signaal_id", "doelgroep_id")
        .values_list("signaal_id", "doelgroep_id")
        .iterator(chunk_size=BATCH)
    ):
        groups.setdefault(signaal_id, []).append(doelgroep_id)
    counts: Counter[tuple[int, int | None, int, int | None, datetime.date]] = Counter()
    rows = (
        Signaal.objects.using(db)
        .filter(withdrawn_at__isnull=True, feit__isnull=True)
        .order_by("pk")
        .values_list("pk", "wijk_id", "buurt_id", "categorie_id", "created_at")
    )
    batch = []
    for pk, wijk_id, buurt_id, categorie_id, created_at in rows.iterator(
        chunk_size=BATCH
    ):
        week = _logged_week(created_at)
        batch.append(
            SignaalFeit(
                signaal_id=pk,
                wijk_id=wijk_id,
                buurt_id=buurt_id,
                categorie_id=categorie_id,
                week=week,
            )
        )
        if len(batch) >= BATCH:
            _write(apps, db, batch, groups)
            batch = []
    _write(apps, db, batch, groups)
    for wijk_id, buurt_id, categorie_id, week, doelgroepen in (
        (f.wijk_id, f.buurt_id, f.categorie_id, f.week, groups.get(f.signaal_id, ()))
        for f in SignaalFeit.objects.using(db).iterator(chunk_size=BATCH)
    ):
        counts[(wijk_id, None, categorie_id, None, week)] += 1
        if buurt_id is not None:
            counts[(wijk_id, buurt_id, categorie_id, None, week)] += 1
        for doelgroep_id in doelgroepen:
            counts[(wijk_id, None, categorie_id, doelgroep_id, week)] += 1
    SignaalTelling.objects.using(db).all().delete()
    SignaalTelling.objects.using(db).bulk_create(
        [
            SignaalTelling(
                wijk_id=wijk_id,
                buurt_id=buurt_id,
                categorie_id=categorie_id,
                doelgroep_id=doelgroep_id,
                week=week,
                count=n,
            )
            for (wijk_id, buurt_id, categorie_id, doelgroep_id, week), n in sorted(
                counts.items(), key=lambda item: tuple(map(str, item[0]))
            )
        ],
        batch_size=BATCH,
    )


def _write(apps, db, batch, groups):
    if not batch:
        return
    SignaalFeit = apps.get_model("signalen", "SignaalFeit")
    made = SignaalFeit.objects.using(db).bulk_create(batch)
    by_signal = {
        f.signaal_id: f.pk
        for f in SignaalFeit.objects.using(db).filter(
            signaal_id__in=[f.signaal_id for f in made]
        )
    }
    through = SignaalFeit.doelgroepen.through
    through.objects.using(db).bulk_create(
        [
            through(signaalfeit_id=by_signal[signaal_id], doelgroep_id=doelgroep_id)
            for signaal_id in by_signal
            for doelgroep_id in groups.get(signaal_id, ())
        ]
    )


def facts_remove(apps, schema_editor):
    SignaalFeit = apps.get_model("signalen", "SignaalFeit")
    SignaalFeit.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("signalen", "0012_signaal_feit"),
    ]

    operations = [
        migrations.RunPython(facts_fill, facts_remove),
    ]

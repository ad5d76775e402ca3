"""Stored representations of signals: embed once on the worker, backfill the rest.

``signal_embed`` runs in the Celery task ``signalen.tasks.embed_signal_task`` (queue
"scrub", the worker that also scrubs and preloads the model); ``vectors_backfill`` is
``manage.py embed_backfill``. Web processes only read what is stored.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import QuerySet

from signalen.models import Signaal, SignaalVector
from signalen.themes import embedding
from signalen.themes.rollup import text as dutch


def _rows(signals: list[tuple[int, str]], name: str | None) -> list[SignaalVector]:
    vectors = embedding.embed([text for _, text in signals], name)
    if vectors is None:
        return []
    model = (embedding.get_embedder(name) or embedding.FakeEmbedder()).name
    return [
        SignaalVector(
            signaal_id=pk,
            vector=embedding.to_bytes(vectors[i]),
            model=model,
            stems=dutch.stems(text),
        )
        for i, (pk, text) in enumerate(signals)
    ]


def signal_embed(signaal_id: int) -> bool:
    """Embed one signal's (scrubbed) text and store it; a signal without text (withdrawn,
    wiped) loses its vector. False when there was nothing to store."""
    row = (
        Signaal.objects.filter(pk=signaal_id, withdrawn_at__isnull=True)
        .values_list("text", flat=True)
        .first()
    )
    if not row:
        SignaalVector.objects.filter(signaal_id=signaal_id).delete()
        return False
    made = _rows([(signaal_id, row)], None)
    if not made:
        return False
    SignaalVector.objects.update_or_create(
        signaal_id=signaal_id,
        defaults={
            "vector": made[0].vector,
            "model": made[0].model,
            "stems": made[0].stems,
        },
    )
    return True


def signals_to_embed() -> QuerySet[Signaal, int]:
    """Signals with text and no stored vector, oldest first."""
    return (
        Signaal.objects.filter(withdrawn_at__isnull=True, vector__isnull=True)
        .exclude(text="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def vectors_backfill(
    *,
    batch_size: int = 64,
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Embed the signals that have no vector yet, a batch per transaction. Resumable:
    stop it at any point and the next call starts with what is still missing."""
    done = 0
    while limit is None or done < limit:
        size = batch_size if limit is None else min(batch_size, limit - done)
        ids = list(signals_to_embed()[:size])
        if not ids:
            break
        signals = list(
            Signaal.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "text")
        )
        rows = _rows(signals, None)
        if not rows:
            break
        with transaction.atomic():
            SignaalVector.objects.bulk_create(rows, ignore_conflicts=True)
        done += len(rows)
        if progress:
            progress(len(rows))
    return done

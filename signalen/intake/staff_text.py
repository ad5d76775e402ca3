"""Free text that staff write for others to read goes through the scrubber first.

Public calls and theme names, escalation arguments and requests, goal texts, comments
and progress notes, progress on a public theme: whoever reads them (residents, officers,
the public) must not meet a person in them. Each service calls `staff_text_scrub` on
the text it stores; the form shows the same result first ("Zo wordt het verstuurd",
signalen/_scrub_preview.html) so the author sees what was removed before sending.

When the scrubber does not answer (ScrubUnavailable), nothing is stored: the service
raises its own error with code "scrub_unavailable" and the form keeps the input.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from signalen.intake.scrubbing import (
    LABELS,
    ScrubResult,
    ScrubUnavailable,
    area_names,
    text_scrub,
)

if TYPE_CHECKING:
    from wijken.models import Wijk

UNAVAILABLE_CODE = "scrub_unavailable"


@dataclass(frozen=True)
class ScrubbedText:
    """A text as it will be stored, and the kinds that were taken out (no originals)."""

    original: str
    text: str
    removed: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return self.text != self.original

    @property
    def removed_labels(self) -> list[str]:
        return [str(LABELS.get(kind, kind)) for kind in self.removed]


def unavailable_message() -> str:
    return _(
        "Uw tekst kan nu niet worden gecontroleerd op persoonsgegevens. Er is niets "
        "verstuurd. Uw tekst staat hieronder nog. Probeer het over een minuut opnieuw."
    )


def _kinds(result: ScrubResult) -> tuple[str, ...]:
    kinds: list[str] = []
    for removal in result.removals:
        if removal.kind not in kinds:
            kinds.append(removal.kind)
    return tuple(kinds)


def staff_text_scrub(
    text: str,
    *,
    wijk: Wijk | None,
    keep: Iterable[str] = (),
    error: type[ValidationError] = ValidationError,
) -> ScrubbedText:
    """Scrub one staff text, keeping the area names of `wijk` (and `keep`).

    Raises `error(..., code="scrub_unavailable")` when the scrubber does not answer.
    """
    if not text or not text.strip():
        return ScrubbedText(original=text, text=text, removed=())
    names = [*(area_names(wijk) if wijk is not None else []), *keep]
    try:
        result = text_scrub(text, keep=names)
    except ScrubUnavailable as exc:
        raise error(unavailable_message(), code=UNAVAILABLE_CODE) from exc
    return ScrubbedText(original=text, text=result.text, removed=_kinds(result))


def staff_texts_scrub(
    *texts: str,
    wijk: Wijk | None,
    error: type[ValidationError] = ValidationError,
) -> list[ScrubbedText]:
    return [staff_text_scrub(text, wijk=wijk, error=error) for text in texts]

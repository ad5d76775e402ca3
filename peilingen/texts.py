"""The consent sentence, one per channel; its version is stored with every response
(peilingen.models.CONSENT_VERSION). Change the words: change the version too."""

from __future__ import annotations

from django.utils.translation import gettext as _

from peilingen.models import Kanaal


def consent_sentence(channel: str) -> str:
    if channel == Kanaal.ONLINE:
        return _(
            "Ik doe mee. Mijn antwoorden worden zonder mijn naam bewaard en alleen "
            "opgeteld met die van anderen getoond."
        )
    return _(
        "De bewoner doet mee: ik heb gevraagd of de antwoorden zonder naam bewaard "
        "mogen worden en alleen opgeteld met die van anderen getoond."
    )

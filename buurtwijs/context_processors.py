from django.conf import settings
from django.http import HttpRequest


def _open_meldingen() -> int:
    from initiatieven.models import Melding, MeldingStatus

    return Melding.objects.filter(status=MeldingStatus.OPEN).count()


def site(request: HttpRequest) -> dict[str, object]:
    """Expose the few settings that templates need."""
    return {
        # A callable, so only the beheerder's menu (the one place that shows it)
        # pays for the query.
        "open_meldingen": _open_meldingen,
        "K_ANONYMITY": settings.K_ANONYMITY,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
    }

"""GeoJSON as a second representation of the area lists (?format=geojson)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class ApiContentNegotiation(DefaultContentNegotiation):
    """An unknown ?format= is a bad parameter (400), not an unknown page (404)."""

    def filter_renderers(
        self, renderers: list[BaseRenderer], format: str
    ) -> list[BaseRenderer]:
        try:
            return super().filter_renderers(renderers, format)  # type: ignore[no-any-return]
        except Http404 as error:
            formats: list[Any] = [r.format for r in renderers]
            raise exceptions.ValidationError(
                {
                    "format": [
                        gettext("Kies een van deze formaten: %(formats)s.")
                        % {"formats": ", ".join(formats)}
                    ]
                }
            ) from error

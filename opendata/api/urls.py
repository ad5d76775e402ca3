"""/api/v1/: the read API, its OpenAPI schema and its interactive documentation."""

from __future__ import annotations

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from opendata.api import docs, errors, views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Our own page from the same schema: Swagger UI failed axe-core (issue 18).
    path("docs/", docs.docs, name="docs"),
    path("gemeenten/", views.GemeenteList.as_view(), name="gemeenten"),
    path("gemeenten/<str:code>/", views.GemeenteDetail.as_view(), name="gemeente"),
    path(
        "gemeenten/<str:code>/wijken/",
        views.GemeenteWijken.as_view(),
        name="gemeente_wijken",
    ),
    path(
        "gemeenten/<str:code>/signalen/",
        views.GemeenteSignals.as_view(),
        name="gemeente_signalen",
    ),
    path("wijken/<str:code>/", views.WijkDetail.as_view(), name="wijk"),
    path(
        "wijken/<str:code>/buurten/", views.WijkBuurten.as_view(), name="wijk_buurten"
    ),
    path(
        "wijken/<str:code>/signalen/", views.WijkSignals.as_view(), name="wijk_signalen"
    ),
    path("wijken/<str:code>/plekken/", views.WijkPlaces.as_view(), name="wijk_plekken"),
    path("buurten/<str:code>/", views.BuurtDetail.as_view(), name="buurt"),
    path("initiatieven/", views.InitiativeList.as_view(), name="initiatieven"),
    path("initiatieven/<int:pk>/", views.InitiativeDetail.as_view(), name="initiatief"),
    path("themas/", views.ThemeList.as_view(), name="themas"),
    path("themas/<int:pk>/", views.ThemeDetail.as_view(), name="thema"),
    re_path(r"^(?P<rest>.*)$", errors.not_found, name="not_found"),
]

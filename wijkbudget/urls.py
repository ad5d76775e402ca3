from django.urls import path

from wijkbudget import views

app_name = "wijkbudget"

urlpatterns = [
    path("", views.ronde_list, name="list"),
    path("nieuw/", views.ronde_create, name="ronde-create"),
    path("<int:pk>/", views.ronde_detail, name="ronde"),
    path("<int:pk>/wijzigen/", views.ronde_update, name="ronde-update"),
    path("<int:pk>/stemmen/", views.stemmen, name="stemmen"),
    path("<int:pk>/gestemd/", views.gestemd, name="gestemd"),
    path("<int:pk>/stemcodes/", views.stemcodes, name="stemcodes"),
    path("<int:pk>/uitslag/", views.uitslag, name="uitslag"),
    path("<int:pk>/uitslag.csv", views.uitslag_csv, name="uitslag-csv"),
    path("<int:pk>/aanvragen/nieuw/", views.aanvraag_create, name="aanvraag-create"),
    path(
        "<int:pk>/aanvragen/<int:aanvraag_pk>/",
        views.aanvraag_detail,
        name="aanvraag",
    ),
    path(
        "<int:pk>/aanvragen/<int:aanvraag_pk>/wijzigen/",
        views.aanvraag_update,
        name="aanvraag-update",
    ),
    path(
        "<int:pk>/aanvragen/<int:aanvraag_pk>/advies/",
        views.advies,
        name="advies",
    ),
    path(
        "<int:pk>/aanvragen/<int:aanvraag_pk>/besluit/",
        views.besluit,
        name="besluit",
    ),
    path(
        "<int:pk>/aanvragen/<int:aanvraag_pk>/uitgaven/nieuw/",
        views.uitgave_create,
        name="uitgave-create",
    ),
    path(
        "<int:pk>/aanvragen/<int:aanvraag_pk>/uitgaven/<int:uitgave_pk>/bon.jpg",
        views.bon,
        name="bon",
    ),
]

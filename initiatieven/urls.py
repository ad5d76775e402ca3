from django.urls import path

from initiatieven import views, views_meetings, views_moderation, views_organisers

app_name = "initiatieven"

urlpatterns = [
    path("", views.initiatief_list, name="list"),
    path("kaart.geojson", views.map_data, name="map-data"),
    path("nieuw/", views.initiatief_create, name="create"),
    path("nieuw/suggesties/", views.suggestions, name="suggestions"),
    path("mijn/", views.mijn, name="mijn"),
    path("wat-ik-kan-geven/", views.aanbod, name="aanbod"),
    path("meldingen/", views_moderation.meldingen, name="meldingen"),
    path("moderatie/", views_moderation.moderatie, name="moderatie"),
    path(
        "moderatie/<int:melding_pk>/",
        views_moderation.moderatie_handle,
        name="moderatie-handle",
    ),
    path("<int:pk>/melden/", views_moderation.melding_create, name="melden"),
    path(
        "<int:pk>/berichten/<int:bericht_pk>/melden/",
        views_moderation.melding_create,
        name="bericht-melden",
    ),
    path("afmelden/<str:token>/", views_moderation.unsubscribe, name="unsubscribe"),
    path(
        "uitnodiging/<str:token>/",
        views_organisers.organiser_invitation,
        name="organiser-invitation",
    ),
    path("<int:pk>/", views.initiatief_detail, name="detail"),
    path("<int:pk>/berichten/nieuw/", views.bericht_create, name="bericht-create"),
    path(
        "<int:pk>/berichten/<int:bericht_pk>/wijzigen/",
        views.bericht_update,
        name="bericht-update",
    ),
    path(
        "<int:pk>/berichten/<int:bericht_pk>/verwijderen/",
        views.bericht_delete,
        name="bericht-delete",
    ),
    path(
        "<int:pk>/bijeenkomsten/nieuw/",
        views_meetings.bijeenkomst_create,
        name="bijeenkomst-create",
    ),
    path(
        "<int:pk>/bijeenkomsten/<int:bijeenkomst_pk>/",
        views_meetings.bijeenkomst_detail,
        name="bijeenkomst",
    ),
    path(
        "<int:pk>/bijeenkomsten/<int:bijeenkomst_pk>/wijzigen/",
        views_meetings.bijeenkomst_update,
        name="bijeenkomst-update",
    ),
    path(
        "<int:pk>/bijeenkomsten/<int:bijeenkomst_pk>/afzeggen/",
        views_meetings.bijeenkomst_delete,
        name="bijeenkomst-delete",
    ),
    path(
        "<int:pk>/bijeenkomsten/<int:bijeenkomst_pk>/agenda.ics",
        views_meetings.bijeenkomst_ics_download,
        name="bijeenkomst-ics",
    ),
    path(
        "<int:pk>/bijeenkomsten/<int:bijeenkomst_pk>/afspraken/",
        views_meetings.afspraak_add,
        name="afspraak-add",
    ),
    path("<int:pk>/foto.jpg", views.photo, name="photo"),
    path("<int:pk>/wijzigen/", views.initiatief_update, name="update"),
    path("<int:pk>/organisatoren/", views.organisers, name="organisers"),
    path("<int:pk>/meedoen/", views.deelname, name="deelname"),
    path("<int:pk>/meedoen/naam/", views.deelname_name, name="deelname-name"),
    path("<int:pk>/volgen/", views.follow, name="follow"),
    path("<int:pk>/behoeften/", views.behoefte_add, name="behoefte-add"),
    path(
        "<int:pk>/behoeften/<int:behoefte_pk>/geregeld/",
        views.behoefte_met,
        name="behoefte-met",
    ),
    path(
        "<int:pk>/behoeften/<int:behoefte_pk>/verwijderen/",
        views.behoefte_delete,
        name="behoefte-delete",
    ),
    path("<int:pk>/partners/", views.partner_add, name="partner-add"),
    path(
        "<int:pk>/partners/<int:partner_pk>/verwijderen/",
        views.partner_delete,
        name="partner-delete",
    ),
]

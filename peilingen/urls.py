from django.urls import path

from peilingen import views

app_name = "peilingen"

urlpatterns = [
    path("", views.peiling_list, name="list"),
    path("nieuw/", views.peiling_create, name="create"),
    path("<int:pk>/", views.peiling_detail, name="detail"),
    path("<int:pk>/wijzigen/", views.peiling_update, name="update"),
    path("<int:pk>/status/", views.peiling_status, name="status"),
    path("<int:pk>/vragen/", views.vraag_add, name="vraag_add"),
    path(
        "<int:pk>/vragen/<int:vraag_pk>/verwijderen/",
        views.vraag_delete,
        name="vraag_delete",
    ),
    path("<int:pk>/invullen/", views.peiling_answer, name="answer"),
    path("<int:pk>/rondes/", views.ronde_start, name="ronde_start"),
    path("<int:pk>/rondes/<int:ronde_pk>/", views.ronde_detail, name="ronde"),
    path("<int:pk>/rondes/<int:ronde_pk>/bezoek/", views.bezoek_add, name="bezoek_add"),
    path(
        "<int:pk>/rondes/<int:ronde_pk>/vrijwilliger/",
        views.ronde_helper,
        name="ronde_helper",
    ),
    path(
        "<int:pk>/rondes/<int:ronde_pk>/afsluiten/",
        views.ronde_close,
        name="ronde_close",
    ),
    path("<int:pk>/resultaten/", views.peiling_results, name="results"),
    path("<int:pk>/resultaten.csv", views.peiling_results_csv, name="results_csv"),
    path("<int:pk>/open-antwoorden/", views.open_answers, name="open_answers"),
    path(
        "<int:pk>/open-antwoorden/<int:antwoord_pk>/signaal/",
        views.answer_signal,
        name="answer_signal",
    ),
    path("<int:pk>/samenvatting/", views.summary_propose, name="summary_propose"),
    path(
        "<int:pk>/samenvatting/<int:summary_pk>/",
        views.summary_decide,
        name="summary_decide",
    ),
    path("<int:pk>/themas/", views.thema_link, name="thema_link"),
]

from django.urls import path

from signalen.answers import views as views_answers
from signalen.escalations import views as views_escalations
from signalen.goals import views as views_goals
from signalen.intake import views
from signalen.places import views as views_places
from signalen.terecht import views as views_terecht
from signalen.themes import correction_views as views_corrections
from signalen.themes import views as views_themes

app_name = "signalen"

urlpatterns = [
    path("", views.signaal_list, name="list"),
    path("nieuw/", views.signaal_create, name="create"),
    path("buurten/", views.buurt_options, name="buurt_options"),
    path("export.csv", views.signaal_export, name="export"),
    path("bulk/", views.signaal_bulk, name="bulk"),
    path("<int:pk>/", views.signaal_detail, name="detail"),
    path("<int:pk>/opgeslagen/", views.signaal_confirm, name="confirm"),
    path(
        "<int:pk>/opgeslagen/stand/",
        views.signaal_confirm_status,
        name="confirm_status",
    ),
    path("<int:pk>/wijzigen/", views.signaal_update, name="update"),
    path("<int:pk>/intrekken/", views.signaal_withdraw, name="withdraw"),
    # The team in the loop (signalen/themes/correction_views.py, issue 16 items 3-4).
    path("<int:pk>/thema/", views_corrections.signaal_themes, name="signaal_themes"),
    path(
        "<int:pk>/thema/koppelen/",
        views_corrections.signaal_attach,
        name="signaal_attach",
    ),
    path(
        "themas/<int:pk>/signalen/<int:signaal_pk>/",
        views_corrections.thema_signaal,
        name="thema_signaal",
    ),
    path(
        "themas/<int:pk>/signalen/<int:signaal_pk>/verplaatsen/",
        views_corrections.thema_move,
        name="thema_move",
    ),
    path(
        "themas/<int:pk>/signalen/<int:signaal_pk>/hoort-er-niet-bij/",
        views_corrections.thema_not_belong,
        name="thema_not_belong",
    ),
    path(
        "themas/<int:pk>/samenvoegen/",
        views_corrections.thema_merge,
        name="thema_merge",
    ),
    path(
        "themas/<int:pk>/splitsen/", views_corrections.thema_split, name="thema_split"
    ),
    path("themas/", views_themes.thema_list, name="thema_list"),
    path("themas/<int:pk>/", views_themes.thema_detail, name="thema_detail"),
    path("themas/<int:pk>/erkennen/", views_themes.thema_confirm, name="thema_confirm"),
    path("themas/<int:pk>/naam/", views_themes.thema_rename, name="thema_rename"),
    path(
        "themas/<int:pk>/verwerpen/", views_themes.thema_dismiss, name="thema_dismiss"
    ),
    path("themas/<int:pk>/status/", views_themes.thema_status, name="thema_status"),
    path(
        "themas/<int:pk>/zichtbaarheid/",
        views_themes.thema_visibility,
        name="thema_visibility",
    ),
    # The collective loop (signalen/answers/views.py): answers and the public text.
    path("themas/<int:pk>/koppelen/", views_answers.thema_link, name="thema_link"),
    path(
        "themas/<int:pk>/ontkoppelen/", views_answers.thema_unlink, name="thema_unlink"
    ),
    path(
        "themas/<int:pk>/openbaar/", views_answers.thema_publish, name="thema_publish"
    ),
    path(
        "themas/<int:pk>/openbaar/<int:publicatie_pk>/goedkeuren/",
        views_answers.thema_publication_approve,
        name="thema_publication_approve",
    ),
    path(
        "themas/<int:pk>/openbaar/<int:publicatie_pk>/afwijzen/",
        views_answers.thema_publication_reject,
        name="thema_publication_reject",
    ),
    path(
        "themas/<int:pk>/niet-openbaar/",
        views_answers.thema_unpublish,
        name="thema_unpublish",
    ),
    path("mijn-signalen/themas/", views_answers.feedback, name="feedback"),
    # Beleidssignalen (signalen/escalations/views.py): a theme sent to the gemeente.
    path(
        "themas/<int:pk>/gemeente/",
        views_escalations.thema_escalate,
        name="thema_escalate",
    ),
    path("beleidssignalen/", views_escalations.escalatie_list, name="escalatie_list"),
    path(
        "beleidssignalen/<int:pk>/",
        views_escalations.escalatie_detail,
        name="escalatie_detail",
    ),
    path(
        "beleidssignalen/<int:pk>/ontvangen/",
        views_escalations.escalatie_receive,
        name="escalatie_receive",
    ),
    path(
        "beleidssignalen/<int:pk>/in-behandeling/",
        views_escalations.escalatie_start,
        name="escalatie_start",
    ),
    path(
        "beleidssignalen/<int:pk>/antwoord/",
        views_escalations.escalatie_answer,
        name="escalatie_answer",
    ),
    path(
        "beleidssignalen/<int:pk>/reactie/",
        views_escalations.escalatie_comment,
        name="escalatie_comment",
    ),
    # Wijk goals and the team report (signalen/goals/views.py).
    path("doelen/", views_goals.doel_list, name="doel_list"),
    path("doelen/nieuw/<str:wijk_code>/", views_goals.doel_create, name="doel_create"),
    path("doelen/<int:pk>/", views_goals.doel_detail, name="doel_detail"),
    path("doelen/<int:pk>/wijzigen/", views_goals.doel_update, name="doel_update"),
    path("doelen/<int:pk>/voortgang/", views_goals.doel_progress, name="doel_progress"),
    path("doelen/<int:pk>/reactie/", views_goals.doel_comment, name="doel_comment"),
    path("doelen/<int:pk>/afsluiten/", views_goals.doel_close, name="doel_close"),
    path("doelen/<int:pk>/heropenen/", views_goals.doel_reopen, name="doel_reopen"),
    # The wijkteam's contact and places per wijk (signalen/places/views.py).
    path("plekken/", views_places.plekken_index, name="plekken"),
    path("plekken/<str:wijk_code>/", views_places.plekken_wijk, name="plekken_wijk"),
    path(
        "plekken/<str:wijk_code>/contact/",
        views_places.contact_edit,
        name="plekken_contact",
    ),
    path(
        "plekken/<str:wijk_code>/contact/verwijderen/",
        views_places.contact_delete,
        name="plekken_contact_delete",
    ),
    path(
        "plekken/<str:wijk_code>/nieuw/",
        views_places.plek_create,
        name="plek_create",
    ),
    path(
        "plekken/<str:wijk_code>/<int:pk>/wijzigen/",
        views_places.plek_update,
        name="plek_update",
    ),
    path(
        "plekken/<str:wijk_code>/<int:pk>/verwijderen/",
        views_places.plek_delete,
        name="plek_delete",
    ),
    # Waar kan iemand terecht? (signalen/terecht/views.py)
    path("terecht/<str:wijk_code>/", views_terecht.lookup, name="terecht"),
    path(
        "terecht/<str:wijk_code>/kaart/",
        views_terecht.card_make,
        name="terecht_kaart",
    ),
    path(
        "terecht/<str:wijk_code>/aangeboden/",
        views_terecht.offered,
        name="terecht_aangeboden",
    ),
    path("rapport/<str:wijk_code>/", views_goals.teamrapport, name="teamrapport"),
    path(
        "rapport/<str:wijk_code>/rapport.csv",
        views_goals.teamrapport_csv,
        name="teamrapport_csv",
    ),
]

# The public theme pages, mounted at /themas/ (namespace "themas") in buurtwijs/urls.py.
public_urlpatterns = [
    path("<int:pk>/", views_answers.public_detail, name="detail"),
    path("<int:pk>/trekken/", views_answers.public_adopt, name="adopt"),
    path("<int:pk>/stoppen/", views_answers.public_leave, name="leave"),
    path("<int:pk>/voortgang/", views_answers.public_progress, name="progress"),
    path("<int:pk>/initiatief-koppelen/", views_answers.public_link, name="link"),
    path(
        "<int:pk>/voortgang/<int:voortgang_pk>/verbergen/",
        views_answers.public_progress_hide,
        name="progress_hide",
    ),
    path(
        "<int:pk>/voortgang/<int:voortgang_pk>/tonen/",
        views_answers.public_progress_show,
        name="progress_show",
    ),
]


# The resident's card, public, mounted at /terecht/ (namespace "terecht").
terecht_public_urlpatterns = [
    path("<str:token>/", views_terecht.card, name="kaart"),
]

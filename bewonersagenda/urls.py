from django.urls import path

from bewonersagenda import views

app_name = "bewonersagenda"

urlpatterns = [
    path("", views.agenda_index, name="index"),
    path("wijk/<str:code>/", views.agenda_wijk, name="wijk"),
    path("wijk/<str:code>/nieuw/", views.agendapunt_create, name="create"),
    path("<int:pk>/", views.agendapunt_detail, name="detail"),
    path("<int:pk>/steun/", views.steun, name="steun"),
    path("<int:pk>/themas/", views.thema_link, name="thema_link"),
    path("<int:pk>/antwoord/", views.answer, name="answer"),
    path("<int:pk>/sluiten/", views.close, name="close"),
    path("<int:pk>/verbergen/", views.hide, name="hide"),
]

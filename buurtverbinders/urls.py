from django.urls import path

from buurtverbinders import views

app_name = "buurtverbinders"

urlpatterns = [
    path("", views.index, name="index"),
    path("toestemming/", views.consent, name="consent"),
    path("koppeling/<int:pk>/", views.koppeling_answer, name="koppeling_answer"),
    path("wijk/<str:code>/", views.workspace, name="workspace"),
    path("wijk/<str:code>/koppelen/", views.propose, name="propose"),
    path("wijk/<str:code>/logboek/", views.log_add, name="log_add"),
    path("wijk/<str:code>/team/", views.team, name="team"),
    path("wijk/<str:code>/team/<int:pk>/intrekken/", views.revoke, name="revoke"),
]

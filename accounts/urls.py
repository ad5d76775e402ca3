from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("gegevens/", views.profile, name="profile"),
    path("uitnodigingen/", views.invitation_list, name="invitation_list"),
    path(
        "uitnodigingen/<int:pk>/intrekken/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation_accept"),
]

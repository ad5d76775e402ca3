from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.privacy_statement, name="statement"),
    path("account/mijn-gegevens/", views.my_data, name="my_data"),
    path(
        "account/mijn-gegevens/download/",
        views.my_data_download,
        name="my_data_download",
    ),
    path(
        "account/mijn-gegevens/aanvragen/",
        views.my_data_request,
        name="my_data_request",
    ),
    path(
        "account/mijn-gegevens/bestand/<str:token>/",
        views.my_data_file,
        name="my_data_file",
    ),
    path("account/verwijderen/", views.account_delete, name="account_delete"),
    path("account/medewerkers/", views.staff_list, name="staff_list"),
    path(
        "account/medewerkers/<int:pk>/uitzetten/",
        views.staff_deactivate,
        name="staff_deactivate",
    ),
]

from django.urls import path

from signalen import views

app_name = "signalen"

urlpatterns = [
    path("", views.signaal_list, name="list"),
    path("nieuw/", views.signaal_create, name="create"),
    path("buurten/", views.buurt_options, name="buurt_options"),
    path("export.csv", views.signaal_export, name="export"),
    path("bulk/", views.signaal_bulk, name="bulk"),
    path("<int:pk>/", views.signaal_detail, name="detail"),
    path("<int:pk>/wijzigen/", views.signaal_update, name="update"),
    path("<int:pk>/intrekken/", views.signaal_withdraw, name="withdraw"),
]

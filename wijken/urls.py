from django.urls import path

from wijken import views

app_name = "wijken"

urlpatterns = [
    path("gemeenten/", views.gemeente_list, name="gemeente_list"),
    path("gemeente/<str:code>/", views.gemeente_detail, name="gemeente"),
]

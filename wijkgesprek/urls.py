from django.urls import path

from wijkgesprek import views

app_name = "wijkgesprek"

urlpatterns = [
    path("wijk/<str:code>/", views.gesprek_wijk, name="wijk"),
    path("wijk/<str:code>/nieuw/", views.gesprek_create, name="create"),
    path("wijk/<str:code>/voorzitter/", views.volunteer, name="volunteer"),
    path("<int:pk>/", views.gesprek_detail, name="detail"),
    path("<int:pk>/agenda/", views.agenda, name="agenda"),
    path("<int:pk>/agenda/<int:punt_pk>/", views.punt, name="punt"),
    path("<int:pk>/verslag/", views.verslag, name="verslag"),
    path("<int:pk>/afspraken/", views.afspraak, name="afspraak"),
    path("<int:pk>/wijkgesprek.ics", views.gesprek_ics, name="ics"),
]

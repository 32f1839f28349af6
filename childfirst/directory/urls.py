from django.urls import path

from childfirst.directory import views

app_name = "directory"
urlpatterns = [
    path("agencies", views.agencies, name="agencies"),
    path("agencies/<slug:code>", views.agency, name="agency"),
    path("schools", views.schools, name="schools"),
    path("schools/<int:urn>", views.school, name="school"),
]

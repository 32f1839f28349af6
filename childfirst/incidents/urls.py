from django.urls import path

from childfirst.incidents import views

app_name = "incidents"
urlpatterns = [
    path("record/start", views.start, name="record-start"),
    path("record/check", views.check, name="record-check"),
    path("record/done", views.done, name="record-done"),
    path("record/child/<int:number>/<slug:page>", views.child, name="record-child"),
    path("record/adult/<int:number>", views.adult, name="record-adult"),
    path("record/<slug:step>", views.step, name="record-step"),
]

from django.urls import path

from childfirst.people import views

app_name = "people"
urlpatterns = [
    path("review", views.review_queue, name="review-queue"),
    path("review/<int:pair_id>", views.review_pair, name="review-pair"),
    path("merges", views.merges, name="merges"),
    path("merges/<int:merge_id>/undo", views.undo_merge, name="undo-merge"),
]

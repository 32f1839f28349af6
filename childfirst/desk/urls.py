from django.urls import path

from childfirst.desk import views

app_name = "desk"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("notices/<int:notice_id>", views.notice, name="notice"),
    path("notices/<int:notice_id>/claim", views.claim, name="claim"),
    path("notices/<int:notice_id>/assign", views.assign, name="assign"),
    path("notices/<int:notice_id>/decide", views.decide, name="decide"),
    path("notices/<int:notice_id>/pause-clock", views.pause_clock, name="pause-clock"),
    path("notices/<int:notice_id>/restart-clock", views.resume_clock, name="resume-clock"),
    path("approvals", views.approvals, name="approvals"),
    path("referrals/<int:referral_id>/approve", views.approve, name="approve"),
    path("referrals/<int:referral_id>/quality", views.quality_note, name="quality-note"),
    path("breaches", views.breaches, name="breaches"),
    path("sample", views.sample, name="sample"),
]

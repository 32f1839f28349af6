from django.urls import path

from childfirst.dispatch import portal_views, views

app_name = "dispatch"
urlpatterns = [
    # The desk's check-and-send page and the supervisor's watch pages (views.py).
    path("referrals/<int:referral_id>/send", views.send, name="send"),
    path("failures", views.failures, name="failures"),
    path("breaches", views.breaches, name="breaches"),
    # The partner portal (portal_views.py).
    path("portal/", portal_views.received, name="portal"),
    path("portal/<int:disclosure_id>", portal_views.disclosure, name="portal-disclosure"),
    path(
        "portal/<int:disclosure_id>/acknowledge",
        portal_views.acknowledge,
        name="portal-acknowledge",
    ),
    path("portal/<int:disclosure_id>/decision", portal_views.decision, name="portal-decision"),
    path("portal/<int:disclosure_id>/note", portal_views.note, name="portal-note"),
]

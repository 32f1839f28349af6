from django.urls import path

from childfirst.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in", views.sign_in, name="sign-in"),
    path("sign-in/code", views.sign_in_code, name="sign-in-code"),
    path("sign-in/set-up-authenticator", views.set_up_authenticator, name="set-up-authenticator"),
    path("sign-out", views.sign_out, name="sign-out"),
    path("signed-out", views.signed_out, name="signed-out"),
    path("account", views.account, name="account"),
]

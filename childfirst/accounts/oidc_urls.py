from django.urls import path
from mozilla_django_oidc import views

from childfirst.accounts.decorators import permission_rule
from childfirst.accounts.permissions import PUBLIC

# The provider's redirect endpoints are public by nature: they are how a person signs in.
urlpatterns = [
    path(
        "callback/",
        permission_rule(PUBLIC)(views.OIDCAuthenticationCallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
    path(
        "authenticate/",
        permission_rule(PUBLIC)(views.OIDCAuthenticationRequestView.as_view()),
        name="oidc_authentication_init",
    ),
]

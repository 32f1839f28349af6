"""A URL whose view forgot to declare a permission rule, to show the middleware refuses it."""

from django.http import HttpResponse
from django.urls import include, path


def forgot_to_declare(request):
    return HttpResponse("secret children's data")


urlpatterns = [
    path("undeclared", forgot_to_declare),
    path("", include("childfirst.urls")),
]

handler403 = "childfirst.web.views.permission_denied"
handler404 = "childfirst.web.views.page_not_found"

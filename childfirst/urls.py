from django.conf import settings
from django.urls import include, path

from childfirst.api.urls import api
from childfirst.web.admin_site import admin_site

urlpatterns = [
    path("", include("childfirst.web.urls")),
    path("", include("childfirst.accounts.urls")),
    path("directory/", include("childfirst.directory.urls")),
    path("people/", include("childfirst.people.urls")),
    path("incidents/", include("childfirst.incidents.urls")),
    path("desk/", include("childfirst.desk.urls")),
    path("dispatch/", include("childfirst.dispatch.urls")),
    path("screening/", include("childfirst.screening.urls")),
    path("timescales/", include("childfirst.timescales.urls")),
    path("admin/", admin_site.urls),
    path("api/v1/", api.urls),
]

if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("childfirst.accounts.oidc_urls")))

handler400 = "childfirst.web.views.bad_request"
handler403 = "childfirst.web.views.permission_denied"
handler404 = "childfirst.web.views.page_not_found"
handler500 = "childfirst.web.views.server_error"

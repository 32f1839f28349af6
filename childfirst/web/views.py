"""The home page for each role, the service's own pages, health and error pages."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from childfirst.accounts.decorators import permission_rule
from childfirst.accounts.permissions import PUBLIC
from childfirst.accounts.services import home_for


@permission_rule("web.view_home")
@require_GET
def home(request):
    return render(request, "web/home.html", home_for(user=request.user))


@permission_rule(PUBLIC)
@require_GET
def accessibility(request):
    return render(request, "web/accessibility.html")


@permission_rule(PUBLIC)
@require_GET
def privacy(request):
    return render(request, "web/privacy.html")


@permission_rule(PUBLIC)
@never_cache
@require_GET
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def bad_request(request, exception=None):
    return render(request, "web/errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "web/errors/403.html", status=403)


def csrf_failure(request, reason=""):
    return render(request, "web/errors/csrf.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "web/errors/404.html", status=404)


def server_error(request):
    # No request context: the database or a context processor may be what failed.
    html = loader.render_to_string(
        "web/errors/500.html",
        {
            "force_name": settings.CHILDFIRST_FORCE_NAME,
            "feedback_email": settings.CHILDFIRST_FEEDBACK_EMAIL,
        },
    )
    return HttpResponseServerError(html)

"""Session limits and deny-by-default permission checks for every view."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from childfirst.accounts.decorators import rule_of
from childfirst.accounts.permissions import PUBLIC
from childfirst.accounts.sessions import SESSION_LAST_SEEN, SESSION_SIGNED_IN_AT, is_fully_signed_in

# URL namespaces whose views guard themselves: the Django admin (administrators only, see
# childfirst.web.admin_site) and the JSON API (every route declares its rule, checked by
# tests/api/test_permissions.py).
SELF_GUARDED_NAMESPACES = {"admin", "api-1"}


class SessionLimitsMiddleware:
    """Sign out after 15 minutes idle or 12 hours after signing in, whichever comes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now()
            signed_in_at = _read_time(request.session.get(SESSION_SIGNED_IN_AT))
            last_seen = _read_time(request.session.get(SESSION_LAST_SEEN))
            expired = (
                signed_in_at is None
                or now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT
                or (last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT)
            )
            if expired:
                logout(request)
                request.session["signed_out_reason"] = "timeout"
            else:
                request.session[SESSION_LAST_SEEN] = now.isoformat()
        return self.get_response(request)


def _read_time(value):
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


class PermissionRuleMiddleware:
    """Deny by default: a view runs only if it declares a rule and the user meets it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            match is not None
            and match.namespaces
            and match.namespaces[0] in SELF_GUARDED_NAMESPACES
        ):
            return None
        rule = rule_of(view_func)
        if rule is None:
            raise PermissionDenied("This page declares no permission rule")
        if rule == PUBLIC:
            return None
        if not is_fully_signed_in(request):
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(rule):
            raise PermissionDenied(rule)
        return None

"""Every sign-in and sign-out starts or ends the session clocks and goes to the access log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.utils import timezone

from childfirst.accounts.sessions import SESSION_LAST_SEEN, SESSION_SIGNED_IN_AT, SESSION_SSO
from childfirst.audit.services import record_access

OIDC_BACKEND = "childfirst.accounts.oidc.ChildFirstOIDCBackend"


@receiver(user_logged_in)
def start_session_clocks(sender, request, user, **kwargs):
    now = timezone.now().isoformat()
    request.session[SESSION_SIGNED_IN_AT] = now
    request.session[SESSION_LAST_SEEN] = now
    via_sso = getattr(user, "backend", "") == OIDC_BACKEND
    if via_sso:
        request.session[SESSION_SSO] = True
    record_access(
        actor=user,
        action="sign_in",
        subject_type="user",
        subject_id=user.pk,
        subject_label=user.email,
        details={"method": "single sign-on" if via_sso else "password and authenticator"},
        request=request,
    )


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs):
    if user is not None:
        record_access(
            actor=user,
            action="sign_out",
            subject_type="user",
            subject_id=user.pk,
            subject_label=user.email,
            request=request,
        )

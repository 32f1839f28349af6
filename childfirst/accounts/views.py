"""Sign in with a password and an authenticator app code; sign out; your account."""

import segno
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from childfirst.accounts import services
from childfirst.accounts.decorators import permission_rule
from childfirst.accounts.forms import CodeForm, SignInForm
from childfirst.accounts.permissions import PUBLIC
from childfirst.accounts.sessions import SESSION_PENDING_USER

WRONG_DETAILS = "Enter a correct email address and password"
WRONG_CODE = "The code is not right. Enter the 6-digit code your authenticator app shows now"
PENDING_FOR_SECONDS = 300
SESSION_NEXT = "childfirst_next"


@permission_rule(PUBLIC)
@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    if services.is_fully_signed_in(request):
        return redirect("web:home")
    next_url = request.GET.get("next", "")
    signed_out_reason = request.session.pop("signed_out_reason", None)
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, email=form.cleaned_data["email"], password=form.cleaned_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is not None and user.is_demo and settings.PRODUCTION:
            user = None
        if user is None:
            form.add_error(None, WRONG_DETAILS)
        else:
            request.session.cycle_key()
            request.session[SESSION_PENDING_USER] = {
                "id": user.pk,
                "backend": user.backend,
                "at": timezone.now().timestamp(),
            }
            if _safe_next(request, next_url):
                request.session[SESSION_NEXT] = next_url
            if services.confirmed_totp_device(user=user) is None:
                return redirect("accounts:set-up-authenticator")
            return redirect("accounts:sign-in-code")
    return render(
        request,
        "accounts/sign_in.html",
        {
            "form": form,
            "signed_out_reason": signed_out_reason,
            "oidc_enabled": settings.OIDC_ENABLED,
        },
    )


def locked_out(request, credentials=None, *args, **kwargs):
    """Shown after too many wrong passwords (django-axes calls this too)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


def _pending_user(request):
    pending = request.session.get(SESSION_PENDING_USER)
    if not pending:
        return None
    if timezone.now().timestamp() - pending["at"] > PENDING_FOR_SECONDS:
        request.session.pop(SESSION_PENDING_USER, None)
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=pending["id"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


def _safe_next(request, url):
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def _finish_sign_in(request, user, device):
    next_url = request.session.pop(SESSION_NEXT, "")
    request.session.pop(SESSION_PENDING_USER, None)
    login(request, user, backend=user.backend)
    otp_login(request, device)
    return redirect(next_url if _safe_next(request, next_url) else reverse("web:home"))


@permission_rule(PUBLIC)
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:sign-in")
    device = services.confirmed_totp_device(user=user)
    if device is None:
        return redirect("accounts:set-up-authenticator")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.verify_totp(device=device, code=form.cleaned_data["code"]):
            return _finish_sign_in(request, user, device)
        form.add_error("code", WRONG_CODE)
    return render(request, "accounts/sign_in_code.html", {"form": form})


@permission_rule(PUBLIC)
@never_cache
@require_http_methods(["GET", "POST"])
def set_up_authenticator(request):
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:sign-in")
    if services.confirmed_totp_device(user=user) is not None:
        return redirect("accounts:sign-in-code")
    device = services.start_totp_enrolment(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.confirm_totp_enrolment(device=device, code=form.cleaned_data["code"]):
            return _finish_sign_in(request, user, device)
        form.add_error("code", WRONG_CODE)
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/set_up_authenticator.html",
        {
            "form": form,
            "qr_svg": mark_safe(  # noqa: S308 - segno's own SVG of our own URL
                qr.svg_inline(scale=4, title="QR code to scan with your authenticator app")
            ),
            "secret": _group(device_secret_base32(device)),
        },
    )


def device_secret_base32(device) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


def _group(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@permission_rule("accounts.sign_out")
@require_POST
def sign_out(request):
    logout(request)
    return redirect("accounts:signed-out")


@permission_rule(PUBLIC)
@require_http_methods(["GET"])
def signed_out(request):
    return render(request, "accounts/signed_out.html")


@permission_rule("accounts.view_own_account")
@require_http_methods(["GET"])
def account(request):
    device = services.confirmed_totp_device(user=request.user)
    return render(request, "accounts/account.html", {"account": request.user, "device": device})

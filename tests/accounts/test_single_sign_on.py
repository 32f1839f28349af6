"""Single sign-on by OpenID Connect: off by default; when on, it matches existing accounts only."""

import pytest
from django.test import override_settings

from childfirst.accounts.models import Role, User
from tests.builders import make_user
from tests.web.test_settings import run_python

OIDC_BACKEND = "childfirst.accounts.oidc.ChildFirstOIDCBackend"
OIDC_SETTINGS = {
    "OIDC_RP_CLIENT_ID": "child-first",
    "OIDC_RP_CLIENT_SECRET": "not-a-real-secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.example.invalid/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://login.example.invalid/token",
    "OIDC_OP_USER_ENDPOINT": "https://login.example.invalid/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://login.example.invalid/keys",
    "OIDC_RP_SIGN_ALGO": "RS256",
    "OIDC_CREATE_USER": False,
}


def backend():
    from childfirst.accounts.oidc import ChildFirstOIDCBackend

    return ChildFirstOIDCBackend()


@pytest.mark.django_db
@override_settings(**OIDC_SETTINGS)
def test_single_sign_on_matches_an_existing_active_account_by_email():
    user = make_user(email="a.officer@example.police.uk")
    found = backend().filter_users_by_claims({"email": "A.Officer@Example.Police.UK"})
    assert list(found) == [user]
    user.is_active = False
    user.save()
    assert not backend().filter_users_by_claims({"email": "a.officer@example.police.uk"}).exists()


@pytest.mark.django_db
@override_settings(**OIDC_SETTINGS)
def test_single_sign_on_never_creates_an_account():
    assert not backend().filter_users_by_claims({"email": "stranger@example.police.uk"}).exists()
    assert backend().verify_claims({"sub": "123"}) is False
    assert not User.objects.filter(email="stranger@example.police.uk").exists()


@pytest.mark.django_db
def test_a_single_sign_on_session_needs_no_authenticator_code(client):
    user = make_user(role=Role.DESK_RESEARCHER, with_totp=False)
    backends = [
        "axes.backends.AxesStandaloneBackend",
        OIDC_BACKEND,
        "rules.permissions.ObjectPermissionBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    with override_settings(AUTHENTICATION_BACKENDS=backends, **OIDC_SETTINGS):
        client.force_login(user, backend=OIDC_BACKEND)
        assert client.get("/").status_code == 200
    password_only = make_user(role=Role.DESK_RESEARCHER, with_totp=False)
    client.force_login(password_only)
    assert client.get("/").status_code == 302


def test_single_sign_on_is_off_unless_configured(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; from django.urls import "
        "reverse\n"
        "print(any('OIDC' in b for b in settings.AUTHENTICATION_BACKENDS))\n"
        "try:\n    print(reverse('oidc_authentication_init'))\n"
        "except Exception as error:\n    print(type(error).__name__)"
    )
    assert run_python(code, tmp_path).stdout.split() == ["False", "NoReverseMatch"]
    on = run_python(
        code,
        tmp_path,
        CHILDFIRST_OIDC_ENABLED="true",
        CHILDFIRST_OIDC_CLIENT_ID="child-first",
        CHILDFIRST_OIDC_AUTHORIZATION_ENDPOINT="https://login.example.invalid/authorize",
    )
    assert on.stdout.split() == ["True", "/oidc/authenticate/"], on.stderr


def test_sign_in_page_offers_the_force_account_when_single_sign_on_is_on():
    from django.template.loader import render_to_string

    from childfirst.accounts.forms import SignInForm

    context = {"form": SignInForm(), "oidc_enabled": True, "oidc_url": "/oidc/authenticate/"}
    page = render_to_string("accounts/sign_in.html", context)
    assert 'href="/oidc/authenticate/"' in page
    assert "Sign in with your force account" in page

"""Signing in with a password and an authenticator app code, through the real pages."""

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from childfirst.accounts.models import Role
from childfirst.accounts.services import confirmed_totp_device
from childfirst.audit.models import AccessLogEntry
from tests.builders import PASSWORD, current_code, make_user

pytestmark = pytest.mark.django_db

WRONG_DETAILS = "Enter a correct email address and password"


def submit_password(client, email, password=PASSWORD, next_url=""):
    url = "/sign-in" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"email": email, "password": password})


def sign_in_fully(client, user, next_url=""):
    response = submit_password(client, user.email, next_url=next_url)
    assert response.status_code == 302
    return client.post(response["Location"], {"code": current_code(user)})


def test_wrong_password_and_unknown_email_get_the_same_message(client):
    user = make_user()
    wrong_password = submit_password(client, user.email, "not the password at all")
    unknown_email = submit_password(client, "nobody@example.police.uk")
    for response in (wrong_password, unknown_email):
        page = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in page
        assert WRONG_DETAILS in page
        assert "<title>Error: Sign in – Child First</title>" in page


def test_empty_sign_in_form_names_each_missing_field(client):
    page = client.post("/sign-in", {"email": "", "password": ""}).content.decode()
    assert "Enter your email address" in page
    assert "Enter your password" in page


def test_right_password_alone_does_not_open_the_service(client):
    user = make_user()
    response = submit_password(client, user.email)
    assert response["Location"] == "/sign-in/code"
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"].startswith("/sign-in")


def test_first_sign_in_sets_up_the_authenticator_app_with_a_qr_code(client):
    user = make_user(with_totp=False)
    response = submit_password(client, user.email)
    assert response["Location"] == "/sign-in/set-up-authenticator"
    page = client.get("/sign-in/set-up-authenticator").content.decode()
    assert "<svg" in page
    assert 'id="secret-key"' in page
    response = client.post("/sign-in/set-up-authenticator", {"code": current_code(user)})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert confirmed_totp_device(user=user) is not None
    assert client.get("/").status_code == 200


def test_a_user_with_an_authenticator_signs_in_with_a_code(client):
    user = make_user()
    response = sign_in_fully(client, user)
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_code_does_not_sign_in(client):
    user = make_user()
    submit_password(client, user.email)
    code = current_code(user)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    page = client.post("/sign-in/code", {"code": wrong}).content.decode()
    assert "The code is not right" in page
    assert client.get("/").status_code == 302


def test_code_that_is_not_six_digits_is_explained(client):
    user = make_user()
    submit_password(client, user.email)
    page = client.post("/sign-in/code", {"code": "12ab"}).content.decode()
    assert "Enter the 6-digit code from your authenticator app" in page


def test_code_page_without_a_password_first_goes_back_to_sign_in(client):
    response = client.get("/sign-in/code")
    assert response["Location"] == "/sign-in"


def test_half_finished_sign_in_expires_after_five_minutes(client):
    user = make_user()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        submit_password(client, user.email)
        clock.shift(timedelta(minutes=6))
        response = client.post("/sign-in/code", {"code": current_code(user)})
    assert response["Location"] == "/sign-in"


def test_sign_in_returns_to_the_page_asked_for(client):
    user = make_user()
    response = sign_in_fully(client, user, next_url="/account")
    assert response["Location"] == "/account"


def test_sign_in_never_redirects_to_another_site(client):
    user = make_user()
    response = sign_in_fully(client, user, next_url="https://evil.example.com/")
    assert response["Location"] == "/"


def test_inactive_user_cannot_sign_in(client):
    user = make_user()
    user.is_active = False
    user.save()
    assert WRONG_DETAILS in submit_password(client, user.email).content.decode()


@override_settings(PRODUCTION=True)
def test_demo_accounts_cannot_sign_in_in_production(client):
    user = make_user(is_demo=True)
    assert WRONG_DETAILS in submit_password(client, user.email).content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_wrong_passwords_lock_the_account_even_for_the_right_password(client):
    user = make_user()
    for _ in range(3):
        submit_password(client, user.email, "wrong password here")
    response = submit_password(client, user.email)
    assert response.status_code == 429
    assert "You cannot sign in for 15 minutes" in response.content.decode()
    other = make_user()
    assert submit_password(client, other.email).status_code == 302


def test_sign_in_and_sign_out_go_to_the_access_log(client):
    user = make_user()
    sign_in_fully(client, user)
    client.post("/sign-out")
    actions = list(
        AccessLogEntry.objects.filter(user=user).order_by("id").values_list("action", flat=True)
    )
    assert actions[-2:] == ["sign_in", "sign_out"]


def test_sign_out_needs_a_form_post_so_a_link_cannot_sign_someone_out(signed_in):
    client, _ = signed_in(Role.DESK_RESEARCHER)
    assert client.get("/sign-out").status_code == 405
    response = client.post("/sign-out")
    assert response["Location"] == "/signed-out"
    assert client.get("/").status_code == 302


def test_idle_session_ends_after_fifteen_minutes(client):
    user = make_user()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in_fully(client, user)
        clock.shift(timedelta(minutes=14))
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=14))
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=16))
        response = client.get("/")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out" in page


def test_busy_session_still_ends_twelve_hours_after_sign_in(client):
    user = make_user()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in_fully(client, user)
        for _ in range(71):  # every 10 minutes for 11 hours 50 minutes
            clock.shift(timedelta(minutes=10))
            assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=11))
        assert client.get("/").status_code == 302


def test_passwords_are_hashed_with_argon2_outside_tests():
    from childfirst import settings as real_settings

    assert real_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")

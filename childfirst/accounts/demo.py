"""Demo accounts: one per role, with one shared password and known authenticator secrets.

They exist so anyone can try Child First on their own machine. They are refused in production,
their names are synthetic (Faker, en_GB, fixed seed) and their addresses are on a domain that
cannot receive email (.invalid).
"""

import base64
import hashlib
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django_otp.oath import TOTP
from faker import Faker

from childfirst.accounts import services
from childfirst.accounts.models import Role, User

DEMO_PASSWORD = "Try-Child-First-2026"
DEMO_EMAIL_DOMAIN = "demo.childfirst.invalid"
DEMO_SEED = 2026


class DemoRefused(services.AccountError):
    """Demo accounts were asked for where they are not allowed."""


class DemoAccount(NamedTuple):
    user: User
    password: str
    totp_secret: str  # base32, as an authenticator app asks for it


def demo_email(role: str) -> str:
    """desk_researcher -> desk.researcher@demo.childfirst.invalid"""
    return f"{Role(role).value.replace('_', '.')}@{DEMO_EMAIL_DOMAIN}"


def demo_totp_key_hex(email: str) -> str:
    """A fixed 20-byte authenticator key for a demo account, the same on every machine."""
    return hashlib.sha256(f"childfirst demo authenticator:{email}".encode()).hexdigest()[:40]


def create_demo_users(*, partner_agency) -> list[DemoAccount]:
    """One demo user per role; the partner user belongs to `partner_agency`. Idempotent."""
    _refuse_in_production()
    if partner_agency is None:
        raise services.AccountError("agency: Select the agency the demo partner user belongs to")
    fake = Faker("en_GB")
    fake.seed_instance(DEMO_SEED)
    accounts = []
    with transaction.atomic():
        for role in Role:
            full_name = f"{fake.first_name()} {fake.last_name()}"
            email = demo_email(role)
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = services.create_user(
                    email=email,
                    full_name=full_name,
                    role=role,
                    password=DEMO_PASSWORD,
                    agency=partner_agency if role == Role.PARTNER else None,
                    is_demo=True,
                )
            elif not user.is_demo:
                raise DemoRefused(
                    f"email: {email} belongs to an account that is not a demo account"
                )
            elif not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            key = demo_totp_key_hex(email)
            device = services.confirmed_totp_device(user=user)
            if device is None or device.key != key:
                device = services.set_demo_totp(user=user, key_hex=key)
            accounts.append(DemoAccount(user, DEMO_PASSWORD, _base32(device.bin_key)))
    return accounts


def demo_users_exist() -> bool:
    return User.objects.filter(is_demo=True).exists()


def demo_accounts() -> list[DemoAccount]:
    """The demo users that exist now, in role order, with their authenticator secrets."""
    users = User.objects.filter(is_demo=True).select_related("agency")
    order = {role: index for index, role in enumerate(Role.values)}
    accounts = []
    for user in sorted(users, key=lambda u: (order.get(u.role, len(order)), u.email)):
        device = services.confirmed_totp_device(user=user)
        secret = _base32(device.bin_key) if device else ""
        accounts.append(DemoAccount(user, DEMO_PASSWORD, secret))
    return accounts


def current_demo_code(email: str) -> str:
    """The 6-digit code a demo user's authenticator app would show now."""
    _refuse_in_production()
    email = (email or "").strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None or not user.is_demo:
        raise DemoRefused(f"email: {email or 'That'} is not a demo account")
    device = services.confirmed_totp_device(user=user)
    if device is None:
        raise DemoRefused(f"email: {email} has no authenticator; run `childfirst demo` again")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _refuse_in_production() -> None:
    if settings.PRODUCTION:
        raise DemoRefused("Demo accounts cannot be used in production")


def _base32(key: bytes) -> str:
    return base64.b32encode(key).decode().rstrip("=")

"""What the accounts app does: users, two-factor devices, API clients, role home pages."""

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from childfirst.accounts.models import ApiClient, ApiScope, Role, User, hash_token
from childfirst.accounts.sessions import is_fully_signed_in  # noqa: F401  (re-exported for views)
from childfirst.audit.services import SYSTEM, record_access

TOKEN_PREFIX = "cf_"


class AccountError(ValueError):
    """A change to an account that the rules do not allow; the message names the field."""


# Users


def create_user(
    *,
    email: str,
    full_name: str,
    role: str,
    password: str | None,
    agency=None,
    collar_number: str = "",
    is_demo: bool = False,
    by=None,
) -> User:
    """Create a user. Partner users need an agency; nobody else has one."""
    if role not in Role.values:
        raise AccountError(f"role: choose one of {', '.join(Role.values)}")
    email = (email or "").strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError(f"email: a user with the email address {email} already exists")
    from django.core.exceptions import ValidationError

    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email,
                password,
                full_name=full_name,
                role=role,
                agency=agency,
                collar_number=collar_number,
                is_demo=is_demo,
            )
            record_access(
                actor=by or SYSTEM,
                action="create",
                subject_type="user",
                subject_id=user.pk,
                subject_label=user.email,
                details={"role": role},
            )
    except ValidationError as error:
        raise AccountError(_first_error(error)) from error
    return user


def _first_error(error) -> str:
    if hasattr(error, "message_dict"):
        field, messages = next(iter(error.message_dict.items()))
        return f"{field}: {messages[0]}"
    return str(error.messages[0])


# Two-factor sign-in (TOTP)


def confirmed_totp_device(*, user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def start_totp_enrolment(*, user) -> TOTPDevice:
    """An unconfirmed authenticator for the user, made once and reused until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def verify_totp(*, device: TOTPDevice, code: str) -> bool:
    """Check a 6-digit code. django-otp throttles repeated failures on the device."""
    code = "".join((code or "").split())
    if not code.isdigit() or len(code) != device.digits:
        return False
    return bool(device.verify_token(code))


def confirm_totp_enrolment(*, device: TOTPDevice, code: str) -> bool:
    if not verify_totp(device=device, code=code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return True


def set_demo_totp(*, user, key_hex: str) -> TOTPDevice:
    """Demo accounts only: a known authenticator secret so anyone can try the service."""
    if not user.is_demo:
        raise AccountError("Only demo accounts may have a fixed authenticator secret")
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(
        user=user, name="Demo authenticator", key=key_hex, confirmed=True
    )


def reset_two_factor(*, user, by) -> None:
    """Administrators: make the user set up a new authenticator at their next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    record_access(
        actor=by,
        action="update",
        subject_type="user",
        subject_id=user.pk,
        subject_label=user.email,
        details={"change": "two-factor sign-in reset"},
    )


# API clients


@dataclass(frozen=True)
class NewApiClient:
    client: ApiClient
    token: str  # shown once, never stored


def create_api_client(*, name: str, scope: str, agency=None, by=None) -> NewApiClient:
    """Create an API client and return its token, which is shown once and stored only as a hash."""
    from django.core.exceptions import ValidationError

    if scope not in ApiScope.values:
        raise AccountError(f"scope: choose one of {', '.join(ApiScope.values)}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient(
        name=name.strip(),
        scope=scope,
        agency=agency,
        token_prefix=token[:10],
        token_hash=hash_token(token),
    )
    try:
        client.full_clean()
    except ValidationError as error:
        raise AccountError(_first_error(error)) from error
    with transaction.atomic():
        client.save()
        record_access(
            actor=by or SYSTEM,
            action="create",
            subject_type="api_client",
            subject_id=client.pk,
            subject_label=client.name,
            details={"scope": scope, "agency": agency.code if agency else None},
        )
    return NewApiClient(client=client, token=token)


def rotate_api_client_token(*, client: ApiClient, by=None) -> str:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiClient.objects.filter(pk=client.pk).update(
        token_prefix=token[:10], token_hash=hash_token(token)
    )
    _log_client_change(client=client, by=by, change="token replaced")
    return token


def authenticate_api_token(token: str) -> ApiClient | None:
    """The active client that owns this bearer token, or None."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    client = (
        ApiClient.objects.select_related("agency")
        .filter(token_hash=hash_token(token), is_active=True)
        .first()
    )
    if client is None:
        return None
    now = timezone.now()
    if client.last_used_at is None or (now - client.last_used_at).total_seconds() > 60:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return client


# Home pages: what each role can do in Child First now (never what it will do later).


ROLE_HOME = {
    Role.FRONTLINE_OFFICER: {
        "heading": "Record a child coming to notice",
        "summary": "Record what happened to a child, answer the risk questions and see the "
        "Child First prompts before you finish.",
    },
    Role.DESK_RESEARCHER: {
        "heading": "Public Protection Referrals desk",
        "summary": "Work the queue of children coming to notice: confirm who the child is, read "
        "their history, grade the risk and decide who needs to know.",
    },
    Role.DESK_SUPERVISOR: {
        "heading": "Desk supervision",
        "summary": "Watch the queue and its clocks, approve high-risk and no further action "
        "decisions, and sample decisions for quality.",
    },
    Role.PARTNER: {
        "heading": "Referrals for your agency",
        "summary": "See the referrals the police have sent to your agency, acknowledge them and "
        "tell the police what you decided.",
    },
    Role.EXPLOITATION_OFFICER: {
        "heading": "Child exploitation",
        "summary": "Record a child coming to notice, and find the youth justice services and the "
        "National Referral Mechanism's competent authority you work with.",
    },
    Role.STRATEGY_LEAD: {
        "heading": "Children's Strategy",
        "summary": "Find the partner agencies and schools the force works with.",
    },
    Role.AUDITOR: {
        "heading": "Information management",
        "summary": "Child First logs every read of a child's record, every disclosure, change "
        "and merge, with who, when and why.",
    },
    Role.ADMINISTRATOR: {
        "heading": "Administration",
        "summary": "Manage users, roles, agencies, schools, sharing agreements and API clients.",
    },
}


def home_for(*, user) -> dict:
    content = ROLE_HOME[Role(user.role)]
    return {
        "role": Role(user.role),
        "role_label": Role(user.role).label,
        "heading": content["heading"],
        "summary": content["summary"],
        "agency": user.agency,
    }


def list_api_clients() -> list[ApiClient]:
    """Every API client, active or not, with its agency."""
    return list(ApiClient.objects.select_related("agency").order_by("name"))


def revoke_api_client(*, name: str, by=None) -> ApiClient:
    """Stop a client's token working. Revoking a client that is already revoked changes nothing."""
    client = ApiClient.objects.filter(name=(name or "").strip()).first()
    if client is None:
        raise AccountError(f"name: There is no API client called {name}")
    if client.is_active:
        ApiClient.objects.filter(pk=client.pk).update(is_active=False)
        client.is_active = False
        _log_client_change(client=client, by=by, change="revoked")
    return client


def _log_client_change(*, client, by, change: str):
    record_access(
        actor=by or SYSTEM,
        action="update",
        subject_type="api_client",
        subject_id=client.pk,
        subject_label=client.name,
        details={"change": change},
    )

"""Test data made through the real services, so it obeys the same rules as real data."""

import itertools

from django_otp.oath import TOTP

from childfirst.accounts import services as accounts
from childfirst.accounts.models import Role
from childfirst.directory.london import load_london_local_authorities
from childfirst.directory.models import Agency, AgencyKind, LocalAuthority

_counter = itertools.count(1)
PASSWORD = "correct horse battery staple"


def london_local_authority(gss_code="E09000012"):
    """The borough, reloading the London list if a test emptied the tables."""
    found = LocalAuthority.objects.filter(gss_code=gss_code).first()
    if found is None:
        load_london_local_authorities(LocalAuthority)
        found = LocalAuthority.objects.get(gss_code=gss_code)
    return found


def make_agency(
    *, kind=AgencyKind.CHILDRENS_SOCIAL_CARE, gss_code="E09000012", code=None, name=None
):
    number = next(_counter)
    local_authority = london_local_authority(gss_code)
    return Agency.objects.create(
        code=code or f"test-agency-{number}",
        name=name or f"{local_authority.name} test agency {number}",
        kind=kind,
        local_authority=local_authority,
    )


def make_user(*, role=Role.DESK_RESEARCHER, agency=None, email=None, with_totp=True, **fields):
    number = next(_counter)
    if role == Role.PARTNER and agency is None:
        agency = make_agency()
    user = accounts.create_user(
        email=email or f"user{number}@example.police.uk",
        full_name=fields.pop("full_name", f"Test User {number}"),
        role=role,
        password=PASSWORD,
        agency=agency,
        **fields,
    )
    if with_totp:
        device = accounts.start_totp_enrolment(user=user)
        device.confirmed = True
        device.save()
    return user


def current_code(user) -> str:
    """The code the user's authenticator app would show now."""
    device = accounts.confirmed_totp_device(user=user) or accounts.start_totp_enrolment(user=user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, user):
    """A fully signed-in session (password and second factor) without going through the pages."""
    device = accounts.confirmed_totp_device(user=user)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client

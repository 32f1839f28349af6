"""Look-ups over reference data: local authorities, postcodes, agencies, schools, sharing."""

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db.models import Q
from django.utils import timezone

from childfirst.directory.models import (
    Agency,
    AgencyKind,
    InformationCategory,
    LocalAuthority,
    Postcode,
    School,
    SchoolStatus,
    SharingAgreement,
)

POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


@lru_cache(maxsize=100_000)  # a file import asks for each address's postcode again and again
def normalise_postcode(value: str) -> str | None:
    """'e81dy' -> 'E8 1DY'; None if it is not the shape of a UK postcode."""
    match = POSTCODE_RE.match("".join((value or "").upper().split()))
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"


@dataclass(frozen=True)
class PlaceLookup:
    postcode: str
    local_authority: LocalAuthority | None
    ward_code: str | None
    ward_name: str | None


def lookup_postcode(value: str) -> PlaceLookup | None:
    postcode = normalise_postcode(value)
    if postcode is None:
        return None
    row = (
        Postcode.objects.select_related("local_authority", "ward").filter(postcode=postcode).first()
    )
    if row is None:
        return None
    return PlaceLookup(
        postcode=postcode,
        local_authority=row.local_authority,
        ward_code=row.ward.gss_code if row.ward else None,
        ward_name=row.ward.name if row.ward else None,
    )


def local_authorities() -> list[LocalAuthority]:
    return list(LocalAuthority.objects.all())


def local_authority_by_gss(gss_code: str) -> LocalAuthority | None:
    return LocalAuthority.objects.filter(gss_code=(gss_code or "").strip().upper()).first()


def agency_by_code(code: str) -> Agency | None:
    return Agency.objects.filter(code=(code or "").strip()).first()


def find_agencies(
    *, kind: str = "", local_authority: str = "", text: str = "", include_schools=False
):
    """Active agencies, filtered; schools are many, so they are searched separately."""
    agencies = Agency.objects.filter(is_active=True).select_related("local_authority")
    if not include_schools:
        agencies = agencies.exclude(kind=AgencyKind.SCHOOL)
    if kind in AgencyKind.values:
        agencies = agencies.filter(kind=kind)
    if local_authority:
        agencies = agencies.filter(local_authority__gss_code=local_authority)
    if text:
        agencies = agencies.filter(Q(name__icontains=text) | Q(code__icontains=text))
    return agencies.order_by("local_authority__name", "kind", "name")


def find_schools(*, text: str = "", local_authority: str = "", include_closed=False, limit=50):
    schools = School.objects.select_related("local_authority")
    if not include_closed:
        schools = schools.filter(
            status__in=[SchoolStatus.OPEN, SchoolStatus.OPEN_PROPOSED_TO_CLOSE]
        )
    if local_authority:
        schools = schools.filter(local_authority__gss_code=local_authority)
    text = (text or "").strip()
    if text.isdigit():
        schools = schools.filter(urn=int(text))
    elif text:
        postcode = normalise_postcode(text)
        schools = schools.filter(Q(name__icontains=text) | Q(postcode=postcode or text.upper()))
    return list(schools.order_by("name")[:limit])


def agency_with_details(*, code: str) -> Agency | None:
    return Agency.objects.select_related("local_authority").filter(code=code).first()


def school_by_urn(urn) -> School | None:
    try:
        urn = int(urn)
    except (TypeError, ValueError):
        return None
    return (
        School.objects.select_related("local_authority", "agency", "ward").filter(urn=urn).first()
    )


def agreements_in_force(*, agency_kind: str, on: date | None = None) -> list[SharingAgreement]:
    on = on or timezone.localdate()
    return list(
        SharingAgreement.objects.filter(agency_kind=agency_kind, starts_on__lte=on).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on)
        )
    )


def may_share(
    *, agency_kind: str, category: str, on: date | None = None
) -> SharingAgreement | None:
    """The agreement that lets this kind of agency receive this category, or None (deny)."""
    return agreement_covering(agency_kind=agency_kind, categories=[category], on=on)


def agreement_covering(
    *, agency_kind: str, categories, on: date | None = None
) -> SharingAgreement | None:
    """The agreement under which this kind of agency may receive all of these categories, in one
    query, or None (deny): the first in force that covers them all; failing that, when each is
    covered by one agreement or another, the one that covers the first category."""
    categories = [InformationCategory(category) for category in categories]
    agreements = agreements_in_force(agency_kind=agency_kind, on=on)
    for agreement in agreements:
        if set(categories) <= set(agreement.categories):
            return agreement
    first = [next((a for a in agreements if c in a.categories), None) for c in categories]
    return first[0] if first and all(first) else None


def known_postcodes(*, limit: int = 50_000) -> list[str]:
    """Postcodes the directory can place in a ward and borough (for the demo's addresses)."""
    return list(
        Postcode.objects.filter(local_authority__isnull=False)
        .order_by("postcode")
        .values_list("postcode", flat=True)[:limit]
    )


def open_school_urns() -> list[int]:
    return list(
        School.objects.filter(status__in=[SchoolStatus.OPEN, SchoolStatus.OPEN_PROPOSED_TO_CLOSE])
        .order_by("urn")
        .values_list("urn", flat=True)
    )

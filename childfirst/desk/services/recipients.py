"""Turning the screening's recommended agency kinds into actual agencies for one notice, and
checking each against the sharing agreements in force (directory.services.agreements_in_force)."""

from collections.abc import Iterable
from dataclasses import dataclass

from childfirst.directory.models import Agency, AgencyKind, InformationCategory, SharingAgreement
from childfirst.directory.services import agreement_covering

# A referral from the desk always shares who the child is and what happened.
SHARED_CATEGORIES = (InformationCategory.CHILD_IDENTITY, InformationCategory.INCIDENT_SUMMARY)


@dataclass(frozen=True)
class Recommended:
    kind: str
    agency: Agency | None  # None: no active agency of this kind for the child
    note: str = ""


def recommended_agencies(*, notice, kinds: list[str]) -> list[Recommended]:
    """One entry per recommended kind, in the screening's order:
    school -> the child's school's agency (or the borough's MASH for a child not in school);
    children's social care, youth justice, MARAC, health -> the incident borough's own;
    NRM -> the competent authority; police team -> the borough's child exploitation team."""
    authority_id = notice.incident.local_authority_id
    active = list(Agency.objects.filter(is_active=True).exclude(kind=AgencyKind.SCHOOL))
    school = notice.involvement.school if notice.involvement_id else None

    def local(kind):
        mine = [a for a in active if a.kind == kind and a.local_authority_id == authority_id]
        anywhere = [a for a in active if a.kind == kind and a.local_authority_id is None]
        return (mine or anywhere or [None])[0]

    found = []
    for kind in kinds:
        if kind == AgencyKind.SCHOOL:
            if school is not None and school.agency_id and school.agency.is_active:
                found.append(Recommended(kind, school.agency))
            else:
                mash = local(AgencyKind.CHILDRENS_SOCIAL_CARE)
                found.append(
                    Recommended(kind, mash, "The child's school is not known: tell the borough")
                )
        elif kind == AgencyKind.POLICE_TEAM:
            teams = [a for a in active if a.kind == kind and "exploitation" in a.name.lower()]
            borough = notice.incident.local_authority
            near = [a for a in teams if borough is not None and borough.name in a.name]
            found.append(Recommended(kind, (near or teams or [None])[0]))
        else:
            found.append(Recommended(kind, local(kind)))
    # The same agency twice (MASH for the school and for social care) is one recipient.
    seen, unique = set(), []
    for entry in found:
        key = entry.agency.pk if entry.agency else ("none", entry.kind)
        if key not in seen:
            seen.add(key)
            unique.append(entry)
    return unique


def agreements_for(*, agencies: Iterable[Agency], on=None) -> dict[int, SharingAgreement | None]:
    """Each agency's sharing agreement covering everything a referral shares, or None, by agency
    id: one query per kind of agency (directory.services.agreement_covering)."""
    agencies = list(agencies)
    by_kind = {
        kind: agreement_covering(agency_kind=kind, categories=SHARED_CATEGORIES, on=on)
        for kind in {agency.kind for agency in agencies}
    }
    return {agency.pk: by_kind[agency.kind] for agency in agencies}


def agencies_for_decision(*, notice) -> tuple[list[Agency], list[Agency]]:
    """What the researcher may choose from, in two lists: near (the child's school when known,
    the incident borough's agencies, those that serve all of London, like the NRM competent
    authority, and the police teams that name the borough) and other (every other agency, to
    open when needed). With the borough not known, every agency is near. Never a school other
    than the child's."""
    agencies = list(
        Agency.objects.filter(is_active=True)
        .exclude(kind=AgencyKind.SCHOOL)
        .select_related("local_authority")
        .order_by("local_authority__name", "kind", "name")
    )
    borough = notice.incident.local_authority
    if borough is None:
        near, other = agencies, []
    else:

        def is_near(agency):
            if agency.local_authority_id is not None:
                return agency.local_authority_id == borough.pk
            return agency.kind != AgencyKind.POLICE_TEAM or borough.name in agency.name

        near = sorted(
            (a for a in agencies if is_near(a)), key=lambda a: a.local_authority_id is None
        )
        other = [a for a in agencies if not is_near(a)]
    school = notice.involvement.school if notice.involvement_id else None
    if school is not None and school.agency_id and school.agency.is_active:
        near.insert(0, school.agency)
    return near, other


def agencies_by_id(ids) -> dict[int, Agency]:
    return Agency.objects.select_related("local_authority").in_bulk(list(ids))

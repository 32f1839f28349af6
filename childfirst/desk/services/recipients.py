"""Turning the screening's recommended agency kinds into actual agencies for one notice, and
checking each against a sharing agreement (directory.services.may_share)."""

from dataclasses import dataclass

from childfirst.directory.models import Agency, AgencyKind, InformationCategory
from childfirst.directory.services import may_share

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


def agreement_for(*, agency: Agency, on=None):
    """The sharing agreement that covers everything a referral shares with this agency, or
    None."""
    agreements = [may_share(agency_kind=agency.kind, category=c, on=on) for c in SHARED_CATEGORIES]
    return agreements[0] if all(agreements) else None


def agencies_for_decision(*, notice) -> list[Agency]:
    """What the researcher may choose from: the child's school (when known) and every active
    agency that is not a school."""
    agencies = list(
        Agency.objects.filter(is_active=True)
        .exclude(kind=AgencyKind.SCHOOL)
        .select_related("local_authority")
        .order_by("local_authority__name", "kind", "name")
    )
    school = notice.involvement.school if notice.involvement_id else None
    if school is not None and school.agency_id and school.agency.is_active:
        agencies.insert(0, school.agency)
    return agencies


def agencies_by_id(ids) -> dict[int, Agency]:
    return Agency.objects.select_related("local_authority").in_bulk(list(ids))

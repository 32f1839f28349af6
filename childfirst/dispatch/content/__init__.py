"""What each recipient of a referral gets (issue 5, item 1): compose(referral=, recipient=).

The agency's kind decides the shape; the sharing agreement's categories decide which sections
may go; and a hard rule keeps a school to the Operation Encompass notice, so a school never gets
an adult's criminal history, the child's police history or the risk answers, whatever an
agreement says. The result is a plain JSON-able dict: the snapshot a disclosure keeps and every
channel delivers.
"""

from childfirst.directory.models import AgencyKind
from childfirst.directory.models import InformationCategory as Cat
from childfirst.dispatch.content.facts import Facts, field, section
from childfirst.dispatch.content.rules import dispatch_rules
from childfirst.dispatch.models import ContentKind
from childfirst.incidents.models import Kind

SCHEMA_VERSION = 1
DOMESTIC_ABUSE = {Kind.DOMESTIC_ABUSE_INCIDENT, Kind.DOMESTIC_ABUSE_CRIME}
# Never for a school, whatever its agreement says (Operation Encompass shares the minimum).
NEVER_FOR_SCHOOLS = frozenset(
    {
        Cat.ADULT_CRIMINAL_HISTORY,
        Cat.POLICE_HISTORY,
        Cat.RISK_ASSESSMENT,
        Cat.HOUSEHOLD,
        Cat.EXPLOITATION,
        Cat.HEALTH,
    }
)
KIND_BY_AGENCY = {
    AgencyKind.CHILDRENS_SOCIAL_CARE: ContentKind.FULL_REFERRAL,
    AgencyKind.SCHOOL: ContentKind.ENCOMPASS_NOTICE,
    AgencyKind.MARAC: ContentKind.MARAC_REFERRAL,
    AgencyKind.NRM: ContentKind.NRM_REFERRAL,
    AgencyKind.YOUTH_JUSTICE: ContentKind.YOUTH_JUSTICE,
}
TITLES = {
    ContentKind.FULL_REFERRAL: "Referral about a child",
    ContentKind.ENCOMPASS_NOTICE: "Operation Encompass notice",
    ContentKind.MARAC_REFERRAL: "MARAC referral",
    ContentKind.NRM_REFERRAL: "National Referral Mechanism: child first responder referral",
    ContentKind.YOUTH_JUSTICE: "Information for a diversion decision",
    ContentKind.INFORMATION: "Information shared about a child",
}


def content_kind_for(*, agency_kind: str, incident_kind: str) -> str:
    if agency_kind == AgencyKind.SCHOOL and incident_kind not in DOMESTIC_ABUSE:
        return ContentKind.INFORMATION
    return KIND_BY_AGENCY.get(agency_kind, ContentKind.INFORMATION)


def compose(*, referral, recipient, facts: Facts | None = None) -> tuple[str, dict]:
    """(content_kind, content) for one recipient of a referral. Reads, writes nothing."""
    facts = facts or Facts(referral)
    agency = recipient.agency
    kind = content_kind_for(agency_kind=agency.kind, incident_kind=facts.incident.kind)
    sections = SHAPES[kind](facts) if agency.kind != AgencyKind.SCHOOL else _school(facts, kind)
    allowed = set(recipient.agreement.categories or [])
    if agency.kind == AgencyKind.SCHOOL:
        allowed -= NEVER_FOR_SCHOOLS
    kept = [s for s in sections if s["category"] in allowed and s["fields"]]
    guidance = dispatch_rules().guidance.get(kind, ())
    if guidance:
        kept.append(
            section(
                "guidance",
                "What you might do",
                None,
                [field(f"guidance_{n}", "", line) for n, line in enumerate(guidance, 1)],
            )
        )
    content = {
        "schema": f"childfirst.{kind}.v{SCHEMA_VERSION}",
        "title": TITLES[kind],
        "agency": {"code": agency.code, "name": agency.name, "kind": agency.kind},
        "police_reference": facts.incident.reference,
        "referral_id": referral.pk,
        "sharing_agreement": {
            "name": recipient.agreement.name,
            "reference": recipient.agreement.reference,
            "lawful_basis": recipient.agreement.lawful_basis,
        },
        "sections": [{k: v for k, v in s.items() if k != "category"} for s in kept],
    }
    return kind, content


def _full(facts: Facts) -> list[dict]:
    return [
        facts.child_section(),
        facts.referral_section(),
        facts.incident_section(),
        facts.child_part_section(),
        facts.voice_section(),
        facts.risk_section(),
        facts.household_section(),
        facts.adult_history_section(),
        facts.police_history_section(),
        facts.exploitation_section(),
    ]


def _school(facts: Facts, kind: str = "") -> list[dict]:
    """The Operation Encompass notice: name and date of birth, the police reference, when and
    where, whether the child was present and where, the child's voice, what happened in brief."""
    return [
        facts.child_section(with_address=False),
        facts.incident_section(with_narrative=False, brief=facts.referral.text),
        facts.child_part_section(),
        facts.voice_section(),
    ]


def _marac(facts: Facts) -> list[dict]:
    victim = facts.adult_victim()
    return [
        facts.adult_victim_section(victim),
        facts.referral_section(),
        facts.incident_section(),
        facts.risk_section(respondent=victim),
        facts.suspect_section(),
        facts.household_section(children_only=True, with_child=True),
        facts.adult_history_section(),
    ]


def _nrm(facts: Facts) -> list[dict]:
    consent = section(
        "consent",
        "Consent",
        Cat.CHILD_IDENTITY,
        [field("consent_needed", "Consent needed", False, "No: the referral is about a child")],
    )
    return [
        facts.child_section(),
        consent,
        facts.referral_section(),
        facts.exploitation_section(),
        facts.incident_section(),
        facts.child_part_section(),
        facts.voice_section(),
        facts.police_history_section(),
    ]


def _youth_justice(facts: Facts) -> list[dict]:
    return [
        facts.child_section(),
        facts.referral_section(),
        facts.incident_section(),
        facts.child_part_section(),
        facts.voice_section(),
        facts.police_history_section(),
        facts.risk_section(),
        facts.exploitation_section(),
    ]


def _information(facts: Facts) -> list[dict]:
    return [
        facts.child_section(),
        facts.referral_section(),
        facts.incident_section(),
        facts.child_part_section(),
    ]


SHAPES = {
    ContentKind.FULL_REFERRAL: _full,
    ContentKind.MARAC_REFERRAL: _marac,
    ContentKind.NRM_REFERRAL: _nrm,
    ContentKind.YOUTH_JUSTICE: _youth_justice,
    ContentKind.INFORMATION: _information,
    ContentKind.ENCOMPASS_NOTICE: _school,
}

__all__ = ["compose", "content_kind_for", "NEVER_FOR_SCHOOLS"]

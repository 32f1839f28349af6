"""Synthetic reference data for trying Child First: agencies, wards, postcodes, schools, sharing.

Everything here is made up. People's names come from Faker (en_GB) with a fixed seed; email
addresses are on example.org; telephone numbers are in Ofcom's drama range (020 7946 0000 to
020 7946 0999); ward codes and school URNs sit in ranges the ONS and the DfE do not use. Only
the London boroughs, their ONS codes, their outward postcodes and the Met's Basic Command Units
are real, so the demo looks like the place it pretends to be.

`create_demo_directory` is idempotent: a second run finds every row and creates nothing.
"""

import random
import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from faker import Faker

from childfirst.directory.london import load_london_local_authorities
from childfirst.directory.models import (
    Agency,
    AgencyKind,
    InformationCategory,
    LocalAuthority,
    Postcode,
    School,
    SchoolStatus,
    SharingAgreement,
    Ward,
)

DEMO_SEED = 2026
FIRST_DEMO_WARD = 900001  # ward codes E05900001 upward; real ones are far below
FIRST_DEMO_URN = 900001  # school URNs 900001 upward; real ones are far below
EMAIL_DOMAIN = "example.org"
# The Bill was introduced in December 2024 and, by the sources we found, became law on
# 29 April 2026 (2026 c. 21). Check against legislation.gov.uk before a real agreement cites it.
CWSA = "Children's Wellbeing and Schools Act 2026"


class DemoNotAllowed(RuntimeError):
    """Demo data was asked for where it must never exist (production)."""


# The 32 Metropolitan Police boroughs (not the City of London, E09000001, which has its own
# force): real outward postcodes, and made-up but London-like ward names.
BOROUGHS: dict[str, tuple[list[str], list[str]]] = {
    "E09000002": (
        ["IG11", "RM8", "RM9", "RM10"],
        ["Abbey Green", "Becontree Heath", "Castle Point", "Eastbrook Park", "Gascoigne Fields"],
    ),
    "E09000003": (
        ["N3", "N12", "NW4", "NW7", "EN5"],
        [
            "Burnt Oak Broadway",
            "Colindale Vale",
            "East Finchley Park",
            "Mill Hill Ridge",
            "Underhill Green",
            "West Hendon Reach",
        ],
    ),
    "E09000004": (
        ["DA5", "DA7", "DA15", "DA16", "DA18"],
        ["Belvedere Heath", "Crayford Marshes", "Falconwood Rise", "Sidcup Green", "Thamesmead"],
    ),
    "E09000005": (
        ["NW2", "NW10", "HA0", "HA9"],
        [
            "Harlesden Junction",
            "Kilburn Vale",
            "Stonebridge Park",
            "Wembley Hill",
            "Willesden Green East",
        ],
    ),
    "E09000006": (
        ["BR1", "BR2", "BR3", "BR5", "BR6"],
        [
            "Crystal Palace Park",
            "Hayes Common",
            "Mottingham Green",
            "Orpington Priory",
            "Penge Lane",
            "St Paul's Cray",
        ],
    ),
    "E09000007": (
        ["NW1", "NW3", "NW5", "WC1N"],
        [
            "Gospel Oak Fields",
            "Kentish Town Road",
            "Kilburn Priory",
            "Regent's Park",
            "Somers Town",
        ],
    ),
    "E09000008": (
        ["CR0", "CR2", "CR7", "SE25"],
        [
            "Broad Green North",
            "New Addington Heights",
            "Norbury Hill",
            "Selhurst Park",
            "South Norwood Lakes",
            "Thornton Heath Pond",
        ],
    ),
    "E09000009": (
        ["W5", "W7", "W13", "UB1", "UB5"],
        ["Acton Vale", "Hanwell Broadway", "Northolt Mandeville", "Southall Green", "West Ealing"],
    ),
    "E09000010": (
        ["EN1", "EN3", "N9", "N18"],
        ["Edmonton Green", "Enfield Lock", "Ponders End", "Turkey Street", "Upper Edmonton"],
    ),
    "E09000011": (
        ["SE7", "SE9", "SE10", "SE18", "SE28"],
        [
            "Abbey Wood Vale",
            "Charlton Village",
            "Eltham Common",
            "Greenwich Peninsula",
            "Woolwich Arsenal",
        ],
    ),
    "E09000012": (
        ["E5", "E8", "E9", "N16"],
        [
            "Clapton Park",
            "Dalston Junction",
            "Hackney Downs",
            "Hackney Wick Lock",
            "Homerton Grove",
            "Stoke Newington Common",
        ],
    ),
    "E09000013": (
        ["W6", "W12", "W14", "SW6"],
        ["Fulham Broadway", "Shepherd's Bush Common", "White City Green", "Wormholt Park"],
    ),
    "E09000014": (
        ["N8", "N15", "N17", "N22"],
        ["Bruce Grove", "Hornsey Vale", "Noel Park Green", "Northumberland Park", "Tottenham Hale"],
    ),
    "E09000015": (
        ["HA1", "HA2", "HA3", "HA7"],
        ["Harrow Weald Common", "Roxbourne Park", "Stanmore Hill", "Wealdstone Central"],
    ),
    "E09000016": (
        ["RM1", "RM3", "RM7", "RM12"],
        ["Gooshays Green", "Harold Hill East", "Hornchurch Village", "Rainham Marshes", "Romford"],
    ),
    "E09000017": (
        ["UB3", "UB4", "UB8", "UB10"],
        ["Hayes Town Green", "Uxbridge Moor", "West Drayton Lock", "Yeading Brook", "Yiewsley"],
    ),
    "E09000018": (
        ["TW3", "TW4", "TW7", "TW8", "W4"],
        [
            "Brentford Dock",
            "Chiswick Riverside",
            "Feltham Green",
            "Hounslow Heath Central",
            "Isleworth Riverside",
        ],
    ),
    "E09000019": (
        ["N1", "N5", "N7", "N19"],
        [
            "Archway Hill",
            "Barnsbury Square",
            "Caledonian Road",
            "Finsbury Park Gate",
            "Highbury Fields East",
            "Holloway Road",
        ],
    ),
    "E09000020": (
        ["W10", "W11", "SW3", "SW10"],
        ["Earl's Court Village", "Golborne Road", "Notting Dale Green", "World's End"],
    ),
    "E09000021": (
        ["KT1", "KT2", "KT3", "KT6"],
        ["Cambridge Road", "Kingston Riverside", "New Malden Green", "Tolworth Broadway"],
    ),
    "E09000022": (
        ["SE11", "SW2", "SW8", "SW9", "SW16"],
        [
            "Brixton Windrush",
            "Coldharbour Lane",
            "Kennington Park",
            "Stockwell Green",
            "Streatham Hill East",
            "Vauxhall Cross",
        ],
    ),
    "E09000023": (
        ["SE4", "SE6", "SE8", "SE13", "SE23"],
        [
            "Bellingham Green",
            "Catford Broadway",
            "Deptford Creek",
            "Evelyn Street",
            "Forest Hill Road",
            "Lewisham Central",
        ],
    ),
    "E09000024": (
        ["SW19", "CR4", "SM4"],
        ["Colliers Wood Vale", "Figge's Marsh", "Mitcham Common", "Morden Park", "Wimbledon"],
    ),
    "E09000025": (
        ["E6", "E7", "E13", "E15", "E16"],
        [
            "Beckton Lakes",
            "Canning Town North",
            "East Ham Central",
            "Forest Gate Green",
            "Plaistow Park",
            "Stratford Broadway",
        ],
    ),
    "E09000026": (
        ["IG1", "IG2", "IG3", "IG6"],
        ["Barkingside Green", "Clementswood Park", "Loxford Lane", "Newbury Park", "Seven Kings"],
    ),
    "E09000027": (
        ["TW1", "TW2", "TW9", "SW14"],
        ["Heathfield Common", "Mortlake Riverside", "Twickenham Green", "Whitton Road"],
    ),
    "E09000028": (
        ["SE1", "SE5", "SE15", "SE16"],
        [
            "Camberwell Green",
            "Faraday Park",
            "North Bermondsey",
            "Old Kent Road",
            "Peckham Rye Lane",
            "Rotherhithe Quay",
        ],
    ),
    "E09000029": (
        ["SM1", "SM3", "SM5", "SM6"],
        ["Carshalton Ponds", "Sutton Central", "The Wrythe", "Wallington Green", "Worcester Park"],
    ),
    "E09000030": (
        ["E1", "E2", "E3", "E14"],
        [
            "Bethnal Green Road",
            "Bow Common Lane",
            "Poplar Docks",
            "Shadwell Basin",
            "Spitalfields Market",
            "Whitechapel Road",
        ],
    ),
    "E09000031": (
        ["E4", "E10", "E11", "E17"],
        ["Cathall Road", "Chingford Mount", "Higham Hill", "Leyton Marsh", "Walthamstow Village"],
    ),
    "E09000032": (
        ["SW11", "SW15", "SW17", "SW18"],
        ["Battersea Park Road", "Roehampton Vale", "Tooting Broadway East", "Wandsworth Town"],
    ),
    "E09000033": (
        ["W2", "W9", "NW8", "SW1V", "W1U"],
        [
            "Church Street Market",
            "Harrow Road Bridge",
            "Pimlico South",
            "Queen's Park Estate",
            "Westbourne Green",
        ],
    ),
}

# The Met's 12 Basic Command Units and the boroughs each covers.
BASIC_COMMAND_UNITS: dict[str, list[str]] = {
    "Central East": ["E09000012", "E09000030"],
    "Central North": ["E09000007", "E09000019"],
    "Central South": ["E09000022", "E09000028"],
    "Central West": ["E09000013", "E09000020", "E09000033"],
    "East": ["E09000002", "E09000016", "E09000026"],
    "North": ["E09000010", "E09000014"],
    "North East": ["E09000025", "E09000031"],
    "North West": ["E09000003", "E09000005", "E09000015"],
    "South": ["E09000006", "E09000008", "E09000029"],
    "South East": ["E09000004", "E09000011", "E09000023"],
    "South West": ["E09000021", "E09000024", "E09000027", "E09000032"],
    "West": ["E09000009", "E09000017", "E09000018"],
}

C = InformationCategory
DEFAULT_AGREEMENTS_START = date(2024, 4, 1)
SHARED_BASIS = (
    "Children Act 2004 section 11 (the police duty to safeguard and promote the welfare of "
    "children); Data Protection Act 2018 section 35 (law enforcement processing) and Schedule 8 "
    "paragraph 4 (safeguarding of children and of individuals at risk)"
)

# One default agreement per kind of agency. A school never receives adults' criminal history.
DEFAULT_AGREEMENTS: dict[str, dict] = {
    AgencyKind.CHILDRENS_SOCIAL_CARE: {
        "name": "Police and children's social care (MASH) information sharing",
        "categories": list(C.values),
        "lawful_basis": (
            "Children Act 1989 section 17 (children in need) and section 47 (enquiries where a "
            f"child may be suffering significant harm); {SHARED_BASIS}"
        ),
    },
    AgencyKind.SCHOOL: {
        "name": "Operation Encompass notifications to schools",
        "categories": [
            C.CHILD_IDENTITY,
            C.INCIDENT_SUMMARY,
            C.CHILD_VOICE,
            C.SAFEGUARDING_ACTIONS,
        ],
        "lawful_basis": (
            "Domestic Abuse Act 2021 section 49A (Operation Encompass: notifying a child's school, "
            "inserted by the Victims and Prisoners Act 2024 section 20); "
            f"{CWSA} (information sharing to safeguard and promote the welfare of children); "
            f"{SHARED_BASIS}"
        ),
    },
    AgencyKind.HEALTH: {
        "name": "Police and health safeguarding teams information sharing",
        "categories": [
            C.CHILD_IDENTITY,
            C.INCIDENT_SUMMARY,
            C.CHILD_VOICE,
            C.RISK_ASSESSMENT,
            C.HOUSEHOLD,
            C.HEALTH,
            C.SAFEGUARDING_ACTIONS,
        ],
        "lawful_basis": (
            "Children Act 1989 section 47 (enquiries with the help of health bodies); "
            f"{SHARED_BASIS}"
        ),
    },
    AgencyKind.YOUTH_JUSTICE: {
        "name": "Police and youth justice service information sharing",
        "categories": [
            C.CHILD_IDENTITY,
            C.INCIDENT_SUMMARY,
            C.CHILD_VOICE,
            C.RISK_ASSESSMENT,
            C.POLICE_HISTORY,
            C.EXPLOITATION,
            C.SAFEGUARDING_ACTIONS,
        ],
        "lawful_basis": (
            "Crime and Disorder Act 1998 section 115 (disclosure to prevent crime) and "
            f"section 39 (youth offending teams); {SHARED_BASIS}"
        ),
    },
    AgencyKind.MARAC: {
        "name": "Referrals to the Multi-Agency Risk Assessment Conference (MARAC)",
        "categories": [
            C.CHILD_IDENTITY,
            C.INCIDENT_SUMMARY,
            C.CHILD_VOICE,
            C.RISK_ASSESSMENT,
            C.HOUSEHOLD,
            C.ADULT_CRIMINAL_HISTORY,
            C.POLICE_HISTORY,
            C.SAFEGUARDING_ACTIONS,
        ],
        "lawful_basis": (
            "Domestic Abuse Act 2021 (children as victims of domestic abuse in their own right); "
            f"Crime and Disorder Act 1998 section 115; {SHARED_BASIS}"
        ),
    },
    AgencyKind.NRM: {
        "name": "National Referral Mechanism referrals for children",
        "categories": [
            C.CHILD_IDENTITY,
            C.INCIDENT_SUMMARY,
            C.CHILD_VOICE,
            C.RISK_ASSESSMENT,
            C.HOUSEHOLD,
            C.EXPLOITATION,
            C.SAFEGUARDING_ACTIONS,
        ],
        "lawful_basis": (
            "Modern Slavery Act 2015 section 49 (identifying victims) and section 52 (duty to "
            f"notify); a child needs no consent to be referred; {SHARED_BASIS}"
        ),
    },
    AgencyKind.POLICE_TEAM: {
        "name": "Sharing within the force between police teams",
        "categories": list(C.values),
        "lawful_basis": (
            "Data Protection Act 2018 section 35 (law enforcement processing within the force) "
            "and Schedule 8 paragraph 4; Children Act 2004 section 11"
        ),
    },
}

PRIMARY_KINDS = ["Community school", "Academy converter", "Voluntary aided school"]
SECONDARY_KINDS = ["Academy converter", "Academy sponsor led", "Foundation school", "Free schools"]
SAINTS = ["Anne", "Mary", "John", "Luke", "Saviour", "Jude", "Matthew", "Paul", "Michael"]


@dataclass
class _Plan:
    wards: list[dict]
    postcodes: list[dict]
    agencies: list[dict]
    schools: list[dict]


def create_demo_directory(*, seed: int = DEMO_SEED) -> dict[str, int]:
    """Create the demo agencies, wards, postcodes, schools and sharing agreements once.

    Returns how many rows of each kind this run created (all zero on a second run).
    """
    if settings.PRODUCTION:
        raise DemoNotAllowed("Demo data cannot be made in production")
    authorities = _london_authorities()
    plan = _plan(seed=seed, authorities=authorities)
    with transaction.atomic():
        counts = {
            "wards": _create_wards(plan.wards, authorities),
            "postcodes": _create_postcodes(plan.postcodes, authorities),
            "agencies": _create_agencies(plan.agencies, authorities),
        }
        counts["schools"], school_agencies = _create_schools(plan.schools, authorities)
        counts["agencies"] += school_agencies
        counts["sharing_agreements"] = _create_agreements()
    return counts


def _london_authorities() -> dict[str, LocalAuthority]:
    found = {la.gss_code: la for la in LocalAuthority.objects.filter(gss_code__in=BOROUGHS)}
    if len(found) < len(BOROUGHS):
        load_london_local_authorities(LocalAuthority)
        found = {la.gss_code: la for la in LocalAuthority.objects.filter(gss_code__in=BOROUGHS)}
    return found


# The plan: every value decided from the seed alone, before the database is touched, so the
# same seed always gives the same data whatever is already stored.


def _plan(*, seed: int, authorities: dict[str, LocalAuthority]) -> _Plan:
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    plan = _Plan(wards=[], postcodes=[], agencies=[], schools=[])
    used_postcodes: set[str] = set()
    used_emails: set[str] = set()
    ward_number = FIRST_DEMO_WARD
    urn = FIRST_DEMO_URN

    for gss_code, (outward_codes, ward_names) in BOROUGHS.items():
        borough = authorities[gss_code].name
        slug = slugify(borough)
        borough_wards = []
        for index, ward_name in enumerate(ward_names):
            ward = {"gss_code": f"E05{ward_number:06d}", "name": ward_name, "la": gss_code}
            ward_number += 1
            ward["postcodes"] = []
            for _ in range(rng.randint(3, 5)):
                outward = outward_codes[(index + len(ward["postcodes"])) % len(outward_codes)]
                postcode = _new_postcode(rng, outward, used_postcodes)
                ward["postcodes"].append(postcode)
                plan.postcodes.append(
                    {"postcode": postcode, "ward": ward["gss_code"], "la": gss_code}
                )
            plan.wards.append(ward)
            borough_wards.append(ward)

        plan.agencies.extend(_borough_agencies(fake, rng, gss_code, borough, slug, borough_wards))

        names_used: set[str] = set()
        for number in range(rng.randint(6, 10)):
            plan.schools.append(
                _school(fake, rng, urn, gss_code, borough_wards, number, names_used, used_emails)
            )
            urn += 1

    plan.agencies.extend(_force_agencies(fake, rng, authorities))
    return plan


POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters the inward part of a postcode uses


def _new_postcode(rng: random.Random, outward: str, used: set[str]) -> str:
    while True:
        inward = f"{rng.randint(0, 9)}{rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}"
        postcode = f"{outward} {inward}"
        if postcode not in used:
            used.add(postcode)
            return postcode


def _phone(rng: random.Random) -> str:
    """A number in Ofcom's range for drama, which never reaches a real line."""
    return f"020 7946 0{rng.randint(0, 999):03d}"


def _email(local: str, used: set[str] | None = None) -> str:
    local = re.sub(r"[^a-z0-9.]+", "", local.lower())
    email, number = f"{local}@{EMAIL_DOMAIN}", 1
    while used is not None and email in used:
        number += 1
        email = f"{local}{number}@{EMAIL_DOMAIN}"
    if used is not None:
        used.add(email)
    return email


def _person(fake: Faker) -> tuple[str, str]:
    first, last = fake.first_name(), fake.last_name()
    return f"{first} {last}", f"{first}.{last}"


STREET_ENDINGS = ["Road", "Street", "Lane", "Avenue", "Grove", "Place", "Gardens", "Terrace"]


def _street(fake: Faker, rng: random.Random) -> str:
    return f"{rng.randint(1, 240)} {fake.last_name()} {rng.choice(STREET_ENDINGS)}"


def _address(fake: Faker, rng: random.Random, building: str, ward: dict) -> str:
    return f"{building}\n{_street(fake, rng)}\nLondon\n{rng.choice(ward['postcodes'])}"


def _borough_agencies(fake, rng, gss_code, borough, slug, wards) -> list[dict]:
    kinds = [
        (AgencyKind.CHILDRENS_SOCIAL_CARE, "mash", f"{borough} children's social care (MASH)"),
        (AgencyKind.YOUTH_JUSTICE, "yjs", f"{borough} youth justice service"),
        (AgencyKind.MARAC, "marac", f"{borough} MARAC"),
        (AgencyKind.HEALTH, "health", f"{borough} health safeguarding team"),
    ]
    agencies = []
    for kind, prefix, name in kinds:
        contact_name, _ = _person(fake)
        email = _email(f"{slug.replace('-', '.')}.{prefix}")
        agencies.append(
            {
                "code": f"{prefix}-{slug}",
                "name": name,
                "kind": kind,
                "la": gss_code,
                "contact_name": contact_name,
                "contact_email": email,
                "notify_email": email,
                "contact_phone": _phone(rng),
                "address": _address(fake, rng, f"{borough} Civic Centre", rng.choice(wards)),
            }
        )
    return agencies


def _force_agencies(fake, rng, authorities) -> list[dict]:
    agencies = [
        {
            "code": "nrm-single-competent-authority",
            "name": "Single Competent Authority (National Referral Mechanism)",
            "kind": AgencyKind.NRM,
            "email_local": "nrm.single.competent.authority",
        },
        {
            "code": "police-public-protection-referrals-desk",
            "name": "Public Protection Referrals desk",
            "kind": AgencyKind.POLICE_TEAM,
            "email_local": "public.protection.referrals.desk",
        },
    ]
    for bcu, gss_codes in BASIC_COMMAND_UNITS.items():
        boroughs = [authorities[code].name for code in gss_codes]
        covered = ", ".join(boroughs[:-1]) + f" and {boroughs[-1]}"
        agencies.append(
            {
                "code": f"police-child-exploitation-{slugify(bcu)}",
                "name": f"{bcu} ({covered}) child exploitation team",
                "kind": AgencyKind.POLICE_TEAM,
                "email_local": f"child.exploitation.{slugify(bcu).replace('-', '.')}",
            }
        )
    for agency in agencies:
        email = _email(agency.pop("email_local"))
        agency.update(
            la=None,
            contact_name=_person(fake)[0],
            contact_email=email,
            notify_email=email,
            contact_phone=_phone(rng),
            address="",
        )
    return agencies


def _school(fake, rng, urn, gss_code, wards, number, names_used, used_emails) -> dict:
    ward = rng.choice(wards)
    # The first two schools in each borough are one primary and one secondary; the rest mostly
    # primary, as in London.
    secondary = number == 1 or (number > 1 and rng.random() < 0.3)
    while True:
        place = ward["name"] if rng.random() < 0.6 else fake.last_name()
        if secondary:
            name = rng.choice(
                [f"{place} Academy", f"{place} High School", f"{place} School"]
                + [f"St {rng.choice(SAINTS)}'s Church of England Secondary School"]
            )
        else:
            name = rng.choice(
                [f"{place} Primary School", f"{place} Primary Academy"]
                + [f"St {rng.choice(SAINTS)}'s Church of England Primary School"]
            )
        if name not in names_used:
            names_used.add(name)
            break
        ward = rng.choice(wards)
    church = name.startswith("St ")
    kind = (
        "Voluntary aided school"
        if church
        else rng.choice(SECONDARY_KINDS if secondary else PRIMARY_KINDS)
    )
    closed = number > 1 and rng.random() < 0.1
    opened_year = rng.randint(1950, 2015)
    dsl_name, dsl_local = _person(fake)
    return {
        "urn": urn,
        "name": name,
        "la": gss_code,
        "ward": ward["gss_code"],
        "status": SchoolStatus.CLOSED if closed else SchoolStatus.OPEN,
        "kind": kind,
        "phase": "Secondary" if secondary else "Primary",
        "low_age": 11 if secondary else rng.choice([3, 4]),
        "high_age": rng.choice([16, 18]) if secondary else 11,
        "street": _street(fake, rng),
        "town": "London",
        "postcode": rng.choice(ward["postcodes"]),
        "telephone": _phone(rng),
        "website": f"https://school-{urn}.{EMAIL_DOMAIN}",
        "opened_on": date(opened_year, 9, 1),
        "closed_on": date(rng.randint(2018, 2025), 8, 31) if closed else None,
        "dsl_name": "" if closed else dsl_name,
        "dsl_email": "" if closed else _email(dsl_local, used_emails),
        "dsl_phone": "" if closed else _phone(rng),
    }


# Writing the plan: look up what exists, create only what is missing.


def _create_wards(wards: list[dict], authorities) -> int:
    existing = set(
        Ward.objects.filter(gss_code__in=[w["gss_code"] for w in wards]).values_list(
            "gss_code", flat=True
        )
    )
    new = [
        Ward(gss_code=w["gss_code"], name=w["name"], local_authority=authorities[w["la"]])
        for w in wards
        if w["gss_code"] not in existing
    ]
    Ward.objects.bulk_create(new)
    return len(new)


def _create_postcodes(postcodes: list[dict], authorities) -> int:
    wards = {
        w.gss_code: w for w in Ward.objects.filter(gss_code__in={p["ward"] for p in postcodes})
    }
    existing = set(
        Postcode.objects.filter(postcode__in=[p["postcode"] for p in postcodes]).values_list(
            "postcode", flat=True
        )
    )
    new = [
        Postcode(
            postcode=p["postcode"], local_authority=authorities[p["la"]], ward=wards[p["ward"]]
        )
        for p in postcodes
        if p["postcode"] not in existing
    ]
    Postcode.objects.bulk_create(new)
    return len(new)


def _create_agencies(agencies: list[dict], authorities) -> int:
    existing = set(
        Agency.objects.filter(code__in=[a["code"] for a in agencies]).values_list("code", flat=True)
    )
    new = []
    for agency in agencies:
        if agency["code"] in existing:
            continue
        fields = {k: v for k, v in agency.items() if k != "la"}
        new.append(Agency(local_authority=authorities.get(agency["la"]), **fields))
    Agency.objects.bulk_create(new)
    return len(new)


def _create_schools(schools: list[dict], authorities) -> tuple[int, int]:
    """Create missing schools, and a School agency for each open school that has none."""
    urns = [s["urn"] for s in schools]
    existing = set(School.objects.filter(urn__in=urns).values_list("urn", flat=True))
    wards = {w.gss_code: w for w in Ward.objects.filter(gss_code__in={s["ward"] for s in schools})}
    new = []
    for school in schools:
        if school["urn"] in existing:
            continue
        fields = {k: v for k, v in school.items() if k not in {"la", "ward"}}
        new.append(
            School(local_authority=authorities[school["la"]], ward=wards[school["ward"]], **fields)
        )
    School.objects.bulk_create(new)

    needing_agency = list(
        School.objects.filter(
            urn__in=urns,
            agency__isnull=True,
            status__in=[SchoolStatus.OPEN, SchoolStatus.OPEN_PROPOSED_TO_CLOSE],
        ).select_related("local_authority")
    )
    found = {
        a.code: a
        for a in Agency.objects.filter(code__in=[f"school-{s.urn}" for s in needing_agency])
    }
    created = 0
    for school in needing_agency:
        code = f"school-{school.urn}"
        agency = found.get(code)
        if agency is None:
            agency = Agency.objects.create(
                code=code,
                name=school.name,
                kind=AgencyKind.SCHOOL,
                local_authority=school.local_authority,
                contact_name=school.dsl_name,
                contact_email=school.dsl_email,
                notify_email=school.dsl_email,
                contact_phone=school.dsl_phone,
                address="\n".join(filter(None, [school.street, school.town, school.postcode])),
            )
            created += 1
        school.agency = agency
        school.save(update_fields=["agency", "updated_at"])
    return len(new), created


def _create_agreements() -> int:
    created = 0
    for kind, agreement in DEFAULT_AGREEMENTS.items():
        _, made = SharingAgreement.objects.get_or_create(
            agency_kind=kind,
            name=agreement["name"],
            defaults={
                "categories": [str(c) for c in agreement["categories"]],
                "lawful_basis": agreement["lawful_basis"],
                "reference": f"DEMO-{kind.upper().replace('_', '-')}",
                "starts_on": DEFAULT_AGREEMENTS_START,
            },
        )
        created += made
    return created

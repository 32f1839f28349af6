"""`childfirst demo`: synthetic agencies, schools and one demo user per role."""

import base64
import re
from datetime import UTC, datetime
from io import StringIO

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command

from childfirst.accounts.demo import (
    DEMO_PASSWORD,
    DemoRefused,
    create_demo_users,
    current_demo_code,
    demo_email,
    demo_totp_key_hex,
)
from childfirst.accounts.models import Role, User
from childfirst.accounts.services import confirmed_totp_device, verify_totp
from childfirst.directory.demo import DemoNotAllowed, create_demo_directory
from childfirst.directory.models import (
    Agency,
    AgencyKind,
    InformationCategory,
    Postcode,
    School,
    SharingAgreement,
    Ward,
)
from childfirst.directory.services import agency_by_code, may_share
from tests.builders import make_agency, make_user

pytestmark = pytest.mark.django_db

MET_BOROUGHS = {f"E090000{n:02d}" for n in range(2, 34)}
DRAMA_PHONE = re.compile(r"^020 7946 0\d{3}$")


DEMO_DAY = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def run_demo(*args):
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def table_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Agency, Ward, Postcode, School, SharingAgreement, User)
    }


def test_demo_makes_a_mash_for_each_of_the_32_met_boroughs_and_none_for_the_city_of_london():
    run_demo()

    mash = Agency.objects.filter(kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    assert mash.count() == 32
    assert set(mash.values_list("local_authority__gss_code", flat=True)) == MET_BOROUGHS
    hackney = agency_by_code("mash-hackney")
    assert hackney.name == "Hackney children's social care (MASH)"
    assert not Agency.objects.filter(local_authority__gss_code="E09000001").exists()


def test_every_met_borough_gets_youth_justice_marac_health_wards_and_schools():
    run_demo()

    for kind in (AgencyKind.YOUTH_JUSTICE, AgencyKind.MARAC, AgencyKind.HEALTH):
        boroughs = Agency.objects.filter(kind=kind).values_list(
            "local_authority__gss_code", flat=True
        )
        assert sorted(boroughs) == sorted(MET_BOROUGHS)
    for gss_code in MET_BOROUGHS:
        assert 4 <= Ward.objects.filter(local_authority__gss_code=gss_code).count() <= 6
        assert 6 <= School.objects.filter(local_authority__gss_code=gss_code).count() <= 10


def test_demo_makes_the_force_wide_teams_and_the_nrm_competent_authority():
    run_demo()

    assert Agency.objects.filter(kind=AgencyKind.NRM).count() == 1
    teams = list(Agency.objects.filter(kind=AgencyKind.POLICE_TEAM).values_list("name", flat=True))
    assert "Public Protection Referrals desk" in teams
    exploitation = [name for name in teams if name.endswith("child exploitation team")]
    assert len(exploitation) == 12
    assert "Central East (Hackney and Tower Hamlets) child exploitation team" in exploitation


def test_demo_makes_one_demo_user_for_each_role_with_the_partner_at_hackney_mash():
    run_demo()

    users = User.objects.filter(is_demo=True)
    assert sorted(users.values_list("role", flat=True)) == sorted(Role.values)
    partner = users.get(role=Role.PARTNER)
    assert partner.email == "partner@demo.childfirst.invalid"
    assert partner.agency.code == "mash-hackney"
    assert users.get(role=Role.DESK_RESEARCHER).email == "desk.researcher@demo.childfirst.invalid"
    for user in users:
        assert user.check_password(DEMO_PASSWORD)
        assert confirmed_totp_device(user=user) is not None


def test_running_demo_twice_creates_nothing_new():
    run_demo()
    first = table_counts()
    devices = {u.email: confirmed_totp_device(user=u).pk for u in User.objects.filter(is_demo=True)}

    output = run_demo()

    assert table_counts() == first
    assert "created 0 wards, 0 postcodes, 0 agencies, 0 schools, 0 sharing agreements" in output
    again = {u.email: confirmed_totp_device(user=u).pk for u in User.objects.filter(is_demo=True)}
    assert again == devices


def test_making_the_demo_directory_again_creates_nothing():
    first = create_demo_directory()
    assert create_demo_directory() == {key: 0 for key in first}


def test_if_empty_makes_the_demo_once_and_afterwards_only_prints_the_sign_in_details():
    first_output = run_demo("--if-empty")
    counts = table_counts()

    second_output = run_demo("--if-empty")

    assert "Directory: created" in first_output
    assert "Directory:" not in second_output
    assert "desk.researcher@demo.childfirst.invalid" in second_output
    assert table_counts() == counts


def test_sign_in_details_give_the_address_password_and_each_users_secret():
    run_demo()

    output = run_demo("--show-users")

    assert "http://127.0.0.1:8000" in output
    assert DEMO_PASSWORD in output
    assert "Or get the current code with: .venv/bin/childfirst demo --code EMAIL" in output
    for role in Role:
        email = demo_email(role)
        secret = base64.b32encode(bytes.fromhex(demo_totp_key_hex(email))).decode()
        assert role.label in output
        assert email in output
        assert secret.rstrip("=") in output
    assert "Directory:" not in output


def test_show_users_before_any_demo_says_how_to_make_one():
    output = run_demo("--show-users")

    assert "There are no demo users yet" in output
    assert not User.objects.exists()


def test_the_code_printed_by_demo_code_passes_the_users_authenticator_check():
    run_demo()
    email = "desk.researcher@demo.childfirst.invalid"

    code = run_demo("--code", email).strip()

    assert re.fullmatch(r"\d{6}", code)
    device = confirmed_totp_device(user=User.objects.get(email=email))
    assert verify_totp(device=device, code=code)


def test_demo_code_refuses_a_user_who_is_not_a_demo_user():
    user = make_user()

    with pytest.raises(CommandError, match="not a demo account"):
        run_demo("--code", user.email)
    with pytest.raises(DemoRefused):
        current_demo_code(user.email)


def test_demo_refuses_to_take_over_a_real_account_with_a_demo_address():
    agency = make_agency()
    make_user(email=demo_email(Role.AUDITOR), role=Role.AUDITOR)

    with pytest.raises(DemoRefused, match="not a demo account"):
        create_demo_users(partner_agency=agency)


@pytest.mark.parametrize("args", [(), ("--if-empty",), ("--show-users",), ("--code", "a@b.c")])
def test_demo_refuses_in_production(settings, args):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        run_demo(*args)

    assert not User.objects.filter(is_demo=True).exists()
    assert not Ward.objects.exists()


def test_demo_services_refuse_in_production_when_called_directly(settings):
    agency = make_agency()
    settings.PRODUCTION = True

    with pytest.raises(DemoNotAllowed):
        create_demo_directory()
    with pytest.raises(DemoRefused):
        create_demo_users(partner_agency=agency)


def test_schools_may_never_receive_adults_criminal_history():
    run_demo()

    assert (
        may_share(
            agency_kind=AgencyKind.SCHOOL, category=InformationCategory.ADULT_CRIMINAL_HISTORY
        )
        is None
    )
    assert may_share(agency_kind=AgencyKind.SCHOOL, category=InformationCategory.CHILD_IDENTITY)
    assert may_share(
        agency_kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
        category=InformationCategory.ADULT_CRIMINAL_HISTORY,
    )


def test_every_kind_of_agency_has_a_sharing_agreement_citing_its_law():
    run_demo()

    agreements = {a.agency_kind: a for a in SharingAgreement.objects.all()}
    assert set(agreements) == set(AgencyKind.values)
    assert "Modern Slavery Act 2015" in agreements[AgencyKind.NRM].lawful_basis
    assert "Crime and Disorder Act 1998 section 115" in (
        agreements[AgencyKind.YOUTH_JUSTICE].lawful_basis
    )
    assert "Domestic Abuse Act 2021" in agreements[AgencyKind.SCHOOL].lawful_basis
    assert "Children Act 2004 section 11" in agreements[AgencyKind.HEALTH].lawful_basis


def test_open_schools_have_their_own_school_agency_and_closed_schools_none():
    run_demo()

    schools = School.objects.select_related("agency")
    assert schools.filter(status="closed").exists()
    for school in schools:
        if school.is_open:
            assert school.agency.code == f"school-{school.urn}"
            assert school.agency.kind == AgencyKind.SCHOOL
            assert school.dsl_email.endswith("@example.org")
        else:
            assert school.agency is None


def test_demo_contact_details_and_codes_are_synthetic():
    run_demo()

    for agency in Agency.objects.all():
        assert agency.contact_email.endswith("@example.org"), agency.code
        assert DRAMA_PHONE.match(agency.contact_phone), agency.code
    for school in School.objects.all():
        assert school.urn >= 900001
        assert DRAMA_PHONE.match(school.telephone)
    assert all(code.startswith("E059") for code in Ward.objects.values_list("gss_code", flat=True))
    for postcode in Postcode.objects.select_related("ward"):
        assert postcode.ward.local_authority_id == postcode.local_authority_id
    for user in User.objects.filter(is_demo=True):
        assert user.email.endswith("@demo.childfirst.invalid")


def test_the_demo_password_passes_the_password_rules():
    run_demo()

    for user in User.objects.filter(is_demo=True):
        validate_password(DEMO_PASSWORD, user=user)


def test_a_demo_user_can_sign_in_through_the_pages_with_the_printed_details(client):
    run_demo()
    email = "desk.researcher@demo.childfirst.invalid"

    response = client.post("/sign-in", {"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    code = run_demo("--code", email).strip()
    response = client.post(response["Location"], {"code": code})

    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_demo_incidents_go_through_intake_once_and_keep_the_truth_aside(settings, tmp_path):
    import csv

    from childfirst.incidents.models import Incident, Notice

    settings.VAR_DIR = tmp_path
    # The demo's incidents fall in the year before today, so what the generator makes (and which
    # of its impossible records come among the first 40) depends on the date: a fixed one.
    with time_machine.travel(DEMO_DAY, tick=False):
        out = run_demo("--incidents", "40")
    stored = Incident.objects.count()
    assert f"Incidents: {stored:,} new synthetic incidents stored" in out
    assert stored >= 35
    # The generator makes a few impossible records that intake refuses, and says they were meant.
    assert re.search(
        r"Incidents: [\d,]+ new synthetic incidents stored, [1-9][\d,]* refused by intake's "
        r"checks \(the generator makes a few impossible records on purpose",
        out,
    )
    assert Notice.objects.exists()
    with (tmp_path / "demo-truth.csv").open(encoding="utf-8") as handle:
        truth = list(csv.DictReader(handle))
    assert {row["source_reference"] for row in truth} >= set(
        Incident.objects.values_list("source_reference", flat=True)
    )
    assert all(row["entity_id"] for row in truth)
    # Some in the demo partner's borough, referred and sent to its MASH for the portal.
    hackney = Incident.objects.filter(local_authority__gss_code="E09000012").count()
    assert hackney >= 10
    from childfirst.dispatch.models import Disclosure

    sent = Disclosure.objects.filter(agency__code="mash-hackney")
    assert 1 <= sent.count() <= 12
    assert f"Referrals: {sent.count()} sent to Hackney" in out
    assert all(d.delivered_at is not None for d in sent)
    # Each reads like a researcher's referral about that child, not a placeholder.
    for disclosure in sent.select_related("referral__notice__person", "referral__screening"):
        referral = disclosure.referral
        assert referral.text.startswith(referral.notice.person.given_name)
        assert referral.notice.incident.get_kind_display().lower() in referral.text
        assert disclosure.reason.startswith(f"{referral.screening.get_grade_display()} screening")
    with time_machine.travel(DEMO_DAY, tick=False):
        again = run_demo("--incidents", "40")
    assert "Incidents: 0 new synthetic incidents stored" in again
    assert Incident.objects.count() == stored

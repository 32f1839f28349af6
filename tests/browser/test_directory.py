from playwright.sync_api import expect

from childfirst.accounts.models import Role
from childfirst.directory.models import AgencyKind, School
from tests.browser.pages import sign_in
from tests.builders import london_local_authority, make_agency, make_user

HACKNEY = "E09000012"
CAMDEN = "E09000007"


def test_a_desk_researcher_finds_an_agency_and_a_school_in_the_directory(tab):
    youth_justice = make_agency(
        kind=AgencyKind.YOUTH_JUSTICE, gss_code=HACKNEY, name="Hackney Youth Justice Service"
    )
    make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, gss_code=HACKNEY, name="Hackney MASH")
    make_agency(kind=AgencyKind.YOUTH_JUSTICE, gss_code=CAMDEN, name="Camden Youth Offending")
    youth_justice.contact_phone = "020 8356 0000"
    youth_justice.save()
    school = School.objects.create(
        urn=100234,
        name="Mossbourne Riverside Academy",
        local_authority=london_local_authority(HACKNEY),
        phase="Primary",
        street="1 Alden Mews",
        town="London",
        postcode="E5 8TZ",
        dsl_name="Ada Lovelace",
        dsl_email="dsl@mossbourne.example.org",
    )
    School.objects.create(
        urn=100999, name="Camden Primary", local_authority=london_local_authority(CAMDEN)
    )
    user = make_user(role=Role.DESK_RESEARCHER)

    agencies = sign_in(tab, user).go_to_agencies_and_schools()
    expect(agencies.results()).to_have_accessible_name("3 agencies")

    agencies = agencies.filter(kind="Youth justice service", local_authority="Hackney")
    expect(agencies.results()).to_have_accessible_name("1 agency")
    expect(agencies.results().get_by_role("link")).to_have_text([youth_justice.name])

    agency = agencies.open_agency(youth_justice.name)
    expect(agency.summary("Local authority")).to_have_text("Hackney")
    expect(agency.summary("Phone")).to_have_text("020 8356 0000")

    schools = agency.back_to_agencies().go_to_schools()
    expect(schools.results()).to_have_count(0)
    schools = schools.search("mossbourne")
    expect(schools.results()).to_have_accessible_name("1 school found")
    schools = schools.search("", local_authority="Camden")
    expect(schools.results().get_by_role("link")).to_have_text(["Camden Primary"])
    schools = schools.search(str(school.urn))

    found = schools.open_school(school.name)
    expect(found.summary("Designated safeguarding lead")).to_have_text("Ada Lovelace")
    expect(found.summary("DSL email")).to_have_text("dsl@mossbourne.example.org")


def test_on_a_phone_a_wide_table_scrolls_in_its_own_box_not_the_page(tab):
    for number in range(3):
        make_agency(
            kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
            gss_code=HACKNEY,
            name=f"Hackney children's social care multi-agency safeguarding hub {number}",
        )
    agencies = sign_in(tab, make_user(role=Role.DESK_RESEARCHER)).go_to_agencies_and_schools()
    expect(agencies.results()).to_have_accessible_name("3 agencies")
    tab.page.set_viewport_size({"width": 375, "height": 800})  # a phone
    tab.scan(after_change=True)
    page_width = tab.page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 375, f"the page scrolls sideways: {page_width}px wide"
    region = tab.page.get_by_role("region", name="3 agencies")
    expect(region).to_be_visible()
    region.focus()  # a keyboard user can reach it to scroll it
    expect(region).to_be_focused()

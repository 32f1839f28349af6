import pytest
from playwright.sync_api import expect

from childfirst.accounts.models import Role
from tests.browser.pages import sign_in
from tests.builders import make_user

DIRECTORY = "Agencies and schools"
ADMINISTRATION = "Administration"

# What each role finds in the service navigation, besides "Your account" and "Sign out".
RECORD = "Record a child"
IDENTITY = "Identity review"
DESK = "Referrals desk"
SECTIONS = {
    Role.FRONTLINE_OFFICER: ["Home", RECORD, DIRECTORY],
    Role.DESK_RESEARCHER: ["Home", RECORD, DESK, IDENTITY, DIRECTORY],
    Role.DESK_SUPERVISOR: ["Home", RECORD, DESK, IDENTITY, DIRECTORY],
    Role.PARTNER: ["Home", "Referrals received"],
    Role.EXPLOITATION_OFFICER: ["Home", RECORD, DIRECTORY],
    Role.STRATEGY_LEAD: ["Home", DIRECTORY],
    Role.AUDITOR: ["Home"],
    Role.ADMINISTRATOR: ["Home", DIRECTORY, ADMINISTRATION],
}


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_each_role_signs_in_to_their_own_home_page_and_sees_only_the_sections_they_may_use(
    tab, role
):
    user = make_user(role=role)

    home = sign_in(tab, user)

    expect(home.page.get_by_role("main")).to_contain_text(role.label)
    links = home.navigation().get_by_role("link")
    expect(links).to_have_text([*SECTIONS[role], "Your account"])
    sign_out = home.navigation().get_by_role("button", name="Sign out")
    expect(sign_out).to_be_visible()
    # Sign out is a button but looks like the links beside it.
    link_colour = (
        home.navigation()
        .get_by_role("link", name="Your account")
        .evaluate("element => getComputedStyle(element).color")
    )
    expect(sign_out).to_have_css("color", link_colour)
    expect(home.navigation().get_by_role("link", name="Home")).to_have_attribute(
        "aria-current", "page"
    )

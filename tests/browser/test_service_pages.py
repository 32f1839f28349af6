import re

from playwright.sync_api import expect

from childfirst.accounts.models import Role
from tests.browser.pages import (
    AccessibilityStatementPage,
    AgenciesPage,
    ForbiddenPage,
    NotFoundPage,
    PrivacyNoticePage,
    sign_in,
)
from tests.builders import make_user


def test_the_accessibility_statement_is_open_to_everyone_and_accessible(tab):
    statement = AccessibilityStatementPage.open(tab)
    expect(statement.page.get_by_role("heading", name="Compliance status")).to_be_visible()


def test_the_privacy_notice_is_open_to_everyone_and_accessible(tab):
    notice = PrivacyNoticePage.open(tab)
    expect(notice.page.get_by_role("heading", name="Your rights")).to_be_visible()


def test_an_address_that_does_not_exist_shows_an_accessible_page_not_found(tab):
    tab.open("/no-such-page", status=404)
    not_found = NotFoundPage(tab)
    home_link = not_found.page.get_by_role("link", name="Go to the Child First home page")
    expect(home_link).to_be_visible()


def test_a_partner_user_opening_the_agencies_list_gets_an_accessible_refusal(tab):
    sign_in(tab, make_user(role=Role.PARTNER))

    tab.open(AgenciesPage.path, status=403)

    refused = ForbiddenPage(tab)
    expect(refused.page.get_by_role("heading", name="Agencies and schools")).to_have_count(0)


def test_the_design_system_scripts_run_under_the_content_security_policy(tab):
    statement = AccessibilityStatementPage.open(tab)

    body = statement.page.locator("body")
    expect(body).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    skip_link = statement.page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_have_attribute("data-govuk-skip-link-init", "")

"""Page objects: what a user sees and does on each page, found by role and label as they would.

Making a page object checks that the browser shows that page (its title and main heading) and
runs axe over it, so every page a test reaches is checked for accessibility.
"""

from playwright.sync_api import Locator, expect

from childfirst.accounts.models import Role
from childfirst.accounts.services import ROLE_HOME
from tests import builders
from tests.browser.tab import Tab

SERVICE = "Child First"
QR_CODE_NAME = "QR code to scan with your authenticator app"


class PageObject:
    title: str
    heading: str

    def __init__(self, tab: Tab, *, error: bool = False):
        self.tab = tab
        self.page = tab.page
        prefix = "Error: " if error else ""
        expect(self.page).to_have_title(f"{prefix}{self.title} – {SERVICE}")
        expect(self.page.get_by_role("heading", level=1)).to_have_text(self.heading)
        tab.scan()

    @classmethod
    def open(cls, tab: Tab, *args, **kwargs):
        tab.open(cls.path)
        return cls(tab, *args, **kwargs)

    def error_summary(self) -> Locator:
        return self.page.get_by_role("alert").filter(
            has=self.page.get_by_role("heading", name="There is a problem")
        )

    def navigation(self) -> Locator:
        """The service navigation: the sections this user may use."""
        return self.page.get_by_role("navigation", name="Menu")

    def summary(self, key: str) -> Locator:
        """The value beside `key` in the page's summary list."""
        row = self.page.locator(".govuk-summary-list__row").filter(
            has=self.page.get_by_role("term").filter(has_text=key)
        )
        return row.get_by_role("definition")

    def sign_out(self) -> "SignedOutPage":
        self.tab.follow(self.navigation().get_by_role("button", name="Sign out"))
        return SignedOutPage(self.tab)


class SignInPage(PageObject):
    path = "/sign-in"
    title = "Sign in"
    heading = "Sign in to Child First"

    def submit(self, email: str, password: str) -> None:
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.tab.follow(self.page.get_by_role("button", name="Continue"))

    def sign_in(self, email: str, password: str) -> "CodePage":
        self.submit(email, password)
        return CodePage(self.tab)

    def sign_in_for_the_first_time(self, email: str, password: str) -> "AuthenticatorSetUpPage":
        self.submit(email, password)
        return AuthenticatorSetUpPage(self.tab)

    def sign_in_with_wrong_details(self, email: str, password: str) -> "SignInPage":
        self.submit(email, password)
        return SignInPage(self.tab, error=True)


class CodeEntry(PageObject):
    button: str

    def submit_code(self, code: str) -> None:
        self.page.get_by_label("Code from your authenticator app").fill(code)
        self.tab.follow(self.page.get_by_role("button", name=self.button))

    def sign_in(self, code: str, *, role: Role) -> "HomePage":
        self.submit_code(code)
        return HomePage(self.tab, role=role)

    def enter_wrong_code(self, code: str):
        self.submit_code(code)
        return type(self)(self.tab, error=True)


class AuthenticatorSetUpPage(CodeEntry):
    path = "/sign-in/set-up-authenticator"
    title = "Set up your authenticator app"
    heading = "Set up your authenticator app"
    button = "Continue"

    def qr_code(self) -> Locator:
        return self.page.get_by_role("img", name=QR_CODE_NAME)

    def secret_key(self) -> str:
        """The key shown to a user who cannot scan the QR code, as they would read it."""
        self.page.get_by_text("I cannot scan the QR code").click()
        key = self.page.locator("#secret-key")
        expect(key).to_be_visible()
        self.tab.scan(after_change=True)
        return key.inner_text()


class CodePage(CodeEntry):
    path = "/sign-in/code"
    title = "Enter the code from your authenticator app"
    heading = "Enter the code from your authenticator app"
    button = "Sign in"


class SignedOutPage(PageObject):
    path = "/signed-out"
    title = "You have signed out"
    heading = "You have signed out"

    def sign_in_again(self) -> SignInPage:
        self.tab.follow(self.page.get_by_role("link", name="Sign in again"))
        return SignInPage(self.tab)


class HomePage(PageObject):
    path = "/"
    title = "Home"

    def __init__(self, tab: Tab, *, role: Role):
        self.heading = ROLE_HOME[Role(role)]["heading"]
        super().__init__(tab)

    def go_to_agencies_and_schools(self) -> "AgenciesPage":
        self.tab.follow(self.navigation().get_by_role("link", name="Agencies and schools"))
        return AgenciesPage(self.tab)


class DirectoryPage(PageObject):
    def subnavigation(self) -> Locator:
        return self.page.get_by_role("navigation", name="Agencies and schools")

    def results(self) -> Locator:
        return self.page.get_by_role("table")


class AgenciesPage(DirectoryPage):
    path = "/directory/agencies"
    title = "Agencies"
    heading = "Agencies and schools"

    def filter(self, *, name: str = "", kind: str = "All", local_authority: str = "All"):
        self.page.get_by_label("Name").fill(name)
        self.page.get_by_label("Type").select_option(label=kind)
        self.page.get_by_label("Local authority").select_option(label=local_authority)
        self.tab.follow(self.page.get_by_role("button", name="Apply filters"))
        return AgenciesPage(self.tab)

    def open_agency(self, name: str) -> "AgencyPage":
        self.tab.follow(self.results().get_by_role("link", name=name))
        return AgencyPage(self.tab, name=name)

    def go_to_schools(self) -> "SchoolsPage":
        self.tab.follow(self.subnavigation().get_by_role("link", name="Schools"))
        return SchoolsPage(self.tab)


class AgencyPage(PageObject):
    def __init__(self, tab: Tab, *, name: str):
        self.title = self.heading = name
        super().__init__(tab)

    def back_to_agencies(self) -> AgenciesPage:
        self.tab.follow(self.page.get_by_role("link", name="Back to agencies"))
        return AgenciesPage(self.tab)


class SchoolsPage(DirectoryPage):
    path = "/directory/schools"
    title = "Schools"
    heading = "Agencies and schools"

    def search(self, text: str, *, local_authority: str = "All") -> "SchoolsPage":
        self.page.get_by_label("School name, URN or postcode").fill(text)
        self.page.get_by_label("Local authority").select_option(label=local_authority)
        self.tab.follow(self.page.get_by_role("button", name="Search"))
        return SchoolsPage(self.tab)

    def open_school(self, name: str) -> "SchoolPage":
        self.tab.follow(self.results().get_by_role("link", name=name))
        return SchoolPage(self.tab, name=name)


class SchoolPage(PageObject):
    def __init__(self, tab: Tab, *, name: str):
        self.title = self.heading = name
        super().__init__(tab)


class AccessibilityStatementPage(PageObject):
    path = "/accessibility"
    title = "Accessibility statement"
    heading = "Accessibility statement for Child First"


class PrivacyNoticePage(PageObject):
    path = "/privacy"
    title = "Privacy notice"
    heading = "Privacy notice"


class NotFoundPage(PageObject):
    title = "Page not found"
    heading = "Page not found"


class ForbiddenPage(PageObject):
    title = "You do not have permission to see this page"
    heading = "You do not have permission to see this page"


def sign_in(tab: Tab, user) -> HomePage:
    """Sign in through the pages, with the code the user's authenticator app shows now."""
    code_page = SignInPage.open(tab).sign_in(user.email, builders.PASSWORD)
    return code_page.sign_in(builders.current_code(user), role=user.role)

"""Page objects for the partner portal, found by role and label as a partner user would.

A referral's pages are titled with its number: the test says which referral it expects, so a
page about another fails.
"""

from playwright.sync_api import Locator

from tests.browser.pages import HomePage, PageObject


def go_to_referrals_received(home: HomePage) -> "ReceivedPage":
    home.tab.follow(home.navigation().get_by_role("link", name="Referrals received"))
    return ReceivedPage(home.tab, state="Awaiting decision")


class ReceivedPage(PageObject):
    heading = "Referrals received"

    def __init__(self, tab, *, state: str):
        self.title = f"Referrals received: {state.lower()}"
        super().__init__(tab)

    def tabs(self) -> Locator:
        return self.page.get_by_role("navigation", name="Referrals received by state")

    def show(self, state: str) -> "ReceivedPage":
        self.tab.follow(self.tabs().get_by_role("link", name=state))
        return ReceivedPage(self.tab, state=state.split(" (")[0])

    def rows(self) -> Locator:
        return self.page.get_by_role("table").locator("tbody tr")

    def open(self, about: str, *, referral: int) -> "DisclosurePage":
        self.tab.follow(self.page.get_by_role("table").get_by_role("link", name=about))
        return DisclosurePage(self.tab, referral=referral, about=about)


class DisclosurePage(PageObject):
    """Referral `referral` (the disclosure's number) about `about` ("Amara Example")."""

    def __init__(self, tab, *, referral: int, about: str):
        self.referral, self.about = referral, about
        self.title = f"Referral D{referral}: {about}"
        self.heading = about
        super().__init__(tab)

    def summary_value(self, key: str) -> Locator:
        """The value beside exactly `key` ("Decision", not "Decision due")."""
        row = self.page.locator(".govuk-summary-list__row").filter(
            has=self.page.get_by_role("term").get_by_text(key, exact=True)
        )
        return row.get_by_role("definition").first

    def card(self, title: str) -> Locator:
        return self.page.locator(".govuk-summary-card").filter(
            has=self.page.get_by_role("heading", name=title)
        )

    def history(self) -> Locator:
        return self.page.locator(".moj-timeline__title")

    def again(self) -> "DisclosurePage":
        return DisclosurePage(self.tab, referral=self.referral, about=self.about)

    def acknowledge(self) -> "DisclosurePage":
        self.tab.follow(self.page.get_by_role("button", name="Acknowledge"))
        return self.again()

    def record_decision(self) -> "DecisionPage":
        self.tab.follow(self.page.get_by_role("link", name="Record your decision"))
        return DecisionPage(self.tab, referral=self)


class DecisionPage(PageObject):
    heading = "Record your decision"

    def __init__(self, tab, *, referral: DisclosurePage, error: bool = False):
        self.referral = referral
        self.title = f"Record your decision: referral D{referral.referral}"
        super().__init__(tab, error=error)

    def choose(self, decision: str) -> "DecisionPage":
        self.page.get_by_role("radio", name=decision, exact=True).check()
        self.tab.scan(after_change=True)
        return self

    def date(self, legend: str, day: int, month: int, year: int) -> "DecisionPage":
        group = self.page.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(str(day))
        group.get_by_label("Month").fill(str(month))
        group.get_by_label("Year").fill(str(year))
        return self

    def fill(self, label: str, text: str) -> "DecisionPage":
        self.page.get_by_label(label, exact=True).fill(text)
        return self

    def send(self) -> DisclosurePage:
        self.tab.follow(self.page.get_by_role("button", name="Send decision"))
        return self.referral.again()

    def send_with_errors(self) -> "DecisionPage":
        self.tab.follow(self.page.get_by_role("button", name="Send decision"))
        return DecisionPage(self.tab, referral=self.referral, error=True)

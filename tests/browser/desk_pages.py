"""Page objects for the referrals desk, found by role and label as a researcher would."""

import re

from playwright.sync_api import Locator

from tests.browser.pages import HomePage, PageObject


def go_to_desk(home: HomePage) -> "QueuePage":
    home.tab.follow(home.navigation().get_by_role("link", name="Referrals desk"))
    return QueuePage(home.tab)


class QueuePage(PageObject):
    path = "/desk/"
    title = "Referrals desk queue"
    heading = "Referrals desk queue"

    def table(self) -> Locator:
        return self.page.get_by_role("table")

    def children(self) -> Locator:
        return self.table().locator("tbody tr td:first-child a")

    def filter(self, **labels: str) -> "QueuePage":
        for label, option in labels.items():
            self.page.get_by_label(label).select_option(label=option)
        self.tab.follow(self.page.get_by_role("button", name="Apply filters"))
        return QueuePage(self.tab)

    def open_notice(self, child: str, *, heading: str) -> "NoticePage":
        self.tab.follow(self.table().get_by_role("link", name=child))
        return NoticePage(self.tab, heading=heading)

    def go_to_approvals(self) -> "ApprovalsPage":
        nav = self.page.get_by_role("navigation", name="Referrals desk")
        self.tab.follow(nav.get_by_role("link", name="Waiting for approval"))
        return ApprovalsPage(self.tab)


class NoticePage(PageObject):
    def __init__(self, tab, *, heading: str):
        self.heading = heading
        self.title = tab.page.title().split(" – ")[0]
        super().__init__(tab)

    def identity_bar(self) -> Locator:
        return self.page.locator(".moj-identity-bar")

    def reasons(self) -> Locator:
        heading = self.page.get_by_role("heading", name="Why this grade")
        return heading.locator("xpath=following-sibling::ul[1]/li")

    def timeline_titles(self) -> Locator:
        return self.page.locator(".moj-timeline__title")

    def take(self) -> "NoticePage":
        self.tab.follow(self.page.get_by_role("button", name="Take this notice"))
        return NoticePage(self.tab, heading=self.heading)

    def decide(self) -> "DecidePage":
        self.tab.follow(self.page.get_by_role("link", name="Decide", exact=True))
        return DecidePage(self.tab)

    def pause_clock(self) -> "PauseClockPage":
        self.tab.follow(self.page.get_by_role("link", name="Pause the desk review clock"))
        return PauseClockPage(self.tab)

    def restart_clock(self) -> "NoticePage":
        self.tab.follow(self.page.get_by_role("button", name="Restart the clock"))
        return NoticePage(self.tab, heading=self.heading)


class PauseClockPage(PageObject):
    # The question is the page's heading, with the notice and child as its caption.
    heading = re.compile(r"^Notice \d+: .+ Why are you pausing the clock\?$")

    def __init__(self, tab, *, error: bool = False):
        self.title = tab.page.title().split(" – ")[0].removeprefix("Error: ")
        super().__init__(tab, error=error)

    def pause(self, reason: str, *, heading: str) -> NoticePage:
        self.page.get_by_label("Why are you pausing the clock?").fill(reason)
        self.tab.follow(self.page.get_by_role("button", name="Pause the clock"))
        return NoticePage(self.tab, heading=heading)

    def pause_without_a_reason(self) -> "PauseClockPage":
        self.tab.follow(self.page.get_by_role("button", name="Pause the clock"))
        return PauseClockPage(self.tab, error=True)


class DecidePage(PageObject):
    heading = "Decide what happens next"

    def __init__(self, tab, *, error: bool = False):
        self.title = tab.page.title().split(" – ")[0].removeprefix("Error: ")
        super().__init__(tab, error=error)

    def agency(self, name: str) -> Locator:
        return self.page.get_by_role("checkbox", name=name)

    def write(self, text: str) -> "DecidePage":
        self.page.get_by_label("Referral text").fill(text)
        return self

    def check_wording(self) -> "DecidePage":
        self.tab.follow(self.page.get_by_role("button", name="Check the wording"))
        return DecidePage(self.tab)

    def findings(self) -> Locator:
        heading = self.page.get_by_role("heading", name="Language check")
        return heading.locator("xpath=following-sibling::div[contains(@class, 'govuk-inset-text')]")

    def choose(self, decision: str) -> "DecidePage":
        self.page.get_by_role("radio", name=decision, exact=True).check()
        return self

    def save(self) -> QueuePage:
        self.tab.follow(self.page.get_by_role("button", name="Save decision"))
        return QueuePage(self.tab)


class ApprovalsPage(PageObject):
    path = "/desk/approvals"
    title = "Decisions waiting for approval"
    heading = "Decisions waiting for approval"

    def waiting(self) -> Locator:
        return self.page.get_by_role("table").locator("tbody tr")

    def open(self, child: str) -> "ApprovePage":
        self.tab.follow(self.page.get_by_role("link", name=child))
        return ApprovePage(self.tab)


class ApprovePage(PageObject):
    heading = "Approve the decision"

    def __init__(self, tab, *, error: bool = False):
        self.title = tab.page.title().split(" – ")[0].removeprefix("Error: ")
        super().__init__(tab, error=error)

    def approve(self) -> ApprovalsPage:
        self.page.get_by_role("radio", name="Yes, approve it").check()
        self.tab.follow(self.page.get_by_role("button", name="Save"))
        return ApprovalsPage(self.tab)

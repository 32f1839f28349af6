"""Page objects for the referrals desk, found by role and label as a researcher would.

A notice's pages are titled with its number (and the notice page with the child's name too):
the test says which notice and child it expects, so a page about the wrong one fails.
"""

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

    def open_notice(self, child: str, *, notice: int, role: str) -> "NoticePage":
        self.tab.follow(self.table().get_by_role("link", name=child))
        return NoticePage(self.tab, notice=notice, child=child, role=role)

    def go_to_approvals(self) -> "ApprovalsPage":
        nav = self.page.get_by_role("navigation", name="Referrals desk")
        self.tab.follow(nav.get_by_role("link", name="Waiting for approval"))
        return ApprovalsPage(self.tab)


class NoticePage(PageObject):
    """Notice `notice` about `child` ("Tobi Example"), whose part in the incident is `role`."""

    def __init__(self, tab, *, notice: int, child: str, role: str):
        self.notice, self.child, self.role = notice, child, role
        self.title = f"Notice {notice}: {child}"
        self.heading = f"{child}: {role}"
        super().__init__(tab)

    def again(self) -> "NoticePage":
        return NoticePage(self.tab, notice=self.notice, child=self.child, role=self.role)

    def identity_bar(self) -> Locator:
        return self.page.locator(".moj-identity-bar")

    def reasons(self) -> Locator:
        heading = self.page.get_by_role("heading", name="Why this grade")
        return heading.locator("xpath=following-sibling::ul[1]/li")

    def timeline_titles(self) -> Locator:
        return self.page.locator(".moj-timeline__title")

    def take(self) -> "NoticePage":
        self.tab.follow(self.page.get_by_role("button", name="Take this notice"))
        return self.again()

    def decide(self) -> "DecidePage":
        self.tab.follow(self.page.get_by_role("link", name="Decide", exact=True))
        return DecidePage(self.tab, notice=self)

    def pause_clock(self) -> "PauseClockPage":
        self.tab.follow(self.page.get_by_role("link", name="Pause the desk review clock"))
        return PauseClockPage(self.tab, notice=self)

    def restart_clock(self) -> "NoticePage":
        self.tab.follow(self.page.get_by_role("button", name="Restart the clock"))
        return self.again()


class PauseClockPage(PageObject):
    def __init__(self, tab, *, notice: NoticePage, error: bool = False):
        self.notice = notice
        self.title = f"Pause the desk review clock: notice {notice.notice}"
        # The question is the page's heading, with the notice and child as its caption.
        self.heading = f"Notice {notice.notice}: {notice.child} Why are you pausing the clock?"
        super().__init__(tab, error=error)

    def pause(self, reason: str) -> NoticePage:
        self.page.get_by_label("Why are you pausing the clock?").fill(reason)
        self.tab.follow(self.page.get_by_role("button", name="Pause the clock"))
        return self.notice.again()

    def pause_without_a_reason(self) -> "PauseClockPage":
        self.tab.follow(self.page.get_by_role("button", name="Pause the clock"))
        return PauseClockPage(self.tab, notice=self.notice, error=True)


class DecidePage(PageObject):
    heading = "Decide what happens next"

    def __init__(self, tab, *, notice: NoticePage, error: bool = False):
        self.notice = notice
        self.title = f"Decide: notice {notice.notice}"
        super().__init__(tab, error=error)

    def agency(self, name: str) -> Locator:
        return self.page.get_by_role("checkbox", name=name)

    def write(self, text: str) -> "DecidePage":
        self.page.get_by_label("Referral text").fill(text)
        return self

    def check_wording(self) -> "DecidePage":
        self.tab.follow(self.page.get_by_role("button", name="Check the wording"))
        return DecidePage(self.tab, notice=self.notice)

    def findings(self) -> Locator:
        """Each finding of the language check, beside the referral text (the shared
        web/language_findings.html list)."""
        heading = self.page.get_by_role("heading", name="Language check")
        return heading.locator(
            "xpath=following-sibling::div[contains(@class, 'app-language-findings')][1]//li"
        )

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

    def open(self, child: str, *, notice: int) -> "ApprovePage":
        self.tab.follow(self.page.get_by_role("link", name=child))
        return ApprovePage(self.tab, notice=notice)


class ApprovePage(PageObject):
    heading = "Approve the decision"

    def __init__(self, tab, *, notice: int, error: bool = False):
        self.title = f"Approve the decision on notice {notice}"
        super().__init__(tab, error=error)

    def approve(self) -> ApprovalsPage:
        self.page.get_by_role("radio", name="Yes, approve it").check()
        self.tab.follow(self.page.get_by_role("button", name="Save"))
        return ApprovalsPage(self.tab)

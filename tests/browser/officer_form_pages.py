"""Page objects for the officer's form (childfirst/incidents/views.py). Each checks its title
and main heading and is scanned by axe when made (see pages.PageObject)."""

from datetime import date

from playwright.sync_api import Locator

from tests.browser.pages import HomePage, PageObject


class JourneyPage(PageObject):
    """A page of the journey, found by its title (and heading, when that differs)."""

    def __init__(self, tab, *, title: str | None = None, heading: str | None = None, error=False):
        if title is not None:
            self.title = title
        if heading is not None or title is not None:
            self.heading = heading or title
        super().__init__(tab, error=error)

    def press(self, name: str) -> None:
        self.tab.follow(self.page.get_by_role("button", name=name, exact=True))

    def choose(self, option: str, *, within: str | None = None) -> None:
        scope = self.page if within is None else self.page.get_by_role("group", name=within)
        scope.get_by_role("radio", name=option, exact=True).check()

    def fill_date(self, legend: str, day: date | None) -> None:
        group = self.page.get_by_role("group", name=legend)
        values = ("", "", "") if day is None else (str(day.day), str(day.month), str(day.year))
        for label, value in zip(("Day", "Month", "Year"), values, strict=True):
            group.get_by_label(label, exact=True).fill(value)

    def back(self) -> None:
        self.tab.follow(self.page.get_by_role("link", name="Back", exact=True))

    def error_messages(self) -> Locator:
        return self.error_summary().get_by_role("listitem")


def start_from_navigation(home: HomePage) -> "StartPage":
    home.tab.follow(home.navigation().get_by_role("link", name="Record a child"))
    return StartPage(home.tab)


class StartPage(JourneyPage):
    path = "/incidents/record/start"
    title = heading = "Record a child coming to notice"

    def start(self) -> "KindPage":
        self.press("Start now")
        return KindPage(self.tab)


class KindPage(JourneyPage):
    title = heading = "What kind of incident was it?"

    def answer(self, kind: str) -> "WhenPage":
        self.choose(kind)
        self.press("Continue")
        return WhenPage(self.tab)


class WhenPage(JourneyPage):
    title = heading = "When did it happen?"

    def answer(self, on: date, at: str) -> "WherePage":
        self.fill_date("Date", on)
        self.page.get_by_label("Time", exact=True).fill(at)
        self.press("Continue")
        return WherePage(self.tab)


class WherePage(JourneyPage):
    title = heading = "Where did it happen?"

    def answer(self, address: str, postcode: str) -> "ChildPage":
        self.page.get_by_label("Address or place").fill(address)
        self.page.get_by_label("Postcode (optional)").fill(postcode)
        self.press("Continue")
        return ChildPage(self.tab)


class ChildPage(JourneyPage):
    title = heading = "About the child"

    def fill(self, *, given_name, family_name, born: date | None, sex: str, age: str = ""):
        self.page.get_by_label("Given name").fill(given_name)
        self.page.get_by_label("Family name").fill(family_name)
        self.fill_date("Date of birth", born)
        self.page.get_by_label("Approximate age (optional)").fill(age)
        self.choose(sex, within="Sex")

    def answer(self, **details) -> "ChildPartPage":
        self.fill(**details)
        self.press("Continue")
        return ChildPartPage(self.tab)

    def answer_wrongly(self, **details) -> "ChildPage":
        self.fill(**details)
        self.press("Continue")
        return ChildPage(self.tab, error=True)


class ChildPartPage(JourneyPage):
    title = heading = "The child's part in the incident"

    def answer(
        self, *, role: str, present: str, school_urn: str = "",
        lives: str = "At the address where it happened",
    ) -> "PeoplePage":  # fmt: skip
        self.choose(role, within="What was the child's part in the incident?")
        self.choose(present, within="Was the child there when it happened?")
        self.page.get_by_label("School URN (optional)").fill(school_urn)
        self.choose(lives, within="Where do they live?")
        self.press("Continue")
        return PeoplePage(self.tab, title="You have added 1 child")


class PeoplePage(JourneyPage):
    """The children or adults added so far, and 'add another?'."""

    def add_another(self, answer: str) -> None:
        self.choose(answer)
        self.press("Continue")

    def listed(self) -> Locator:
        return self.page.locator(".govuk-summary-list__key")


class AdultPage(JourneyPage):
    title = heading = "About the adult"

    def answer(
        self, *, given_name, family_name, born: date | None, role: str,
        lives: str = "At the address where it happened",
    ) -> PeoplePage:  # fmt: skip
        self.page.get_by_label("Given name").fill(given_name)
        self.page.get_by_label("Family name").fill(family_name)
        self.fill_date("Date of birth (optional)", born)
        self.choose(role, within="What was their part in the incident?")
        self.choose(lives, within="Where do they live?")
        self.press("Continue")
        return PeoplePage(self.tab, title="You have added 1 adult")


class VoicePage(JourneyPage):
    title = heading = "What did the child say or show?"

    def answer(self, text: str) -> None:
        self.page.get_by_role("textbox", name=self.heading).fill(text)
        self.press("Continue")


class DashRespondentPage(JourneyPage):
    title = heading = "Who answered the DASH questions?"

    def answer(self, name: str) -> None:
        self.choose(name)
        self.press("Continue")


class DashQuestionsPage(JourneyPage):
    def answer_all(self, answer: str, **overrides: str) -> None:
        """Answer every question on the page; overrides by question number ("q1")."""
        for question in self.page.locator("fieldset").all():
            number = question.locator("legend").inner_text().split(".", 1)[0].strip()
            choice = overrides.get(f"q{number}", answer)
            question.get_by_role("radio", name=choice, exact=True).check()
        self.press("Continue")


class DashGradePage(JourneyPage):
    title = heading = "What is your risk grade?"

    def answer(self, grade: str) -> None:
        self.choose(grade)
        self.press("Continue")


class NarrativePage(JourneyPage):
    title = heading = "What happened?"

    def answer(self, text: str) -> "CheckPage":
        self.page.get_by_role("textbox", name="What happened?").fill(text)
        self.press("Continue")
        return CheckPage(self.tab)


class CheckPage(JourneyPage):
    title = heading = "Check your answers before recording"

    def change(self, what: str) -> None:
        """Follow the Change link for a row (by its hidden text, as a screen reader reads it)."""
        self.tab.follow(self.page.get_by_role("link", name=f"Change {what}", exact=True))

    def findings_beside_child(self, name: str) -> Locator:
        """The language check's warning in the child's card, beside what they said."""
        card = self.page.locator(".govuk-summary-card").filter(
            has=self.page.get_by_role("heading", name=name, exact=True)
        )
        return card.locator(".app-language-findings")

    def findings_beside_account(self) -> Locator:
        """The language check's warning straight after the officer's account."""
        heading = self.page.get_by_role("heading", name="Your account", exact=True)
        return heading.locator(
            "xpath=following-sibling::dl[1]/following-sibling::*[1]"
            "[contains(@class, 'app-language-findings')]"
        )

    def record(self, button: str = "Record the child") -> "DonePage":
        self.press(button)
        return DonePage(self.tab)


class DonePage(JourneyPage):
    title = heading = "Child recorded"

    def reference(self) -> str:
        return self.page.locator(".govuk-panel__body strong").inner_text()

"""A frontline officer records a child coming to notice through the officer's form, in
Chromium, with and without JavaScript. Every page is scanned by axe (WCAG 2.2 AA)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from childfirst.accounts.models import Role
from childfirst.directory.models import School
from childfirst.incidents.journey import dash_pages
from childfirst.incidents.models import Incident, Questionnaire
from tests.browser.officer_form_pages import (
    AdultPage,
    CheckPage,
    DashGradePage,
    DashQuestionsPage,
    DashRespondentPage,
    NarrativePage,
    PeoplePage,
    VoicePage,
    WhenPage,
    start_from_navigation,
)
from tests.browser.pages import sign_in
from tests.builders import make_user

UNDER_18 = "The child must be under 18 on the day of the incident: record adults in the adults step"

try:
    from childfirst.people.index import reset_index
except ImportError:  # an identity service that keeps nothing in memory

    def reset_index():
        pass


@pytest.fixture(autouse=True)
def fresh_identity_index():
    """The tables are emptied between browser tests; the resolver's in-memory index must be
    too."""
    reset_index()
    yield
    reset_index()


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def test_a_frontline_officer_records_a_child_at_a_domestic_abuse_incident(tab):
    School.objects.create(urn=900123, name="Example Primary School")
    user = make_user(role=Role.FRONTLINE_OFFICER, full_name="PC Sam Officer")
    yesterday = timezone.localdate() - timedelta(days=1)

    start = start_from_navigation(sign_in(tab, user))
    where = start.start().answer("Domestic abuse incident").answer(yesterday, "9:40pm")
    child = where.answer("Flat 2, 14 Example Road, London", "e8 1dy")

    child = child.answer_wrongly(
        given_name="Tobi", family_name="Example", born=years_before(yesterday, 18), sex="Male"
    )
    expect(child.error_messages()).to_have_text([UNDER_18])
    expect(child.page.get_by_label("Given name")).to_have_value("Tobi")

    part = child.answer(
        given_name="Tobi", family_name="Example", born=years_before(yesterday, 10), sex="Male"
    )
    children = part.answer(role="Present", present="Yes", school_urn="900123")
    expect(children.listed()).to_have_text(["Tobi Example"])
    children.add_another("No")

    adults = PeoplePage(tab, title="Were any adults involved?")
    adults.add_another("Yes")
    adults = AdultPage(tab).answer(
        given_name="Amara", family_name="Example", born=date(1990, 4, 12), role="Victim"
    )
    adults.add_another("No")

    VoicePage(tab).answer("Said he hid under the bed when the shouting started")
    DashRespondentPage(tab).answer("Amara Example")
    for page in dash_pages():
        DashQuestionsPage(tab, title=page.title).answer_all("No", q1="Yes", q2="Not known")
    DashGradePage(tab).answer("High")
    check = NarrativePage(tab).answer("Police called by a neighbour who heard shouting.")

    expect(check.page.get_by_text("Example Primary School (URN 900123)")).to_be_visible()
    check.change("when")
    when = WhenPage(tab)
    expect(when.page.get_by_role("link", name="Back")).to_have_attribute(
        "href", "/incidents/record/check"
    )
    when.page.get_by_label("Time", exact=True).fill("10:15pm")
    when.press("Continue")
    check = CheckPage(tab)
    expect(check.page.get_by_text("at 10:15pm")).to_be_visible()

    done = check.record()
    incident = Incident.objects.get()
    assert done.reference() == incident.source_reference
    assert incident.received_from_user == user
    tobi = incident.involvements.get(role="present")
    assert tobi.voice == "Said he hid under the bed when the shouting started"
    assert tobi.is_child
    dash = Questionnaire.objects.get(incident=incident)
    assert (dash.score, dash.officer_grade, len(dash.answers)) == (1, "high", 27)


def test_the_form_works_without_javascript(tab_without_javascript):
    tab = tab_without_javascript
    user = make_user(role=Role.DESK_RESEARCHER)
    yesterday = timezone.localdate() - timedelta(days=1)

    start = start_from_navigation(sign_in(tab, user))
    where = start.start().answer("Missing person").answer(yesterday, "07:30")
    child = where.answer("Hackney Downs, by the tennis courts", "")
    child = child.answer_wrongly(given_name="", family_name="Example", born=None, sex="Female")
    expect(child.error_messages()).to_have_text(
        [
            "Enter the child's given name, or select 'Their name is not known'",
            "Enter the child's date of birth, or their approximate age if you do not know it",
        ]
    )
    part = child.answer(given_name="Maya", family_name="Example", born=None, sex="Female", age="15")
    children = part.answer(role="Missing person", present="Not known")
    children.add_another("No")
    PeoplePage(tab, title="Were any adults involved?").add_another("No")
    VoicePage(tab).answer("Said she stayed with her boyfriend aged 19")
    check = NarrativePage(tab).answer(
        "Reported missing by her mother, who says she keeps putting herself at risk."
    )
    # The language check warns beside the child's words (read as words about a child) and
    # beside the officer's account, and does not stop the officer recording the child.
    expect(check.findings_beside_child("Maya Example")).to_contain_text("“boyfriend aged 19”")
    expect(check.findings_beside_child("Maya Example")).not_to_contain_text("at risk")
    expect(check.findings_beside_account()).to_contain_text("“putting herself at risk”")
    done = check.record()
    incident = Incident.objects.get()
    assert done.reference() == incident.source_reference
    assert incident.questionnaires.count() == 0
    maya = incident.involvements.get()
    assert (maya.role, maya.is_child, maya.age_at_incident) == ("missing_person", True, 15)

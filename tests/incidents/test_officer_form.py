"""The officer's form: a GOV.UK journey that records a child coming to notice through
services.record_incident. The clock is fixed at 09:00 on 24 November 2026 (conftest.py); the
incidents here happened the evening before."""

import re

import html5lib
import pytest

from childfirst.accounts.models import Role
from childfirst.directory.models import School
from childfirst.incidents.journey import NO_VICTIM, SESSION_KEY, dash_pages
from childfirst.incidents.models import Channel, Incident, Questionnaire

START = "/incidents/record/start"
CHECK = "/incidents/record/check"
DONE = "/incidents/record/done"


def step(name):
    return f"/incidents/record/{name}"


def child(number, page="details"):
    return f"/incidents/record/child/{number}/{page}"


def adult(number):
    return f"/incidents/record/adult/{number}"


WHEN = {
    "occurred_day": "23",
    "occurred_month": "11",
    "occurred_year": "2026",
    "occurred_time": "9:40pm",
}
WHERE = {"address": "Flat 2, 14 Example Road, London", "postcode": "e81dy"}
TOBI = {
    "given_name": "Tobi",
    "family_name": "Example",
    "dob_day": "3",
    "dob_month": "9",
    "dob_year": "2016",
    "sex": "male",
}
TOBI_AT_16 = {**TOBI, "dob_year": "2010"}  # 16 on 23 November 2026
TOBI_PART = {"role": "present", "present": "yes", "school_urn": "900123", "lives": "incident"}
ADE = {"given_name": "Ade", "family_name": "Example", "age": "2", "sex": "male"}
ADE_PART = {"role": "child_in_household", "present": "no", "lives": "incident"}
AMARA = {
    "given_name": "Amara",
    "family_name": "Example",
    "dob_day": "12",
    "dob_month": "4",
    "dob_year": "1990",
    "role": "victim",
    "lives": "incident",
}
SAM = {"given_name": "Sam", "family_name": "Example", "role": "suspect", "lives": "not_known"}
TOBI_SAID = "Said he hid under the bed when the shouting started"
NARRATIVE = "Police called by a neighbour who heard shouting."


@pytest.fixture
def officer(signed_in):
    School.objects.create(urn=900123, name="Example Primary School")
    return signed_in(Role.FRONTLINE_OFFICER, full_name="PC Sam Officer", collar_number="1234CE")


def post(client, url, data, *, to=None):
    """Answer a page well: it saves and moves on (to `to`, when given)."""
    response = client.post(url, data)
    assert response.status_code == 302, _errors(response)
    if to is not None:
        assert response["Location"] == to
    return response["Location"]


def _errors(response):
    return re.findall(r'govuk-error-summary__list">(.*?)</ul>', response.content.decode(), re.S)


def refused(client, url, data):
    """Answer a page badly: the page comes back with its errors, and nothing is saved."""
    before = client.session.get(SESSION_KEY)
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "There is a problem" in page
    assert client.session.get(SESSION_KEY) == before
    return page


def dash_answers(answer="no", **overrides):
    return {q.id: overrides.get(q.id, answer) for page in dash_pages() for _, q in page.questions}


def answer_what_happened(client, kind):
    client.post(START)
    post(client, step("kind"), {"kind": kind}, to=step("when"))
    post(client, step("when"), WHEN, to=step("where"))
    post(client, step("where"), WHERE, to=child(1))


def answer_one_child(client, details=TOBI, part=TOBI_PART):
    post(client, child(1), details, to=child(1, "part"))
    post(client, child(1, "part"), part, to=step("children"))
    post(client, step("children"), {"another": "no"}, to=step("adults"))


def answer_to_check(client, kind="violence", details=TOBI, part=TOBI_PART):
    """A whole journey with one child and no adults, ending at check answers."""
    answer_what_happened(client, kind)
    answer_one_child(client, details, part)
    post(client, step("adults"), {"another": "no"}, to=step("voice"))
    after_voice = step("dash") if kind.startswith("domestic_abuse") else step("narrative")
    post(client, step("voice"), {"voice_P1": TOBI_SAID}, to=after_voice)
    if kind.startswith("domestic_abuse"):
        post(client, step("dash"), {"respondent": "nobody"}, to=step("dash-grade"))
        post(client, step("dash-grade"), {"grade": "standard"}, to=step("narrative"))
    post(client, step("narrative"), {"narrative": NARRATIVE}, to=CHECK)


# The whole journey --------------------------------------------------------------------------


def test_a_frontline_officer_records_a_domestic_abuse_incident_with_two_children(officer):
    client, user = officer
    assert client.get(START).status_code == 200
    answer_what_happened(client, "domestic_abuse_incident")

    post(client, child(1), TOBI, to=child(1, "part"))
    post(client, child(1, "part"), TOBI_PART, to=step("children"))
    page = client.get(step("children")).content.decode()
    assert "You have added 1 child" in page
    post(client, step("children"), {"another": "yes"}, to=child(2))
    post(client, child(2), ADE, to=child(2, "part"))
    post(client, child(2, "part"), ADE_PART, to=step("children"))
    post(client, step("children"), {"another": "no"}, to=step("adults"))

    assert "Were any adults involved?" in client.get(step("adults")).content.decode()
    post(client, step("adults"), {"another": "yes"}, to=adult(1))
    post(client, adult(1), AMARA, to=step("adults"))
    post(client, step("adults"), {"another": "yes"}, to=adult(2))
    post(client, adult(2), SAM, to=step("adults"))
    post(client, step("adults"), {"another": "no"}, to=step("voice"))

    page = client.get(step("voice")).content.decode()
    assert "What did Tobi Example say or show?" in page
    assert "What did Ade Example say or show? (optional)" in page
    post(client, step("voice"), {"voice_P1": TOBI_SAID, "voice_P2": ""}, to=step("dash"))

    page = client.get(step("dash")).content.decode()
    assert "Amara Example" in page  # the victim
    assert "Sam Example" not in page  # the suspect
    assert "Tobi Example" not in page and "Ade Example" not in page  # 10 and 2 years old
    pages = dash_pages()
    post(client, step("dash"), {"respondent": "P3"}, to=step(pages[0].key))
    answers = dash_answers(q1="yes", q2="yes", q3="not_known")
    for index, page in enumerate(pages):
        following = step(pages[index + 1].key) if index + 1 < len(pages) else step("dash-grade")
        post(client, step(page.key), {q.id: answers[q.id] for _, q in page.questions}, to=following)
    assert (
        "They answered &#x27;yes&#x27; to 2 questions"
        in client.get(step("dash-grade")).content.decode()
    )
    post(client, step("dash-grade"), {"grade": "high"}, to=step("narrative"))
    post(client, step("narrative"), {"narrative": NARRATIVE}, to=CHECK)

    page = client.get(CHECK).content.decode()
    for shown in (
        "Domestic abuse incident",
        "23 November 2026 at 9:40pm",
        "E8 1DY",
        "3 September 2016",
        "About 2",
        "Example Primary School (URN 900123)",
        TOBI_SAID,
        "Amara Example",
        "High",
    ):
        assert shown in page, shown
    assert Incident.objects.count() == 0  # nothing is stored before the officer records it

    journey_id = client.session[SESSION_KEY]["id"]
    assert post(client, CHECK, {"journey": journey_id}) == DONE
    page = client.get(DONE).content.decode()
    assert "Children recorded" in page

    incident = Incident.objects.get()
    assert incident.source_system == "CHILDFIRST-FORM"
    assert re.fullmatch(r"FORM-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", incident.source_reference)
    assert incident.source_reference in page
    assert incident.reference == incident.source_reference  # not "CHILDFIRST-FORM FORM-..."
    assert "CHILDFIRST-FORM" not in page
    assert incident.kind == "domestic_abuse_incident"
    assert incident.occurred_at.isoformat() == "2026-11-23T21:40:00+00:00"
    assert incident.location_postcode == "E8 1DY"
    assert incident.narrative == NARRATIVE
    assert incident.received_via == Channel.FORM
    assert incident.received_from_user == user
    assert (incident.officer_name, incident.officer_collar_number) == ("PC Sam Officer", "1234CE")
    assert incident.officer_email == user.email

    people = {inv.ref: inv for inv in incident.involvements.select_related("mention")}
    assert {ref: (inv.role, inv.is_child) for ref, inv in people.items()} == {
        "P1": ("present", True),
        "P2": ("child_in_household", True),
        "P3": ("victim", False),
        "P4": ("suspect", False),
    }
    tobi = people["P1"]
    assert tobi.voice == TOBI_SAID
    assert tobi.is_present is True
    assert tobi.school_urn == 900123
    assert tobi.age_at_incident == 10
    assert tobi.mention.given_name == "Tobi"
    assert people["P2"].age_at_incident == 2
    assert people["P2"].is_present is False
    # Where each lives: Tobi and Amara at the incident's address, Sam not known.
    assert tobi.mention.postcode == "E8 1DY"
    assert people["P3"].mention.address == "Flat 2, 14 Example Road, London"
    assert people["P3"].address_key == tobi.address_key != ""
    assert (people["P4"].mention.address, people["P4"].address_key) == ("", "")

    dash = Questionnaire.objects.get(incident=incident)
    assert dash.kind == "dash"
    assert dash.respondent == people["P3"]
    assert dash.answers == answers
    assert len(dash.answers) == 27
    assert dash.score == 2
    assert dash.officer_grade == "high"
    assert incident.notices.count() == 2
    assert SESSION_KEY not in client.session


def test_the_dash_pages_are_skipped_when_it_was_not_domestic_abuse(officer):
    client, _ = officer
    answer_to_check(client, kind="violence")
    for page in ["dash", "dash-grade", dash_pages()[0].key]:
        response = client.get(step(page))
        assert response.status_code == 302
    assert "DASH" not in client.get(CHECK).content.decode()
    post(client, CHECK, {"journey": client.session[SESSION_KEY]["id"]}, to=DONE)
    incident = Incident.objects.get()
    assert incident.questionnaires.count() == 0
    assert "Child recorded" in client.get(DONE).content.decode()


def test_when_nobody_answered_the_dash_questions_only_the_officers_grade_is_asked(officer):
    client, _ = officer
    answer_to_check(client, kind="domestic_abuse_crime", part={**TOBI_PART, "role": "victim"})
    post(client, CHECK, {"journey": client.session[SESSION_KEY]["id"]}, to=DONE)
    dash = Questionnaire.objects.get()
    assert (dash.respondent, dash.answers, dash.officer_grade) == (None, {}, "standard")


def test_a_domestic_abuse_incident_with_no_victim_is_not_recorded(officer):
    client, _ = officer
    answer_to_check(client, kind="domestic_abuse_incident")  # Tobi was present; no adults
    response = client.post(CHECK, {"journey": client.session[SESSION_KEY]["id"]})
    assert response.status_code == 200
    assert NO_VICTIM in response.content.decode()
    assert not Incident.objects.exists()


# Validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "data", "message"),
    [
        ("kind", {}, "Select what kind of incident it was"),
        ("kind", {"kind": "juvenile_crime"}, "Select what kind of incident it was"),
        (
            "when",
            {**WHEN, "occurred_day": "", "occurred_month": "", "occurred_year": ""},
            "Enter the date it happened",
        ),
        ("when", {**WHEN, "occurred_month": ""}, "The date it happened must include a month"),
        (
            "when",
            {**WHEN, "occurred_day": "", "occurred_month": ""},
            "The date it happened must include a day and month",
        ),
        (
            "when",
            {**WHEN, "occurred_day": "31", "occurred_month": "2"},
            "The date it happened must be a real date",
        ),
        ("when", {**WHEN, "occurred_year": "26"}, "Year must include 4 numbers"),
        (
            "when",
            {**WHEN, "occurred_day": "25"},
            "The date it happened must be today or in the past",
        ),
        ("when", {**WHEN, "occurred_time": ""}, "Enter the time it happened"),
        ("when", {**WHEN, "occurred_time": "25:00"}, "Enter the time like 9:40pm or 21:40"),
        (
            "when",
            {**WHEN, "occurred_day": "24", "occurred_time": "10:30"},
            "The time it happened must be in the past",
        ),
        ("where", {"address": "", "postcode": ""}, "Enter the address, or describe the place"),
        ("where", {**WHERE, "postcode": "E8 1D"}, "Enter a real postcode, like E8 1DY"),
        ("narrative", {"narrative": "  "}, "Enter what happened"),
    ],
)
def test_each_page_says_what_to_do_about_a_wrong_answer(officer, page, data, message):
    client, _ = officer
    answer_to_check(client, kind="domestic_abuse_incident")
    page_html = refused(client, step(page), data)
    assert message in page_html
    assert page_html.count(message) == 2  # in the error summary, and by the question


@pytest.mark.parametrize(
    ("changes", "message", "highlighted"),
    [
        ({"given_name": ""}, "Enter the child&#x27;s given name", None),
        ({"family_name": ""}, "Enter the child&#x27;s family name", None),
        (
            {"dob_day": "", "dob_month": "", "dob_year": ""},
            "Enter the child&#x27;s date of birth, or their approximate age if you do not know it",
            ["day", "month", "year"],
        ),
        ({"dob_year": ""}, "Date of birth must include a year", ["year"]),
        ({"dob_month": "13"}, "Date of birth must be a real date", ["month"]),
        ({"dob_day": "x"}, "Date of birth must be a real date", ["day"]),
        ({"dob_year": "2027"}, "Date of birth must be in the past", ["day", "month", "year"]),
        (
            {"dob_day": "24", "dob_month": "11", "dob_year": "2026"},
            "Date of birth must be on or before the day of the incident",
            ["day", "month", "year"],
        ),
        ({"sex": ""}, "Select the child&#x27;s sex", None),
        (
            {"dob_day": "", "dob_month": "", "dob_year": "", "age": "twelve"},
            "Approximate age must be a whole number, like 12",
            None,
        ),
    ],
)
def test_the_child_page_says_what_to_do_and_highlights_the_wrong_part_of_a_date(
    officer, changes, message, highlighted
):
    client, _ = officer
    answer_what_happened(client, "violence")
    page = refused(client, child(1), {**TOBI, **changes})
    assert message in page
    if highlighted is not None:
        wrong = re.findall(r'govuk-input--error" id="id_dob_(\w+)"', page)
        assert wrong == highlighted
        first = highlighted[0]
        assert f'href="#id_dob_{first}"' in page  # the error summary links to the first part


def test_what_was_typed_is_kept_when_an_answer_is_wrong(officer):
    client, _ = officer
    answer_what_happened(client, "violence")
    page = refused(client, child(1), {**TOBI, "dob_month": "13", "given_name": "Tobiah"})
    assert 'value="Tobiah"' in page
    assert 'value="13"' in page
    assert re.search(r'value="male"\s+checked', page)


def test_a_17_year_old_is_a_child_and_an_18_year_old_is_refused(officer):
    client, _ = officer
    answer_what_happened(client, "violence")  # 23 November 2026
    eighteen = {**TOBI, "dob_day": "23", "dob_month": "11", "dob_year": "2008"}
    page = refused(client, child(1), eighteen)
    message = (
        "The child must be under 18 on the day of the incident: record adults in the adults step"
    )
    assert message in page
    page = refused(
        client, child(1), {**TOBI, "dob_day": "", "dob_month": "", "dob_year": "", "age": "18"}
    )
    assert message in page
    seventeen = {**TOBI, "dob_day": "24", "dob_month": "11", "dob_year": "2008"}
    post(client, child(1), seventeen, to=child(1, "part"))


def test_the_child_page_without_a_date_of_birth_takes_an_age_or_appears_under_18(officer):
    client, _ = officer
    answer_what_happened(client, "violence")
    no_date = {**TOBI, "dob_day": "", "dob_month": "", "dob_year": ""}
    post(client, child(1), {**no_date, "appears_under_18": "yes"}, to=child(1, "part"))
    assert client.session[SESSION_KEY]["children"][0]["appears_under_18"] is True


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select the child&#x27;s part in the incident"),
        ({"role": "victim"}, "Select yes if the child was there when it happened"),
        (
            {"role": "child_in_household", "present": "yes"},
            "A child in the household but not present was not there",
        ),
        (
            {"role": "present", "present": "no"},
            "A child whose part is &#x27;Present&#x27; was there",
        ),
        (
            {**TOBI_PART, "school_urn": "12ab"},
            "Enter the school URN as 6 or 7 numbers, like 100234",
        ),
        (
            {**TOBI_PART, "school_urn": "123456"},
            "There is no school with URN 123456: check the number, or leave it empty",
        ),
    ],
)
def test_the_childs_part_says_what_to_do_about_a_wrong_answer(officer, data, message):
    client, _ = officer
    answer_what_happened(client, "violence")
    post(client, child(1), TOBI)
    assert message in refused(client, child(1, "part"), data)


def test_the_adult_page_says_what_to_do_about_a_wrong_answer(officer):
    client, _ = officer
    answer_what_happened(client, "violence")
    answer_one_child(client)
    post(client, step("adults"), {"another": "yes"}, to=adult(1))
    assert "Enter the adult&#x27;s given name or family name" in refused(
        client, adult(1), {"role": "victim"}
    )
    assert "Select the adult&#x27;s part in the incident" in refused(
        client, adult(1), {"given_name": "Amara"}
    )
    sixteen = {**AMARA, "dob_year": "2010"}
    assert "This person was under 18 on the day of the incident" in refused(
        client, adult(1), sixteen
    )


def test_the_add_another_questions_need_an_answer(officer):
    client, _ = officer
    answer_what_happened(client, "violence")
    post(client, child(1), TOBI)
    post(client, child(1, "part"), TOBI_PART)
    assert "Select yes if you need to add another child" in refused(client, step("children"), {})
    post(client, step("children"), {"another": "no"})
    assert "Select yes if any adults were involved" in refused(client, step("adults"), {})


def test_the_voice_and_dash_pages_say_what_to_do(officer):
    client, _ = officer
    answer_to_check(client, kind="domestic_abuse_incident", details=TOBI_AT_16)
    assert "Enter what Tobi Example said or showed, or why you could not find out" in refused(
        client, step("voice"), {"voice_P1": ""}
    )
    assert "Select who answered the DASH questions" in refused(client, step("dash"), {})
    post(client, step("dash"), {"respondent": "P1"})
    first = dash_pages()[0]
    page = refused(client, step(first.key), {})
    for number, _ in first.questions:
        assert f"Select yes, no or not known for question {number}" in page
    assert "Select your risk grade" in refused(client, step("dash-grade"), {})


def test_only_someone_who_could_be_the_victim_is_offered_as_answering_the_dash(officer):
    # Never the suspect, never a young child; a child of 16 or 17 may be the victim who
    # answers (the checklist is for victims aged 16 and over).
    client, _ = officer
    answer_what_happened(client, "domestic_abuse_incident")
    post(client, child(1), TOBI_AT_16, to=child(1, "part"))
    post(client, child(1, "part"), {**TOBI_PART, "role": "victim"}, to=step("children"))
    post(client, step("children"), {"another": "yes"}, to=child(2))
    post(client, child(2), ADE, to=child(2, "part"))
    post(client, child(2, "part"), ADE_PART, to=step("children"))
    post(client, step("children"), {"another": "no"}, to=step("adults"))
    post(client, step("adults"), {"another": "yes"}, to=adult(1))
    post(client, adult(1), SAM, to=step("adults"))
    post(client, step("adults"), {"another": "no"}, to=step("voice"))
    post(client, step("voice"), {"voice_P1": TOBI_SAID, "voice_P2": ""}, to=step("dash"))
    page = client.get(step("dash")).content.decode()
    assert 'value="P1"' in page  # Tobi, 16
    assert 'value="P2"' not in page and 'value="P3"' not in page  # Ade, 2; Sam, the suspect
    assert "Select who answered the DASH questions" in refused(
        client, step("dash"), {"respondent": "P3"}
    )


# Check answers and changes -------------------------------------------------------------------


def test_change_links_return_to_check_answers(officer):
    client, _ = officer
    answer_to_check(client)
    page = client.get(CHECK).content.decode()
    change = f"{step('when')}?return=check"
    assert f'href="{change}"' in page
    response = client.get(change)
    assert f'href="{CHECK}" class="govuk-back-link"' in response.content.decode()
    post(client, change, {**WHEN, "occurred_time": "22:15"}, to=CHECK)
    assert "23 November 2026 at 10:15pm" in client.get(CHECK).content.decode()
    # On the hour, the way every page writes times: 10pm, not 10:00pm.
    post(client, change, {**WHEN, "occurred_time": "22:00"}, to=CHECK)
    assert "23 November 2026 at 10pm" in client.get(CHECK).content.decode()

    change = f"{child(1)}?return=check"
    assert f'href="{change}"' in page
    post(client, change, {**TOBI, "given_name": "Tobias"}, to=CHECK)
    post(client, f"{child(1, 'part')}?return=check", {**TOBI_PART, "role": "witness"}, to=CHECK)
    post(client, f"{step('voice')}?return=check", {"voice_P1": "Said nothing"}, to=CHECK)
    page = client.get(CHECK).content.decode()
    assert "Tobias Example" in page
    assert "Witness" in page
    assert "Said nothing" in page


def test_changing_the_kind_to_domestic_abuse_asks_the_dash_questions_before_check_answers(
    officer,
):
    client, _ = officer
    answer_to_check(client, kind="violence")
    change = f"{step('kind')}?return=check"
    post(client, change, {"kind": "domestic_abuse_incident"}, to=f"{step('dash')}?return=check")
    post(
        client,
        f"{step('dash')}?return=check",
        {"respondent": "nobody"},
        to=f"{step('dash-grade')}?return=check",
    )
    post(client, f"{step('dash-grade')}?return=check", {"grade": "medium"}, to=CHECK)


def test_adding_a_child_from_check_answers_comes_back_through_the_list(officer):
    client, _ = officer
    answer_to_check(client)
    post(
        client,
        f"{step('children')}?return=check",
        {"another": "yes"},
        to=f"{child(2)}?return=check",
    )
    post(client, f"{child(2)}?return=check", ADE, to=f"{child(2, 'part')}?return=check")
    witness = {"role": "witness", "present": "yes", "lives": "incident"}
    post(client, f"{child(2, 'part')}?return=check", witness, to=f"{step('children')}?return=check")
    post(
        client,
        f"{step('children')}?return=check",
        {"another": "no"},
        to=f"{step('voice')}?return=check",
    )  # Ade was there, and what he said or showed is not yet recorded
    post(
        client,
        f"{step('voice')}?return=check",
        {"voice_P1": TOBI_SAID, "voice_P2": "Pointed at the kitchen"},
        to=CHECK,
    )
    assert "Pointed at the kitchen" in client.get(CHECK).content.decode()


def test_a_child_who_was_not_there_needs_no_voice(officer):
    client, _ = officer
    answer_to_check(client)
    post(client, f"{step('children')}?return=check", {"another": "yes"})
    post(client, f"{child(2)}?return=check", ADE)
    post(client, f"{child(2, 'part')}?return=check", ADE_PART)
    post(client, f"{step('children')}?return=check", {"another": "no"}, to=CHECK)


def test_a_child_or_an_adult_can_be_removed(officer):
    client, _ = officer
    answer_what_happened(client, "violence")
    answer_one_child(client)
    post(client, step("children"), {"another": "yes"})
    post(client, child(2), ADE)
    post(client, child(2, "part"), ADE_PART)
    post(client, step("children"), {"remove": "1"}, to=step("children"))
    assert [c["given_name"] for c in client.session[SESSION_KEY]["children"]] == ["Ade"]
    post(client, step("adults"), {"another": "yes"})
    post(client, adult(1), SAM)
    post(client, step("adults"), {"remove": "1"}, to=step("adults"))
    assert client.session[SESSION_KEY]["adults"] == []


def test_check_answers_shows_what_is_missing_and_records_nothing_until_it_is_given(officer):
    client, _ = officer
    client.post(START)
    post(client, step("kind"), {"kind": "violence"})
    page = client.get(CHECK).content.decode()
    assert (
        f'<a class="govuk-link" href="{step("when")}?return=check">Enter when it happened</a>'
        in page
    )
    response = client.post(CHECK, {"journey": client.session[SESSION_KEY]["id"]})
    page = response.content.decode()
    assert "<title>Error: Check your answers before recording" in page
    assert "Enter what happened" in page
    assert Incident.objects.count() == 0


def test_check_answers_refuses_a_child_who_is_18_on_a_changed_incident_date(officer):
    client, _ = officer
    answer_what_happened(client, "violence")
    post(client, child(1), {**TOBI, "dob_day": "24", "dob_month": "11", "dob_year": "2008"})
    post(client, child(1, "part"), TOBI_PART)
    post(client, step("children"), {"another": "no"})
    post(client, step("adults"), {"another": "no"})
    post(client, step("voice"), {"voice_P1": TOBI_SAID})
    post(client, step("narrative"), {"narrative": NARRATIVE}, to=CHECK)
    post(
        client,
        f"{step('when')}?return=check",
        {**WHEN, "occurred_day": "24", "occurred_time": "08:00"},
        to=CHECK,
    )
    response = client.post(CHECK, {"journey": client.session[SESSION_KEY]["id"]})
    assert "Tobi Example: The child must be under 18 on the day of the incident" in (
        response.content.decode()
    )
    assert Incident.objects.count() == 0


def _classes(element) -> list[str]:
    return (element.get("class") or "").split()


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_check_answers_shows_the_language_check_beside_the_childs_words_and_the_account(
    officer,
):
    """The child's words are checked as words about a child ('young man' is only flagged
    then), in the child's card; the officer's account is checked under "Your account"."""
    client, _ = officer
    answer_what_happened(client, "violence")
    answer_one_child(client)
    post(client, step("adults"), {"another": "no"}, to=step("voice"))
    post(client, step("voice"), {"voice_P1": "He is a young man now and very streetwise"})
    post(client, step("narrative"), {"narrative": "Mum says he keeps putting himself at risk."})

    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    document = parser.parse(client.get(CHECK).content.decode())
    findings = [d for d in document.iter("div") if "app-language-findings" in _classes(d)]
    assert len(findings) == 2

    card = next(
        d
        for d in document.iter("div")
        if "govuk-summary-card" in _classes(d) and _text(d.find(".//h3")) == "Tobi Example"
    )
    content = next(d for d in card.iter("div") if "govuk-summary-card__content" in _classes(d))
    summary, beside_the_child = list(content)
    assert "What they said or showed He is a young man now" in _text(summary)
    assert "app-language-findings" in _classes(beside_the_child)
    assert "“young man”" in _text(beside_the_child)
    assert "“streetwise”" in _text(beside_the_child)
    assert "putting himself at risk" not in _text(beside_the_child)

    # The account's findings follow its answer, before the next heading.
    column = next(d for d in document.iter("div") if "govuk-grid-column-two-thirds" in _classes(d))
    shown = list(column)
    heading = next(i for i, e in enumerate(shown) if e.tag == "h2" and _text(e) == "Your account")
    account, beside_the_account, after = shown[heading + 1 : heading + 4]
    assert _text(account).startswith("What happened Mum says he keeps putting himself at risk.")
    assert "app-language-findings" in _classes(beside_the_account)
    assert "“putting himself at risk”" in _text(beside_the_account)
    assert "streetwise" not in _text(beside_the_account)
    assert after.tag == "h2"


# Recording once ------------------------------------------------------------------------------


def test_recording_twice_stores_one_incident(officer):
    client, _ = officer
    answer_to_check(client)
    journey_id = client.session[SESSION_KEY]["id"]
    post(client, CHECK, {"journey": journey_id}, to=DONE)
    # A double click, or the back button and the button again, sends the same answers.
    post(client, CHECK, {"journey": journey_id}, to=DONE)
    assert client.get(CHECK)["Location"] == DONE
    assert Incident.objects.count() == 1
    assert "Child recorded" in client.get(DONE).content.decode()


def test_two_presses_at_the_same_moment_store_one_incident(officer):
    """Both presses read the session before either finished: intake is idempotent on the
    journey's reference, so the second finds the first's incident."""
    client, user = officer
    answer_to_check(client)
    session = client.session
    saved = dict(session.items())
    post(client, CHECK, {"journey": saved[SESSION_KEY]["id"]}, to=DONE)
    session = client.session
    for key, value in saved.items():
        session[key] = value
    session.save()
    post(client, CHECK, {"journey": saved[SESSION_KEY]["id"]}, to=DONE)
    assert Incident.objects.count() == 1


def test_starting_again_forgets_the_answers(officer):
    client, _ = officer
    answer_what_happened(client, "violence")
    page = client.get(START).content.decode()
    assert "Continue where you left off" in page
    client.post(START)
    assert client.session[SESSION_KEY]["kind"] == ""


def test_the_done_page_without_a_recorded_child_says_so(officer):
    client, _ = officer
    assert "No child recorded yet" in client.get(DONE).content.decode()


# Who may use it ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PARTNER, Role.AUDITOR])
def test_partner_users_and_auditors_cannot_open_the_form(signed_in, role):
    client, _ = signed_in(role)
    for url in (START, step("kind"), child(1), adult(1), CHECK, DONE):
        assert client.get(url).status_code == 403, url
    assert client.post(step("kind"), {"kind": "violence"}).status_code == 403
    assert "Record a child" not in client.get("/").content.decode()


def test_a_signed_out_visitor_is_sent_to_sign_in(client, db):
    response = client.get(step("kind"))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in?next=")
    assert client.post(CHECK, {"journey": "X"})["Location"].startswith("/sign-in?next=")


def test_the_navigation_offers_the_form_to_frontline_officers(officer):
    client, _ = officer
    assert f'href="{START}"' in client.get("/").content.decode()


def test_pages_that_do_not_exist_are_not_found(officer):
    client, _ = officer
    for url in (step("nonsense"), child(2), child(1, "school"), adult(3)):
        assert client.get(url).status_code == 404, url
    # A child's second page before their first is answered goes to the first.
    assert client.get(child(1, "part"))["Location"] == child(1)


# Where people live, and a child whose name is not known --------------------------------------


def test_an_adult_who_lives_somewhere_else_is_recorded_at_their_own_address(officer):
    client, _ = officer
    answer_what_happened(client, "violence")
    answer_one_child(client)
    post(client, step("adults"), {"another": "yes"}, to=adult(1))
    elsewhere = {**SAM, "lives": "elsewhere"}
    page = refused(client, adult(1), elsewhere)
    assert "Enter the address where they live" in page
    page = refused(
        client, adult(1), {**elsewhere, "home_address": "3 Other St", "home_postcode": "X"}
    )
    assert "Enter a real postcode, like E8 1DY" in page
    post(
        client,
        adult(1),
        {**elsewhere, "home_address": "3 Other Street, London", "home_postcode": "n19gu"},
        to=step("adults"),
    )
    post(client, step("adults"), {"another": "no"}, to=step("voice"))
    post(client, step("voice"), {"voice_P1": TOBI_SAID}, to=step("narrative"))
    post(client, step("narrative"), {"narrative": NARRATIVE}, to=CHECK)
    assert "3 Other Street, London" in client.get(CHECK).content.decode()
    post(client, CHECK, {"journey": client.session[SESSION_KEY]["id"]}, to=DONE)
    sam = Incident.objects.get().involvements.get(role="suspect").mention
    assert (sam.address, sam.postcode) == ("3 Other Street, London", "N1 9GU")


def test_a_child_whose_name_is_not_known_can_be_recorded(officer):
    client, _ = officer
    answer_what_happened(client, "violence")
    baby = {"name_not_known": "yes", "age": "0", "sex": "female"}
    page = refused(client, child(1), {k: v for k, v in baby.items() if k != "name_not_known"})
    assert "Enter the child&#x27;s given name, or select" in page
    page = refused(client, child(1), {**baby, "given_name": "Ada"})
    assert "Clear &#x27;Their name is not known&#x27;, or leave the names empty" in page
    post(client, child(1), baby, to=child(1, "part"))
    post(client, child(1, "part"), {**ADE_PART, "present": "yes", "role": "present"})
    post(client, step("children"), {"another": "no"}, to=step("adults"))
    post(client, step("adults"), {"another": "no"}, to=step("voice"))
    post(client, step("voice"), {"voice_P1": "Crying in her cot"}, to=step("narrative"))
    post(client, step("narrative"), {"narrative": NARRATIVE}, to=CHECK)
    check = client.get(CHECK).content.decode()
    assert "Name not known" in check  # the answer to "Name"
    assert "Child 1" in check and "Name not known&#x27;s" not in check  # how pages name her
    post(client, CHECK, {"journey": client.session[SESSION_KEY]["id"]}, to=DONE)
    mention = Incident.objects.get().involvements.get().mention
    assert (mention.given_name, mention.surname) == ("", "")
    assert Incident.objects.get().notices.count() == 1


def test_where_a_child_lives_must_be_answered(officer):
    client, _ = officer
    answer_what_happened(client, "violence")
    post(client, child(1), TOBI, to=child(1, "part"))
    part = {k: v for k, v in TOBI_PART.items() if k != "lives"}
    assert "Select where they live" in refused(client, child(1, "part"), part)

"""What a new desk user reads: the kind of each recommended agency, a child whose name was not
recorded, and a decision a supervisor returned."""

import re

import pytest

from childfirst.accounts.models import Role
from childfirst.desk import services
from childfirst.desk.models import Decision, Referral
from childfirst.directory.models import AgencyKind
from childfirst.people.models import Person
from tests.builders import make_user
from tests.desk import builders as b
from tests.incidents.builders import payload, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    b.hackney_postcode()
    return b.agencies()


def recommended_list(page: str) -> list[str]:
    """The items of the decide page's "Recommended agencies" list."""
    found = re.search(r"Recommended agencies</h2>\s*<ul[^>]*>(.*?)</ul>", page, re.S)
    assert found, "the decide page has no recommended agencies"
    return [re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<li>(.*?)</li>", found[1])]


# Recommended agencies ---------------------------------------------------------------------------


def test_the_decide_page_names_the_kind_of_each_recommended_agency(signed_in, setting):
    notice_id = b.items_of(b.incident())["Tobi"].notice_id
    client, _ = signed_in(Role.DESK_RESEARCHER)
    page = client.get(f"/desk/notices/{notice_id}/decide").content.decode()
    assert recommended_list(page) == [
        "Children&#x27;s social care front door (MASH): Hackney MASH",
        "MARAC: Hackney MARAC",
    ]


def test_a_recommended_kind_with_no_agency_says_so_under_its_own_label(signed_in, setting):
    setting[AgencyKind.MARAC].is_active = False
    setting[AgencyKind.MARAC].save()
    notice_id = b.items_of(b.incident())["Tobi"].notice_id
    client, _ = signed_in(Role.DESK_RESEARCHER)
    page = client.get(f"/desk/notices/{notice_id}/decide").content.decode()
    assert "MARAC: no active agency found" in recommended_list(page)


# A child whose name was not recorded ------------------------------------------------------------


def unnamed_toddler_incident():
    """Tobi present, and a toddler in the household whose name the officer did not record."""
    people = payload()["people"]
    people[2] = {"ref": "P4", "role": "child_in_household", "age": 1}
    return b.items_of(record(payload(people=people, questionnaires=[b.dash(14)])))


def test_the_desk_never_names_a_child_by_an_internal_placeholder(signed_in, setting):
    items = unnamed_toddler_incident()
    unnamed = next(item for name, item in items.items() if not name)
    person = Person.objects.get(pk=unnamed.notice.person_id)
    placeholder = f"Person {person.pk}"
    client, _ = signed_in(Role.DESK_SUPERVISOR)

    # Tobi's history names the toddler's notice in words, not by the person's number.
    page = client.get(f"/desk/notices/{items['Tobi'].notice_id}").content.decode()
    assert "about a child whose name was not recorded" in page
    assert placeholder not in page

    # The toddler's own pages.
    page = client.get(f"/desk/notices/{unnamed.notice_id}").content.decode()
    assert f"<title>Notice {unnamed.notice_id}: a child whose name was not recorded" in page
    assert (
        '<h1 class="govuk-heading-l">A child whose name was not recorded: '
        "child in the household, not present</h1>"
    ) in page
    assert (
        '<span class="moj-identity-bar__title">A child whose name was not recorded</span>' in page
    )
    assert "Age: 1 at the time of the incident." in page  # no date of birth: the recorded age
    for url in ["decide", "assign", "pause-clock"]:
        page = client.get(f"/desk/notices/{unnamed.notice_id}/{url}").content.decode()
        assert f"Notice {unnamed.notice_id}: a child whose name was not recorded" in page
    page = client.get("/desk/").content.decode()
    assert f'{unnamed.notice_id}">A child whose name was not recorded</a>' in page
    assert placeholder not in page


def test_a_name_not_recorded_is_said_in_words_for_children_and_adults():
    nameless = Person(given_name="", surname="")
    assert services.name_of(nameless) == "a child whose name was not recorded"
    assert services.name_of(nameless, child=False) == "a person whose name was not recorded"
    assert services.name_of(Person(given_name="Ade", surname="")) == "Ade"
    assert services.name_of("  ") == "a child whose name was not recorded"
    assert services.name_of("Tobi Example") == "Tobi Example"


# A returned decision ----------------------------------------------------------------------------


def banner(page: str) -> str:
    found = re.search(
        r'<div class="govuk-notification-banner" role="region" '
        r'aria-labelledby="returned-title".*?</div>\s*</div>',
        page,
        re.S,
    )
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found[0])).strip() if found else ""


def test_a_returned_decision_is_plain_to_the_researcher_on_every_desk_page(signed_in, setting):
    notice_id = b.items_of(b.incident())["Tobi"].notice_id
    other_id = b.items_of(b.incident())["Tobi"].notice_id
    client, researcher = signed_in(Role.DESK_RESEARCHER, full_name="Riya Researcher")
    mash, marac = setting[AgencyKind.CHILDRENS_SOCIAL_CARE], setting[AgencyKind.MARAC]
    form = {
        "decision": "refer",
        "agencies": [str(mash.pk), str(marac.pk)],
        "text": "Tobi hid under the bed.",
        "action": "decide",
    }
    assert client.post(f"/desk/notices/{notice_id}/decide", form).status_code == 302
    supervisor_client, _ = signed_in(Role.DESK_SUPERVISOR, full_name="Sam Supervisor")
    referral = Referral.objects.get(notice_id=notice_id)
    response = supervisor_client.post(
        f"/desk/referrals/{referral.pk}/approve",
        {"outcome": "return", "comment": "Name the school in the text"},
    )
    assert response.status_code == 302

    # The queue row has a tag; the other notice, never decided, has none.
    page = client.get("/desk/").content.decode()
    rows = {
        notice: re.search(rf'href="/desk/notices/{notice}">.*?</td>', page, re.S)[0]
        for notice in (notice_id, other_id)
    }
    assert "Returned</strong>" in rows[notice_id]
    assert "Returned" not in rows[other_id]

    said = (
        "Decision returned Sam Supervisor returned the decision to the desk on "
        "24 November 2026 at 9am. What needs to change: Name the school in the text "
        "The returned decision: refer, by Riya Researcher on 24 November 2026 at 9am. "
        "Make a new decision."
    )
    # The notice page: the state in its header, the comment at the top.
    page = client.get(f"/desk/notices/{notice_id}").content.decode()
    assert "Returned</strong> Waiting for a new decision." in page
    assert "Waiting for a decision." not in page
    assert banner(page) == said
    assert page.index('id="returned-title"') < page.index("<h1")
    # The decide page: the comment at the top, before the researcher decides again.
    page = client.get(f"/desk/notices/{notice_id}/decide").content.decode()
    assert banner(page) == said
    assert page.index('id="returned-title"') < page.index("<h1")

    # Decided again, the notice is no longer returned.
    assert client.post(f"/desk/notices/{notice_id}/decide", form).status_code == 302
    page = client.get(f"/desk/notices/{notice_id}").content.decode()
    assert not banner(page)
    assert "Waiting for a supervisor." in page


def test_only_a_notice_whose_latest_decision_was_returned_counts_as_returned(setting):
    items = b.items_of(b.incident())
    tobi = items["Tobi"]
    researcher = make_user(role=Role.DESK_RESEARCHER)
    supervisor = make_user(role=Role.DESK_SUPERVISOR)
    mash, marac = setting[AgencyKind.CHILDRENS_SOCIAL_CARE], setting[AgencyKind.MARAC]

    def decide():
        return services.decide(
            notice=tobi.notice,
            by=researcher,
            request_=services.DecisionRequest(
                decision=Decision.REFER, text="Tobi hid.", agency_ids=(mash.pk, marac.pk)
            ),
        )

    first = decide()
    assert services.returned_decisions(notice_ids=[tobi.notice_id]) == {}
    services.return_decision(referral=first, by=supervisor, comment="Name the school")
    found = services.returned_decisions(notice_ids=[tobi.notice_id, items["Ade"].notice_id])
    assert found == {tobi.notice_id: first}
    assert found[tobi.notice_id].approved_by == supervisor
    decide()
    assert services.returned_decision(notice=tobi.notice) is None


# A DASH nobody answered -------------------------------------------------------------------------


def test_a_dash_nobody_answered_reads_not_answered_not_0_yes_answers(signed_in, setting):
    nobody = {"kind": "dash", "respondent": None, "answers": {}, "officer_grade": "standard"}
    notice_id = b.items_of(b.incident(questionnaires=[nobody]))["Tobi"].notice_id
    client, _ = signed_in(Role.DESK_RESEARCHER)
    page = client.get(f"/desk/notices/{notice_id}").content.decode()
    assert "Not answered: nobody answered the questions." in page
    assert "0 “yes” answers" not in page


# Agencies to share with -------------------------------------------------------------------------


def other_places(setting):
    from childfirst.directory.models import Agency
    from tests.builders import make_agency

    return {
        "islington": make_agency(
            kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
            gss_code="E09000019",
            code="islington-mash",
            name="Islington MASH",
        ),
        "nrm": Agency.objects.create(
            code="nrm", name="Single Competent Authority", kind=AgencyKind.NRM
        ),
        "desk": Agency.objects.create(
            code="ppr-desk", name="Public Protection Referrals desk", kind=AgencyKind.POLICE_TEAM
        ),
        "team": Agency.objects.create(
            code="central-east-cet",
            name="Central East (Hackney and Tower Hamlets) child exploitation team",
            kind=AgencyKind.POLICE_TEAM,
        ),
    }


def test_the_decide_page_offers_the_boroughs_agencies_and_folds_the_others_away(signed_in, setting):
    other_places(setting)
    notice_id = b.items_of(b.incident())["Tobi"].notice_id
    client, _ = signed_in(Role.DESK_RESEARCHER)
    page = client.get(f"/desk/notices/{notice_id}/decide").content.decode()
    fold = page.index('<details class="govuk-details"')
    near, folded = page[:fold], page[fold : page.index("</details>", fold)]
    assert "Hackney MASH" in near and "Single Competent Authority" in near  # all of London
    assert "Central East (Hackney and Tower Hamlets) child exploitation team" in near
    assert "Other agencies" in folded and "Islington MASH" in folded
    assert "Public Protection Referrals desk" in folded
    assert "Islington MASH" not in near and "Public Protection Referrals desk" not in near


def test_an_agency_in_another_borough_can_still_be_chosen(signed_in, setting):
    places = other_places(setting)
    notice_id = b.items_of(b.incident())["Tobi"].notice_id
    client, _ = signed_in(Role.DESK_RESEARCHER)
    mash, marac = setting[AgencyKind.CHILDRENS_SOCIAL_CARE], setting[AgencyKind.MARAC]
    response = client.post(
        f"/desk/notices/{notice_id}/decide",
        {
            "decision": "refer",
            "agencies": [str(mash.pk), str(marac.pk)],
            "other_agencies": [str(places["islington"].pk)],
            "text": "Tobi, 10, hid under his bed while his mother was assaulted.",
            "reason": "He lives with his father in Islington",
            "action": "decide",
        },
    )
    assert response.status_code == 302
    chosen = {r.agency.name for r in Referral.objects.get().recipients.all()}
    assert chosen == {"Hackney MASH", "Hackney MARAC", "Islington MASH"}

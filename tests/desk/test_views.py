"""The desk pages, through the checked test client (every page parsed strictly)."""

import pytest

from childfirst.accounts.models import Role
from childfirst.audit.models import AccessLogEntry, Action
from childfirst.desk.models import Referral, ReferralStatus
from childfirst.directory.models import AgencyKind
from tests.desk import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    b.hackney_postcode()
    return b.agencies()


def test_the_queue_lists_the_children_and_filters_them(signed_in, setting):
    b.incident()
    client, _ = signed_in(Role.DESK_RESEARCHER)
    page = client.get("/desk/").content.decode()
    assert "Tobi Example" in page and "Ade Example" in page
    assert "2 open notices, soonest due first" in page
    page = client.get("/desk/", {"who": "me"}).content.decode()
    assert "No open notices match." in page
    page = client.get("/desk/", {"borough": b.HACKNEY, "grade": "red"}).content.decode()
    assert "Tobi Example" in page


def test_the_queue_says_when_imported_children_have_waited_too_long_to_be_screened(
    signed_in, setting, tmp_path, time_machine
):
    from datetime import datetime, timedelta

    from childfirst.incidents import importers
    from childfirst.screening.services import screen_all_pending
    from tests.incidents.test_import import incidents, write_jsonl

    imported = datetime.fromisoformat("2026-11-24T09:00:00Z")
    time_machine.move_to(imported, tick=False)
    importers.import_incidents(path=write_jsonl(tmp_path / "in.jsonl", incidents(2)))
    client, _ = signed_in(Role.DESK_RESEARCHER)
    warning = "4 children from imported files are not in this queue yet"
    assert warning not in client.get("/desk/").content.decode()

    time_machine.move_to(imported + timedelta(minutes=5), tick=False)
    page = client.get("/desk/").content.decode()
    assert warning in page
    assert "The oldest has waited 5 minutes." in page

    screen_all_pending()
    assert "not in this queue yet" not in client.get("/desk/").content.decode()


def test_the_notice_page_shows_the_reasons_the_answers_the_voice_and_the_history(
    signed_in, setting
):
    items = b.items_of(b.incident())
    client, user = signed_in(Role.DESK_RESEARCHER)
    page = client.get(f"/desk/notices/{items['Tobi'].notice_id}").content.decode()
    assert "moj-identity-bar" in page and "3 September 2016" in page
    assert "The DASH is high risk (14" in page
    assert "Are you very frightened?" in page
    assert "Said he hid under the bed" in page
    assert "moj-timeline" in page
    assert AccessLogEntry.objects.filter(user=user, action=Action.READ, subject_type="notice")


def test_a_researcher_takes_and_decides_a_notice_and_a_supervisor_approves_it(signed_in, setting):
    notice_id = b.items_of(b.incident())["Tobi"].notice_id
    client, researcher = signed_in(Role.DESK_RESEARCHER)
    assert client.post(f"/desk/notices/{notice_id}/claim").status_code == 302
    page = client.get(f"/desk/notices/{notice_id}/decide").content.decode()
    assert "This notice is red: a supervisor must approve your decision." in page
    assert "No further action shares with no one, whatever is selected" in page
    assert "Red</strong>. The notice is screened again" in page  # no space before the full stop
    mash, marac = setting[AgencyKind.CHILDRENS_SOCIAL_CARE], setting[AgencyKind.MARAC]
    # Checking the wording saves nothing and shows the findings next to the text.
    form = {
        "decision": "refer",
        "agencies": [str(mash.pk), str(marac.pk)],
        "text": "Tobi is streetwise.",
    }
    page = client.post(f"/desk/notices/{notice_id}/decide", form | {"action": "check"})
    assert "“streetwise”" in page.content.decode()
    assert not Referral.objects.exists()
    # Without a reason for leaving out MARAC, the page says what to do.
    response = client.post(
        f"/desk/notices/{notice_id}/decide",
        form | {"agencies": [str(mash.pk)], "action": "decide"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Enter why you changed the recommended agencies" in page
    response = client.post(f"/desk/notices/{notice_id}/decide", form | {"action": "decide"})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.AWAITING_APPROVAL
    supervisor_client, _ = signed_in(Role.DESK_SUPERVISOR)
    assert "Tobi Example" in supervisor_client.get("/desk/approvals").content.decode()
    response = supervisor_client.post(f"/desk/referrals/{referral.pk}/approve", {})
    assert "Select whether you approve this decision" in response.content.decode()
    response = supervisor_client.post(
        f"/desk/referrals/{referral.pk}/approve", {"outcome": "approve"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETE
    # The researcher then checks what each agency gets and sends it (dispatch's page).
    page = client.get(f"/desk/notices/{notice_id}").content.decode()
    assert f'href="/dispatch/referrals/{referral.pk}/send"' in page


def test_a_decision_that_needs_no_approval_goes_straight_to_check_and_send(signed_in, setting):
    notice_id = b.items_of(b.incident(questionnaires=[b.dash(3)]))["Tobi"].notice_id
    client, _ = signed_in(Role.DESK_RESEARCHER)
    page = client.get(f"/desk/notices/{notice_id}/decide").content.decode()
    assert "a supervisor must approve" not in page
    mash = setting[AgencyKind.CHILDRENS_SOCIAL_CARE]
    form = {"decision": "share", "agencies": [str(mash.pk)], "text": "For your information."}
    form |= {"reason": "Shared with the MASH only", "action": "decide"}
    response = client.post(f"/desk/notices/{notice_id}/decide", form)
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.COMPLETE
    assert response["Location"] == f"/dispatch/referrals/{referral.pk}/send"


def test_a_supervisor_assigns_sees_breaches_and_samples_decisions(signed_in, setting):
    notice_id = b.items_of(b.incident())["Tobi"].notice_id
    client, supervisor = signed_in(Role.DESK_SUPERVISOR)
    _, researcher = signed_in(Role.DESK_RESEARCHER, full_name="Riya Researcher")
    response = client.post(f"/desk/notices/{notice_id}/assign", {"to": str(researcher.pk)})
    assert response.status_code == 302
    assert "Riya Researcher" in client.get("/desk/").content.decode()
    assert client.get("/desk/breaches").status_code == 200
    page = client.get("/desk/sample", {"start": "1/11/2026", "end": "30/11/2026", "size": "5"})
    assert "decisions from 1 November 2026 to 30 November 2026" in page.content.decode()
    page = client.get("/desk/sample", {"start": "30/11/2026", "end": "1/11/2026", "size": "5"})
    assert "The end date must be the same as or after the start date" in page.content.decode()
    page = client.get("/desk/sample", {"start": "yesterday", "end": "1/11/2026", "size": "5"})
    assert "Enter the first date as day/month/year" in page.content.decode()


@pytest.mark.parametrize(
    "url", ["/desk/approvals", "/desk/breaches", "/desk/sample", "/desk/notices/1/assign"]
)
def test_researchers_cannot_use_the_supervisors_pages(signed_in, url):
    client, _ = signed_in(Role.DESK_RESEARCHER)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("page", "why"),
    [
        ("assign", "Giving notice {} to someone"),
        ("decide", "Deciding on notice {}"),
        ("pause-clock", "Pausing the desk review clock of notice {}"),
    ],
)
def test_a_page_about_a_notice_logs_the_child_it_names(signed_in, setting, page, why):
    item = b.items_of(b.incident())["Tobi"]
    client, supervisor = signed_in(Role.DESK_SUPERVISOR)
    html = client.get(f"/desk/notices/{item.notice_id}/{page}").content.decode()
    assert "Tobi Example" in html
    assert AccessLogEntry.objects.filter(
        user=supervisor,
        action=Action.READ,
        person_id=item.notice.person_id,
        justification=why.format(item.notice_id),
    ).exists()


@pytest.mark.parametrize(
    ("page", "why"),
    [("approve", "Approval of referral {}"), ("quality", "Quality check of referral {}")],
)
def test_a_page_about_a_referral_logs_the_child_it_shows(signed_in, setting, page, why):
    item = b.items_of(b.incident())["Tobi"]
    from childfirst.desk import services
    from childfirst.desk.models import Decision

    _, researcher = signed_in(Role.DESK_RESEARCHER)
    referral = services.decide(
        notice=item.notice,
        by=researcher,
        request_=services.DecisionRequest(
            decision=Decision.REFER,
            text="Tobi was present at a domestic abuse incident.",
            agency_ids=tuple(agency.pk for agency in setting.values()),
            reason="Both agencies",
        ),
    )
    client, supervisor = signed_in(Role.DESK_SUPERVISOR)
    html = client.get(f"/desk/referrals/{referral.pk}/{page}").content.decode()
    assert "Tobi Example" in html
    assert AccessLogEntry.objects.filter(
        user=supervisor,
        action=Action.READ,
        subject_type="referral",
        person_id=item.notice.person_id,
        justification=why.format(referral.pk),
    ).exists()


@pytest.fixture
def counted(monkeypatch):
    """How many times each request runs the language check and lists the agencies to choose."""
    from childfirst.desk import services
    from childfirst.screening import language

    calls = {"language": 0, "agencies": 0}
    check, agencies = language.check_language, services.agencies_for_decision

    def counting_check(**kwargs):
        calls["language"] += 1
        return check(**kwargs)

    def counting_agencies(**kwargs):
        calls["agencies"] += 1
        return agencies(**kwargs)

    monkeypatch.setattr(language, "check_language", counting_check)
    monkeypatch.setattr(services, "agencies_for_decision", counting_agencies)

    def take():
        found = dict(calls)
        calls.update(language=0, agencies=0)
        return found

    return take


def test_the_decide_page_checks_the_wording_once_and_shows_it_as_other_pages_do(
    signed_in, setting, counted
):
    notice_id = b.items_of(b.incident())["Tobi"].notice_id
    client, _ = signed_in(Role.DESK_RESEARCHER)
    url = f"/desk/notices/{notice_id}/decide"
    page = client.get(url).content.decode()
    assert "Write the text, then check the wording" in page
    assert counted()["agencies"] == 1
    mash, marac = setting[AgencyKind.CHILDRENS_SOCIAL_CARE], setting[AgencyKind.MARAC]
    form = {"decision": "refer", "agencies": [str(mash.pk), str(marac.pk)]}

    page = client.post(url, form | {"text": "Tobi is streetwise.", "action": "check"})
    page = page.content.decode()
    assert counted() == {"language": 1, "agencies": 1}
    # The shared language findings (web/language_findings.html), beside the text.
    assert "app-language-findings" in page
    assert "Some words here may blame the child or make them seem older than they are." in page
    assert "<strong>“streetwise”</strong>" in page
    assert "No wording to change was found." not in page
    assert "Tobi is streetwise." in page  # the text is kept to edit
    assert not Referral.objects.exists()

    page = client.post(url, form | {"text": "Tobi hid under the bed.", "action": "check"})
    assert "No wording to change was found." in page.content.decode()
    assert counted() == {"language": 1, "agencies": 1}

    # A decision with a mistake shows the page again, with the findings, checked once.
    response = client.post(
        url,
        form | {"agencies": [str(mash.pk)], "text": "Tobi is streetwise.", "action": "decide"},
    )
    page = response.content.decode()
    assert "Enter why you changed the recommended agencies" in page
    assert "<strong>“streetwise”</strong>" in page
    assert counted() == {"language": 1, "agencies": 1}

    # A saved decision is checked once, by the service that keeps the findings with it.
    response = client.post(url, form | {"text": "Tobi is streetwise.", "action": "decide"})
    assert response.status_code == 302
    assert counted() == {"language": 1, "agencies": 1}
    assert [f["words"] for f in Referral.objects.get().language_findings] == ["streetwise"]


def test_a_quality_note_leads_back_to_the_same_sample(db, signed_in):
    b.hackney_postcode()
    referral_id = b.desk_samples()["desk:quality-note"]["referral_id"]
    client, _ = signed_in(Role.DESK_SUPERVISOR)
    asked = {"start": "1/11/2026", "end": "30/11/2026", "size": "5", "seed": "7"}
    page = client.get("/desk/sample", asked).content.decode()
    query = "start=1%2F11%2F2026&amp;end=30%2F11%2F2026&amp;size=5&amp;seed=7"
    assert f'href="/desk/referrals/{referral_id}/quality?{query}"' in page
    page = client.get(
        f"/desk/referrals/{referral_id}/quality", {**asked, "other": "x"}
    ).content.decode()
    assert f'href="/desk/sample?{query}" class="govuk-back-link"' in page
    response = client.post(
        f"/desk/referrals/{referral_id}/quality?start=1%2F11%2F2026&seed=7",
        {"note": "Good use of the child's voice"},
    )
    assert response["Location"] == (
        f"/desk/referrals/{referral_id}/quality?start=1%2F11%2F2026&seed=7"
    )

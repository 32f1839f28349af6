"""The referrals desk in Chromium: a domestic abuse incident comes in through the API, a desk
researcher finds the children in the queue, reads the history and the reasons for the grade,
writes and decides a referral, and a supervisor approves it. Every page is scanned by axe."""

import json
import urllib.request

import pytest
from playwright.sync_api import expect

from childfirst.accounts.models import Role
from childfirst.desk.models import Referral, ReferralStatus
from tests.browser.desk_pages import QueuePage, go_to_desk
from tests.browser.pages import sign_in
from tests.builders import make_user
from tests.desk import builders as desk
from tests.incidents.builders import intake_client, payload

try:
    from childfirst.people.index import reset_index
except ImportError:  # an identity service that keeps nothing in memory

    def reset_index():
        pass


@pytest.fixture(autouse=True)
def fresh_identity_index():
    reset_index()
    yield
    reset_index()


def send(live_server, token: str, data: dict) -> dict:
    """POST the incident to the API as a police records system would."""
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/incidents",
        data=json.dumps(data).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
        assert response.status in (200, 201), response.status
        return json.loads(response.read())


def notice_of(incident: dict, ref: str) -> int:
    """The number of the notice the API reply gives for the person sent as `ref`."""
    return next(notice["id"] for notice in incident["notices"] if notice["ref"] == ref)


def test_a_researcher_refers_a_red_child_and_a_supervisor_approves_it(tab, live_server):
    desk.hackney_postcode()
    desk.agencies()
    researcher = make_user(role=Role.DESK_RESEARCHER, full_name="Riya Researcher")
    supervisor = make_user(role=Role.DESK_SUPERVISOR, full_name="Sam Supervisor")
    _, token = intake_client()
    tobi = payload()["people"][1]
    # Tobi went missing in October: history the desk should see.
    send(
        live_server,
        token,
        payload(
            kind="missing_person",
            occurred_at="2026-10-01T18:00:00Z",
            reported_at="2026-10-01T19:00:00Z",
            questionnaires=[],
            people=[tobi | {"role": "missing_person"}],
        ),
    )
    incident = send(live_server, token, payload(questionnaires=[desk.dash(14)]))
    tobis_notice = notice_of(incident, tobi["ref"])

    queue = go_to_desk(sign_in(tab, researcher))
    expect(queue.children()).to_contain_text(["Tobi Example", "Ade Example"])
    queue = queue.filter(Grade="Red", **{"Who has it": "Nobody yet"})
    notice = queue.open_notice("Tobi Example", notice=tobis_notice, role="present")
    expect(notice.identity_bar()).to_contain_text("Date of birth: 3 September 2016")
    expect(notice.identity_bar()).to_contain_text("Borough: Hackney")
    # Seen, not only there: MOJ's identity bar gives text no size of its own.
    expect(notice.identity_bar().get_by_text("Date of birth: 3 September 2016")).to_be_visible()
    expect(notice.reasons()).to_contain_text(["The DASH is high risk (14"])
    expect(notice.page.get_by_text("Said he hid under the bed")).to_be_visible()
    expect(notice.timeline_titles()).to_contain_text(
        ["Domestic abuse incident: present (this notice)", "Missing episode"]
    )

    notice = notice.take()
    decide = notice.decide()
    expect(decide.agency("Hackney MASH – Hackney")).to_be_checked()
    expect(decide.agency("Hackney MARAC – Hackney")).to_be_checked()
    decide = decide.write("Tobi is streetwise and hid during the incident.").check_wording()
    expect(decide.findings().first).to_contain_text("streetwise")
    decide.write(
        "Tobi, 10, was at home during a high-risk domestic abuse incident. He hid under the bed."
    )
    queue = decide.choose("Refer").save()
    expect(queue.page.get_by_text("It is waiting for a supervisor")).to_be_visible()
    assert Referral.objects.get().status == ReferralStatus.AWAITING_APPROVAL

    queue.sign_out()
    approvals = go_to_desk(sign_in(tab, supervisor)).go_to_approvals()
    expect(approvals.waiting()).to_have_count(1)
    approve = approvals.open("Tobi Example", notice=tobis_notice)
    expect(approve.summary("Agencies")).to_contain_text("Hackney MARAC")
    approvals = approve.approve()
    expect(approvals.page.get_by_text("Nothing is waiting for approval.")).to_be_visible()
    assert Referral.objects.get().status == ReferralStatus.COMPLETE
    QueuePage.open(tab)  # the queue opens again: its title, heading and axe scan are checked


def test_a_supervisor_pauses_the_desk_review_clock_with_a_reason_and_restarts_it(tab, live_server):
    desk.hackney_postcode()
    desk.agencies()
    supervisor = make_user(role=Role.DESK_SUPERVISOR, full_name="Sam Supervisor")
    tobi = desk.items_of(desk.incident())["Tobi"]

    queue = go_to_desk(sign_in(tab, supervisor))
    notice = queue.open_notice("Tobi Example", notice=tobi.notice_id, role="present")
    pause = notice.pause_clock().pause_without_a_reason()
    expect(pause.error_summary()).to_contain_text("Enter why you are pausing the clock")
    notice = pause.pause("Waiting for the officer to confirm the child's school")
    expect(
        notice.page.get_by_text("The desk review clock is paused: Waiting for the officer")
    ).to_be_visible()
    expect(notice.timeline_titles()).to_contain_text(["Desk review clock paused"])

    notice = notice.restart_clock()
    expect(notice.page.get_by_text("The desk review clock has restarted")).to_be_visible()
    expect(notice.page.get_by_role("link", name="Pause the desk review clock")).to_be_visible()

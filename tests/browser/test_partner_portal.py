"""The partner portal in Chromium: a MARAC coordinator signs in, finds the referral sent to
their agency (about the adult victim), reads it, acknowledges it and records the MARAC's
decision (a mistake first, then the date heard and the actions); a desk researcher then sees
the answer on the child's timeline. Every page is scanned by axe."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from childfirst.accounts.models import Role
from childfirst.directory.models import AgencyKind
from tests.browser.desk_pages import NoticePage
from tests.browser.pages import sign_in
from tests.browser.portal_pages import go_to_referrals_received
from tests.builders import make_user
from tests.dispatch.portal_builders import agency, disclose

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


def test_a_marac_coordinator_records_a_decision_the_desk_then_sees(tab):
    marac = agency(AgencyKind.MARAC, code="hackney-marac", name="Hackney MARAC")
    other = agency(AgencyKind.MARAC, code="camden-marac", name="Camden MARAC")
    disclosure = disclose(marac)["hackney-marac"]
    disclose(other, child="Ade")
    coordinator = make_user(role=Role.PARTNER, agency=marac, full_name="Mo Coordinator")
    heard = timezone.localdate() - timedelta(days=1)

    received = go_to_referrals_received(sign_in(tab, coordinator))
    expect(received.rows()).to_have_count(1)
    # A MARAC referral is about the adult victim.
    expect(received.rows()).to_contain_text("Amara Example")
    referral = received.open("Amara Example", referral=disclosure.pk)
    expect(referral.summary_value("Lawful basis")).to_contain_text("Children Act 2004")
    referral = referral.acknowledge()
    expect(referral.summary_value("Acknowledged")).to_contain_text("Mo Coordinator, Hackney MARAC")

    decision = referral.record_decision()
    decision = decision.fill("Actions agreed", "Refuge place; IDVA to call").send_with_errors()
    expect(decision.error_summary()).to_contain_text("Enter the date heard")
    decision = (
        decision.choose("Heard at MARAC")
        .date("Date heard", heard.day, heard.month, heard.year)
        .send()
    )
    expect(decision.summary_value("Decision")).to_contain_text("Heard at MARAC")
    expect(decision.history()).to_contain_text(["Decision recorded", "Acknowledged"])
    received = go_to_referrals_received(decision).show("Decision recorded (1)")
    expect(received.rows()).to_contain_text("Amara Example")
    received.sign_out()

    researcher = make_user(role=Role.DESK_RESEARCHER, full_name="Riya Researcher")
    sign_in(tab, researcher)
    tab.open(f"/desk/notices/{disclosure.referral.notice_id}")
    notice = NoticePage(
        tab, notice=disclosure.referral.notice_id, child="Tobi Example", role="present"
    )
    expect(notice.timeline_titles()).to_contain_text(
        ["Hackney MARAC decided: heard at MARAC", "Hackney MARAC acknowledged the referral"]
    )
    expect(notice.page.get_by_text("Actions agreed: Refuge place; IDVA to call")).to_be_visible()

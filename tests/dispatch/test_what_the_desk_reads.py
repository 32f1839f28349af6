"""What people read on the dispatch pages once a referral is out: the partner's decision in the
words they chose, an adult's history without the incident being referred, a page title that
matches the heading, and each disclosure's state in the order things happened."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from childfirst.accounts.models import Role
from childfirst.dispatch import services
from childfirst.dispatch.models import Disclosure, DisclosureState
from childfirst.dispatch.partner import sections
from tests.builders import make_user
from tests.dispatch import builders as b

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies():
    return b.setting()


def title_of(html: str) -> str:
    return " ".join(re.search(r"<title>(.*?)</title>", html, re.S).group(1).split())


def h1_of(html: str) -> str:
    return " ".join(re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).split())


def sent_to_mash(agencies):
    referral = b.referral(agencies, names=("mash",))
    services.send_referral(referral=referral, by=make_user(), now=NOW)
    services.deliver_due(now=NOW)
    return referral, Disclosure.objects.get(agency=agencies["mash"])


def test_the_send_page_shows_the_partners_decision_in_the_words_they_chose(agencies, signed_in):
    referral, disclosure = sent_to_mash(agencies)
    services.record_decision(
        disclosure=disclosure,
        decision="section_17_assessment",
        details={},
        by_label="Mo Manager, Hackney MASH",
        at=NOW + timedelta(hours=3),
    )
    client, _ = signed_in(Role.DESK_RESEARCHER)

    page = client.get(f"/dispatch/referrals/{referral.pk}/send").content.decode()

    assert "Child in need assessment (section 17) (24 November 2026)" in page
    assert "section_17_assessment" not in page


def test_a_decided_disclosure_names_its_decision_for_people(agencies):
    _, disclosure = sent_to_mash(agencies)
    assert disclosure.decision_label == ""
    services.record_decision(
        disclosure=disclosure,
        decision="strategy_discussion_section_47",
        details={},
        by_label="Mo Manager, Hackney MASH",
        at=NOW,
    )
    disclosure.refresh_from_db()
    assert disclosure.decision_label == "Strategy discussion and section 47 enquiry"


def later_offence_by_the_suspect():
    return b.offence_by_the_suspect(
        occurred_at="2026-11-24T07:30:00Z", reported_at="2026-11-24T07:45:00Z"
    )


def test_an_adults_history_lists_only_their_earlier_records_not_the_incident_referred(agencies):
    referral = b.referral(agencies)
    later_offence_by_the_suspect()
    reference = referral.notice.incident.reference
    for agency in (agencies["mash"], agencies["marac"]):
        recipient = next(r for r in referral.recipients.all() if r.agency_id == agency.pk)
        _, content = services.compose(referral=referral, recipient=recipient)
        history = next(s for s in content["sections"] if s["id"] == "adult_history")

        assert [f["text"] for f in history["fields"]] == ["Violence, 2 March 2025 (suspect)"]
        assert all(f["value"]["reference"] != reference for f in history["fields"])


def test_the_portal_does_not_show_the_referred_incident_as_history_in_an_older_snapshot():
    history = [
        {
            "id": "P2_1",
            "label": "Dan Testerson",
            "value": {"kind": "domestic_abuse_incident", "reference": "CAD-1", "role": "suspect"},
            "text": "Domestic abuse incident, 23 November 2026 (suspect)",
        },
        {
            "id": "P2_2",
            "label": "Dan Testerson",
            "value": {"kind": "violence", "reference": "CAD-0", "role": "suspect"},
            "text": "Violence, 2 March 2025 (suspect)",
        },
    ]
    content = {
        "title": "Referral about a child",
        "police_reference": "CAD-1",
        "sections": [
            {"id": "adult_history", "title": "Adults' criminal history", "fields": history}
        ],
    }

    shown = {s.title: [(r.label, r.value) for r in s.rows] for s in sections(content)}

    assert shown["Adults' criminal history"] == [
        ("Dan Testerson", "Violence, 2 March 2025 (suspect)")
    ]


def test_the_send_pages_title_matches_its_heading_before_and_after_sending(agencies, signed_in):
    referral = b.referral(agencies, names=("mash",))
    client, _ = signed_in(Role.DESK_RESEARCHER)
    url = f"/dispatch/referrals/{referral.pk}/send"

    before = client.get(url).content.decode()
    assert h1_of(before) == "Check and send the referral"
    assert title_of(before) == "Check and send the referral – Child First"

    after = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert h1_of(after) == "Referral sent"
    assert title_of(after) == "Referral sent – Child First"


def test_the_title_says_when_a_referral_cannot_be_sent(agencies, signed_in):
    referral = b.referral(agencies, names=(), decision="no_further_action")
    client, _ = signed_in(Role.DESK_SUPERVISOR)
    page = client.get(f"/dispatch/referrals/{referral.pk}/send").content.decode()
    assert title_of(page).startswith(h1_of(page))


def test_a_delivered_disclosure_reads_as_delivered_and_not_yet_acknowledged(agencies, signed_in):
    referral, disclosure = sent_to_mash(agencies)
    assert disclosure.state == DisclosureState.DELIVERED
    client, _ = signed_in(Role.DESK_RESEARCHER)
    url = f"/dispatch/referrals/{referral.pk}/send"

    page = client.get(url).content.decode()
    assert "Delivered, not yet acknowledged" in page
    assert ">New<" not in page

    services.acknowledge(disclosure=disclosure, by_label="Mo Manager, Hackney MASH", at=NOW)
    page = client.get(url).content.decode()
    assert ">Acknowledged<" in page


def test_the_states_read_in_the_order_things_happen():
    assert [label for _, label in DisclosureState.choices] == [
        "Sent",
        "Delivered, not yet acknowledged",
        "Acknowledged",
        "Decision recorded",
        "Delivery failed",
    ]

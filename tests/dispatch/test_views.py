"""The desk's check-and-send page and the supervisor's watch pages."""

from datetime import UTC, datetime, timedelta

import pytest

from childfirst.accounts.models import Role
from childfirst.audit.models import AccessLogEntry, Action
from childfirst.desk.models import Decision
from childfirst.dispatch import services
from childfirst.dispatch.models import Disclosure, EventKind
from tests.builders import make_user
from tests.dispatch import builders as b

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies():
    return b.setting()


def test_the_desk_checks_what_each_agency_gets_then_sends(agencies, signed_in):
    referral = b.referral(agencies)
    client, user = signed_in(Role.DESK_RESEARCHER)
    url = f"/dispatch/referrals/{referral.pk}/send"

    page = client.get(url).content.decode()
    assert "Check and send the referral" in page
    assert "Operation Encompass notice" in page and "Hackney MARAC" in page
    assert AccessLogEntry.objects.filter(
        action=Action.READ, subject_type="referral", subject_id=str(referral.pk), user=user
    ).exists()
    assert not Disclosure.objects.exists()

    response = client.post(url, {"reason": ""}, follow=True)
    page = response.content.decode()
    assert "Referral sent to 3 agencies" in page
    assert "Where each disclosure is" in page
    assert Disclosure.objects.count() == 3
    # Once sent, the page still names the child: each look at it is logged.
    before = AccessLogEntry.objects.filter(justification=f"Sending referral {referral.pk}").count()
    client.get(url)
    shown = AccessLogEntry.objects.filter(
        user=user, action=Action.READ, justification=f"Sending referral {referral.pk}"
    )
    assert shown.count() == before + 1
    assert shown.first().person_id == str(referral.notice.person_id)


def test_a_decision_waiting_for_approval_cannot_be_sent(agencies, signed_in):
    referral = b.referral(agencies, names=(), decision=Decision.NO_FURTHER_ACTION)
    client, _ = signed_in(Role.DESK_SUPERVISOR)
    page = client.get(f"/dispatch/referrals/{referral.pk}/send").content.decode()
    assert "This referral cannot be sent" in page
    assert "Send referral" not in page


@pytest.mark.parametrize("role", [Role.FRONTLINE_OFFICER, Role.PARTNER, Role.AUDITOR])
def test_only_the_desk_opens_the_send_page(agencies, signed_in, role):
    referral = b.referral(agencies)
    client, _ = signed_in(role)
    assert client.get(f"/dispatch/referrals/{referral.pk}/send").status_code == 403


def test_supervisors_see_late_encompass_notices_and_overdue_decisions(agencies, signed_in):
    referral = b.referral(agencies, names=("mash", "school"))
    services.send_referral(referral=referral, by=make_user(), now=NOW)
    school = Disclosure.objects.get(agency=agencies["school"])
    # Not delivered, and the school day has started.
    services.deliver_due(now=NOW)  # delivered at 09:00, after 08:30
    assert services.encompass_breaches(now=NOW) == [school]
    client, _ = signed_in(Role.DESK_SUPERVISOR)
    page = client.get("/dispatch/breaches").content.decode()
    assert "Example Primary School" in page
    assert client.get("/dispatch/failures").status_code == 200
    researcher, _ = signed_in(Role.DESK_RESEARCHER)
    assert researcher.get("/dispatch/breaches").status_code == 403


def test_an_overdue_decision_is_chased_then_escalated(agencies, smtp):
    make_user(role=Role.DESK_SUPERVISOR, email="lead@example.police.uk")
    referral = b.referral(agencies, names=("mash",))
    (sent,) = services.send_referral(referral=referral, by=make_user(), now=NOW)
    services.deliver_due(now=NOW)
    smtp.messages.clear()
    due = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
    assert services.chase_overdue(now=due - timedelta(minutes=1)).reminded == []

    first = services.chase_overdue(now=due + timedelta(minutes=1))
    assert first.reminded == [sent] and first.escalated == []
    (reminder,) = smtp.messages
    assert reminder["to"] == ["mash@hackney.example.org"]
    assert "Tobi" not in reminder["data"]
    assert services.chase_overdue(now=due + timedelta(hours=2)).escalated == []

    later = services.chase_overdue(now=due + timedelta(hours=5))
    assert later.escalated == [sent]
    assert "lead@example.police.uk" in smtp.messages[-1]["to"]
    kinds = list(sent.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.REMINDED) == 1 and kinds.count(EventKind.ESCALATED) == 1
    assert services.chase_overdue(now=due + timedelta(hours=9)).escalated == []
    assert services.overdue_disclosures(now=due + timedelta(hours=9)) == [sent]
    services.record_decision(
        disclosure=sent, decision="already_open", details={}, by_label="Hackney MASH"
    )
    assert services.overdue_disclosures(now=due + timedelta(hours=9)) == []

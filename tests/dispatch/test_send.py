"""Sending a referral: disclosures written first, logged, idempotent (issue 5, item 2)."""

from datetime import UTC, datetime

import pytest

from childfirst.accounts.models import Role
from childfirst.audit.models import AccessLogEntry, Action
from childfirst.desk.models import Decision
from childfirst.dispatch import services
from childfirst.dispatch.models import (
    ContentKind,
    Delivery,
    DeliveryState,
    Disclosure,
    DisclosureState,
    EventKind,
)
from childfirst.timescales.services import clocks_for
from tests.builders import make_user
from tests.dispatch import builders as b

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies():
    return b.setting()


def test_each_recipient_gets_a_disclosure_written_before_any_delivery(agencies):
    referral = b.referral(agencies)
    sender = make_user(role=Role.DESK_RESEARCHER)

    sent = services.send_referral(referral=referral, by=sender, reason="", now=NOW)

    assert {d.agency.code for d in sent} == {"hackney-mash", "hackney-marac", "example-primary"}
    for disclosure in sent:
        assert disclosure.state == DisclosureState.SENT
        assert disclosure.sent_by == sender
        assert disclosure.lawful_basis.startswith("Children Act 2004")
        assert disclosure.content["sections"]
        assert disclosure.events.get().kind == EventKind.SENT
    by_code = {d.agency.code: d for d in sent}
    assert by_code["example-primary"].content_kind == ContentKind.ENCOMPASS_NOTICE
    assert by_code["example-primary"].deliver_by is not None
    # The portal always; email where the agency has an address for alerts.
    channels = {(d.disclosure.agency.code, d.channel) for d in Delivery.objects.all()}
    assert channels == {
        ("hackney-mash", "portal"),
        ("hackney-mash", "email"),
        ("hackney-marac", "portal"),
        ("example-primary", "portal"),
    }
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.PENDING}
    keys = {d.idempotency_key for d in sent}
    assert len(keys) == 3


def test_each_disclosure_is_in_the_access_log_with_its_recipient(agencies):
    referral = b.referral(agencies)
    sent = services.send_referral(referral=referral, by=make_user(), now=NOW)
    entries = AccessLogEntry.objects.filter(action=Action.DISCLOSE, subject_type="disclosure")
    assert {e.subject_id: e.recipients for e in entries} == {
        str(d.pk): [d.agency.name] for d in sent
    }
    for entry in entries:
        assert entry.person_id == str(referral.notice.person_id)
        assert f"Referral {referral.pk}" in entry.justification


def test_sending_again_returns_the_disclosures_already_written(agencies):
    referral = b.referral(agencies)
    first = services.send_referral(referral=referral, by=make_user(), now=NOW)
    again = services.send_referral(referral=referral, by=make_user(), now=NOW)
    assert [d.pk for d in again] == [d.pk for d in first]
    assert Disclosure.objects.count() == 3


def test_a_decision_of_no_further_action_is_never_sent(agencies):
    referral = b.referral(agencies, names=(), decision=Decision.NO_FURTHER_ACTION)
    with pytest.raises(services.DispatchError, match="no further action"):
        services.send_referral(referral=referral, by=make_user(), now=NOW)
    assert not Disclosure.objects.exists()


def test_once_committed_the_deliveries_run_and_social_cares_decision_clock_starts(
    agencies, django_capture_on_commit_callbacks, smtp
):
    referral = b.referral(agencies, names=("mash",))
    with django_capture_on_commit_callbacks(execute=True):
        (sent,) = services.send_referral(referral=referral, by=make_user(), now=NOW)
    sent.refresh_from_db()
    assert sent.state == DisclosureState.DELIVERED
    assert set(sent.deliveries.values_list("state", flat=True)) == {DeliveryState.DELIVERED}
    (clock,) = clocks_for(subject_type="disclosure", subject_ids=[sent.pk])[sent.pk]
    assert clock.rule == "la_decision"
    # Delivered on Tuesday 24 November: due at the end of Wednesday's working day.
    assert clock.due_at == datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
    (message,) = smtp.messages
    assert message["to"] == ["mash@hackney.example.org"]


def test_the_alert_email_carries_no_personal_data(agencies, smtp):
    referral = b.referral(agencies, names=("mash",))
    (sent,) = services.send_referral(referral=referral, by=make_user(), now=NOW)
    services.deliver_due(now=NOW)
    (message,) = smtp.messages
    text = message["data"]
    assert "A referral is waiting for you in Child First" in text
    assert f"/dispatch/portal/{sent.pk}" in text
    child = referral.notice.person
    for personal in [
        child.given_name,
        child.surname,
        "2016",
        "September",
        "E8 1DY",
        "Example Road",
        "Amara",
        "Harlow",
        "hid under",
    ]:
        assert personal not in text, personal


def test_a_partners_decision_stops_the_clock_and_reaches_the_childs_timeline(agencies):
    from childfirst.desk.services import view_notice

    referral = b.referral(agencies, names=("mash",))
    (sent,) = services.send_referral(referral=referral, by=make_user(), now=NOW)
    services.deliver_due(now=NOW)
    services.acknowledge(disclosure=sent, by_label="J. Smith, Hackney MASH")
    decided = services.record_decision(
        disclosure=sent, decision="early_help", details={}, by_label="J. Smith, Hackney MASH"
    )
    assert decided.state == DisclosureState.DECIDED
    (clock,) = clocks_for(subject_type="disclosure", subject_ids=[sent.pk])[sent.pk]
    assert clock.stopped_at is not None and clock.state == "met"
    # A second decision, however it arrives (the service itself, not only the portal's
    # check), is refused and changes nothing.
    with pytest.raises(services.AlreadyDecided):
        services.record_decision(
            disclosure=sent, decision="no_further_action", details={}, by_label="Someone else"
        )
    sent.refresh_from_db()
    assert sent.decision == "early_help"
    services.add_note(disclosure=sent, text="Family known to early help.", by_label="J. Smith")
    view = view_notice(notice_id=referral.notice_id, user=make_user())
    titles = [e.title for e in view.timeline]
    assert titles.count("Hackney MASH decided: early help") == 1  # once, in the partner's words
    assert titles.count("Hackney MASH acknowledged the referral") == 1
    assert titles.count("Note from Hackney MASH") == 1


def test_a_decision_the_agency_cannot_make_names_the_field(agencies):
    referral = b.referral(agencies, names=("marac",))
    (sent,) = services.send_referral(referral=referral, by=make_user(), now=NOW)
    with pytest.raises(services.ResponseInvalid) as error:
        services.record_decision(
            disclosure=sent, decision="early_help", details={}, by_label="MARAC"
        )
    assert error.value.errors == {"decision": "Select the decision: heard at MARAC"}
    with pytest.raises(services.ResponseInvalid) as error:
        services.record_decision(
            disclosure=sent, decision="heard", details={"date_heard": "yesterday"}, by_label="MARAC"
        )
    # Named as the portal and the API name them (one check, services.check_decision).
    assert error.value.errors == {
        "details.date_heard": "The date heard must be a real date, like 2026-11-20",
        "details.actions": "Enter the actions agreed",
    }


def encompass_clock(referral):
    (clock,) = [
        c
        for c in clocks_for(subject_type="notice", subject_ids=[referral.notice_id])[
            referral.notice_id
        ]
        if c.rule == "encompass"
    ]
    return clock


def test_delivering_the_school_notice_stops_the_notices_operation_encompass_clock(
    agencies, django_capture_on_commit_callbacks, smtp
):
    referral = b.referral(agencies, names=("school", "mash"))
    assert encompass_clock(referral).stopped_at is None
    with django_capture_on_commit_callbacks(execute=True):
        services.send_referral(referral=referral, by=make_user(), now=NOW)
    clock = encompass_clock(referral)
    assert clock.stopped_at is not None  # met, or breached if it was late: never left running
    school = Disclosure.objects.get(referral=referral, content_kind=ContentKind.ENCOMPASS_NOTICE)
    assert school.state == DisclosureState.DELIVERED


def test_social_care_alone_does_not_stop_the_school_notices_clock(
    agencies, django_capture_on_commit_callbacks, smtp
):
    referral = b.referral(agencies, names=("mash",))
    with django_capture_on_commit_callbacks(execute=True):
        services.send_referral(referral=referral, by=make_user(), now=NOW)
    assert encompass_clock(referral).stopped_at is None  # the child has a school to tell


def test_for_a_child_with_no_school_social_care_having_the_referral_stops_the_clock(
    agencies, django_capture_on_commit_callbacks, smtp
):
    from childfirst.timescales.models import Clock

    referral = b.referral(agencies, names=("mash",))
    Clock.objects.filter(pk=encompass_clock(referral).pk).update(school=None)  # no school known
    with django_capture_on_commit_callbacks(execute=True):
        services.send_referral(referral=referral, by=make_user(), now=NOW)
    assert encompass_clock(referral).stopped_at is not None

"""Webhook delivery to a real HTTP receiver on loopback: signatures, the idempotency key,
retries for each class of answer, and failure alerts (issue 5, item 3)."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings

from childfirst.accounts.models import Role
from childfirst.dispatch import services
from childfirst.dispatch.channels.webhook import verify
from childfirst.dispatch.delivery import backoff_seconds
from childfirst.dispatch.models import Delivery, DeliveryState, DisclosureState, EventKind
from tests.builders import make_user
from tests.dispatch import builders as b

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(receiver):
    agencies = b.setting()
    mash = agencies["mash"]
    mash.notify_email = ""
    mash.webhook_url, mash.webhook_secret = receiver.url, b.SECRET
    mash.save()
    referral = b.referral(agencies, names=("mash",))
    (disclosure,) = services.send_referral(referral=referral, by=make_user(), now=NOW)
    return disclosure


def webhook(disclosure):
    return Delivery.objects.get(disclosure=disclosure, channel="webhook")


def test_a_webhook_is_signed_and_carries_the_disclosures_idempotency_key(sent, receiver):
    services.deliver_due(now=NOW)
    (request,) = receiver.received
    assert request.headers["idempotency-key"] == str(sent.idempotency_key)
    assert request.headers["content-type"] == "application/json"
    assert verify(
        secret=b.SECRET,
        header=request.headers["child-first-signature"],
        body=request.body,
        now=int(NOW.timestamp()),
    )
    assert not verify(
        secret="wrong",
        header=request.headers["child-first-signature"],
        body=request.body,
        now=int(NOW.timestamp()),
    )
    assert request.json["content"] == sent.content
    assert webhook(sent).state == DeliveryState.DELIVERED


@pytest.mark.parametrize("answer", [500, 502, 503, (429, {"Retry-After": "120"}), "drop"], ids=str)
def test_connection_errors_5xx_and_429_are_tried_again_with_the_same_key(sent, receiver, answer):
    receiver.plan = [answer, answer]
    services.deliver_due(now=NOW)
    delivery = webhook(sent)
    assert delivery.state == DeliveryState.PENDING
    assert delivery.attempts == 1
    assert delivery.last_error
    wait = (delivery.next_attempt_at - NOW).total_seconds()
    assert 15 <= wait <= 30 or (answer == (429, {"Retry-After": "120"}) and wait == 120)
    # Not due yet: nothing is sent.
    assert services.deliver_due(now=NOW + timedelta(seconds=1)) == []
    later = delivery.next_attempt_at
    services.deliver_due(now=later)
    services.deliver_due(now=later + timedelta(hours=2))
    assert webhook(sent).state == DeliveryState.DELIVERED
    assert webhook(sent).attempts == 3
    keys = set(receiver.keys)
    assert keys == {str(sent.idempotency_key)}


@pytest.mark.parametrize("status", [400, 401, 404, 410, 301])
def test_any_other_answer_fails_at_once_and_alerts_the_supervisors(sent, receiver, smtp, status):
    make_user(role=Role.DESK_SUPERVISOR, email="supervisor@example.police.uk")
    receiver.plan = [status]
    services.deliver_due(now=NOW)
    delivery = webhook(sent)
    assert delivery.state == DeliveryState.FAILED
    assert f"HTTP {status}" in delivery.last_error
    event = sent.events.get(kind=EventKind.DELIVERY_FAILED)
    assert "Hackney MASH" in event.text
    (alert,) = smtp.messages
    assert "supervisor@example.police.uk" in alert["to"]
    assert "Tobi" not in alert["data"] and "Example Road" not in alert["data"]
    # The portal delivered it, so the agency still has it.
    sent.refresh_from_db()
    assert sent.state == DisclosureState.DELIVERED
    assert services.failed_deliveries() == [delivery]
    assert services.deliver_due(now=NOW + timedelta(days=1)) == []


@override_settings(CHILDFIRST_DELIVERY_RETRY_HOURS=1)
def test_after_the_retry_window_a_delivery_fails_and_alerts(sent, receiver, smtp):
    make_user(role=Role.DESK_SUPERVISOR)
    receiver.plan = [503] * 50
    moment = NOW
    for _ in range(50):
        services.deliver_due(now=moment)
        delivery = webhook(sent)
        if delivery.state != DeliveryState.PENDING:
            break
        moment = delivery.next_attempt_at
    assert delivery.state == DeliveryState.FAILED
    assert moment <= NOW + timedelta(hours=1)
    assert "stopped trying" in sent.events.get(kind=EventKind.DELIVERY_FAILED).text
    assert len(smtp.messages) == 1


def test_backoff_doubles_with_jitter_and_never_beats_retry_after():
    rng = random.Random(7)
    first = [backoff_seconds(1, rng=rng) for _ in range(20)]
    assert all(15 <= w <= 30 for w in first) and len(set(first)) > 1
    assert all(30 <= backoff_seconds(2, rng=rng) <= 60 for _ in range(20))
    assert backoff_seconds(20, rng=rng) <= 3600
    assert backoff_seconds(1, retry_after=600, rng=rng) == 600


def test_a_claimed_delivery_is_not_sent_again_until_its_lease_runs_out(sent, receiver):
    from childfirst.dispatch.delivery import claim_due

    (portal, hook) = sorted(claim_due(now=NOW), key=lambda d: d.channel)
    # A worker died here, after claiming and perhaps after sending.
    assert claim_due(now=NOW + timedelta(seconds=60)) == []
    again = claim_due(now=NOW + timedelta(minutes=6))
    assert {d.pk for d in again} == {portal.pk, hook.pk}
    assert all(d.attempts == 2 for d in again)

"""Delivering disclosures, exactly once as far as the partner can tell (docs/dispatch.md).

Each Delivery row is the truth about one channel of one disclosure. A worker claims due rows
in a short transaction (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite serialises
writers, and the claim takes its write lock at BEGIN), counts the attempt and moves the row's
next_attempt_at a lease into the future, then commits, sends, and records what happened. A
worker killed after sending but before recording leaves the row claimed: when the lease runs
out another worker sends it again with the SAME idempotency key (the disclosure's), and the
partner drops the repeat. Nothing is lost, and nothing is delivered under a new key.

Retries: connection errors, HTTP 5xx and 429 are tried again with exponential backoff and
jitter (honouring Retry-After) until CHILDFIRST_DELIVERY_RETRY_HOURS after the disclosure was
sent; then the delivery fails and the desk supervisors are alerted. Any other answer fails at
once and alerts."""

import logging
import random
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks_db.utils import exclusive_transaction

from childfirst.accounts.models import Role
from childfirst.directory.models import AgencyKind
from childfirst.dispatch.channels import Outcome, channel_for
from childfirst.dispatch.channels.email import send_plain
from childfirst.dispatch.models import (
    DECISION_CLOCK,
    ContentKind,
    Delivery,
    DeliveryChannel,
    DeliveryState,
    Disclosure,
    DisclosureEvent,
    DisclosureState,
    EventKind,
)

logger = logging.getLogger(__name__)
SYSTEM_LABEL = "Child First"
BASE_DELAY_SECONDS = 30
MAX_DELAY_SECONDS = 3600
# Deliveries claimed at once: small, so that a lease only covers what is being sent now.
CLAIM_BATCH = 20


def retry_window() -> timedelta:
    return timedelta(hours=float(settings.CHILDFIRST_DELIVERY_RETRY_HOURS))


def lease() -> timedelta:
    return timedelta(seconds=float(settings.CHILDFIRST_DELIVERY_LEASE_SECONDS))


def backoff_seconds(attempts: int, *, retry_after: float | None = None, rng=random) -> float:
    """Exponential (30s, 1m, 2m ... up to an hour) with full jitter on the upper half, never
    sooner than the receiver's Retry-After."""
    ceiling = min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2 ** max(0, attempts - 1))
    delay = ceiling / 2 + rng.random() * ceiling / 2
    return max(delay, retry_after or 0.0)


@dataclass(frozen=True)
class Attempted:
    delivery: Delivery
    outcome: Outcome


def claim_due(*, now, limit: int = 100, disclosure_ids=None) -> list[Delivery]:
    """Claim up to `limit` pending deliveries due by `now`: count the attempt and lease them."""
    with exclusive_transaction():
        due = Delivery.objects.filter(
            state=DeliveryState.PENDING, next_attempt_at__lte=now
        ).order_by("next_attempt_at", "pk")
        if disclosure_ids is not None:
            due = due.filter(disclosure_id__in=list(disclosure_ids))
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        ids = list(due.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids).update(
            attempts=F("attempts") + 1, next_attempt_at=now + lease()
        )
    return list(
        Delivery.objects.filter(pk__in=ids)
        .select_related("disclosure__agency")
        .order_by("next_attempt_at", "pk")
    )


def deliver_due(*, now=None, limit: int = CLAIM_BATCH, disclosure_ids=None) -> list[Attempted]:
    """One round: claim what is due, send each, then record them all in one transaction (one
    commit per batch, not per delivery). Returns what was attempted."""
    now = now or timezone.now()
    done = []
    for delivery in claim_due(now=now, limit=limit, disclosure_ids=disclosure_ids):
        try:
            outcome = channel_for(delivery.channel).send(delivery, now=now)
        except Exception as error:  # a bug in a channel must not stop the others
            logger.exception("Delivery %s raised", delivery.pk)
            outcome = Outcome.again(f"Child First could not send it ({type(error).__name__})")
        done.append(Attempted(delivery, outcome))
    alerts = []
    with transaction.atomic():
        _record_delivered([a.delivery for a in done if a.outcome.delivered], now)
        for attempted in done:
            if not attempted.outcome.delivered:
                alerts += _record(attempted.delivery, attempted.outcome, now)
    for alert in alerts:
        alert_supervisors(**alert)
    return done


def deliver_all_due(*, now=None, batch: int = CLAIM_BATCH) -> int:
    """Rounds until nothing is due (the worker's sweep)."""
    total = 0
    while True:
        done = deliver_due(now=now or timezone.now(), limit=batch)
        total += len(done)
        if len(done) < batch:
            return total


def _record(delivery: Delivery, outcome: Outcome, now) -> list[dict]:
    """An attempt that did not deliver: to be tried again later, or failed (with the alerts
    to send). Deliveries that arrived are recorded together by _record_delivered."""
    disclosure = delivery.disclosure
    channel = DeliveryChannel(delivery.channel).label.lower()
    give_up_at = disclosure.sent_at + retry_window()
    wait = backoff_seconds(delivery.attempts, retry_after=outcome.retry_after)
    next_at = now + timedelta(seconds=wait)
    if outcome.retry and next_at <= give_up_at:
        Delivery.objects.filter(pk=delivery.pk).update(
            next_attempt_at=next_at, last_error=outcome.error[:500]
        )
        delivery.next_attempt_at, delivery.last_error = next_at, outcome.error
        return []
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.FAILED, last_error=outcome.error[:500]
    )
    delivery.state, delivery.last_error = DeliveryState.FAILED, outcome.error
    why = outcome.error if not outcome.retry else f"{outcome.error}; stopped trying"
    DisclosureEvent.objects.create(
        disclosure=disclosure,
        kind=EventKind.DELIVERY_FAILED,
        at=now,
        by_label=SYSTEM_LABEL,
        text=f"Delivery by {channel} to {disclosure.agency.name} failed: {why}",
        details={
            "channel": delivery.channel,
            "attempts": delivery.attempts,
            "status": outcome.status,
        },
    )
    Disclosure.objects.filter(pk=disclosure.pk, state=DisclosureState.SENT).update(
        state=DisclosureState.FAILED
    )
    return [
        {
            "subject": "A referral could not be delivered",
            "body": (
                f"Child First could not deliver referral D{disclosure.pk} to "
                f"{disclosure.agency.name} by {channel}: {why}.\n\n"
                f"See the failed deliveries: {site_url('/dispatch/failures')}\n"
            ),
        }
    ]


def _record_delivered(deliveries: list[Delivery], now) -> None:
    """What _record does for a delivered one, for a whole batch in a few statements: the
    deliveries, each disclosure's first delivery (its state, and the decision clock of a
    children's social care front door), and an event each."""
    if not deliveries:
        return
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
        state=DeliveryState.DELIVERED, delivered_at=now, last_error=""
    )
    disclosures = {d.disclosure_id: d.disclosure for d in deliveries}
    # Locked, so two workers delivering two channels of one disclosure agree which was first.
    first = set(
        Disclosure.objects.select_for_update()
        .filter(pk__in=list(disclosures), state__in=[DisclosureState.SENT, DisclosureState.FAILED])
        .values_list("pk", flat=True)
    )
    Disclosure.objects.filter(pk__in=list(first)).update(
        state=DisclosureState.DELIVERED, delivered_at=now
    )
    events, clocks = [], []
    told_school, told_social_care = set(), set()  # disclosures that can meet Encompass
    for delivery in deliveries:
        delivery.state, delivery.delivered_at = DeliveryState.DELIVERED, now
        disclosure = delivery.disclosure
        channel = DeliveryChannel(delivery.channel).label.lower()
        events.append(
            DisclosureEvent(
                disclosure=disclosure,
                kind=EventKind.DELIVERED,
                at=now,
                by_label=SYSTEM_LABEL,
                text=f"Delivered to {disclosure.agency.name} by {channel}",
                details={"channel": channel},
            )
        )
        if disclosure.pk in first:
            first.discard(disclosure.pk)
            disclosure.state, disclosure.delivered_at = DisclosureState.DELIVERED, now
            if disclosure.agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE:
                clocks.append(_decision_clock(disclosure, now=now))
                told_social_care.add(disclosure.referral_id)
            if disclosure.content_kind == ContentKind.ENCOMPASS_NOTICE:
                told_school.add(disclosure.referral_id)
    DisclosureEvent.objects.bulk_create(events)
    if clocks:
        from childfirst.timescales.services import start_clocks

        start_clocks(requests=clocks)
    if told_school or told_social_care:
        _stop_encompass_clocks(school=told_school, social_care=told_social_care, now=now)


def _stop_encompass_clocks(*, school: set[int], social_care: set[int], now):
    """A notice's Operation Encompass clock stops when its school has the Encompass notice or,
    for a child with no school recorded (a clock with no school: the local authority is told
    instead), when children's social care has the referral. Late is still late: a clock past
    its time stays breached (timescales.stop_clock). Arguments are referral ids."""
    from childfirst.desk.models import Referral
    from childfirst.timescales.rules import ENCOMPASS
    from childfirst.timescales.services import clocks_for, stop_clock

    notices = dict(
        Referral.objects.filter(pk__in=list(school | social_care)).values_list("pk", "notice_id")
    )
    to_school = {notices[pk] for pk in school}
    to_social_care = {notices[pk] for pk in social_care}
    found = clocks_for(subject_type="notice", subject_ids=list(to_school | to_social_care))
    for notice_id, notice_clocks in found.items():
        for clock in notice_clocks:
            if clock.rule != ENCOMPASS or clock.stopped_at is not None:
                continue
            if notice_id in to_school:
                reason = "The school has the Operation Encompass notice"
            elif clock.school_id is None and notice_id in to_social_care:
                reason = "The local authority has the referral (no school recorded)"
            else:
                continue
            stop_clock(clock=clock, at=now, reason=reason)


def _decision_clock(disclosure: Disclosure, *, now):
    from childfirst.timescales.services import ClockRequest

    return ClockRequest(
        rule=DECISION_CLOCK,
        subject_type="disclosure",
        subject_id=disclosure.pk,
        started_at=now,
        local_authority_id=disclosure.agency.local_authority_id,
        label=f"Decision by {disclosure.agency.name}",
    )


def site_url(path: str) -> str:
    return settings.CHILDFIRST_SITE_URL.rstrip("/") + path


def supervisor_emails() -> list[str]:
    return list(
        get_user_model()
        .objects.filter(role=Role.DESK_SUPERVISOR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def alert_supervisors(*, subject: str, body: str) -> bool:
    """Email the desk supervisors (no personal data: references and agency names only). An
    alert that cannot be sent is logged; the event and the pages still show the problem."""
    to = supervisor_emails()
    if not to:
        return False
    outcome = send_plain(to=to, subject=subject, body=body)
    if not outcome.delivered:
        logger.warning("Could not alert the desk supervisors: %s", outcome.error)
    return outcome.delivered

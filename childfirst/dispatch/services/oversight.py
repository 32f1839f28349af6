"""What the desk watches after sending: failed deliveries, Operation Encompass notices that
missed the school day, overdue decisions chased (reminder, then escalation), and the lines
dispatch adds to the child's timeline on the desk's pages."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from childfirst.desk.extensions import TimelineItem
from childfirst.dispatch.channels.email import send_plain
from childfirst.dispatch.content.rules import dispatch_rules
from childfirst.dispatch.delivery import SYSTEM_LABEL, alert_supervisors, site_url
from childfirst.dispatch.models import (
    DECISION_CLOCK,
    ContentKind,
    Delivery,
    DeliveryState,
    Disclosure,
    DisclosureEvent,
    DisclosureState,
    EventKind,
)
from childfirst.timescales.models import Clock


def failed_deliveries(*, limit: int = 500) -> list[Delivery]:
    return list(
        Delivery.objects.filter(state=DeliveryState.FAILED)
        .select_related("disclosure__agency")
        .order_by("-disclosure__sent_at", "-pk")[:limit]
    )


def encompass_breaches(*, now=None, limit: int = 500) -> list[Disclosure]:
    """Operation Encompass notices delivered after the start of the school day, or not yet
    delivered and past it."""
    now = now or timezone.now()
    return list(
        Disclosure.objects.filter(
            content_kind=ContentKind.ENCOMPASS_NOTICE, deliver_by__isnull=False
        )
        .filter(
            Q(delivered_at__isnull=True, deliver_by__lt=now) | Q(delivered_at__gt=F("deliver_by"))
        )
        .select_related("agency")
        .order_by("deliver_by", "pk")[:limit]
    )


def overdue_decisions(*, now=None) -> list[tuple[Disclosure, Clock]]:
    now = now or timezone.now()
    clocks = list(
        Clock.objects.filter(
            rule=DECISION_CLOCK,
            subject_type="disclosure",
            stopped_at__isnull=True,
            due_at__lte=now,
        ).order_by("due_at", "pk")
    )
    disclosures = Disclosure.objects.select_related("agency").in_bulk(
        [c.subject_id for c in clocks]
    )
    return [
        (disclosures[c.subject_id], c)
        for c in clocks
        if c.subject_id in disclosures
        and disclosures[c.subject_id].state != DisclosureState.DECIDED
    ]


@dataclass
class ChaseResult:
    reminded: list[Disclosure] = field(default_factory=list)
    escalated: list[Disclosure] = field(default_factory=list)


def chase_overdue(*, now=None) -> ChaseResult:
    """Remind the agency of each overdue decision (an email with no personal data, and an
    event), then, if it is still not decided, escalate to the desk supervisors."""
    now = now or timezone.now()
    rules = dispatch_rules()
    result = ChaseResult()
    overdue = overdue_decisions(now=now)
    chased: dict[int, dict] = {}  # disclosure -> {kind: when}, in one query for them all
    for event in DisclosureEvent.objects.filter(
        disclosure__in=[disclosure for disclosure, _ in overdue],
        kind__in=[EventKind.REMINDED, EventKind.ESCALATED],
    ).order_by("at"):
        chased.setdefault(event.disclosure_id, {})[event.kind] = event.at
    for disclosure, clock in overdue:
        kinds = chased.get(disclosure.pk, {})
        reminded_at = kinds.get(EventKind.REMINDED)
        if reminded_at is None:
            if now < clock.due_at + timedelta(hours=rules.remind_after_hours):
                continue
            _remind(disclosure, now=now)
            result.reminded.append(disclosure)
        elif EventKind.ESCALATED not in kinds:
            if now < reminded_at + timedelta(hours=rules.escalate_after_hours):
                continue
            _escalate(disclosure, now=now)
            result.escalated.append(disclosure)
    return result


def _remind(disclosure: Disclosure, *, now):
    from childfirst.dispatch.channels.email import portal_link

    agency = disclosure.agency
    address = agency.notify_email or agency.contact_email
    sent = False
    if address:
        sent = send_plain(
            to=[address],
            subject="A referral is waiting for your decision in Child First",
            body=(
                f"Referral D{disclosure.pk} for {agency.name} is waiting for a decision, "
                "which was due by the end of the working day after it arrived.\n\n"
                f"Sign in to record it: {portal_link(disclosure)}\n\n"
                "This email has no details of the child, for their safety.\n"
            ),
        ).delivered
    with transaction.atomic():
        DisclosureEvent.objects.create(
            disclosure=disclosure,
            kind=EventKind.REMINDED,
            at=now,
            by_label=SYSTEM_LABEL,
            text=f"Reminder sent to {agency.name}: the decision is overdue"
            + ("" if sent else " (the reminder email could not be sent)"),
        )


def _escalate(disclosure: Disclosure, *, now):
    agency = disclosure.agency
    DisclosureEvent.objects.create(
        disclosure=disclosure,
        kind=EventKind.ESCALATED,
        at=now,
        by_label=SYSTEM_LABEL,
        text=f"Escalated to the desk supervisors: no decision yet from {agency.name}",
    )
    alert_supervisors(
        subject="A partner's decision on a referral is overdue",
        body=(
            f"{agency.name} has not recorded a decision on referral D{disclosure.pk}, and was "
            "reminded.\n\n"
            f"See the overdue decisions: {site_url('/dispatch/breaches')}\n"
        ),
    )


def overdue_disclosures(*, now=None) -> list[Disclosure]:
    return [d for d, _ in overdue_decisions(now=now)]


def timeline_items(*, person_ids: list[int]) -> list[TimelineItem]:
    """The police side's dispatch events about the given persons' referrals (sent, delivered,
    failed, chased), for the desk's timeline. The partners' own answers (acknowledged, decided,
    notes) come from partner.timeline, in their words."""
    events = (
        DisclosureEvent.objects.filter(disclosure__referral__notice__person_id__in=person_ids)
        .exclude(kind__in=[EventKind.ACKNOWLEDGED, EventKind.DECIDED, EventKind.NOTE])
        .select_related("disclosure__referral__notice", "disclosure__agency")
        .order_by("at", "pk")
    )
    return [
        TimelineItem(
            person_id=e.disclosure.referral.notice.person_id,
            at=e.at,
            title=_title(e),
            by="",
        )
        for e in events
    ]


def _title(event) -> str:
    return (event.text or f"{event.get_kind_display()}: {event.disclosure.agency.name}")[:200]

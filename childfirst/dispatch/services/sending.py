"""Previewing and sending a referral: one disclosure per recipient, written with its content
snapshot, agreement and lawful basis before any delivery is tried (issue 5, items 1 and 2)."""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from childfirst.audit.models import Action
from childfirst.audit.services import AccessEvent, record_accesses, record_names_shown
from childfirst.desk.models import Decision, Referral, ReferralStatus
from childfirst.directory.models import School
from childfirst.dispatch.content import compose
from childfirst.dispatch.content.facts import Facts
from childfirst.dispatch.models import (
    ContentKind,
    Delivery,
    DeliveryChannel,
    Disclosure,
    DisclosureEvent,
    EventKind,
)

logger = logging.getLogger(__name__)
SENDABLE_DECISIONS = (Decision.REFER, Decision.SHARE)


class DispatchError(Exception):
    """What the desk asked for cannot be done (a referral not ready to send)."""


@dataclass
class Preview:
    recipient: object  # desk.ReferralRecipient
    agency: object
    agreement: object
    content_kind: str
    content: dict
    channels: list[str] = field(default_factory=list)

    @property
    def content_kind_label(self) -> str:
        return ContentKind(self.content_kind).label


def referral_for_page(referral_id: int, *, user, request=None) -> Referral | None:
    """The referral for the desk's "check and send" page; the child the page names is logged,
    with the referral as the reason."""
    referral = referral_for_sending(referral_id)
    if referral is not None:
        record_names_shown(
            actor=user,
            person_ids=[referral.notice.person_id],
            justification=f"Sending referral {referral.pk}",
            request=request,
        )
    return referral


def referral_for_sending(referral_id: int) -> Referral | None:
    return (
        Referral.objects.select_related(
            "notice__person",
            "notice__incident__local_authority",
            "notice__involvement",
            "screening",
            "decided_by",
            "approved_by",
        )
        .prefetch_related("recipients__agency", "recipients__agreement")
        .filter(pk=referral_id)
        .first()
    )


def why_not_sendable(referral: Referral) -> str:
    """Empty when the referral may be sent; else what stops it, in plain words."""
    if referral.decision not in SENDABLE_DECISIONS:
        return "A decision of no further action is not sent to anyone"
    if referral.status == ReferralStatus.AWAITING_APPROVAL:
        return "This decision is waiting for a supervisor to approve it"
    if referral.status != ReferralStatus.COMPLETE:
        return "This decision was returned to the desk, so it cannot be sent"
    if not list(referral.recipients.all()):
        return "This referral names no agency"
    return ""


def channels_for(agency) -> list[str]:
    channels = [DeliveryChannel.PORTAL]
    if agency.notify_email:
        channels.append(DeliveryChannel.EMAIL)
    if agency.webhook_url and agency.webhook_secret:
        channels.append(DeliveryChannel.WEBHOOK)
    return channels


def preview_referral(*, referral, user, request=None) -> list[Preview]:
    """What each recipient would get, for the desk to check before sending (the read is
    logged, the referral being the justification)."""
    facts = Facts(referral)
    previews = []
    for recipient in _recipients(referral):
        kind, content = compose(referral=referral, recipient=recipient, facts=facts)
        previews.append(
            Preview(
                recipient=recipient,
                agency=recipient.agency,
                agreement=recipient.agreement,
                content_kind=kind,
                content=content,
                channels=[DeliveryChannel(c).label for c in channels_for(recipient.agency)],
            )
        )
    record_accesses(
        actor=user,
        events=[
            AccessEvent(
                action=Action.READ,
                subject_type="referral",
                subject_id=referral.pk,
                subject_label=f"Check and send referral {referral.pk}",
                justification=f"Checking referral {referral.pk} on notice "
                f"{referral.notice_id} before sending it",
                person_id=facts.child.pk,
                details={"recipients": [p.agency.code for p in previews]},
            )
        ],
        request=request,
    )
    return previews


def _recipients(referral):
    return sorted(referral.recipients.all(), key=lambda r: (r.agency.name, r.pk))


def disclosures_of(*, referral) -> list[Disclosure]:
    return list(
        Disclosure.objects.filter(referral_id=referral.pk)
        .select_related("agency", "sent_by")
        .prefetch_related("deliveries", "events")
        .order_by("agency__name", "pk")
    )


def send_referral(*, referral, by, reason: str = "", request=None, now=None) -> list[Disclosure]:
    """Write every disclosure of the referral and its deliveries in one transaction, log each to
    the access log with its recipient, and queue the deliveries once it commits. Sending again
    returns the disclosures already written."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        existing = disclosures_of(referral=locked)
        if existing:
            return existing
        referral = referral_for_sending(locked.pk)
        problem = why_not_sendable(referral)
        if problem:
            raise DispatchError(problem)
        facts = Facts(referral)
        why = reason.strip() or (
            f"{referral.get_decision_display()} decided at the desk on notice "
            f"{referral.notice_id} by {referral.decided_by.full_name}"
        )
        disclosures = []
        for recipient in _recipients(referral):
            kind, content = compose(referral=referral, recipient=recipient, facts=facts)
            disclosures.append(
                Disclosure.objects.create(
                    referral=referral,
                    recipient=recipient,
                    agency=recipient.agency,
                    agreement=recipient.agreement,
                    lawful_basis=recipient.agreement.lawful_basis,
                    content_kind=kind,
                    content=content,
                    sent_by=by,
                    sent_at=now,
                    reason=why,
                    deliver_by=_deliver_by(kind, facts, recipient.agency, now),
                )
            )
        Delivery.objects.bulk_create(
            Delivery(disclosure=d, channel=channel, next_attempt_at=now)
            for d in disclosures
            for channel in channels_for(d.agency)
        )
        DisclosureEvent.objects.bulk_create(
            DisclosureEvent(
                disclosure=d,
                kind=EventKind.SENT,
                at=now,
                by_user=by,
                by_label=by.full_name,
                text=f"Referral sent to {d.agency.name} by {by.full_name}",
            )
            for d in disclosures
        )
        record_accesses(
            actor=by,
            events=[
                AccessEvent(
                    action=Action.DISCLOSE,
                    subject_type="disclosure",
                    subject_id=d.pk,
                    subject_label=f"{ContentKind(d.content_kind).label} to {d.agency.name}",
                    justification=f"Referral {referral.pk} on notice {referral.notice_id}: {why}",
                    person_id=facts.child.pk,
                    recipients=(d.agency.name,),
                    details={
                        "referral": referral.pk,
                        "agency": d.agency.code,
                        "agreement": d.agreement.name,
                        "lawful_basis": d.lawful_basis,
                        "content_kind": d.content_kind,
                    },
                )
                for d in disclosures
            ],
            request=request,
        )
        ids = [d.pk for d in disclosures]
        transaction.on_commit(lambda: _enqueue(ids))
    return disclosures_of(referral=referral)


def _enqueue(disclosure_ids: list[int]):
    from childfirst.dispatch.tasks import deliver_disclosures

    try:
        deliver_disclosures.enqueue(disclosure_ids=disclosure_ids)
    except Exception:  # the worker's sweep delivers them anyway
        logger.exception("Could not queue deliveries of disclosures %s", disclosure_ids)


def _deliver_by(kind, facts: Facts, agency, now):
    """Operation Encompass: before the start of the child's next school day after the incident
    (the notice's encompass clock when screening started one)."""
    if kind != ContentKind.ENCOMPASS_NOTICE:
        return None
    from childfirst.timescales.rules import ENCOMPASS
    from childfirst.timescales.services import clocks_for, due_at

    for clock in clocks_for(subject_type="notice", subject_ids=[facts.notice.pk])[facts.notice.pk]:
        if clock.rule == ENCOMPASS:
            return clock.due_at
    school = School.objects.filter(agency=agency).first()
    try:
        return due_at(
            rule=ENCOMPASS,
            start=facts.incident.occurred_at,
            local_authority_id=facts.incident.local_authority_id,
            school_id=school.pk if school else None,
        )
    except Exception:
        logger.exception("Could not work out the Operation Encompass deadline")
        return None

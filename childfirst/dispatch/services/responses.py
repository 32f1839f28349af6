"""What the partner agency sends back: acknowledgement, decision, notes (used by the portal and
the partner API). Each writes an event both sides see and an entry in the access log. What is
recorded is checked here (decisions.check_decision, the one check of a decision), so a caller
cannot store what the portal or the API would refuse."""

from django.db import transaction
from django.utils import timezone

from childfirst.audit.models import Action
from childfirst.audit.services import SystemActor, record_access
from childfirst.dispatch.models import (
    DECISION_CLOCK,
    Disclosure,
    DisclosureEvent,
    DisclosureState,
    EventKind,
)
from childfirst.dispatch.services.decisions import (
    NOTES_MAX,
    ResponseInvalid,
    check_decision,
    decision_label,
)


class AlreadyDecided(ValueError):
    """The agency's decision is recorded already: it is recorded once (a note tells of a
    change)."""


def _actor(by_user, by_client, by_label):
    """Who the access log names: the partner's user, or its case system's API client."""
    return by_user or by_client or SystemActor(label=by_label)


def _log(disclosure, *, by_user, by_client, by_label, what, details=None):
    record_access(
        actor=_actor(by_user, by_client, by_label),
        action=Action.UPDATE,
        subject_type="disclosure",
        subject_id=disclosure.pk,
        subject_label=f"{what}: disclosure {disclosure.pk} to {disclosure.agency.name}"[:200],
        person_id=_person_id(disclosure),
        justification=f"Response from {disclosure.agency.name} to referral "
        f"{disclosure.referral_id}",
        details=details or {},
    )


def _person_id(disclosure):
    from childfirst.desk.models import Referral

    return (
        Referral.objects.filter(pk=disclosure.referral_id)
        .values_list("notice__person_id", flat=True)
        .first()
    )


def _locked(disclosure) -> Disclosure:
    return Disclosure.objects.select_for_update().select_related("agency").get(pk=disclosure.pk)


def acknowledge(*, disclosure, by_label: str, by_user=None, by_client=None, at=None) -> Disclosure:
    """The agency has it. Acknowledging again changes nothing."""
    at = at or timezone.now()
    with transaction.atomic():
        found = _locked(disclosure)
        if found.acknowledged_at is not None:
            return found
        found.acknowledged_at, found.acknowledged_by_label = at, by_label[:200]
        fields = ["acknowledged_at", "acknowledged_by_label"]
        if found.state in (DisclosureState.SENT, DisclosureState.DELIVERED, DisclosureState.FAILED):
            found.state = DisclosureState.ACKNOWLEDGED
            fields.append("state")
        found.save(update_fields=fields)
        DisclosureEvent.objects.create(
            disclosure=found,
            kind=EventKind.ACKNOWLEDGED,
            at=at,
            by_user=by_user,
            by_label=by_label[:200],
            text=f"Acknowledged by {by_label}",
        )
        _log(found, by_user=by_user, by_client=by_client, by_label=by_label, what="Acknowledged")
    return found


def record_decision(
    *,
    disclosure,
    decision: str,
    details: dict | None,
    notes: str = "",
    by_label: str,
    by_user=None,
    by_client=None,
    at=None,
) -> Disclosure:
    """The agency's decision, checked (ResponseInvalid names every wrong field) and recorded
    once (AlreadyDecided if it is recorded already, checked under the row's lock so two at once
    cannot both land): stops the local authority decision clock, recorded as an event on the
    child's timeline, logged."""
    at = at or timezone.now()
    clean = check_decision(
        agency_kind=disclosure.agency.kind,
        decision=decision,
        details=details,
        notes=notes,
        today=timezone.localdate(at),
    )
    label = decision_label(disclosure.agency.kind, decision)
    with transaction.atomic():
        found = _locked(disclosure)
        if found.decided_at is not None:
            raise AlreadyDecided(
                "A decision is already recorded for this referral. Add a note to tell the "
                "police of a change"
            )
        found.decision, found.decision_details = decision, clean
        found.decided_at, found.decided_by_label = at, by_label[:200]
        found.state = DisclosureState.DECIDED
        if found.acknowledged_at is None:
            found.acknowledged_at, found.acknowledged_by_label = at, by_label[:200]
        found.save(
            update_fields=[
                "decision",
                "decision_details",
                "decided_at",
                "decided_by_label",
                "state",
                "acknowledged_at",
                "acknowledged_by_label",
            ]
        )
        DisclosureEvent.objects.create(
            disclosure=found,
            kind=EventKind.DECIDED,
            at=at,
            by_user=by_user,
            by_label=by_label[:200],
            text=f"{found.agency.name} decided: {label}",
            # The decision last: an NRM decision has a detail named "decision" (yes or no).
            details={**clean, "decision": decision},
        )
        from childfirst.timescales.services import stop_clocks_for

        stop_clocks_for(
            subject_type="disclosure",
            subject_id=found.pk,
            rules=[DECISION_CLOCK],
            at=at,
            by=by_user,
            reason=f"Decision recorded by {by_label}"[:500],
        )
        _log(
            found,
            by_user=by_user,
            by_client=by_client,
            by_label=by_label,
            what=f"Decision: {label}",
            details={"decision": decision},
        )
    return found


def add_note(
    *, disclosure, text: str, by_label: str, by_user=None, by_client=None, at=None
) -> DisclosureEvent:
    """A note back to the police (a change of plan, a question): ResponseInvalid names "text"
    when it is empty, not text, or over 5,000 characters."""
    text = (text or "").strip() if isinstance(text, str) else text
    if not isinstance(text, str) or not text:
        raise ResponseInvalid({"text": "Enter your note for the police"})
    if len(text) > NOTES_MAX:
        raise ResponseInvalid({"text": "Your note must be 5,000 characters or fewer"})
    at = at or timezone.now()
    with transaction.atomic():
        event = DisclosureEvent.objects.create(
            disclosure=disclosure,
            kind=EventKind.NOTE,
            at=at,
            by_user=by_user,
            by_label=by_label[:200],
            text=text,
        )
        _log(disclosure, by_user=by_user, by_client=by_client, by_label=by_label, what="Note added")
    return event

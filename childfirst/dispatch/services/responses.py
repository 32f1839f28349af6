"""What the partner agency sends back: acknowledgement, decision, notes (used by the portal and
the partner API). Each writes an event both sides see and an entry in the access log."""

from datetime import date

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
from childfirst.dispatch.services.decisions import decision_choices_for, decision_details_for


class ResponseInvalid(ValueError):
    """What is wrong with a partner's response, by field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


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


def check_decision(*, agency_kind: str, decision: str, details: dict) -> dict:
    """The decision and its details, checked and tidied; ResponseInvalid names each field."""
    errors = {}
    allowed = dict(decision_choices_for(agency_kind))
    if decision not in allowed:
        errors["decision"] = f"Select one of: {', '.join(allowed.values())}"
        raise ResponseInvalid(errors)
    clean = {}
    for detail in decision_details_for(agency_kind, decision):
        value = details.get(detail.name)
        value = value.strip() if isinstance(value, str) else value
        if value in (None, ""):
            if detail.required:
                errors[detail.name] = f"Enter {detail.label.lower()}"
            continue
        if detail.kind == "date":
            try:
                value = date.fromisoformat(str(value)).isoformat()
            except ValueError:
                errors[detail.name] = f"Enter {detail.label.lower()} as a date, like 2026-11-24"
                continue
        elif detail.kind == "yes_no" and value not in ("yes", "no"):
            errors[detail.name] = f"Select yes or no for {detail.label.lower()}"
            continue
        clean[detail.name] = value
    known = {d.name for d in decision_details_for(agency_kind, decision)}
    for name, value in (details or {}).items():
        if name not in known and value not in (None, ""):
            clean.setdefault(name, value)
    if errors:
        raise ResponseInvalid(errors)
    return clean


def record_decision(
    *,
    disclosure,
    decision: str,
    details: dict,
    by_label: str,
    by_user=None,
    by_client=None,
    at=None,
) -> Disclosure:
    """The agency's decision, recorded once (AlreadyDecided if it is recorded already, checked
    under the row's lock so two at once cannot both land): stops the local authority decision
    clock, recorded as an event on the child's timeline, logged."""
    at = at or timezone.now()
    clean = check_decision(
        agency_kind=disclosure.agency.kind, decision=decision, details=details or {}
    )
    label = dict(decision_choices_for(disclosure.agency.kind))[decision]
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
            details={"decision": decision, **clean},
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
    text = (text or "").strip()
    if not text:
        raise ResponseInvalid({"text": "Enter the note for the police"})
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

"""Record every access to a child's data (Data Protection Act 2018 section 62)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from childfirst import bulk
from childfirst.audit.models import AccessLogEntry, Action

# Actions that must say why: reading a child's record and disclosing it.
NEEDS_JUSTIFICATION = {Action.READ, Action.SEARCH, Action.DISCLOSE, Action.EXPORT}


class MissingJustification(ValueError):
    """A read or disclosure was attempted without saying why."""


@dataclass(frozen=True)
class SystemActor:
    """The system itself, for work no person started (a scheduled task, a rebuild)."""

    label: str = "Child First system"


SYSTEM = SystemActor()


@dataclass(frozen=True)
class AccessEvent:
    """One access, for record_accesses: what and why (the actor is given once for all)."""

    action: str
    subject_type: str
    subject_id: object
    justification: str = ""
    subject_label: str = ""
    person_id: object = None
    recipients: tuple = ()
    details: dict | None = None


def record_access(
    *,
    actor,
    action: str,
    subject_type: str,
    subject_id,
    justification: str = "",
    subject_label: str = "",
    person_id=None,
    recipients: Iterable[str] = (),
    details: dict | None = None,
    request=None,
) -> AccessLogEntry:
    """Append one entry to the access log and return it.

    `actor` is a user, an API client or SYSTEM. `justification` names the notice, referral or
    case the access serves, or the reason the user typed; reads and disclosures must have one.
    `recipients` lists who received a disclosure.
    """
    event = AccessEvent(
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        justification=justification,
        subject_label=subject_label,
        person_id=person_id,
        recipients=tuple(recipients),
        details=details,
    )
    entry = AccessLogEntry(
        **_entry_fields(actor=actor, event=event, at=timezone.now(), request=request)
    )
    entry.save()
    return entry


def record_accesses(*, actor, events: Iterable[AccessEvent], request=None) -> int:
    """Append many entries by one actor at once (a batch of incidents from intake).

    Every event is checked as record_access checks one; if any fails, none is written."""
    kind, label, user = _describe(actor)
    rows = [_event_values(event) for event in events]
    bulk.insert_rows(
        AccessLogEntry,
        EVENT_FIELDS,
        rows,
        same={
            "at": timezone.now(),
            "user_id": None if user is None else user.pk,
            "actor_kind": kind,
            "actor_label": label[:200],
            "ip_address": _client_ip(request),
        },
    )
    return len(rows)


def record_names_shown(*, actor, person_ids, justification: str, request=None) -> int:
    """A list or page showed these persons' names (a queue, a list of decisions): one read
    entry for each person, once, with why the list was open."""
    events = [
        AccessEvent(
            action=Action.READ,
            subject_type="person",
            subject_id=person_id,
            person_id=person_id,
            justification=justification,
            details={"shown": "name"},
        )
        for person_id in dict.fromkeys(person_ids)
    ]
    return record_accesses(actor=actor, events=events, request=request)


# What each entry says of its event, in the order _event_values gives them.
EVENT_FIELDS = [
    "action",
    "subject_type",
    "subject_id",
    "subject_label",
    "person_id",
    "justification",
    "recipients",
    "details",
]


def _event_values(event: AccessEvent) -> tuple:
    """The fields of one entry that come from its event (EVENT_FIELDS), checked: a read or
    disclosure must say why."""
    action = Action(event.action)
    justification = (event.justification or "").strip()
    if action in NEEDS_JUSTIFICATION and not justification:
        raise MissingJustification(f"A {action.label.lower()} must say why it is needed")
    return (
        action,
        event.subject_type,
        str(event.subject_id),
        (event.subject_label or "")[:200],
        "" if event.person_id is None else str(event.person_id),
        justification,
        list(event.recipients),
        event.details or {},
    )


def _entry_fields(*, actor, event: AccessEvent, at, request) -> dict:
    """The fields of one access log entry, checked as _event_values checks them."""
    kind, label, user = _describe(actor)
    return dict(
        zip(EVENT_FIELDS, _event_values(event), strict=True),
        at=at,
        user=user,
        actor_kind=kind,
        actor_label=label[:200],
        ip_address=_client_ip(request),
    )


def _describe(actor):
    if isinstance(actor, SystemActor):
        return "system", actor.label, None
    if getattr(actor, "_meta", None) is not None and actor._meta.label == "accounts.ApiClient":
        return "api_client", f"API client: {actor.name}", None
    if getattr(actor, "is_authenticated", False):
        return "user", f"{actor.full_name} <{actor.email}>", actor
    raise ValueError("record_access needs a user, an API client or SYSTEM as the actor")


def _client_ip(request):
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def entries_for_subject(*, subject_type: str, subject_id) -> list[AccessLogEntry]:
    return list(
        AccessLogEntry.objects.filter(
            subject_type=subject_type, subject_id=str(subject_id)
        ).select_related("user")
    )

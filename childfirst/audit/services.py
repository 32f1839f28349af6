"""Record every access to a child's data (Data Protection Act 2018 section 62)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

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
    action = Action(action)
    justification = (justification or "").strip()
    if action in NEEDS_JUSTIFICATION and not justification:
        raise MissingJustification(f"A {action.label.lower()} must say why it is needed")
    kind, label, user = _describe(actor)
    return AccessLogEntry.objects.create(
        at=timezone.now(),
        user=user,
        actor_kind=kind,
        actor_label=label[:200],
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        subject_label=subject_label[:200],
        person_id="" if person_id is None else str(person_id),
        justification=justification,
        recipients=list(recipients),
        details=details or {},
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

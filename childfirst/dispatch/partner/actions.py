"""What a partner does with a disclosure (acknowledge, record the decision, add a note), from
the portal or its case system through the API. Each checks the disclosure is the partner's own,
then calls the dispatch services, which check what is sent (services.ResponseInvalid names each
wrong field), write the event, stop the clock and log the change."""

from childfirst.dispatch import services


class PartnerActionRefused(Exception):
    """The disclosure is not in a state where this can be done (already decided, say)."""


class NotYours(LookupError):
    """The disclosure was not sent to this partner's agency."""


def partner_label(actor) -> str:
    """Who did it, in words: "J. Smith, Hackney MASH" or "Hackney case system (API)"."""
    if getattr(actor, "_meta", None) is not None and actor._meta.label == "accounts.ApiClient":
        return f"{actor.name} (API)"
    return f"{actor.full_name}, {actor.agency.name}"


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _client(actor):
    """The API client, when a case system acts (so the access log names it)."""
    return None if _user(actor) is not None else actor


def _own(disclosure, actor) -> None:
    if actor.agency_id is None or disclosure.agency_id != actor.agency_id:
        raise NotYours("This disclosure was not sent to your agency")


def decision_choices(disclosure) -> list[tuple[str, str]]:
    return list(services.decision_choices_for(disclosure.agency.kind))


def acknowledge(*, disclosure, actor, at=None):
    """Acknowledge receipt. Acknowledging again changes nothing (a case system may retry)."""
    _own(disclosure, actor)
    if disclosure.acknowledged_at is not None:
        return disclosure
    return services.acknowledge(
        disclosure=disclosure,
        by_label=partner_label(actor),
        by_user=_user(actor),
        by_client=_client(actor),
        at=at,
    )


def record_outcome(
    *, disclosure, actor, decision: str, details: dict | None, notes: str = "", at=None
):
    """Record the decision once (services.check_decision checks it: ResponseInvalid names each
    wrong field; PartnerActionRefused if a decision is recorded already)."""
    _own(disclosure, actor)
    if disclosure.decided_at is not None:
        raise PartnerActionRefused(
            "A decision is already recorded for this referral. Add a note to tell the police "
            "of a change"
        )
    try:
        return services.record_decision(
            disclosure=disclosure,
            decision=decision,
            details=details,
            notes=notes,
            by_label=partner_label(actor),
            by_user=_user(actor),
            by_client=_client(actor),
            at=at,
        )
    except services.AlreadyDecided as error:
        raise PartnerActionRefused(str(error)) from error


def add_note(*, disclosure, actor, text: str):
    """A note to the police (ResponseInvalid names "text" if it is empty or too long)."""
    _own(disclosure, actor)
    return services.add_note(
        disclosure=disclosure,
        text=text,
        by_label=partner_label(actor),
        by_user=_user(actor),
        by_client=_client(actor),
    )

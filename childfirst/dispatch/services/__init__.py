"""What the dispatch app does (keyword-only functions): content per recipient, sending,
delivery, the partner's responses, and the desk's oversight (docs/dispatch.md)."""

from childfirst.dispatch.content import compose
from childfirst.dispatch.delivery import deliver_all_due, deliver_due
from childfirst.dispatch.services.decisions import (
    YES_NO,
    DetailField,
    ResponseInvalid,
    check_decision,
    decision_choices_for,
    decision_details_for,
    decision_label,
    details_for,
    notes_label,
)
from childfirst.dispatch.services.oversight import (
    ChaseResult,
    chase_overdue,
    encompass_breaches,
    failed_deliveries,
    overdue_disclosures,
    timeline_items,
)
from childfirst.dispatch.services.responses import (
    AlreadyDecided,
    acknowledge,
    add_note,
    record_decision,
)
from childfirst.dispatch.services.sending import (
    DispatchError,
    Preview,
    channels_for,
    disclosures_of,
    preview_referral,
    referral_for_page,
    referral_for_sending,
    send_referral,
    why_not_sendable,
)

__all__ = [
    "YES_NO",
    "ChaseResult",
    "DetailField",
    "DispatchError",
    "Preview",
    "AlreadyDecided",
    "ResponseInvalid",
    "acknowledge",
    "add_note",
    "channels_for",
    "chase_overdue",
    "check_decision",
    "compose",
    "decision_choices_for",
    "decision_details_for",
    "decision_label",
    "deliver_all_due",
    "deliver_due",
    "details_for",
    "disclosures_of",
    "encompass_breaches",
    "failed_deliveries",
    "overdue_disclosures",
    "notes_label",
    "preview_referral",
    "record_decision",
    "referral_for_page",
    "referral_for_sending",
    "send_referral",
    "timeline_items",
    "why_not_sendable",
]

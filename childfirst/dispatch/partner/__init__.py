"""The partner side of dispatch: what a partner agency's users (the portal) and case systems
(the partner API) see and do with the disclosures sent to their agency, and only those."""

from childfirst.dispatch.partner.actions import (
    NotYours,
    PartnerActionRefused,
    acknowledge,
    add_note,
    decision_choices,
    partner_label,
    record_outcome,
)
from childfirst.dispatch.partner.content import Row, Section, sections
from childfirst.dispatch.partner.outcomes import describe_outcome
from childfirst.dispatch.partner.queries import (
    PartnerState,
    Received,
    ReceivedPage,
    disclosure_for,
    headline,
    received,
    shown_headline,
    view_disclosure,
)

# What the portal's form and the API need of the decisions, and the one error of a response.
from childfirst.dispatch.services import YES_NO, ResponseInvalid, details_for, notes_label

__all__ = [
    "YES_NO",
    "ResponseInvalid",
    "NotYours",
    "PartnerActionRefused",
    "PartnerState",
    "Received",
    "ReceivedPage",
    "Row",
    "Section",
    "acknowledge",
    "add_note",
    "decision_choices",
    "describe_outcome",
    "details_for",
    "disclosure_for",
    "headline",
    "shown_headline",
    "notes_label",
    "partner_label",
    "received",
    "record_outcome",
    "sections",
    "view_disclosure",
]

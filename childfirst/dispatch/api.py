"""API routes of the dispatch app (mounted at /api/v1/ by childfirst.api): the partner API, for
partner agencies' case systems with a token of scope `partner`, bound to one agency.

A token sees only its own agency's disclosures: another agency's is 404, as if it did not
exist. Every read is logged with the disclosure as its justification. Field names here are
stable (docs/api.md); new fields may be added, none renamed or removed within version 1.
"""

import json
from datetime import datetime

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from childfirst.accounts.api_auth import ApiRule
from childfirst.dispatch import partner

router = Router(tags=["Partner disclosures"])
PARTNER = ApiRule("api.partner")
NOT_FOUND = {"detail": "Your agency was sent no disclosure with that id."}


class ProblemOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    field: str = Field(description='Where the problem is, like "details.date_heard"')
    message: str


class ValidationProblemOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


class EventOut(Schema):
    at: datetime
    kind: str = Field(
        description="sent, delivered, delivery_failed, reminded, escalated, acknowledged, "
        "decided or note"
    )
    by: str = Field(description='Who, in words: "J. Smith, Hackney MASH"')
    text: str
    details: dict


class DisclosureSummaryOut(Schema):
    id: int
    state: str = Field(description="new, acknowledged, overdue or decided")
    content_kind: str
    title: str = Field(description="Who or what the disclosure is about, from its content")
    sent_at: datetime
    decision_due_at: datetime | None = Field(
        description="When the local authority decision is due (children's social care only)"
    )
    acknowledged_at: datetime | None
    decided_at: datetime | None
    decision: str = Field(description="The decision's value, empty until decided")


class DisclosureOut(DisclosureSummaryOut):
    idempotency_key: str = Field(description="The same key every webhook delivery carried")
    reason: str = Field(description="Why the police shared it")
    lawful_basis: str
    content: dict = Field(description="Exactly what was disclosed (docs/dispatch.md)")
    acknowledged_by: str
    decision_details: dict
    decided_by: str
    events: list[EventOut]


class DisclosureListOut(Schema):
    count: int = Field(description="How many disclosures match, across every page")
    limit: int
    offset: int
    items: list[DisclosureSummaryOut]


class ListFilters(Schema):
    state: str = Field(
        "all",
        description="all, new, acknowledged, awaiting_decision (new or acknowledged), "
        "overdue or decided",
    )
    since: datetime | None = Field(None, description="Sent at or after this time (ISO 8601)")
    until: datetime | None = Field(None, description="Sent before this time (ISO 8601)")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


class OutcomeIn(Schema):
    decision: str = Field(
        description="One of the decisions for your agency's kind (docs/api.md), like "
        "early_help or heard"
    )
    details: dict = Field(
        default_factory=dict,
        description='What the decision carries, like {"date_heard": "2026-11-20", "actions": '
        '"..."} for MARAC or {"decision": "yes", "decided_on": "2026-11-20"} for the NRM',
    )
    notes: str = Field("", description="Notes for the police (optional)")


class NoteIn(Schema):
    text: str


def _summary(item: partner.Received) -> dict:
    d = item.disclosure
    return {
        "id": d.pk,
        "state": item.state,
        "content_kind": d.content_kind,
        "title": item.headline,
        "sent_at": d.sent_at,
        "decision_due_at": item.decision_due_at,
        "acknowledged_at": d.acknowledged_at,
        "decided_at": d.decided_at,
        "decision": d.decision,
    }


def _full(item: partner.Received) -> dict:
    d = item.disclosure
    return {
        **_summary(item),
        "idempotency_key": str(d.idempotency_key),
        "reason": d.reason,
        "lawful_basis": d.lawful_basis,
        "content": d.content if isinstance(d.content, dict) else {"content": d.content},
        "acknowledged_by": d.acknowledged_by_label,
        "decision_details": d.decision_details or {},
        "decided_by": d.decided_by_label,
        "events": [
            {"at": e.at, "kind": e.kind, "by": e.by_label, "text": e.text, "details": e.details}
            for e in item.events
        ],
    }


def _body(request):
    try:
        data = json.loads(request.body or b"{}")
    except ValueError as error:
        return None, Status(400, {"detail": f"The request body is not valid JSON: {error}."})
    if not isinstance(data, dict):
        return None, Status(400, {"detail": "The request body must be a JSON object."})
    return data, None


def _invalid(errors: dict[str, str]):
    count = len(errors)
    return Status(
        422,
        {
            "detail": f"Nothing was recorded: {count} field{'s' * (count != 1)} "
            f"need{'s' * (count == 1)} correcting.",
            "errors": [{"field": k, "message": v} for k, v in errors.items()],
        },
    )


def _reply(request, disclosure_id):
    client = request.auth
    item = partner.view_disclosure(
        agency=client.agency, disclosure_id=disclosure_id, actor=client, request=request
    )
    return Status(200, _full(item))


@router.get(
    "/partner/disclosures",
    auth=PARTNER,
    response={200: DisclosureListOut, 422: ValidationProblemOut},
    summary="List your agency's disclosures",
)
def list_disclosures(request, filters: Query[ListFilters]):
    """Your agency's disclosures, newest first, one page at a time (`limit`, `offset`), filtered
    by `state` and by when they were sent (`since`, `until`)."""
    if filters.state not in partner.PartnerState.values:
        return _invalid(
            {"state": "Use one of: " + ", ".join(partner.PartnerState.values)},
        )
    client = request.auth
    page = partner.received(
        agency=client.agency,
        state=filters.state,
        since=_aware(filters.since),
        until=_aware(filters.until),
        offset=filters.offset,
        limit=filters.limit,
        actor=client,
        request=request,
        with_counts=False,
    )
    return Status(
        200,
        {
            "count": page.count,
            "limit": filters.limit,
            "offset": filters.offset,
            "items": [_summary(item) for item in page.items],
        },
    )


def _aware(moment: datetime | None) -> datetime | None:
    """A time given without an offset is London time."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


@router.get(
    "/partner/disclosures/{disclosure_id}",
    auth=PARTNER,
    response={200: DisclosureOut, 404: ProblemOut},
    summary="Get one disclosure",
)
def get_disclosure(request, disclosure_id: int):
    """The disclosure's content (exactly what was shared) and its history. Another agency's
    disclosure is 404."""
    client = request.auth
    item = partner.view_disclosure(
        agency=client.agency, disclosure_id=disclosure_id, actor=client, request=request
    )
    if item is None:
        return Status(404, NOT_FOUND)
    return Status(200, _full(item))


@router.post(
    "/partner/disclosures/{disclosure_id}/acknowledge",
    auth=PARTNER,
    response={200: DisclosureOut, 404: ProblemOut},
    summary="Acknowledge a disclosure",
)
def acknowledge(request, disclosure_id: int):
    """Say your agency has the disclosure. Acknowledging again changes nothing, so a retry is
    safe. Takes no body."""
    client = request.auth
    found = partner.disclosure_for(agency=client.agency, disclosure_id=disclosure_id)
    if found is None:
        return Status(404, NOT_FOUND)
    partner.acknowledge(disclosure=found, actor=client)
    return _reply(request, disclosure_id)


@router.post(
    "/partner/disclosures/{disclosure_id}/outcome",
    auth=PARTNER,
    response={
        200: DisclosureOut,
        400: ProblemOut,
        404: ProblemOut,
        409: ProblemOut,
        422: ValidationProblemOut,
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": OutcomeIn.model_json_schema()}},
        }
    },
    summary="Record your decision",
)
def record_outcome(request, disclosure_id: int):
    """Record your agency's decision, once: 422 names every field to correct; 409 if a decision
    is already recorded (send a note instead)."""
    client = request.auth
    found = partner.disclosure_for(agency=client.agency, disclosure_id=disclosure_id)
    if found is None:
        return Status(404, NOT_FOUND)
    data, problem = _body(request)
    if problem:
        return problem
    decision = data.get("decision")
    if not isinstance(decision, str):
        decision = ""
    details = data.get("details", {})
    if details is None:
        details = {}
    if not isinstance(details, dict):
        return _invalid({"details": "details must be a JSON object"})
    try:
        partner.record_outcome(
            disclosure=found,
            actor=client,
            decision=decision,
            details=details,
            notes=data.get("notes") or "",
        )
    except partner.ResponseInvalid as error:
        return _invalid(error.errors)
    except partner.PartnerActionRefused as error:
        return Status(409, {"detail": str(error)})
    return _reply(request, disclosure_id)


@router.post(
    "/partner/disclosures/{disclosure_id}/notes",
    auth=PARTNER,
    response={200: DisclosureOut, 400: ProblemOut, 404: ProblemOut, 422: ValidationProblemOut},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": NoteIn.model_json_schema()}},
        }
    },
    summary="Send a note to the police",
)
def add_note(request, disclosure_id: int):
    """A note back to the police about the disclosure (a change of plan, a question)."""
    client = request.auth
    found = partner.disclosure_for(agency=client.agency, disclosure_id=disclosure_id)
    if found is None:
        return Status(404, NOT_FOUND)
    data, problem = _body(request)
    if problem:
        return problem
    try:
        partner.add_note(disclosure=found, actor=client, text=data.get("text"))
    except partner.ResponseInvalid as error:
        return _invalid(error.errors)
    return _reply(request, disclosure_id)

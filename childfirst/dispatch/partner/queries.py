"""What a partner agency sees: its own disclosures and nothing else (DESIGN.md section 7).

Every function takes the agency and filters on it first, so a disclosure sent elsewhere is
simply not found (the pages and the API answer 404, never 403, so its existence is not
revealed). What is shown of a disclosure is its content snapshot, never the live police record.
Every read that shows a child's details is logged with the disclosure as its justification.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from childfirst.audit.models import Action
from childfirst.audit.services import AccessEvent, record_accesses
from childfirst.dispatch.models import (
    DECISION_CLOCK,
    Disclosure,
    DisclosureEvent,
    DisclosureState,
)
from childfirst.dispatch.partner.content import Section, sections
from childfirst.dispatch.partner.outcomes import describe_outcome
from childfirst.timescales.models import Clock
from childfirst.timescales.services import clocks_for

SUBJECT = "disclosure"


class PartnerState:
    """The states a partner filters by (the portal's tabs and the API's `state`)."""

    NEW = "new"  # not yet acknowledged, no decision
    ACKNOWLEDGED = "acknowledged"  # acknowledged, no decision yet
    AWAITING_DECISION = "awaiting_decision"  # no decision yet (new or acknowledged)
    OVERDUE = "overdue"  # no decision, and the decision clock is past due
    DECIDED = "decided"  # decision recorded
    ALL = "all"

    LABELS = {
        NEW: "New",
        ACKNOWLEDGED: "Acknowledged",
        AWAITING_DECISION: "Awaiting decision",
        OVERDUE: "Overdue",
        DECIDED: "Decision recorded",
        ALL: "All",
    }
    values = tuple(LABELS)


@dataclass
class Received:
    """One disclosure as the partner sees it."""

    disclosure: Disclosure
    state: str  # new, acknowledged, overdue or decided
    decision_due_at: datetime | None = None
    events: list[DisclosureEvent] = field(default_factory=list)
    decision_text: str = ""  # the decision and its details in words, once decided

    @property
    def state_label(self) -> str:
        return PartnerState.LABELS[self.state]

    @property
    def sections(self) -> list[Section]:
        return sections(self.disclosure.content)

    @property
    def headline(self) -> str:
        return headline(self.disclosure.content, self.disclosure.get_content_kind_display())


def headline(content, fallback: str = "Referral") -> str:
    """Who a disclosure is about, from its content snapshot: the name in its first section
    ("The child", or the adult victim for MARAC), else its title."""
    if not isinstance(content, dict):
        return fallback
    for part in content.get("sections") or []:
        fields = part.get("fields") if isinstance(part, dict) else None
        for entry in fields or []:
            if isinstance(entry, dict) and entry.get("id") == "name" and entry.get("text"):
                return str(entry["text"])
        break
    for key in ("title", "subject", "headline"):
        if isinstance(content.get(key), str) and content[key].strip():
            return content[key].strip()
    for key in ("child", "victim", "person"):
        person = content.get(key)
        if isinstance(person, dict):
            name = person.get("name") or " ".join(
                str(person[k]) for k in ("given_name", "surname") if person.get(k)
            )
            if name:
                return str(name)
    return fallback


def visible_to(agency) -> QuerySet:
    """The agency's disclosures that have reached it (a disclosure still being written or
    delivered, state sent, is not shown yet)."""
    return Disclosure.objects.filter(agency=agency).exclude(state=DisclosureState.SENT)


def _overdue_clock(now: datetime):
    return Clock.objects.filter(
        subject_type=SUBJECT,
        subject_id=OuterRef("pk"),
        rule=DECISION_CLOCK,
        stopped_at__isnull=True,
        due_at__lt=now,
    )


def in_state(found: QuerySet, state: str, *, now: datetime) -> QuerySet:
    undecided = Q(decided_at__isnull=True)
    if state == PartnerState.NEW:
        return found.filter(undecided, acknowledged_at__isnull=True)
    if state == PartnerState.ACKNOWLEDGED:
        return found.filter(undecided, acknowledged_at__isnull=False)
    if state == PartnerState.AWAITING_DECISION:
        return found.filter(undecided)
    if state == PartnerState.OVERDUE:
        return found.filter(undecided).filter(Exists(_overdue_clock(now)))
    if state == PartnerState.DECIDED:
        return found.filter(decided_at__isnull=False)
    return found


@dataclass
class ReceivedPage:
    items: list[Received]
    count: int
    counts: dict[str, int]


def received(
    *,
    agency,
    state: str = PartnerState.AWAITING_DECISION,
    since: datetime | None = None,
    until: datetime | None = None,
    offset: int = 0,
    limit: int = 25,
    actor,
    request=None,
    now: datetime | None = None,
    with_counts: bool = True,
) -> ReceivedPage:
    """One page of the agency's disclosures in a state, newest first, with the count in every
    state for the portal's tabs (`with_counts`; the API, which case systems poll, goes without).
    The children named on the page are logged as read."""
    now = now or timezone.now()
    base = visible_to(agency)
    if since is not None:
        base = base.filter(sent_at__gte=since)
    if until is not None:
        base = base.filter(sent_at__lt=until)
    found = in_state(base, state, now=now)
    count = found.count()
    page = list(
        found.select_related("agency", "referral__notice").order_by("-sent_at", "-pk")[
            offset : offset + limit
        ]
    )
    counts = (
        {s: in_state(base, s, now=now).count() for s in PartnerState.values} if with_counts else {}
    )
    items = _with_clocks(page, now=now)
    _log(actor, items, why="List of referrals received", request=request)
    return ReceivedPage(items=items, count=count, counts=counts)


def disclosure_for(*, agency, disclosure_id) -> Disclosure | None:
    """The agency's disclosure with this id, or None (also for another agency's)."""
    try:
        disclosure_id = int(disclosure_id)
    except (TypeError, ValueError):
        return None
    return (
        visible_to(agency)
        .select_related("agency", "referral__notice")
        .filter(pk=disclosure_id)
        .first()
    )


def shown_headline(*, disclosure: Disclosure, actor, why: str, request=None) -> str:
    """Who the disclosure is about, for a page that names them (record a decision, add a note);
    the read is logged."""
    item = Received(disclosure=disclosure, state=PartnerState.NEW)
    _log(actor, [item], why=why, request=request)
    return item.headline


def view_disclosure(
    *, agency, disclosure_id, actor, request=None, now: datetime | None = None
) -> Received | None:
    """The disclosure with its history, logged as read; None if it is not this agency's."""
    disclosure = disclosure_for(agency=agency, disclosure_id=disclosure_id)
    if disclosure is None:
        return None
    now = now or timezone.now()
    item = _with_clocks([disclosure], now=now)[0]
    item.events = list(disclosure.events.order_by("at", "pk"))
    if disclosure.decided_at is not None:
        item.decision_text = describe_outcome(
            agency_kind=disclosure.agency.kind,
            decision=disclosure.decision,
            details=disclosure.decision_details or {},
        )
    _log(actor, [item], why="Referral received", request=request)
    return item


def _with_clocks(disclosures: list[Disclosure], *, now: datetime) -> list[Received]:
    clocks = clocks_for(subject_type=SUBJECT, subject_ids=[d.pk for d in disclosures])
    items = []
    for disclosure in disclosures:
        due = next((c.due_at for c in clocks[disclosure.pk] if c.rule == DECISION_CLOCK), None)
        open_clock = any(
            c.rule == DECISION_CLOCK and c.stopped_at is None for c in clocks[disclosure.pk]
        )
        if disclosure.decided_at is not None:
            state = PartnerState.DECIDED
        elif open_clock and due is not None and due < now:
            state = PartnerState.OVERDUE
        elif disclosure.acknowledged_at is not None:
            state = PartnerState.ACKNOWLEDGED
        else:
            state = PartnerState.NEW
        items.append(Received(disclosure=disclosure, state=state, decision_due_at=due))
    return items


def _log(actor, items: list[Received], *, why: str, request) -> None:
    if not items:
        return
    record_accesses(
        actor=actor,
        events=[
            AccessEvent(
                action=Action.READ,
                subject_type=SUBJECT,
                subject_id=item.disclosure.pk,
                subject_label=f"{why}: {item.headline}"[:200],
                justification=(f"Disclosure {item.disclosure.pk} to {item.disclosure.agency.name}"),
                person_id=item.disclosure.referral.notice.person_id,
            )
            for item in items
        ],
        request=request,
    )

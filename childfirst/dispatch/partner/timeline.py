"""The partners' answers on the child's timeline at the desk (registered into
childfirst.desk.extensions.timeline_providers by DispatchConfig.ready): each acknowledgement,
decision (with its details in words) and note an agency sent back about the child's referrals."""

from childfirst.desk.extensions import TimelineItem
from childfirst.dispatch.models import DisclosureEvent, EventKind
from childfirst.dispatch.partner.outcomes import describe_outcome

PARTNER_ANSWERS = (EventKind.ACKNOWLEDGED, EventKind.DECIDED, EventKind.NOTE)


def partner_answers(*, person_ids: list[int]) -> list[TimelineItem]:
    """One query: the events, with their disclosure's agency and the child it is about."""
    events = (
        DisclosureEvent.objects.filter(
            kind__in=PARTNER_ANSWERS, disclosure__referral__notice__person_id__in=person_ids
        )
        .select_related("disclosure__agency", "disclosure__referral__notice")
        .order_by("at", "pk")
    )
    items = []
    for event in events:
        disclosure = event.disclosure
        agency = disclosure.agency
        if event.kind == EventKind.ACKNOWLEDGED:
            title, text = f"{agency.name} acknowledged the referral", ""
        elif event.kind == EventKind.DECIDED:
            label = disclosure.decision_label
            title = f"{agency.name} decided: {label[:1].lower()}{label[1:]}"
            text = describe_outcome(
                agency_kind=agency.kind,
                decision=disclosure.decision,
                details=disclosure.decision_details or {},
            )
        else:
            title, text = f"Note from {agency.name}", event.text
        items.append(
            TimelineItem(
                person_id=disclosure.referral.notice.person_id,
                at=event.at,
                title=title[:200],
                text=text,
                by=event.by_label,
            )
        )
    return items

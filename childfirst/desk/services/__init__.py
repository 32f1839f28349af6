"""What the desk does (keyword-only functions): the queue, the notice page, decisions and
approvals, and the supervisor's breaches, quality samples and pauses of the desk review clock."""

from childfirst.desk.services.clock import pause_review_clock, resume_review_clock
from childfirst.desk.services.decisions import (
    DecisionInvalid,
    DecisionRequest,
    ScreeningChanged,
    approve,
    awaiting_approval,
    check_language,
    child_age,
    decide,
    needs_approval,
    referral_by_id,
    return_decision,
    returned_decision,
)
from childfirst.desk.services.names import name_of
from childfirst.desk.services.queue import (
    ClockState,
    DeskError,
    QueueFilters,
    assign,
    claim,
    clock_state,
    desk_staff,
    item_for_notice,
    queue_items,
    queue_notices,
    queue_page,
    returned_decisions,
)
from childfirst.desk.services.recipients import (
    agencies_for_decision,
    agreements_for,
    recommended_agencies,
)
from childfirst.desk.services.review import (
    NoticeView,
    current_screening,
    notice_by_id,
    view_notice,
)
from childfirst.desk.services.supervision import (
    Sample,
    add_quality_note,
    breaches,
    other_breached_clocks,
    sample_decisions,
)
from childfirst.screening.services import screening_backlog

__all__ = [
    "ClockState",
    "DecisionInvalid",
    "DecisionRequest",
    "DeskError",
    "NoticeView",
    "QueueFilters",
    "Sample",
    "ScreeningChanged",
    "add_quality_note",
    "agencies_for_decision",
    "agreements_for",
    "approve",
    "assign",
    "awaiting_approval",
    "breaches",
    "check_language",
    "child_age",
    "claim",
    "current_screening",
    "clock_state",
    "decide",
    "desk_staff",
    "item_for_notice",
    "name_of",
    "needs_approval",
    "notice_by_id",
    "other_breached_clocks",
    "pause_review_clock",
    "queue_items",
    "queue_notices",
    "queue_page",
    "recommended_agencies",
    "referral_by_id",
    "resume_review_clock",
    "return_decision",
    "returned_decision",
    "returned_decisions",
    "sample_decisions",
    "screening_backlog",
    "view_notice",
]

"""A desk supervisor pauses a notice's desk review clock while the desk is rightly waiting (for
the officer to confirm the child's school, say), with the reason, and restarts it. The clock is
the timescales app's (pause_clock, resume_clock); the desk brings its queue copy of the clock up
to date and writes the pause and the restart on the child's timeline, in the same transaction."""

from django.db import transaction
from django.utils import timezone

from childfirst.audit.models import Action
from childfirst.audit.services import record_access
from childfirst.desk.models import DeskEvent, DeskItem, ItemState
from childfirst.desk.services.queue import (
    DESK_REVIEW_RULES,
    DeskError,
    desk_review_clock,
    locked_item,
)
from childfirst.timescales import services as timescales
from childfirst.timescales.models import ClockState as Run

REASON_MAX_LENGTH = 500
PAUSED_TITLE = "Desk review clock paused"
RESTARTED_TITLE = "Desk review clock restarted"


def pause_review_clock(*, notice_id: int, by, reason: str, now=None) -> DeskItem:
    """Pause the notice's running desk review clock with the reason (required, at most 500
    characters). Its due and warning times move on by the paused time when it restarts."""
    reason = (reason or "").strip()
    if not reason:
        raise DeskError("Enter why you are pausing the clock")
    if len(reason) > REASON_MAX_LENGTH:
        raise DeskError(f"The reason must be {REASON_MAX_LENGTH} characters or less")
    now = now or timezone.now()
    with transaction.atomic():
        item, clocks = _item_and_clocks(notice_id)
        running = [clock for clock in clocks if clock.state == Run.RUNNING]
        if not running:
            raise DeskError(_cannot_pause(clocks))
        for clock in running:
            try:
                timescales.pause_clock(clock=clock, at=now, by=by, reason=reason)
            except timescales.ClockError as error:
                raise DeskError(str(error)) from error
        title = f"{PAUSED_TITLE}: {reason}"
        # The timeline's title holds 200 characters; a longer reason is kept whole as the text.
        text = ""
        if len(title) > 200:
            title, text = title[:199] + "…", reason
        _record(item, clocks, by=by, at=now, title=title, text=text)
    return item


def resume_review_clock(*, notice_id: int, by, now=None) -> DeskItem:
    """Restart the notice's paused desk review clock: its due and warning times move on by the
    time it was paused, in the rule's own units (working hours for red and amber)."""
    now = now or timezone.now()
    with transaction.atomic():
        item, clocks = _item_and_clocks(notice_id)
        paused = [clock for clock in clocks if clock.state == Run.PAUSED]
        if not paused:
            raise DeskError("The desk review clock is not paused")
        for clock in paused:
            try:
                timescales.resume_clock(clock=clock, at=now, by=by)
            except timescales.ClockError as error:
                raise DeskError(str(error)) from error
        _record(item, clocks, by=by, at=now, title=RESTARTED_TITLE)
    return item


def _item_and_clocks(notice_id: int):
    """The notice's desk item, locked, and its desk review clocks (any state)."""
    item = locked_item(notice_id)
    if item.state == ItemState.DONE:
        raise DeskError("This notice has already been decided")
    found = timescales.clocks_for(subject_type="notice", subject_ids=[notice_id])[notice_id]
    return item, [clock for clock in found if clock.rule in DESK_REVIEW_RULES]


def _cannot_pause(clocks) -> str:
    """Why none of the notice's desk review clocks is running, in plain words."""
    if any(clock.state == Run.PAUSED for clock in clocks):
        return "The desk review clock is already paused"
    if any(clock.state == Run.BREACHED and clock.stopped_at is None for clock in clocks):
        return "The desk review is already overdue, so its clock cannot be paused"
    if clocks:
        return "The desk review clock has stopped"
    return "This notice has no desk review clock"


def _record(item: DeskItem, clocks, *, by, at, title: str, text: str = "") -> None:
    """The queue's copy of the clock brought up to date, the line on the child's timeline and
    the access log entry."""
    clock = desk_review_clock(clocks)
    if clock is not None:
        item.due_at, item.warn_at = clock.due_at, clock.warn_at
        item.clock_paused = clock.state == Run.PAUSED
        item.save(update_fields=["due_at", "warn_at", "clock_paused"])
    person_id = item.notice.person_id
    DeskEvent.objects.create(
        person_id=person_id, notice_id=item.notice_id, at=at, by=by, title=title, text=text
    )
    record_access(
        actor=by,
        action=Action.UPDATE,
        subject_type="notice",
        subject_id=item.notice_id,
        subject_label=title[:200],
        person_id=person_id,
        justification=f"Desk review of notice {item.notice_id}",
        details={"clocks": [clock.pk for clock in clocks], "paused": item.clock_paused},
    )

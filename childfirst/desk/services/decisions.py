"""The desk's decision on a notice (refer, share for information only, no further action) and
the supervisor's approval.

The notice is screened again when the researcher decides (screening.services.screen_notice), so
the decision rests on everything known at that moment, not only what was known at intake. If
the grade changed from the one the researcher was shown, the decision is refused so that they
read the new reasons first; the new screening is kept either way.

Red notices and every "no further action" wait for a supervisor; anything else is complete when
decided.

The desk review clock stops at the decision. If the supervisor returns the decision, the child is
waiting for the desk again: the clock is reopened (timescales.services.reopen_clock) in the same
transaction, with its first due time, so the time the decision waited for approval counts. It
runs again if it is not yet due, and is otherwise overdue (breached, and escalated if it was not
already); the queue's copy of it is brought up to date.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from childfirst.audit.models import Action
from childfirst.audit.services import record_access, record_names_shown
from childfirst.desk.models import (
    Decision,
    DeskEvent,
    DeskItem,
    ItemState,
    Referral,
    ReferralRecipient,
    ReferralStatus,
)
from childfirst.desk.services.queue import DESK_REVIEW_RULES, DeskError, returned_decisions
from childfirst.desk.services.recipients import (
    agencies_by_id,
    agreements_for,
    recommended_agencies,
)
from childfirst.desk.signals import referral_completed
from childfirst.people.services import age_on
from childfirst.screening import language
from childfirst.screening.models import Grade
from childfirst.screening.services import current_screenings, screen_notice
from childfirst.timescales import services as timescales


class DecisionInvalid(DeskError):
    """What is wrong with a decision, by form field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class ScreeningChanged(DeskError):
    """Screened again at the decision, the grade is not the one the researcher saw."""


def needs_approval(*, grade: str, decision: str) -> bool:
    return grade == Grade.RED or decision == Decision.NO_FURTHER_ACTION


def check_language(*, text: str, child_age: int | None = None) -> list:
    """The language check's findings on the referral text (screening.language). A referral is
    always about a child, even when the child's exact age is not known."""
    if not text.strip():
        return []
    return language.check_language(text=text, child_age=child_age, about_child=True)


def child_age(notice) -> int | None:
    if notice.age_at_incident is not None:
        return notice.age_at_incident
    born = notice.person.date_of_birth
    return age_on(date_of_birth=born, on=timezone.localdate()) if born else None


@dataclass(frozen=True)
class DecisionRequest:
    decision: str
    text: str = ""
    reason: str = ""
    agency_ids: tuple[int, ...] = ()
    # The screening the researcher was shown (its id), to notice a changed grade.
    seen_screening_id: int | None = None


def decide(*, notice, by, request_: DecisionRequest, now=None, request=None) -> Referral:
    now = now or timezone.now()
    today = timezone.localdate(now)  # agreements are in force by London date
    item = DeskItem.objects.filter(notice=notice).first()
    if item is None or item.state != ItemState.OPEN:
        raise DeskError("This notice is not waiting for a decision")
    if item.assigned_to_id not in (None, by.pk) and not by.has_perm("desk.assign"):
        raise DeskError("Someone else has this notice. Ask a supervisor to move it to you")
    seen = current_screenings(notice_ids=[notice.pk]).get(notice.pk)
    # No further action shares with nobody, whatever agencies the form still had ticked.
    nobody = request_.decision == Decision.NO_FURTHER_ACTION
    chosen = {} if nobody else agencies_by_id(request_.agency_ids)
    agreements = agreements_for(agencies=chosen.values(), on=today)
    # Checked before screening again, so a form with mistakes leaves no new screening behind.
    _validate(request_, chosen, _recommended_ids(notice, seen), agreements=agreements)
    screening = screen_notice(notice=notice, by=by, now=now)
    if (
        request_.seen_screening_id is not None
        and seen is not None
        and seen.pk == request_.seen_screening_id
        and seen.grade != screening.grade
    ):
        raise ScreeningChanged(
            f"Screened again now, this notice is {screening.get_grade_display().lower()}, "
            f"not {seen.get_grade_display().lower()}. Read the reasons and decide again"
        )
    recommended_ids = _recommended_ids(notice, screening)
    _validate(request_, chosen, recommended_ids, agreements=agreements)
    approval = needs_approval(grade=screening.grade, decision=request_.decision)
    with transaction.atomic():
        item = DeskItem.objects.select_for_update().get(pk=item.pk)
        if item.state != ItemState.OPEN:
            raise DeskError("This notice is not waiting for a decision")
        referral = Referral.objects.create(
            notice=notice,
            screening=screening,
            decision=request_.decision,
            text=request_.text.strip(),
            reason=request_.reason.strip(),
            recommended_kinds=screening.recommended_recipients,
            language_findings=[
                {"id": f.id, "words": f.words, "suggestion": f.suggestion}
                for f in check_language(text=request_.text, child_age=child_age(notice))
            ],
            status=ReferralStatus.AWAITING_APPROVAL if approval else ReferralStatus.COMPLETE,
            needs_approval=approval,
            decided_by=by,
            decided_at=now,
        )
        ReferralRecipient.objects.bulk_create(
            ReferralRecipient(
                referral=referral,
                agency=agency,
                agreement=agreements[agency.pk],
                was_recommended=agency.pk in recommended_ids,
            )
            for agency in chosen.values()
        )
        item.state = ItemState.AWAITING_APPROVAL if approval else ItemState.DONE
        item.decided_at = now
        item.grade, item.grade_rank = screening.grade, screening.grade_rank
        if item.assigned_to_id is None:
            item.assigned_to = by
        # The desk review clock stops at the decision, paused or not (a pause ends there and
        # its time does not count, so the copy's due time may move on).
        _copy_clock(item, _stop_desk_clocks(notice=notice, at=now, by=by))
        item.save(
            update_fields=[
                "state",
                "decided_at",
                "grade",
                "grade_rank",
                "assigned_to",
                "due_at",
                "warn_at",
                "clock_paused",
            ]
        )
        names = ", ".join(sorted(a.name for a in chosen.values()))
        title = f"{referral.get_decision_display()} decided by {by.full_name}"
        if names:
            title += f": {names}"
        if approval:
            title += ". Waiting for a supervisor to approve"
        _event(referral, by=by, at=now, title=title, text=referral.reason)
        record_access(
            actor=by,
            action=Action.CREATE,
            subject_type="referral",
            subject_id=referral.pk,
            subject_label=title[:200],
            person_id=notice.person_id,
            justification=f"Desk decision on notice {notice.pk}",
            recipients=[a.name for a in chosen.values()],
            details={"notice": notice.pk, "decision": referral.decision, "grade": screening.grade},
            request=request,
        )
        if not approval:
            referral_completed.send(sender=Referral, referral=referral)
    return referral


def _recommended_ids(notice, screening) -> set[int]:
    kinds = screening.recommended_recipients if screening else []
    return {e.agency.pk for e in recommended_agencies(notice=notice, kinds=kinds) if e.agency}


def _validate(
    request_: DecisionRequest, chosen: dict, recommended_ids: set[int], *, agreements: dict
):
    errors = {}
    if request_.decision not in Decision.values:
        errors["decision"] = "Select refer, share for information only or no further action"
        raise DecisionInvalid(errors)
    if request_.decision == Decision.NO_FURTHER_ACTION:
        if not request_.reason.strip():
            errors["reason"] = "Enter why no further action is needed"
        raise_if(errors)
        return
    if not request_.text.strip():
        errors["text"] = "Write the referral text the agencies will read"
    if not chosen:
        errors["agencies"] = "Select at least one agency to share with"
    elif set(chosen) != recommended_ids and not request_.reason.strip():
        errors["reason"] = "Enter why you changed the recommended agencies"
    refused = [a.name for a in chosen.values() if agreements[a.pk] is None]
    if refused and "agencies" not in errors:
        errors["agencies"] = (
            f"There is no sharing agreement in force that lets {', '.join(sorted(refused))} "
            "receive a referral. Remove it or ask an administrator"
        )
    raise_if(errors)


def raise_if(errors):
    if errors:
        raise DecisionInvalid(errors)


def _stop_desk_clocks(*, notice, at, by) -> list:
    return timescales.stop_clocks_for(
        subject_type="notice",
        subject_id=notice.pk,
        rules=list(DESK_REVIEW_RULES),
        at=at,
        by=by,
        reason="Decided at the desk",
    )


def _event(referral, *, by, at, title, text=""):
    DeskEvent.objects.create(
        person_id=referral.notice.person_id,
        notice_id=referral.notice_id,
        referral=referral,
        at=at,
        by=by,
        title=title[:200],
        text=text,
    )


# Approval -----------------------------------------------------------------------------------------


def referral_by_id(referral_id: int, *, user, why: str, request=None) -> Referral | None:
    """The referral for a page about it (approve it, note its quality); the page shows the child
    and the referral's text, so the read is logged, with why."""
    referral = (
        Referral.objects.select_related(
            "notice__person", "notice__incident", "screening", "decided_by", "approved_by"
        )
        .prefetch_related("recipients__agency", "recipients__agreement")
        .filter(pk=referral_id)
        .first()
    )
    if referral is not None:
        record_access(
            actor=user,
            action=Action.READ,
            subject_type="referral",
            subject_id=referral.pk,
            subject_label=f"Referral {referral.pk} on notice {referral.notice_id}",
            person_id=referral.notice.person_id,
            justification=why,
            request=request,
        )
    return referral


def returned_decision(*, notice) -> Referral | None:
    """The notice's returned decision, if its latest decision was returned."""
    return returned_decisions(notice_ids=[notice.pk]).get(notice.pk)


def awaiting_approval(*, user, request=None) -> list[Referral]:
    """Decisions waiting for a supervisor; the children whose names the list shows are logged."""
    referrals = list(
        Referral.objects.filter(status=ReferralStatus.AWAITING_APPROVAL)
        .select_related("notice__person", "notice__incident", "screening", "decided_by")
        .order_by("decided_at", "pk")
    )
    record_names_shown(
        actor=user,
        person_ids=[referral.notice.person_id for referral in referrals],
        justification="Decisions waiting for approval",
        request=request,
    )
    return referrals


def approve(*, referral: Referral, by, comment: str = "", now=None, request=None) -> Referral:
    return _settle(referral, by=by, approved=True, comment=comment, now=now, request=request)


def return_decision(*, referral: Referral, by, comment: str, now=None, request=None) -> Referral:
    """Send the decision back to the desk with a comment: the notice is open again, with the
    researcher who decided it."""
    if not comment.strip():
        raise DecisionInvalid({"comment": "Enter what the researcher needs to change"})
    return _settle(referral, by=by, approved=False, comment=comment, now=now, request=request)


def _settle(referral, *, by, approved, comment, now, request):
    now = now or timezone.now()
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if referral.status != ReferralStatus.AWAITING_APPROVAL:
            raise DeskError("This decision is not waiting for approval")
        if referral.decided_by_id == by.pk:
            raise DeskError("Another supervisor must approve a decision you made")
        referral.status = ReferralStatus.COMPLETE if approved else ReferralStatus.RETURNED
        referral.approved_by, referral.approved_at = by, now
        referral.approval_comment = comment.strip()
        referral.save(update_fields=["status", "approved_by", "approved_at", "approval_comment"])
        item = DeskItem.objects.select_for_update().get(notice_id=referral.notice_id)
        reopened = []
        if approved:
            item.state = ItemState.DONE
        else:
            item.state, item.decided_at = ItemState.OPEN, None
            item.assigned_to_id = referral.decided_by_id
            reopened = _reopen_desk_clocks(item, at=now, by=by)
        item.save(
            update_fields=[
                "state",
                "decided_at",
                "assigned_to",
                "due_at",
                "warn_at",
                "clock_paused",
            ]
        )
        verb = "Approved" if approved else "Returned to the desk"
        title = f"{verb} by {by.full_name}: {referral.get_decision_display().lower()}"
        _event(referral, by=by, at=now, title=title, text=referral.approval_comment)
        record_access(
            actor=by,
            action=Action.UPDATE,
            subject_type="referral",
            subject_id=referral.pk,
            subject_label=title[:200],
            person_id=referral.notice.person_id,
            justification=f"Supervisor approval of the decision on notice {referral.notice_id}",
            details={"approved": approved, "reopened_clocks": [c.pk for c in reopened]},
            request=request,
        )
        if approved:
            referral_completed.send(sender=Referral, referral=referral)
    return referral


def _reopen_desk_clocks(item: DeskItem, *, at, by) -> list:
    """The notice's stopped desk review clocks set going again (the decision stopped them), and
    the queue's copy of the most urgent one brought up to date: running again if not yet due,
    otherwise overdue. Call inside the transaction that holds the item."""
    found = timescales.clocks_for(subject_type="notice", subject_ids=[item.notice_id])
    stopped = [
        clock
        for clock in found[item.notice_id]
        if clock.rule in DESK_REVIEW_RULES and clock.stopped_at is not None
    ]
    for clock in stopped:
        timescales.reopen_clock(
            clock=clock, at=at, by=by, reason="Decision returned to the desk by a supervisor"
        )
    _copy_clock(item, stopped)
    return stopped


def _copy_clock(item: DeskItem, clocks: list) -> None:
    """The queue's copy of the desk review clock, from the soonest due of the clocks the desk
    just stopped or reopened (neither leaves one paused). The caller saves the item."""
    if clocks:
        soonest = min(clocks, key=lambda clock: (clock.due_at, clock.pk))
        item.due_at, item.warn_at = soonest.due_at, soonest.warn_at
    item.clock_paused = False

"""What a desk supervisor watches: breached and overdue clocks, and a sample of decisions to
check for quality."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from childfirst.audit.models import Action
from childfirst.audit.services import AccessEvent, record_access, record_accesses
from childfirst.desk.models import DeskItem, ItemState, QualityCheck, Referral
from childfirst.desk.services.queue import DeskError, log_children_shown
from childfirst.timescales.models import Clock, ClockState


def breaches(*, user, now: datetime | None = None, request=None) -> list[DeskItem]:
    """Notices whose desk review clock has breached or is past due and still not decided,
    longest overdue first; the children whose names the list shows are logged."""
    now = now or timezone.now()
    items = list(
        DeskItem.objects.filter(state__in=[ItemState.OPEN, ItemState.AWAITING_APPROVAL])
        .filter(Q(breached_at__isnull=False) | Q(due_at__lte=now, clock_paused=False))
        .select_related("assigned_to", "local_authority")
        .order_by("due_at", "grade_rank", "id")[:500]
    )
    log_children_shown(user=user, items=items, why="Desk breaches", request=request)
    return items


OTHER_BREACHES_SHOWN = 500


@dataclass(frozen=True)
class OtherBreaches:
    clocks: list  # the most recently due first, at most OTHER_BREACHES_SHOWN
    count: int  # all of them


def other_breached_clocks(*, shown: int | None = None) -> OtherBreaches:
    """Clocks on notices other than the desk review (Operation Encompass, return home
    interviews) past their time and still not done (not stopped), the most recently due first,
    with how many there are in all."""
    late = Clock.objects.filter(
        subject_type="notice", state=ClockState.BREACHED, stopped_at=None
    ).exclude(rule__startswith="desk_review_")
    shown = shown or OTHER_BREACHES_SHOWN
    return OtherBreaches(list(late.order_by("-due_at", "-pk")[:shown]), late.count())


@dataclass(frozen=True)
class Sample:
    start: date
    end: date
    size: int
    seed: int
    decided: int  # how many decisions the period has
    referrals: list[Referral]


def sample_decisions(*, start: date, end: date, size: int, seed: int, by, request=None) -> Sample:
    """A random sample of `size` decisions made from `start` to `end` (London dates, both
    included). The same seed gives the same sample, so a sample can be shared and repeated."""
    if end < start:
        raise DeskError("The end date must be the same as or after the start date")
    zone = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    ids = list(
        Referral.objects.filter(decided_at__gte=since, decided_at__lt=until)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = sorted(random.Random(seed).sample(ids, min(size, len(ids))))  # noqa: S311
    referrals = list(
        Referral.objects.filter(pk__in=chosen)
        .select_related("notice__person", "notice__incident", "screening", "decided_by")
        .prefetch_related("quality_checks__by")
        .order_by("decided_at", "pk")
    )
    record_accesses(
        actor=by,
        events=[
            AccessEvent(
                action=Action.READ,
                subject_type="referral",
                subject_id=referral.pk,
                subject_label=f"Quality sample: {referral.get_decision_display()}",
                person_id=referral.notice.person_id,
                justification=f"Quality sample of decisions from {start} to {end}",
            )
            for referral in referrals
        ],
        request=request,
    )
    return Sample(start, end, size, seed, len(ids), referrals)


def add_quality_note(*, referral: Referral, by, note: str, now=None) -> QualityCheck:
    if not note.strip():
        raise DeskError("Enter your quality note")
    check = QualityCheck.objects.create(
        referral=referral, by=by, at=now or timezone.now(), note=note.strip()
    )
    record_access(
        actor=by,
        action=Action.CREATE,
        subject_type="referral",
        subject_id=referral.pk,
        subject_label="Quality note",
        person_id=referral.notice.person_id,
        justification=f"Quality check of the decision on notice {referral.notice_id}",
    )
    return check

"""The desk queue: one DeskItem per notice, filled when notices are screened, sorted by the desk
review clock (soonest due first) and then grade (red first)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from childfirst import bulk
from childfirst.audit.models import Action
from childfirst.audit.services import record_access, record_names_shown
from childfirst.desk.models import DeskEvent, DeskItem, ItemState, Referral, ReferralStatus
from childfirst.directory.services import local_authority_by_gss
from childfirst.incidents.models import Notice
from childfirst.people.models import Person
from childfirst.timescales import services as timescales
from childfirst.timescales.rules import ENCOMPASS

DESK_REVIEW_RULES = ("desk_review_red", "desk_review_amber", "desk_review_green")
# Without a warning time from the clock, "due soon" means due within this.
DUE_SOON = timedelta(hours=1)
PER_PAGE = 50


class ClockState:
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TIME = "on_time"
    PAUSED = "paused"

    LABELS = {
        OVERDUE: "Overdue",
        DUE_SOON: "Due soon",
        ON_TIME: "On time",
        PAUSED: "Paused",
    }


class DeskError(Exception):
    """A desk action that cannot be done; the message says why in plain words."""


def clock_state(item: DeskItem, now: datetime) -> str:
    if item.clock_paused:
        return ClockState.PAUSED
    if item.due_at is None:
        return ClockState.ON_TIME
    if item.due_at <= now:
        return ClockState.OVERDUE
    if (item.warn_at or item.due_at - DUE_SOON) <= now:
        return ClockState.DUE_SOON
    return ClockState.ON_TIME


# Filling the queue ------------------------------------------------------------------------------


def desk_review_clock(clocks) -> object | None:
    """The notice's desk review clock that is still running or paused, soonest due first."""
    found = [
        clock
        for clock in clocks or []
        if clock.rule in DESK_REVIEW_RULES and str(clock.state) in ("running", "paused")
    ]
    return min(found, key=lambda clock: clock.due_at) if found else None


def school_notice_clock(clocks) -> object | None:
    """The notice's Operation Encompass clock while the school has not been told (running,
    paused or past its time, not stopped): the desk's own deadline, often sooner than the desk
    review's."""
    found = [
        clock for clock in clocks or [] if clock.rule == ENCOMPASS and clock.stopped_at is None
    ]
    return min(found, key=lambda clock: clock.due_at) if found else None


def school_notice_clocks(notice_ids) -> dict[int, object]:
    """school_notice_clock for each notice that has one, in one query."""
    by_notice = timescales.clocks_for(subject_type="notice", subject_ids=list(notice_ids))
    found = {notice_id: school_notice_clock(clocks) for notice_id, clocks in by_notice.items()}
    return {notice_id: clock for notice_id, clock in found.items() if clock is not None}


def mentions_moved_receiver(sender, *, mention_ids, person_id, **kwargs):
    """The queue shows each child as their record now stands: when a merge, an undone merge or
    a reviewer moves mentions to another person, the desk items made from those mentions take
    that person's name and date of birth (the queue copies them in for speed)."""
    items = list(
        DeskItem.objects.filter(notice__involvement__mention_id__any=mention_ids).only(
            "id", "child_name", "child_date_of_birth"
        )
    )
    person = (
        Person.objects.filter(pk=person_id).values("given_name", "surname", "date_of_birth").first()
    )
    if not items or person is None:
        return
    for item in items:
        item.child_name = f"{person['given_name']} {person['surname']}".strip()
        item.child_date_of_birth = person["date_of_birth"]
    bulk.update(items, DeskItem, ["child_name", "child_date_of_birth"])


def queue_notices(*, screenings: list, clocks: dict | None = None) -> list[DeskItem]:
    """Put screened notices in the queue (new ones inserted in bulk) or bring their grade and
    desk review clock up to date (a notice screened again). Each screening has .notice with
    .incident attached, as screening's notices_screened sends them."""
    clocks = clocks or {}
    by_notice = {screening.notice_id: screening for screening in screenings}
    existing = {item.notice_id: item for item in DeskItem.objects.filter(notice_id__any=by_notice)}
    persons = {
        row["id"]: row
        for row in Person.objects.filter(
            pk__any={s.notice.person_id for s in screenings if s.notice_id not in existing}
        ).values("id", "given_name", "surname", "date_of_birth")
    }
    new, changed = [], []
    for notice_id, screening in by_notice.items():
        clock = desk_review_clock(clocks.get(notice_id))
        item = existing.get(notice_id)
        if item is None:
            notice = screening.notice
            person = persons.get(notice.person_id, {})
            item = bulk.new(
                DeskItem,
                notice_id=notice_id,
                state=ItemState.OPEN,
                grade=screening.grade,
                grade_rank=screening.grade_rank,
                due_at=None,
                warn_at=None,
                clock_paused=False,
                breached_at=None,
                local_authority_id=notice.incident.local_authority_id,
                kind=notice.incident.kind,
                role=notice.role,
                child_name=f"{person.get('given_name', '')} {person.get('surname', '')}".strip(),
                child_date_of_birth=person.get("date_of_birth"),
                occurred_at=notice.incident.occurred_at,
                assigned_to_id=None,
                created_at=screening.screened_at,
                decided_at=None,
            )
            new.append(item)
        else:
            item.grade, item.grade_rank = screening.grade, screening.grade_rank
            changed.append(item)
        if clock is not None:
            item.due_at, item.warn_at = clock.due_at, getattr(clock, "warn_at", None)
            item.clock_paused = str(clock.state) == "paused"
    bulk.insert(new, DeskItem)
    if changed:
        bulk.update(changed, DeskItem, ["grade", "grade_rank", "due_at", "warn_at", "clock_paused"])
    return new + changed


def notices_screened_receiver(sender, *, screenings, clocks=None, **kwargs):
    queue_notices(screenings=screenings, clocks=clocks)


def clock_breached_receiver(sender, *, clocks, **kwargs):
    """A desk review clock breached: the item shows as breached on the supervisor's page."""
    notice_ids = [
        clock.subject_id
        for clock in clocks
        if clock.subject_type == "notice" and clock.rule in DESK_REVIEW_RULES
    ]
    if notice_ids:
        at = max(clock.breached_at or timezone.now() for clock in clocks)
        DeskItem.objects.filter(notice_id__any=notice_ids, breached_at__isnull=True).update(
            breached_at=at
        )


# Reading the queue ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    borough: str = ""  # GSS code of the local authority
    grade: str = ""
    kind: str = ""
    clock: str = ""  # a ClockState value
    who: str = ""  # "", "unassigned", "me" or a user's id


def queue_items(*, user, filters: QueueFilters, now: datetime | None = None):
    """Open notices, soonest due first then most urgent grade, filtered."""
    now = now or timezone.now()
    items = DeskItem.objects.filter(state=ItemState.OPEN)
    if filters.borough:
        authority = local_authority_by_gss(filters.borough)
        items = items.filter(local_authority_id=authority.pk if authority else -1)
    if filters.grade:
        items = items.filter(grade=filters.grade)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.who == "unassigned":
        items = items.filter(assigned_to__isnull=True)
    elif filters.who == "me":
        items = items.filter(assigned_to=user)
    elif filters.who.isdigit():
        items = items.filter(assigned_to_id=int(filters.who))
    running = Q(clock_paused=False)
    if filters.clock == ClockState.PAUSED:
        items = items.filter(clock_paused=True)
    elif filters.clock == ClockState.OVERDUE:
        items = items.filter(running, due_at__lte=now)
    elif filters.clock == ClockState.DUE_SOON:
        items = items.filter(running, due_at__gt=now).filter(
            Q(warn_at__lte=now) | Q(warn_at__isnull=True, due_at__lte=now + DUE_SOON)
        )
    elif filters.clock == ClockState.ON_TIME:
        items = items.filter(running).filter(
            Q(due_at__isnull=True)
            | Q(due_at__gt=now, warn_at__gt=now)
            | Q(due_at__gt=now + DUE_SOON, warn_at__isnull=True)
        )
    return items.select_related("local_authority", "assigned_to").order_by(
        F("due_at").asc(nulls_last=True), "grade_rank", "id"
    )


# Counting every open notice costs a scan of them all; the queue counts up to this many and
# says "more than" beyond it.
COUNT_UP_TO = 10_000


@dataclass
class QueuePage:
    number: int
    items: list
    count: int
    count_is_more: bool
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def queue_page(
    *, user, filters: QueueFilters, page=1, per_page=PER_PAGE, now=None, request=None
) -> QueuePage:
    """One page of the queue, each item with .clock_state and .returned (the decision a
    supervisor returned, if any) set; the children whose names it
    shows are logged. The count stops at COUNT_UP_TO, so the page costs the same with 100,000
    open notices as with 100."""
    now = now or timezone.now()
    try:
        number = max(1, int(page or 1))
    except (TypeError, ValueError):
        number = 1
    items = queue_items(user=user, filters=filters, now=now)
    start = (number - 1) * per_page
    found = list(items[start : start + per_page + 1])
    count = items.order_by().values("id")[: COUNT_UP_TO + 1].count()
    returned = returned_decisions(notice_ids=[item.notice_id for item in found])
    schools = school_notice_clocks([item.notice_id for item in found])
    for item in found:
        item.clock_state = clock_state(item, now)
        item.clock_state_label = ClockState.LABELS[item.clock_state]
        # The Operation Encompass deadline while the school has not been told, and whether it
        # has passed.
        item.school_notice = schools.get(item.notice_id)
        item.school_notice_late = bool(item.school_notice and item.school_notice.due_at <= now)
        # The decision a supervisor returned (with who and when), or None.
        item.returned = returned.get(item.notice_id)
    log_children_shown(
        user=user, items=found[:per_page], why="Referrals desk queue", request=request
    )
    return QueuePage(
        number=number,
        items=found[:per_page],
        count=min(count, COUNT_UP_TO),
        count_is_more=count > COUNT_UP_TO,
        has_next=len(found) > per_page,
    )


def returned_decisions(*, notice_ids) -> dict[int, Referral]:
    """The decision a supervisor returned, by notice, for each notice whose latest decision
    was returned (so it waits for a new one), with who returned it: one query."""
    latest: dict[int, Referral] = {}
    for referral in (
        Referral.objects.filter(notice_id__any=list(notice_ids))
        .select_related("approved_by", "decided_by")
        .order_by("notice_id", "decided_at", "pk")
    ):
        latest[referral.notice_id] = referral
    return {
        notice_id: referral
        for notice_id, referral in latest.items()
        if referral.status == ReferralStatus.RETURNED
    }


def log_children_shown(*, user, items: list[DeskItem], why: str, request=None) -> None:
    """The access log for a list of desk items: each child whose name it shows (one query)."""
    notice_ids = [item.notice_id for item in items]
    person_ids = Notice.objects.filter(pk__any=notice_ids).values_list("person_id", flat=True)
    record_names_shown(actor=user, person_ids=list(person_ids), justification=why, request=request)


def desk_staff() -> list:
    """Active researchers and supervisors, by name: whom work can be given to."""
    from childfirst.accounts.models import Role, User

    return list(
        User.objects.filter(
            is_active=True, role__in=[Role.DESK_RESEARCHER, Role.DESK_SUPERVISOR]
        ).order_by("full_name", "pk")
    )


# Claim and assign -------------------------------------------------------------------------------


def item_for_notice(*, notice_id: int, user, why: str, request=None) -> DeskItem | None:
    """The notice's desk item, for a page about it (give it, decide it, pause its clock); the
    child whose name the page shows is logged, with why."""
    item = (
        DeskItem.objects.select_related("assigned_to", "local_authority")
        .filter(notice_id=notice_id)
        .first()
    )
    if item is not None:
        log_children_shown(user=user, items=[item], why=why, request=request)
    return item


def claim(*, notice_id: int, by, now=None) -> DeskItem:
    """The researcher takes the notice. Anyone's unassigned notice may be claimed; one someone
    else has can be moved only by a supervisor (assign)."""
    return _give(notice_id=notice_id, to=by, by=by, now=now, taking=True)


def assign(*, notice_id: int, to, by, now=None) -> DeskItem:
    """A supervisor gives the notice to a researcher (or to themself)."""
    return _give(notice_id=notice_id, to=to, by=by, now=now, taking=False)


def locked_item(notice_id: int) -> DeskItem:
    """The notice's desk item, locked for this transaction, with its notice; DeskError if the
    notice is not on the desk."""
    item = (
        DeskItem.objects.select_for_update()
        .select_related("notice")
        .filter(notice_id=notice_id)
        .first()
    )
    if item is None:
        raise DeskError("This notice is not on the desk")
    return item


def _give(*, notice_id, to, by, now, taking: bool) -> DeskItem:
    now = now or timezone.now()
    with transaction.atomic():
        item = locked_item(notice_id)
        if item.state != ItemState.OPEN:
            raise DeskError("This notice has already been decided")
        if taking and item.assigned_to_id not in (None, by.pk):
            raise DeskError("Someone else already has this notice. Ask a supervisor to move it")
        item.assigned_to = to
        item.save(update_fields=["assigned_to"])
        title = "Taken by " + to.full_name if taking else f"Assigned to {to.full_name}"
        DeskEvent.objects.create(
            person_id=item.notice.person_id, notice_id=notice_id, at=now, by=by, title=title
        )
        record_access(
            actor=by,
            action=Action.UPDATE,
            subject_type="notice",
            subject_id=notice_id,
            subject_label=title,
            person_id=item.notice.person_id,
            details={"assigned_to": to.pk},
        )
    return item

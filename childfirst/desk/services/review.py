"""The notice page: who the child is, what screening found and why, the questionnaire answers,
the child's voice, and a timeline of everything known about the child and their household.
Opening it is logged (the notice is the justification) for the child and every household
member whose records the timeline shows."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from childfirst.audit.models import Action
from childfirst.audit.services import AccessEvent, record_accesses
from childfirst.desk.extensions import timeline_items
from childfirst.desk.models import DeskEvent, DeskItem, Referral
from childfirst.desk.services.names import name_of
from childfirst.desk.services.queue import (
    desk_review_clock,
    returned_decisions,
    school_notice_clock,
)
from childfirst.incidents.models import Incident, Involvement, Kind, Notice, Role
from childfirst.incidents.questionnaires import definition
from childfirst.people.models import Person
from childfirst.people.services import age_on, current_person
from childfirst.screening.models import Screening
from childfirst.screening.services import current_screenings
from childfirst.timescales import services as timescales
from childfirst.timescales.models import Clock


@dataclass
class TimelineEntry:
    at: datetime
    title: str
    text: str = ""
    by: str = ""
    who: str = ""  # the child, or the household member it is about


@dataclass
class Answer:
    question: str
    answer: str
    section: str = ""


@dataclass
class QuestionnaireView:
    name: str
    score: int
    officer_grade: str
    respondent: str
    high_risk_from: int | None
    answers: list[Answer] = field(default_factory=list)


@dataclass
class NoticeView:
    notice: Notice
    item: DeskItem | None
    person: Person
    age: int | None
    screening: Screening | None
    desk_prompts: list[dict]
    questionnaires: list[QuestionnaireView]
    timeline: list[TimelineEntry]
    referrals: list[Referral]
    household: list[Person]
    # The desk review clock still running or paused (its pause reason for the page), if any.
    review_clock: Clock | None = None
    # The Operation Encompass clock while the school has not been told, if any.
    school_notice_clock: Clock | None = None
    school_notice_late: bool = False
    # The latest decision, when a supervisor returned it: the notice waits for a new one.
    returned: Referral | None = None


def notice_by_id(notice_id: int) -> Notice | None:
    return (
        Notice.objects.select_related(
            "incident__local_authority",
            "incident__ward",
            "involvement__school__agency",
            "person",
        )
        .filter(pk=notice_id)
        .first()
    )


def current_screening(*, notice: Notice) -> Screening | None:
    return current_screenings(notice_ids=[notice.pk]).get(notice.pk)


def view_notice(*, notice_id: int, user, request=None, today: date | None = None):
    """Everything the notice page shows, with the reads logged; None if there is no notice."""
    notice = notice_by_id(notice_id)
    if notice is None:
        return None
    today = today or timezone.localdate()
    person = current_person(notice.person)
    screening = current_screenings(notice_ids=[notice.pk]).get(notice.pk)
    household = _household(notice, person)
    referrals = list(
        Referral.objects.filter(notice=notice)
        .select_related("decided_by", "approved_by")
        .prefetch_related("recipients__agency")
        .order_by("-decided_at", "-pk")
    )
    clocks = timescales.clocks_for(subject_type="notice", subject_ids=[notice.pk])[notice.pk]
    school = school_notice_clock(clocks)
    view = NoticeView(
        notice=notice,
        item=DeskItem.objects.select_related("assigned_to").filter(notice=notice).first(),
        person=person,
        age=age_on(date_of_birth=person.date_of_birth, on=today) if person.date_of_birth else None,
        screening=screening,
        desk_prompts=[p for p in (screening.prompts if screening else []) if p["for"] == "desk"],
        questionnaires=_questionnaires(notice.incident),
        timeline=_timeline(notice, person, household),
        referrals=referrals,
        household=household,
        review_clock=desk_review_clock(clocks),
        school_notice_clock=school,
        school_notice_late=school is not None and school.due_at <= timezone.now(),
        returned=returned_decisions(notice_ids=[notice.pk]).get(notice.pk),
    )
    _log_reads(view, user=user, request=request)
    return view


def _log_reads(view: NoticeView, *, user, request):
    notice = view.notice
    why = f"Desk review of notice {notice.pk} ({notice.incident.reference})"
    events = [
        AccessEvent(
            action=Action.READ,
            subject_type="notice",
            subject_id=notice.pk,
            subject_label=f"Notice {notice.pk}: {name_of(view.person)}",
            justification=why,
            person_id=view.person.pk,
        )
    ]
    events += [
        AccessEvent(
            action=Action.READ,
            subject_type="person",
            subject_id=member.pk,
            subject_label=f"Household timeline of {name_of(view.person)}",
            justification=why,
            person_id=member.pk,
        )
        for member in view.household
    ]
    record_accesses(actor=user, events=events, request=request)


def _same_persons(person: Person) -> list[int]:
    """The person and everyone merged into them."""
    return [person.pk, *Person.objects.filter(merged_into=person).values_list("pk", flat=True)]


def _household(notice: Notice, person: Person) -> list[Person]:
    """The other people in this incident, and the children who came to notice at the same
    address (incidents.Incident.location_key)."""
    incident = notice.incident
    ids = set(
        Involvement.objects.filter(incident=incident).values_list("mention__person_id", flat=True)
    )
    if incident.location_key:
        ids |= set(
            Notice.objects.filter(incident__location_key=incident.location_key).values_list(
                "person_id", flat=True
            )
        )
    members = {current_person(p) for p in Person.objects.filter(pk__in=ids)}
    members.discard(person)
    return sorted(members, key=lambda p: (p.surname, p.given_name, p.pk))


def _questionnaires(incident: Incident) -> list[QuestionnaireView]:
    found = []
    for questionnaire in incident.questionnaires.select_related("respondent__mention").order_by(
        "pk"
    ):
        known = definition(questionnaire.kind)
        respondent = questionnaire.respondent
        answers = []
        questions = known.questions if known else ()
        for question in questions:
            given = questionnaire.answers.get(question.id)
            if given is not None:
                answers.append(Answer(question.text, _answer(given), question.section))
        found.append(
            QuestionnaireView(
                name=known.name if known else questionnaire.kind,
                score=questionnaire.score,
                officer_grade=questionnaire.officer_grade,
                respondent=(
                    f"{name_of(respondent.mention, child=respondent.is_child)}"
                    f" ({respondent.get_role_display().lower()})"
                    if respondent
                    else ""
                ),
                high_risk_from=known.high_risk_from if known else None,
                answers=answers,
            )
        )
    return found


def _answer(value: str) -> str:
    return {"yes": "Yes", "no": "No", "not_known": "Not known"}.get(value, str(value))


def _timeline(notice: Notice, person: Person, household: list[Person]) -> list[TimelineEntry]:
    """Newest first: the child's notices (missing episodes named as such), the incidents at the
    household's address, and the desk's decisions and approvals about the child and household."""
    entries = []
    child_ids = _same_persons(person)
    everyone = child_ids + [p.pk for p in household]
    # Everyone an entry is about came to notice as a child (notices, the desk's decisions and
    # what dispatch shared are all about children).
    names = {p.pk: name_of(p) for p in [person, *household]}
    for p in Person.objects.filter(merged_into__in=[person, *household]):
        names[p.pk] = names.get(p.merged_into_id, name_of(p))
    notices = (
        Notice.objects.filter(person_id__in=everyone)
        .select_related("incident")
        .order_by("-incident__occurred_at")
    )
    grades = current_screenings(notice_ids=[n.pk for n in notices])
    seen_incidents = set()
    for other in notices:
        incident = other.incident
        seen_incidents.add(incident.pk)
        is_child = other.person_id in child_ids
        if other.role == Role.MISSING_PERSON or incident.kind == Kind.MISSING_PERSON:
            title = "Missing episode"
        else:
            title = f"{incident.get_kind_display()}: {other.get_role_display().lower()}"
        if other.pk == notice.pk:
            title += " (this notice)"
        grade = grades.get(other.pk)
        text = incident.reference
        if grade:
            text += f". Screened {grade.get_grade_display().lower()}"
        entries.append(
            TimelineEntry(
                at=incident.occurred_at,
                title=title,
                text=text,
                who=names.get(person.pk if is_child else other.person_id, ""),
            )
        )
    if notice.incident.location_key:
        for incident in Incident.objects.filter(location_key=notice.incident.location_key).exclude(
            pk__in=seen_incidents
        ):
            entries.append(
                TimelineEntry(
                    at=incident.occurred_at,
                    title=f"{incident.get_kind_display()} at the household's address",
                    text=incident.reference,
                )
            )
    events = DeskEvent.objects.filter(Q(person_id__in=everyone)).select_related("by")
    for event in events:
        entries.append(
            TimelineEntry(
                at=event.at,
                title=event.title,
                text=event.text,
                by=event.by.full_name if event.by else "",
                who=names.get(event.person_id, ""),
            )
        )
    # What higher apps add (dispatch: the partners' acknowledgements, decisions and notes).
    for extra in timeline_items(person_ids=everyone + list(names.keys() - set(everyone))):
        entries.append(
            TimelineEntry(
                at=extra.at,
                title=extra.title,
                text=extra.text,
                by=extra.by,
                who=names.get(extra.person_id, ""),
            )
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries

"""The officer's form as a journey: the answers so far, which pages are needed, where each page
leads, and the intake payload the answers make.

The answers live in the session, as plain JSON, until the officer records the child; nothing is
stored in the database before then. Pages:

    kind, when, where                 what happened
    child/<n>/details, child/<n>/part  each child (then "children": add another?)
    adult/<n>                         each adult (then "adults": add another?)
    voice                             what each child said or showed
    dash, dash-<section>..., dash-grade   DASH, only for domestic abuse
    narrative                         what happened, in the officer's words
    check                             check answers, then record

A change link from the check answers page carries ?return=check: once that page is saved, the
officer goes back to check answers, or first to any page the change has made necessary (a
kind changed to domestic abuse needs the DASH pages).
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, time

from django.urls import reverse
from django.utils.text import slugify

from childfirst.dates import london_date
from childfirst.incidents import questionnaires
from childfirst.incidents.forms import (
    ADULT_ROLES,
    ADULT_UNDER_18,
    AT_INCIDENT,
    CHILD_ROLES,
    ELSEWHERE,
    HOMES,
    NO,
    SEXES,
    UNDER_18,
    YES,
    YES_NO_NOT_KNOWN,
    show_time,
)
from childfirst.incidents.models import FORM_SOURCE_SYSTEM, Kind, Role
from childfirst.incidents.services import child_facts

SESSION_KEY = "incidents.record.journey"
VERSION = 1  # of the state's layout: a journey saved by another version starts again
RECORDED_KEY = "incidents.record.recorded"
SOURCE_SYSTEM = FORM_SOURCE_SYSTEM
RETURN = "return"  # the query parameter of a change link: ?return=check
DASH = "dash"
# Kinds of incident that need the DASH questions. (A candidate for rules/: see the report.)
DASH_KINDS = frozenset({Kind.DOMESTIC_ABUSE_INCIDENT, Kind.DOMESTIC_ABUSE_CRIME})
NOBODY = "nobody"  # nobody answered the DASH questions
DASH_FROM_AGE = 16  # the DASH checklist is for victims aged 16 and over
NO_VICTIM = "Add the victim of the domestic abuse: an adult, or a child whose part was victim"
STEPS = ("kind", "when", "where", "children", "adults", "voice", "narrative")
ANSWER_LABELS = dict(YES_NO_NOT_KNOWN)


@dataclass(frozen=True)
class DashPage:
    key: str
    title: str
    number: int
    total: int
    questions: tuple  # ((number, Question), ...)


def dash_definition():
    return questionnaires.definition(DASH)


def dash_pages() -> list[DashPage]:
    """The DASH questions in pages of related questions: one page per section of the
    questionnaire, in the order the file gives them."""
    definition = dash_definition()
    if definition is None:
        return []
    groups: list[tuple[str, list]] = []
    for number, question in enumerate(definition.questions, start=1):
        section = question.section or "Questions"
        if not groups or groups[-1][0] != section:
            groups.append((section, []))
        groups[-1][1].append((number, question))
    return [
        DashPage(f"dash-{slugify(title)}", title, index, len(groups), tuple(questions))
        for index, (title, questions) in enumerate(groups, start=1)
    ]


def full_name(person: dict) -> str:
    """The name as the officer gave it; empty if they gave none."""
    return " ".join(part for part in (person["given_name"], person["family_name"]) if part)


def shown_name(person: dict, number: int, *, kind: str = "Child") -> str:
    """How the pages name a person: by name, else "Child 2" (two unnamed children differ, and
    "Child 2's part" reads, where "Name not known's part" would not)."""
    return full_name(person) or f"{kind} {number}"


def home_text(person: dict) -> str:
    """Where the person lives, for the check answers page."""
    lives = person.get("lives", "")
    if lives == ELSEWHERE:
        return "\n".join(part for part in (person["home_address"], person["home_postcode"]) if part)
    return dict(HOMES).get(lives, "")


def _home(person: dict, location: dict) -> dict:
    """The person's address for the payload: the incident's, their own, or none."""
    lives = person.get("lives", "")
    if lives == AT_INCIDENT:
        return {"address": location["address"], "postcode": location["postcode"]}
    if lives == ELSEWHERE:
        return {"address": person["home_address"], "postcode": person["home_postcode"]}
    return {}


def long_date(value: str | date) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return london_date(value)


@dataclass
class Row:
    """One row of the check answers page: the answer, or a link to give it."""

    key: str
    value: str = ""
    url: str = ""
    missing: str = ""  # "Enter when it happened": shown as a link instead of the answer
    hidden: str = ""  # what the Change link changes, for screen readers
    problem: str = ""  # the error summary's message when missing, if not `missing`
    # Free text the language check reads, its findings shown beside the row's list;
    # `about_child` when the words are about a child (what they said or showed).
    check_language: bool = False
    about_child: bool = False


@dataclass
class Card:
    """A summary card: a person, or a page of DASH answers changed together."""

    title: str
    rows: list[Row]
    url: str = ""  # a Change link for the whole card
    hidden: str = ""


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    after: list[Row] = field(default_factory=list)  # rows shown after the cards

    def all_rows(self) -> list[Row]:
        return self.rows + [row for card in self.cards for row in card.rows] + self.after


@dataclass(frozen=True)
class Problem:
    message: str
    url: str


class Journey:
    def __init__(self, state: dict):
        self.state = state

    # Session -------------------------------------------------------------------------------

    @classmethod
    def new(cls) -> "Journey":
        return cls(
            {
                "version": VERSION,
                "id": uuid.uuid4().hex[:12].upper(),
                "next_ref": 1,
                "kind": "",
                "occurred_on": "",
                "occurred_time": "",
                "address": "",
                "postcode": "",
                "children": [],
                "children_done": False,
                "adults": [],
                "adults_done": False,
                "dash": {"respondent": "", "answers": {}, "grade": ""},
                "narrative": "",
            }
        )

    @classmethod
    def load(cls, session) -> "Journey":
        """The journey in progress, or a new one (saved only when a page is saved)."""
        state = session.get(SESSION_KEY)
        return cls(state) if Journey.in_progress(session) else cls.new()

    @staticmethod
    def in_progress(session) -> bool:
        state = session.get(SESSION_KEY)
        return isinstance(state, dict) and state.get("version") == VERSION

    def save(self, session) -> None:
        session[SESSION_KEY] = self.state

    @staticmethod
    def forget(session) -> None:
        session.pop(SESSION_KEY, None)

    @property
    def id(self) -> str:
        return self.state["id"]

    @property
    def reference(self) -> str:
        """The incident's source reference: FORM-3F2A-91C0-7B1D."""
        text = self.id
        return "FORM-" + "-".join(text[i : i + 4] for i in range(0, len(text), 4))

    # Answers -------------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return self.state["kind"]

    @property
    def incident_date(self) -> date | None:
        value = self.state["occurred_on"]
        return date.fromisoformat(value) if value else None

    @property
    def children(self) -> list[dict]:
        return self.state["children"]

    @property
    def adults(self) -> list[dict]:
        return self.state["adults"]

    @property
    def dash(self) -> dict:
        return self.state["dash"]

    @property
    def needs_dash(self) -> bool:
        return self.kind in DASH_KINDS and dash_definition() is not None

    def people(self) -> list[dict]:
        return self.adults + self.children

    def set(self, **answers) -> None:
        self.state.update(answers)

    def set_when(self, *, on: date, at: time) -> None:
        self.state["occurred_on"] = on.isoformat()
        self.state["occurred_time"] = at.strftime("%H:%M")

    def _new_ref(self) -> str:
        ref = f"P{self.state['next_ref']}"
        self.state["next_ref"] += 1
        return ref

    def child(self, number: int) -> dict | None:
        return self.children[number - 1] if 1 <= number <= len(self.children) else None

    def save_child_details(self, number: int, data: dict) -> None:
        details = {
            "given_name": data["given_name"],
            "family_name": data["family_name"],
            "date_of_birth": data["date_of_birth"].isoformat() if data["date_of_birth"] else None,
            "age": data["age"],
            "appears_under_18": bool(data["appears_under_18"]),
            "sex": data["sex"],
            "name_not_known": bool(data["name_not_known"]),
        }
        child = self.child(number)
        if child is None:
            child = {"ref": self._new_ref(), "role": "", "present": "", "school_urn": None}
            child.update(school_name="", voice=None)
            self.children.append(child)
        child.update(details)

    def save_child_part(self, number: int, data: dict, school_name: str = "") -> None:
        self.child(number).update(
            role=data["role"],
            present=data["present"],
            school_urn=data["school_urn"],
            school_name=school_name,
            **_home_answers(data),
        )

    def remove_child(self, number: int) -> None:
        if self.child(number) is not None:
            del self.children[number - 1]

    def adult(self, number: int) -> dict | None:
        return self.adults[number - 1] if 1 <= number <= len(self.adults) else None

    def save_adult(self, number: int, data: dict) -> None:
        adult = self.adult(number)
        if adult is None:
            adult = {"ref": self._new_ref()}
            self.adults.append(adult)
        adult.update(
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"].isoformat() if data["date_of_birth"] else None,
            role=data["role"],
            **_home_answers(data),
        )

    def remove_adult(self, number: int) -> None:
        if self.adult(number) is not None:
            del self.adults[number - 1]

    def voice_children(self) -> list[dict]:
        return [
            {"ref": child["ref"], "name": shown_name(child, n), "present": child["present"]}
            for n, child in enumerate(self.children, start=1)
        ]

    def save_voices(self, voices: dict[str, str]) -> None:
        for child in self.children:
            if child["ref"] in voices:
                child["voice"] = voices[child["ref"]]

    def respondents(self) -> list[tuple[str, str]]:
        """Who may have answered the DASH questions: the adults who are not suspects (victims
        first), then the children who are not suspects and were 16 or 17 on the day (the
        checklist is for victims aged 16 and over). Never a suspect, never a young child."""
        adults = sorted(
            (
                (adult, n)
                for n, adult in enumerate(self.adults, start=1)
                if adult["role"] != Role.SUSPECT
            ),
            key=lambda pair: pair[0]["role"] != Role.VICTIM,
        )
        found = [(adult["ref"], shown_name(adult, n, kind="Adult")) for adult, n in adults]
        on = self.incident_date
        for n, child in enumerate(self.children, start=1):
            if child["role"] == Role.SUSPECT or on is None:
                continue
            facts = child_facts(
                date_of_birth=child["date_of_birth"],
                recorded_age=child["age"],
                appears_under_18=None,
                on=on,
            )
            if facts.age is not None and facts.age >= DASH_FROM_AGE:
                found.append((child["ref"], shown_name(child, n)))
        return found

    def save_dash_answers(self, answers: dict[str, str]) -> None:
        self.dash["answers"].update(answers)

    # Which pages, and where they lead ---------------------------------------------------------

    def steps(self) -> list[str]:
        """The pages this journey needs, in order (child and adult pages are within
        "children" and "adults")."""
        steps = list(STEPS[:-1])
        if self.needs_dash:
            steps.append(DASH)
            if self.dash["respondent"] != NOBODY:
                steps += [page.key for page in dash_pages()]
            steps.append("dash-grade")
        steps.append("narrative")
        return steps

    def is_needed(self, step: str) -> bool:
        return step in self.steps()

    def child_is_complete(self, child: dict) -> bool:
        named = bool(child["given_name"] or child["family_name"] or child.get("name_not_known"))
        return named and bool(child["role"]) and bool(child.get("lives"))

    def is_complete(self, step: str) -> bool:
        state = self.state
        if step == "kind":
            return bool(state["kind"])
        if step == "when":
            return bool(state["occurred_on"] and state["occurred_time"])
        if step == "where":
            return bool(state["address"])
        if step == "children":
            return (
                bool(self.children)
                and state["children_done"]
                and all(self.child_is_complete(child) for child in self.children)
            )
        if step == "adults":
            return state["adults_done"]
        if step == "voice":
            return all(
                child["voice"] is not None or child["present"] == NO for child in self.children
            )
        if step == DASH:
            refs = {ref for ref, _ in self.respondents()}
            return self.dash["respondent"] in refs | {NOBODY}
        if step == "dash-grade":
            return bool(self.dash["grade"])
        if step == "narrative":
            return bool(state["narrative"])
        for page in dash_pages():
            if page.key == step:
                return all(q.id in self.dash["answers"] for _, q in page.questions)
        return False

    def first_incomplete(self) -> str | None:
        return next((step for step in self.steps() if not self.is_complete(step)), None)

    def is_complete_overall(self) -> bool:
        return self.first_incomplete() is None

    def url(self, step: str, *, returning: bool = False) -> str:
        """Where to answer a step. For "children" that is the first child page not finished,
        or the list of children."""
        if step == "check":
            return reverse("incidents:record-check")
        if step == "children":
            for number, child in enumerate(self.children, start=1):
                if not self.child_is_complete(child):
                    return self.child_url(number, "part", returning=returning)
            if not self.children:
                return self.child_url(1, "details", returning=returning)
        url = reverse("incidents:record-step", kwargs={"step": step})
        return with_return(url, returning)

    def child_url(self, number: int, page: str = "details", *, returning: bool = False) -> str:
        url = reverse("incidents:record-child", kwargs={"number": number, "page": page})
        return with_return(url, returning)

    def adult_url(self, number: int, *, returning: bool = False) -> str:
        return with_return(reverse("incidents:record-adult", kwargs={"number": number}), returning)

    def next_url(self, after: str, *, returning: bool) -> str:
        """Where the officer goes once a page is saved."""
        if returning:
            missing = self.first_incomplete()
            return self.url(missing, returning=True) if missing else self.url("check")
        steps = [*self.steps(), "check"]
        if after not in steps:
            return self.url(self.first_incomplete() or "check")
        return self.url(steps[steps.index(after) + 1])

    def back_url(self, step: str, *, returning: bool) -> str:
        """The back link of a page: check answers when changing an answer, or the page
        before."""
        if returning:
            return self.url("check")
        steps = self.steps()
        if step not in steps or steps.index(step) == 0:
            return reverse("incidents:record-start")
        before = steps[steps.index(step) - 1]
        if before == "children" and self.children:
            return reverse("incidents:record-step", kwargs={"step": "children"})
        return self.url(before)

    # Checks across pages ---------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        """What stops the incident being recorded: answers not given, and answers that no
        longer fit together (a child who is 18 on a changed incident date)."""
        found, seen = [], set()
        for section in self.check_answers():
            for row in section.all_rows():
                message = row.problem or row.missing
                if row.missing and (message, row.url) not in seen:
                    seen.add((message, row.url))
                    found.append(Problem(message, row.url))
        if self.needs_dash and not any(
            person["role"] == Role.VICTIM for person in (*self.adults, *self.children)
        ):
            found.append(Problem(NO_VICTIM, self.url("adults", returning=True)))
        on = self.incident_date
        if on is None:
            return found
        for number, child in enumerate(self.children, start=1):
            if not child["date_of_birth"] and child["age"] is None:
                continue
            url = self.child_url(number, "details", returning=True)
            if child["date_of_birth"] and date.fromisoformat(child["date_of_birth"]) > on:
                found.append(
                    Problem(
                        f"{shown_name(child, number)}: date of birth must be on or before the "
                        "day of "
                        "the incident",
                        url,
                    )
                )
                continue
            facts = child_facts(
                date_of_birth=child["date_of_birth"],
                recorded_age=child["age"],
                appears_under_18=child["appears_under_18"] or None,
                on=on,
            )
            if not facts.is_child:
                found.append(Problem(f"{shown_name(child, number)}: {UNDER_18}", url))
        for number, adult in enumerate(self.adults, start=1):
            if (
                adult["date_of_birth"]
                and child_facts(
                    date_of_birth=adult["date_of_birth"],
                    recorded_age=None,
                    appears_under_18=None,
                    on=on,
                ).is_child
            ):
                found.append(
                    Problem(
                        f"{shown_name(adult, number, kind='Adult')}: {ADULT_UNDER_18}",
                        self.adult_url(number, returning=True),
                    )
                )
        return found

    # Check answers -----------------------------------------------------------------------------

    def check_answers(self) -> list[Section]:
        """The answers as the check answers page shows them, each with its change link."""
        state = self.state
        sections = []

        def row(key, step, value, missing, hidden=None, **marks):
            url = self.url(step, returning=True)
            return Row(key, value, url, "" if value else missing, hidden or key.lower(), **marks)

        when = ""
        if state["occurred_on"] and state["occurred_time"]:
            when = f"{long_date(state['occurred_on'])} at {show_time(state['occurred_time'])}"
        where = "\n".join(part for part in (state["address"], state["postcode"]) if part)
        sections.append(
            Section(
                "What happened",
                [
                    row(
                        "Kind of incident",
                        "kind",
                        Kind(self.kind).label if self.kind else "",
                        "Select what kind of incident it was",
                    ),
                    row("When", "when", when, "Enter when it happened"),
                    row("Where", "where", where, "Enter where it happened"),
                ],
            )
        )

        children = Section("Children")
        for number, child in enumerate(self.children, start=1):
            children.cards.append(Card(shown_name(child, number), self._child_rows(number, child)))
        if not self.children:
            children.rows.append(
                Row("Children", url=self.child_url(1, returning=True), missing="Add a child")
            )
        elif not state["children_done"]:
            children.rows.append(
                Row(
                    "More children",
                    url=with_return(
                        reverse("incidents:record-step", kwargs={"step": "children"}), True
                    ),
                    missing="Say whether you need to add another child",
                )
            )
        sections.append(children)

        adults = Section("Adults")
        adults_url = with_return(reverse("incidents:record-step", kwargs={"step": "adults"}), True)
        for number, adult in enumerate(self.adults, start=1):
            url = self.adult_url(number, returning=True)
            name = full_name(adult)
            adults.cards.append(
                Card(
                    name,
                    [
                        Row("Name", name, url, hidden=f"{name}'s name"),
                        Row(
                            "Date of birth",
                            long_date(adult["date_of_birth"])
                            if adult["date_of_birth"]
                            else "Not known",
                            url,
                            hidden=f"{name}'s date of birth",
                        ),
                        Row(
                            "Part in the incident",
                            dict(ADULT_ROLES).get(adult["role"], ""),
                            url,
                            hidden=f"{name}'s part in the incident",
                        ),
                        Row(
                            "Lives",
                            home_text(adult),
                            url,
                            "" if adult.get("lives") else f"Enter where {name} lives",
                            f"where {name} lives",
                        ),
                    ],
                )
            )
        adults.rows.append(
            Row(
                "Adults",
                f"{len(self.adults)} recorded" if self.adults else "None",
                adults_url,
                "" if state["adults_done"] else "Say whether any adults were involved",
                "adults",
            )
        )
        sections.append(adults)

        if self.needs_dash:
            sections.append(self._dash_section())

        account = row(
            "What happened",
            "narrative",
            state["narrative"],
            "Enter what happened",
            check_language=True,
        )
        sections.append(Section("Your account", [account]))
        return sections

    def _child_rows(self, number: int, child: dict) -> list[Row]:
        name = full_name(child) or f"child {number}"
        details = self.child_url(number, "details", returning=True)
        part = self.child_url(number, "part", returning=True)
        if child["date_of_birth"]:
            age = long_date(child["date_of_birth"])
            age_key = "Date of birth"
        else:
            age_key = "Age"
            bits = []
            if child["age"] is not None:
                bits.append(f"About {child['age']}")
            if child["appears_under_18"]:
                bits.append("Appears to be under 18")
            age = "\n".join(bits)
        school = ""
        if child["school_urn"]:
            school = f"{child['school_name']} (URN {child['school_urn']})".strip()
        voice_url = self.url("voice", returning=True)
        voice = child["voice"] or (
            "Not recorded" if child["voice"] is not None or child["present"] == NO else ""
        )
        return [
            Row(
                "Name",
                full_name(child) or ("Name not known" if child.get("name_not_known") else ""),
                details,
                hidden=f"{name}'s name",
            ),
            Row(age_key, age, details, hidden=f"{name}'s {age_key.lower()}"),
            Row("Sex", dict(SEXES).get(child["sex"], ""), details, hidden=f"{name}'s sex"),
            Row(
                "Part in the incident",
                dict(CHILD_ROLES).get(child["role"], ""),
                part,
                "" if child["role"] else f"Enter {name}'s part in the incident",
                f"{name}'s part in the incident",
            ),
            Row(
                "There when it happened",
                ANSWER_LABELS.get(child["present"], ""),
                part,
                hidden=f"whether {name} was there",
            ),
            Row("School", school or "Not recorded", part, hidden=f"{name}'s school"),
            Row(
                "Lives",
                home_text(child),
                part,
                "" if child.get("lives") else f"Enter where {name} lives",
                f"where {name} lives",
            ),
            Row(
                "What they said or showed",
                voice,
                voice_url,
                "" if voice else f"Enter what {name} said or showed",
                f"what {name} said or showed",
                check_language=True,
                about_child=True,
            ),
        ]

    def _dash_section(self) -> Section:
        dash = self.dash
        section = Section("DASH risk checklist")
        names = dict(self.respondents())
        respondent = dash["respondent"]
        answered_by = (
            "Nobody: the victim would not or could not answer"
            if respondent == NOBODY
            else names.get(respondent, "")
        )
        section.rows.append(
            Row(
                "Answered by",
                answered_by,
                self.url(DASH, returning=True),
                "" if answered_by else "Select who answered the DASH questions",
                "who answered the DASH questions",
            )
        )
        if respondent != NOBODY:
            definition = dash_definition()
            for page in dash_pages():
                url = self.url(page.key, returning=True)
                rows = []
                for number, question in page.questions:
                    answer = ANSWER_LABELS.get(dash["answers"].get(question.id, ""), "")
                    rows.append(
                        Row(
                            f"{number}. {question.text}",
                            answer,
                            # Answers are changed a page at a time, from the card's link.
                            "" if answer else url,
                            "" if answer else f"Answer question {number}",
                            problem=f"Answer the DASH questions in '{page.title}'",
                        )
                    )
                section.cards.append(Card(page.title, rows, url, f"the answers: {page.title}"))
            yes = definition.score({q.id: dash["answers"].get(q.id) for q in definition.questions})
            section.after.append(Row("'Yes' answers", str(yes)))
        section.after.append(
            Row(
                "Your risk grade",
                dash["grade"].capitalize(),
                self.url("dash-grade", returning=True),
                "" if dash["grade"] else "Select your risk grade",
                "your risk grade",
            )
        )
        return section

    # The payload -------------------------------------------------------------------------------

    def payload(self, *, officer) -> dict:
        """The incident as docs/intake.md describes it, for services.record_incident. The same
        answers always make the same payload, so recording twice stores one incident."""
        state = self.state
        location = {"address": state["address"], "postcode": state["postcode"]}
        people = []
        for adult in self.adults:
            people.append(
                {
                    "ref": adult["ref"],
                    "role": adult["role"],
                    "given_name": adult["given_name"],
                    "surname": adult["family_name"],
                    "date_of_birth": adult["date_of_birth"],
                    **_home(adult, location),
                }
            )
        for child in self.children:
            person = {
                "ref": child["ref"],
                "role": child["role"],
                "given_name": child["given_name"],
                "surname": child["family_name"],
                "date_of_birth": child["date_of_birth"],
                "age": child["age"],
                "sex": child["sex"],
                "present": {YES: True, NO: False}.get(child["present"]),
                "school_urn": child["school_urn"],
                "voice": child["voice"] or "",
                **_home(child, location),
            }
            if child["appears_under_18"]:
                person["appears_under_18"] = True
            people.append(person)
        payload = {
            "source_system": SOURCE_SYSTEM,
            "source_reference": self.reference,
            "kind": state["kind"],
            # No offset: intake takes it as Europe/London, as the officer typed it.
            "occurred_at": f"{state['occurred_on']}T{state['occurred_time']}",
            "location": location,
            "narrative": state["narrative"],
            "officer": {
                "name": (officer.full_name or "")[:120],
                "collar_number": (getattr(officer, "collar_number", "") or "")[:20],
                "email": officer.email,
            },
            "people": people,
        }
        if self.needs_dash:
            dash = self.dash
            definition = dash_definition()
            answers = {}
            if dash["respondent"] != NOBODY:
                answers = {
                    q.id: dash["answers"][q.id]
                    for q in definition.questions
                    if q.id in dash["answers"]
                }
            payload["questionnaires"] = [
                {
                    "kind": DASH,
                    "respondent": None if dash["respondent"] == NOBODY else dash["respondent"],
                    "answers": answers,
                    "officer_grade": dash["grade"],
                }
            ]
        return payload


def _home_answers(data: dict) -> dict:
    return {
        "lives": data["lives"],
        "home_address": data["home_address"].strip(),
        "home_postcode": data["home_postcode"],
    }


def with_return(url: str, returning: bool) -> str:
    return f"{url}?{RETURN}=check" if returning else url


def remember_recorded(session, *, journey: Journey, incident, children: int) -> None:
    session[RECORDED_KEY] = {
        "journey": journey.id,
        "reference": incident.source_reference,
        "children": children,
    }


def recorded(session) -> dict | None:
    found = session.get(RECORDED_KEY)
    return found if isinstance(found, dict) else None

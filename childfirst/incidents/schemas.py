"""The intake payload (docs/intake.md) as pydantic models, and the API's replies.

The same models check an incident from the API, a file import and the officer's form. Unknown
fields are refused; a key starting with "_" is ignored anywhere (synthetic data carries its
known truth that way). Dates of birth may be partial ("2016", "2016-09"); a time without an
offset is Europe/London and is stored in UTC.
"""

import re
from datetime import date, datetime
from functools import lru_cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)

from childfirst.directory.services import normalise_postcode
from childfirst.incidents.extensions import notice_details
from childfirst.incidents.models import Indicator, Kind, Role
from childfirst.people.identifiers import clean_nhs_number

LONDON = ZoneInfo("Europe/London")
PARTIAL_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
SEXES = {"female": "female", "f": "female", "male": "male", "m": "male"}
NOT_KNOWN = {"", "unknown", "not_known", "not known", "u"}


def _drop_private_keys(data: Any) -> Any:
    """The dict without its keys starting with "_" (a copy), or the dict itself if it has
    none."""
    if isinstance(data, dict) and data:
        try:
            # "_" sorts before every lower-case letter: a dict of snake_case keys whose least
            # key is lower-case has no private key, found without a Python-level loop.
            if min(data) >= "a":
                return data
        except TypeError:  # a key that is not text
            pass
        kept = dict(data)
        for key in data:
            if isinstance(key, str) and key[:1] == "_":
                del kept[key]
        return kept if len(kept) < len(data) else data
    return data  # most parts of a payload have no private keys: no copy


# The parts of an incident that are objects: their keys starting with "_" are dropped too.
NESTED_OBJECTS = ("location", "officer")
NESTED_LISTS = ("people", "questionnaires")


def _drop_private_keys_throughout(data: Any) -> Any:
    """An incident payload without keys starting with "_", at the top and in each of its parts
    (the caller's payload is never changed: a part with such keys is copied). Done once for the
    whole payload, rather than by a validator of each part's model: a Python call from the
    validator for every person and questionnaire cost a file import about a twentieth of its
    checking."""
    data = _drop_private_keys(data)
    if not isinstance(data, dict):
        return data
    copied = data
    for name in NESTED_OBJECTS:
        part = data.get(name)
        if isinstance(part, dict):
            clean = _drop_private_keys(part)
            if clean is not part:
                copied = dict(data) if copied is data else copied
                copied[name] = clean
    for name in NESTED_LISTS:
        items = data.get(name)
        if isinstance(items, list):
            clean = [_drop_private_keys(item) for item in items]
            if any(new is not old for new, old in zip(clean, items, strict=True)):
                copied = dict(data) if copied is data else copied
                copied[name] = clean
    return copied


class StrictModel(BaseModel):
    """Refuses unknown fields; trims text. (IncidentIn ignores keys starting with "_".)"""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, coerce_numbers_to_str=True)


def _when(value: Any) -> Any:
    """ISO 8601 text (or a datetime) to an aware datetime in UTC; no offset means London."""
    if value is None or isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(
                "Enter the time in ISO 8601, like 2026-11-23T21:40:00Z or 2026-11-23T21:40"
            ) from None
    else:
        raise ValueError("Enter the time as text in ISO 8601, like 2026-11-23T21:40:00Z")
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LONDON)
    return parsed.astimezone(ZoneInfo("UTC"))


def _partial_date(value: Any) -> Any:
    """A full or partial ISO date as text: "2016-09-03", "2016-09" or "2016"."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("Enter the date as text: 2016-09-03, 2016-09 or 2016")
    text = value.strip()
    if not text:
        return None
    match = PARTIAL_DATE_RE.match(text)
    if not match:
        raise ValueError(f'"{text}" is not a date: enter it as 2016-09-03, 2016-09 or 2016')
    year, month, day = match.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueError(f'"{text}" is not a real date') from None
    if int(year) < 1900:
        raise ValueError(f'"{text}" is too long ago: enter a year from 1900')
    return text


def _postcode(value: Any) -> Any:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError("Enter the postcode as text, like E8 1DY")
    if not value.strip():
        return ""
    postcode = normalise_postcode(value)
    if postcode is None:
        raise ValueError(f'"{value.strip()}" is not a UK postcode: enter one like E8 1DY')
    return postcode


def _answer(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value.strip().lower().replace(" ", "_")
    return value


def _answers(value: Any) -> Any:
    """Each answer of a questionnaire as _answer makes it, in one call for all of them (a DASH
    checklist has 27)."""
    if isinstance(value, dict):
        return {question: _answer(answer) for question, answer in value.items()}
    return value


def _word(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip().lower().replace(" ", "_") or None
    return value


When = Annotated[datetime, BeforeValidator(_when)]
PartialDate = Annotated[str | None, BeforeValidator(_partial_date)]
Postcode = Annotated[str, BeforeValidator(_postcode)]
Answer = Annotated[str, Field(max_length=20)]  # made by _answers


def _text(max_length: int, **kwargs):
    return Field(default="", max_length=max_length, **kwargs)


class LocationIn(StrictModel):
    address: str = _text(300)
    postcode: Postcode = ""


class OfficerIn(StrictModel):
    name: str = _text(120)
    collar_number: str = _text(20)
    email: str = _text(254)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value and not _is_email(value):
            raise ValueError(f'"{value}" is not an email address')
        return value.lower()


@lru_cache(maxsize=10_000)
def _is_email(value: str) -> bool:
    """Django's check of an email address, remembered: a file's incidents come from a few
    hundred officers, and the check's patterns cost a file import a twentieth of its checking."""
    try:
        validate_email(value)
    except DjangoValidationError:
        return False
    return True


class PersonIn(StrictModel):
    ref: str | None = Field(
        default=None,
        max_length=40,
        description="The person's reference in this incident; P1, P2... by position if left out",
    )
    role: Role
    given_name: str = _text(100)
    surname: str = _text(100)
    date_of_birth: PartialDate = Field(
        default=None, description="Full or partial: 2016-09-03, 2016-09 or 2016"
    )
    age: int | None = Field(
        default=None,
        ge=0,
        le=130,
        description="Whole years, as recorded, when the date of birth is not known in full",
    )
    appears_under_18: bool | None = Field(
        default=None, description="The officer's judgement when the age is not known"
    )
    sex: str = "unknown"
    ethnicity: str = _text(60)
    address: str = _text(300)
    postcode: Postcode = ""
    nhs_number: str = _text(20)
    pnc_id: str = _text(20)
    present: bool | None = None
    where_during_incident: str = _text(200)
    school_urn: int | None = Field(default=None, ge=100000, le=9999999)
    voice: str = _text(5000, description="The child's voice: what they said, in their words")

    @field_validator("sex", mode="before")
    @classmethod
    def _sex(cls, value: Any) -> Any:
        if value is None:
            return "unknown"
        if not isinstance(value, str):
            return value
        text = value.strip().lower()
        if text in NOT_KNOWN:
            return "unknown"
        if text not in SEXES:
            raise ValueError(
                f'"{value}" is not a sex Child First records: use female, male or unknown'
            )
        return SEXES[text]

    @field_validator("nhs_number")
    @classmethod
    def _nhs_number(cls, value: str) -> str:
        digits = clean_nhs_number(value)
        if digits and (len(digits) != 10 or not digits.isdigit()):
            raise ValueError(f'"{value}" is not an NHS number: enter 10 digits or leave it empty')
        return digits

    @model_validator(mode="after")
    def _present_fits_role(self):
        if self.role == Role.CHILD_IN_HOUSEHOLD and self.present:
            raise ValueError(
                "A child in the household but not present cannot be present: use the role "
                '"present" instead'
            )
        return self


class QuestionnaireIn(StrictModel):
    kind: str = Field(min_length=1, max_length=40)
    respondent: str | None = Field(default=None, max_length=40)
    answers: Annotated[
        dict[Annotated[str, Field(max_length=40)], Answer], BeforeValidator(_answers)
    ] = Field(default_factory=dict)
    officer_grade: Annotated[str | None, BeforeValidator(_word)] = Field(
        default=None, max_length=20
    )

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        return _word(value) or ""


class IncidentIn(StrictModel):
    """One incident, as docs/intake.md describes it."""

    source_system: str = Field(min_length=1, max_length=40)
    source_reference: str = Field(min_length=1, max_length=100)
    kind: Kind
    occurred_at: When = Field(description="ISO 8601; a time without an offset is Europe/London")
    reported_at: Annotated[datetime | None, BeforeValidator(_when)] = None
    location: LocationIn = Field(default_factory=LocationIn)
    narrative: str = _text(50_000)
    officer: OfficerIn = Field(default_factory=OfficerIn)
    people: list[PersonIn] = Field(default_factory=list, max_length=200)
    questionnaires: list[QuestionnaireIn] = Field(default_factory=list, max_length=50)
    indicators: list[Indicator] = Field(
        default_factory=list,
        max_length=20,
        description="Signs the officer saw (screening reads them): " + ", ".join(Indicator.values),
    )

    @model_validator(mode="before")
    @classmethod
    def _ignore_private_keys(cls, data: Any) -> Any:
        return _drop_private_keys_throughout(data)

    @field_validator("indicators")
    @classmethod
    def _indicators_once(cls, value: list) -> list:
        return list(dict.fromkeys(value))

    @field_validator("source_system")
    @classmethod
    def _system(cls, value: str) -> str:
        return value.upper()

    @model_validator(mode="after")
    def _number_people(self):
        """A person without a ref gets P1, P2... by position, so questionnaires can point at
        them and a replay numbers them the same."""
        for index, person in enumerate(self.people, start=1):
            if person.ref is None or not person.ref.strip():
                person.ref = f"P{index}"
        return self

    def canonical(self) -> dict:
        """The payload as validated: the same incident, however it was spelt, gives the same
        dict (and so the same hash)."""
        return self.model_dump(mode="json", exclude_defaults=True)


# Errors ------------------------------------------------------------------------------------


def field_path(loc: tuple) -> str:
    """("people", 0, "surname") -> "people[0].surname"."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def error_message(error: dict) -> str:
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind == "missing":
        return "This field is required"
    if kind == "extra_forbidden":
        return (
            "Child First does not know this field: remove it (fields starting with _ are ignored)"
        )
    if kind == "enum":
        return f"Must be one of: {context.get('expected', '').replace(chr(39), '')}"
    if kind == "string_too_long":
        return f"Must be {context.get('max_length')} characters or fewer"
    if kind == "string_too_short":
        return "Must not be empty"
    if kind == "too_long":
        return f"Must have {context.get('max_length')} items or fewer"
    if kind in {"greater_than_equal", "less_than_equal"}:
        return f"{error['msg']}"
    if kind == "value_error":
        return str(context.get("error", error["msg"]))
    if kind == "model_type" or kind == "model_attributes_type":
        return "Must be an object (a JSON mapping of fields)"
    return error["msg"]


def errors_of(exc: ValidationError) -> list[tuple[str, str]]:
    """Every failing field of a pydantic error as (path, message)."""
    found = []
    for error in exc.errors(include_url=False):
        loc = error["loc"]
        # A model validator's error is about the model: name its path (or the whole incident).
        found.append((field_path(loc) or "(incident)", error_message(error)))
    return found


# Replies -----------------------------------------------------------------------------------


class PlaceOut(Schema):
    gss_code: str
    name: str


class LocationOut(Schema):
    address: str
    postcode: str
    local_authority: PlaceOut | None
    ward: PlaceOut | None


class PersonOut(Schema):
    ref: str
    role: str
    is_child: bool
    age_at_incident: int | None


class QuestionnaireOut(Schema):
    kind: str
    respondent: str | None
    score: int
    officer_grade: str


class RuleFiredOut(Schema):
    id: str = Field(description="The screening rule's id (rules/screening/)")
    reason: str = Field(description="Why it fired, in plain words")


# A Child First prompt. Its field "for" is a Python keyword, so the schema is made by name.
PromptOut = create_model(
    "PromptOut",
    __base__=Schema,
    __doc__="A Child First prompt for the officer or the desk, and the rule that asked for it.",
    **{
        "for": (str, Field(description='"officer" or "desk"')),
        "text": (str, Field(description="What to do, in plain words")),
        "rule": (str, Field(description="The screening rule that asked for it")),
    },
)


class ClockOut(Schema):
    rule: str = Field(description="The clock rule: encompass, desk_review_red, return_interview...")
    due_at: datetime = Field(description="ISO 8601 with offset")
    state: str = Field(description="running, paused, met or breached")


class NoticeOut(Schema):
    id: int
    ref: str | None = Field(
        description="The child's ref in this incident; empty when found from household records"
    )
    role: str
    is_present: bool | None
    age_at_incident: int | None
    reason: str
    status: str
    created_at: datetime
    grade: str | None = Field(
        default=None, description="red, amber, green or information; empty before screening"
    )
    rules_fired: list[RuleFiredOut] = Field(default_factory=list)
    recommended_recipients: list[str] = Field(
        default_factory=list, description="Agency kinds, most important first"
    )
    prompts: list[PromptOut] = Field(default_factory=list)
    clocks: list[ClockOut] = Field(default_factory=list)


class IncidentOut(Schema):
    id: int
    source_system: str
    source_reference: str
    kind: str
    occurred_at: datetime
    reported_at: datetime | None
    received_at: datetime
    location: LocationOut
    people: list[PersonOut]
    questionnaires: list[QuestionnaireOut]
    notices: list[NoticeOut]


class FieldErrorOut(Schema):
    field: str = Field(description='Where the problem is, like "people[1].date_of_birth"')
    message: str


class ValidationProblemOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


class ProblemOut(Schema):
    detail: str


class ConflictOut(Schema):
    detail: str
    incident_id: int | None = None
    differences: list[str] = Field(default_factory=list)


def incident_out(incident) -> IncidentOut:
    """The reply for an incident fetched with services.incident_with_details()."""
    involvements = list(incident.involvements.all())
    notices = list(incident.notices.all())
    details = notice_details(notices)

    def place(area):
        return None if area is None else PlaceOut(gss_code=area.gss_code, name=area.name)

    return IncidentOut(
        id=incident.pk,
        source_system=incident.source_system,
        source_reference=incident.source_reference,
        kind=incident.kind,
        occurred_at=incident.occurred_at,
        reported_at=incident.reported_at,
        received_at=incident.received_at,
        location=LocationOut(
            address=incident.location_address,
            postcode=incident.location_postcode,
            local_authority=place(incident.local_authority),
            ward=place(incident.ward),
        ),
        people=[
            PersonOut(
                ref=inv.ref,
                role=inv.role,
                is_child=inv.is_child,
                age_at_incident=inv.age_at_incident,
            )
            for inv in involvements
        ],
        questionnaires=[
            QuestionnaireOut(
                kind=q.kind,
                respondent=q.respondent.ref if q.respondent else None,
                score=q.score,
                officer_grade=q.officer_grade,
            )
            for q in incident.questionnaires.all()
        ],
        notices=[
            NoticeOut(
                id=notice.pk,
                ref=notice.involvement.ref if notice.involvement else None,
                role=notice.role,
                is_present=notice.is_present,
                age_at_incident=notice.age_at_incident,
                reason=notice.reason,
                status=notice.status,
                created_at=notice.created_at,
                **details.get(notice.pk, {}),
            )
            for notice in notices
        ],
    )

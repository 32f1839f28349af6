"""The officer's form: one Django form for each page of the journey (see journey.py).

Each form checks only what was typed on its page and says what to do when it is wrong ("Enter
the child's date of birth"). Dates use the GOV.UK date input: three boxes, day, month and year,
with the error on the part that is wrong.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django import forms
from django.utils import timezone

from childfirst.dates import clock_time
from childfirst.directory.services import normalise_postcode, school_by_urn
from childfirst.incidents.models import Kind, Role
from childfirst.incidents.services import child_facts

YES, NO, NOT_KNOWN = "yes", "no", "not_known"
YES_NO = [(YES, "Yes"), (NO, "No")]
YES_NO_NOT_KNOWN = [(YES, "Yes"), (NO, "No"), (NOT_KNOWN, "Not known")]
SEXES = [("female", "Female"), ("male", "Male"), ("unknown", "Not known")]
UNDER_18 = "The child must be under 18 on the day of the incident: record adults in the adults step"
ADULT_UNDER_18 = (
    "This person was under 18 on the day of the incident: record them in the children step"
)
NAME_ATTRS = {"autocomplete": "off", "spellcheck": "false"}
TIME_RE = re.compile(r"^(\d{1,2})(?:[:.]?(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")

# The parts a child may have in an incident, as the officer chooses them.
CHILD_ROLES = [
    (Role.VICTIM, "Victim"),
    (Role.SUSPECT, "Suspect"),
    (Role.WITNESS, "Witness"),
    (Role.PRESENT, "Present"),
    (Role.CHILD_IN_HOUSEHOLD, "In the household but not present"),
    (Role.MISSING_PERSON, "Missing person"),
    (Role.PERSON_SEARCHED, "Person searched"),
    (Role.ARRESTED_PERSON, "Arrested person"),
]
CHILD_ROLE_HINTS = {
    Role.PRESENT: "There when it happened, but not a victim, suspect or witness",
    Role.CHILD_IN_HOUSEHOLD: "Lives there, but was not there when it happened",
}
ADULT_ROLES = [
    (Role.VICTIM, "Victim"),
    (Role.SUSPECT, "Suspect"),
    (Role.PARENT_OR_CARER, "Parent or carer"),
    (Role.WITNESS, "Witness"),
    (Role.REPORTING_PERSON, "Reporting person"),
    (Role.PRESENT, "Present"),
]
GRADE_HINTS = {
    "standard": "Current evidence does not show a likelihood of causing serious harm",
    "medium": "There are signs of risk of serious harm, but it is unlikely unless something "
    "changes",
    "high": "There are signs that serious harm could happen at any time",
}


class Radios(forms.RadioSelect):
    """GOV.UK radios: the error summary links to the first radio; options may have hints; a
    short list of answers may sit side by side."""

    def __init__(self, *args, hints=None, inline=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.hints = {str(key): text for key, text in (hints or {}).items()}
        self.inline = inline

    def id_for_label(self, id_, index=None):
        return forms.Widget.id_for_label(self, f"{id_}_{index or 0}" if id_ else id_)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = self.hints.get(str(value), "")
        return option


def text_field(label, *, required_message="", max_length=100, hint="", attrs=None, **kwargs):
    return forms.CharField(
        label=label,
        help_text=hint,
        required=bool(required_message),
        max_length=max_length,
        error_messages={
            "required": required_message,
            "max_length": f"{label.removesuffix(' (optional)')} must be {max_length} characters "
            "or fewer",
        },
        widget=forms.TextInput(attrs=attrs or {}),
        **kwargs,
    )


def textarea_field(label, *, required_message="", max_length=5000, hint="", rows=5):
    return forms.CharField(
        label=label,
        help_text=hint,
        required=bool(required_message),
        max_length=max_length,
        error_messages={
            "required": required_message,
            "max_length": f"{label} must be {max_length:,} characters or fewer",
        },
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def radio_field(label, choices, *, required_message, hint="", hints=None, inline=False):
    return forms.ChoiceField(
        label=label,
        help_text=hint,
        choices=choices,
        error_messages={"required": required_message, "invalid_choice": required_message},
        widget=Radios(hints=hints, inline=inline),
    )


# Dates --------------------------------------------------------------------------------------


def date_part(label):
    return forms.CharField(label=label, required=False, max_length=10)


@dataclass(frozen=True)
class DatePartView:
    id: str
    name: str
    label: str
    value: str
    width: int
    error: bool


@dataclass(frozen=True)
class DateInputView:
    """What templates/incidents/record/_date_input.html needs to draw one date."""

    id: str
    legend: str
    hint: str
    error: str
    parts: tuple[DatePartView, ...]


class DateInputsMixin:
    """Forms with GOV.UK date inputs. `date_inputs` maps a prefix (the form has fields
    <prefix>_day, <prefix>_month and <prefix>_year) to its legend and hint."""

    date_inputs: dict[str, tuple[str, str]] = {}

    def _date_errors(self) -> dict:
        if not hasattr(self, "_date_error_parts"):
            self._date_error_parts = {}
        return self._date_error_parts

    @property
    def dates(self) -> dict[str, DateInputView]:
        found = {}
        for prefix, (legend, hint) in self.date_inputs.items():
            error_parts = self._date_errors().get(prefix, set())
            parts = []
            for part, label, width in (
                ("day", "Day", 2),
                ("month", "Month", 2),
                ("year", "Year", 4),
            ):
                bound = self[f"{prefix}_{part}"]
                parts.append(
                    DatePartView(
                        id=bound.auto_id,
                        name=bound.html_name,
                        label=label,
                        value=bound.value() or "",
                        width=width,
                        error=part in error_parts,
                    )
                )
            messages = [e for p in ("day", "month", "year") for e in self[f"{prefix}_{p}"].errors]
            found[prefix] = DateInputView(
                id=f"id_{prefix}",
                legend=legend,
                hint=hint,
                error=messages[0] if messages else "",
                parts=tuple(parts),
            )
        return found

    def date_error(self, prefix: str, message: str, parts=("day", "month", "year")):
        """Put the message on the first part in error (where the error summary links to) and
        mark the parts to highlight."""
        self._date_errors()[prefix] = set(parts)
        first = next(p for p in ("day", "month", "year") if p in parts)
        self.add_error(f"{prefix}_{first}", message)

    def clean_date(self, prefix: str, *, thing: str, required_message: str = "") -> date | None:
        """The date typed into the three boxes, or None when they are empty and that is
        allowed. `thing` names the date in messages, like "Date of birth"."""
        values = {
            part: (self.cleaned_data.get(f"{prefix}_{part}") or "").strip()
            for part in ("day", "month", "year")
        }
        if not any(values.values()):
            if required_message:
                self.date_error(prefix, required_message)
            return None
        missing = [part for part, value in values.items() if not value]
        if missing:
            words = " and ".join(missing) if len(missing) < 3 else ""
            self.date_error(prefix, f"{thing} must include a {words}", missing)
            return None
        wrong = [part for part, value in values.items() if not value.isdigit()]
        if wrong:
            self.date_error(prefix, f"{thing} must be a real date", wrong)
            return None
        if len(values["year"]) != 4:
            self.date_error(prefix, "Year must include 4 numbers", ["year"])
            return None
        day, month, year = (int(values[part]) for part in ("day", "month", "year"))
        if not 1 <= month <= 12:
            self.date_error(prefix, f"{thing} must be a real date", ["month"])
            return None
        try:
            found = date(year, month, day)
        except ValueError:
            self.date_error(prefix, f"{thing} must be a real date", ["day"])
            return None
        if year < 1900:
            self.date_error(prefix, f"{thing} must be after 1900", ["year"])
            return None
        return found

    @staticmethod
    def date_initial(prefix: str, value: str | None) -> dict:
        if not value:
            return {}
        found = date.fromisoformat(value)
        return {
            f"{prefix}_day": str(found.day),
            f"{prefix}_month": str(found.month),
            f"{prefix}_year": str(found.year),
        }


def parse_time(text: str) -> time | None:
    """'21:40', '9:40pm', '9.40 pm', '9pm' or '2140' as a time; None if it is not one."""
    match = TIME_RE.match(" ".join(text.lower().split()))
    if not match:
        return None
    hours, minutes, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if half.startswith("p") else 0)
    if hours > 23 or minutes > 59:
        return None
    return time(hours, minutes)


def show_time(value: str) -> str:
    """'21:40' -> '9:40pm'; '10:00' -> '10am'; '12:00' -> 'midday' (childfirst.dates)."""
    return clock_time(time.fromisoformat(value))


# What happened --------------------------------------------------------------------------------


class KindForm(forms.Form):
    kind = radio_field(
        "What kind of incident was it?",
        Kind.choices,
        required_message="Select what kind of incident it was",
    )


class WhenForm(DateInputsMixin, forms.Form):
    date_inputs = {"occurred": ("Date", "For example, 23 11 2026")}
    occurred_day = date_part("Day")
    occurred_month = date_part("Month")
    occurred_year = date_part("Year")
    occurred_time = text_field(
        "Time",
        required_message="Enter the time it happened",
        max_length=20,
        hint="For example, 9:40pm or 21:40. If you do not know the exact time, give your best "
        "estimate",
        attrs={"class": "govuk-input--width-5", "autocomplete": "off"},
    )

    def clean(self):
        cleaned = super().clean()
        on = self.clean_date(
            "occurred", thing="The date it happened", required_message="Enter the date it happened"
        )
        today = timezone.localdate()
        if on is not None and on > today:
            self.date_error("occurred", "The date it happened must be today or in the past")
            on = None
        text = cleaned.get("occurred_time")
        at = parse_time(text) if text else None
        if text and at is None:
            self.add_error("occurred_time", "Enter the time like 9:40pm or 21:40")
        if on is not None and at is not None:
            moment = timezone.make_aware(datetime.combine(on, at))
            if moment > timezone.now():
                self.add_error("occurred_time", "The time it happened must be in the past")
        cleaned["occurred_on"] = on
        cleaned["occurred_at"] = at
        return cleaned


class WhereForm(forms.Form):
    address = textarea_field(
        "Address or place",
        required_message="Enter the address, or describe the place",
        max_length=300,
        hint="For example, Flat 2, 14 Example Road, London, or 'Hackney Downs, by the tennis "
        "courts'",
        rows=3,
    )
    postcode = text_field(
        "Postcode (optional)",
        max_length=10,
        hint="Leave this empty if the place has no postcode",
        attrs={"class": "govuk-input--width-10", "autocomplete": "off", "spellcheck": "false"},
    )

    def clean_postcode(self):
        text = self.cleaned_data["postcode"].strip()
        if not text:
            return ""
        postcode = normalise_postcode(text)
        if postcode is None:
            raise forms.ValidationError("Enter a real postcode, like E8 1DY")
        return postcode


# People --------------------------------------------------------------------------------------

AT_INCIDENT, ELSEWHERE, HOME_NOT_KNOWN = "incident", "elsewhere", "not_known"
HOMES = [
    (AT_INCIDENT, "At the address where it happened"),
    (ELSEWHERE, "Somewhere else"),
    (HOME_NOT_KNOWN, "Not known"),
]


class HomeFields(forms.Form):
    """Where a person lives: the household that finds children from earlier records."""

    lives = radio_field(
        "Where do they live?",
        HOMES,
        required_message="Select where they live",
        hint="Children living with a victim or suspect of domestic abuse are found from the "
        "records of their home",
    )
    home_address = textarea_field(
        "Their address, if somewhere else",
        max_length=300,
        hint="For example, 3 Other Street, London",
        rows=2,
    )
    home_postcode = text_field(
        "Their postcode, if somewhere else (optional)",
        max_length=10,
        attrs={"class": "govuk-input--width-10", "autocomplete": "off", "spellcheck": "false"},
    )

    def clean_home_postcode(self):
        text = self.cleaned_data["home_postcode"].strip()
        if not text:
            return ""
        postcode = normalise_postcode(text)
        if postcode is None:
            raise forms.ValidationError("Enter a real postcode, like E8 1DY")
        return postcode

    def clean_home(self, cleaned):
        if cleaned.get("lives") == ELSEWHERE:
            if not cleaned.get("home_address", "").strip() and not self.errors.get("home_address"):
                self.add_error("home_address", "Enter the address where they live")
        else:  # only an address somewhere else is kept
            cleaned["home_address"], cleaned["home_postcode"] = "", ""
        return cleaned


class ChildDetailsForm(DateInputsMixin, forms.Form):
    """Who the child is. `incident_date` is the day it happened (None if not answered yet): the
    child must be under 18 on it."""

    date_inputs = {
        "dob": (
            "Date of birth",
            "For example, 3 9 2016. If you do not know it, leave it empty and give their "
            "approximate age",
        )
    }
    given_name = text_field("Given name", attrs=NAME_ATTRS)
    family_name = text_field("Family name", attrs=NAME_ATTRS)
    name_not_known = forms.BooleanField(
        label="Their name is not known (for example, a baby seen at the address)", required=False
    )
    dob_day = date_part("Day")
    dob_month = date_part("Month")
    dob_year = date_part("Year")
    age = text_field(
        "Approximate age (optional)",
        max_length=10,
        hint="In whole years, for example 12",
        attrs={"class": "govuk-input--width-3", "inputmode": "numeric", "autocomplete": "off"},
    )
    appears_under_18 = forms.BooleanField(label="The child appears to be under 18", required=False)
    sex = radio_field("Sex", SEXES, required_message="Select the child's sex", inline=True)

    def __init__(self, *args, incident_date: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident_date = incident_date

    def clean(self):
        cleaned = super().clean()
        unnamed = cleaned.get("name_not_known") or False
        cleaned["name_not_known"] = unnamed
        names = {key: (cleaned.get(key) or "").strip() for key in ("given_name", "family_name")}
        if unnamed and any(names.values()):
            self.add_error(
                "name_not_known", "Clear 'Their name is not known', or leave the names empty"
            )
        elif not unnamed:
            or_unnamed = "or select 'Their name is not known'"
            for key, message in (
                ("given_name", f"Enter the child's given name, {or_unnamed}"),
                ("family_name", f"Enter the child's family name, {or_unnamed}"),
            ):
                if not names[key] and not self.errors.get(key):
                    self.add_error(key, message)
        on = self.incident_date or timezone.localdate()
        born = self.clean_date("dob", thing="Date of birth")
        if born is not None and born > timezone.localdate():
            self.date_error("dob", "Date of birth must be in the past")
            born = None
        elif born is not None and born > on:
            self.date_error("dob", "Date of birth must be on or before the day of the incident")
            born = None
        age = None
        text = (cleaned.get("age") or "").strip()
        if text:
            if not text.isdigit():
                self.add_error("age", "Approximate age must be a whole number, like 12")
            else:
                age = int(text)
        appears = cleaned.get("appears_under_18") or False
        nothing_typed = not any(
            (cleaned.get(f"dob_{part}") or "").strip() for part in ("day", "month", "year")
        )
        if nothing_typed and not text and not appears:
            self.date_error(
                "dob",
                "Enter the child's date of birth, or their approximate age if you do not know it",
            )
        if born is not None or age is not None:
            facts = child_facts(
                date_of_birth=born, recorded_age=age, appears_under_18=appears or None, on=on
            )
            if not facts.is_child:
                if born is not None:
                    self.date_error("dob", UNDER_18)
                else:
                    self.add_error("age", UNDER_18)
        cleaned["date_of_birth"] = born
        cleaned["age"] = age
        cleaned["appears_under_18"] = appears
        return cleaned


class ChildPartForm(HomeFields):
    field_order = ["role", "present", "school_urn", "lives", "home_address", "home_postcode"]

    role = radio_field(
        "What was the child's part in the incident?",
        CHILD_ROLES,
        required_message="Select the child's part in the incident",
        hints=CHILD_ROLE_HINTS,
    )
    present = radio_field(
        "Was the child there when it happened?",
        YES_NO_NOT_KNOWN,
        required_message="Select yes if the child was there when it happened",
        inline=True,
    )
    school_urn = text_field(
        "School URN (optional)",
        max_length=10,
        hint="The school's Unique Reference Number, for example 100234. Find it in Agencies and "
        "schools",
        attrs={"class": "govuk-input--width-10", "inputmode": "numeric", "autocomplete": "off"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.school_name = ""

    def clean_school_urn(self):
        text = self.cleaned_data["school_urn"].strip()
        if not text:
            return None
        if not text.isdigit() or not 6 <= len(text) <= 7:
            raise forms.ValidationError("Enter the school URN as 6 or 7 numbers, like 100234")
        school = school_by_urn(int(text))
        if school is None:
            raise forms.ValidationError(
                f"There is no school with URN {text}: check the number, or leave it empty"
            )
        self.school_name = school.name
        return int(text)

    def clean(self):
        cleaned = super().clean()
        role, present = cleaned.get("role"), cleaned.get("present")
        if role == Role.CHILD_IN_HOUSEHOLD and present == YES:
            self.add_error(
                "present",
                "A child in the household but not present was not there: select No, or choose "
                "another part",
            )
        elif role == Role.PRESENT and present == NO:
            self.add_error(
                "present",
                "A child whose part is 'Present' was there: select Yes, or choose another part",
            )
        return self.clean_home(cleaned)


class AnotherForm(forms.Form):
    """'Do you need to add another child?' under the list of those added."""

    another = radio_field("", YES_NO, required_message="", inline=True)

    def __init__(self, *args, question: str, required_message: str, hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["another"].label = question
        self.fields["another"].help_text = hint
        self.fields["another"].error_messages["required"] = required_message
        self.fields["another"].error_messages["invalid_choice"] = required_message


class AdultForm(DateInputsMixin, HomeFields):
    field_order = ["given_name", "family_name", "dob_day", "dob_month", "dob_year", "role"]

    date_inputs = {"dob": ("Date of birth (optional)", "For example, 12 4 1990")}
    given_name = text_field("Given name", attrs=NAME_ATTRS)
    family_name = text_field("Family name", attrs=NAME_ATTRS)
    dob_day = date_part("Day")
    dob_month = date_part("Month")
    dob_year = date_part("Year")
    role = radio_field(
        "What was their part in the incident?",
        ADULT_ROLES,
        required_message="Select the adult's part in the incident",
    )

    def __init__(self, *args, incident_date: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident_date = incident_date

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("given_name") or cleaned.get("family_name")) and not any(
            self.errors.get(name) for name in ("given_name", "family_name")
        ):
            self.add_error("given_name", "Enter the adult's given name or family name")
        born = self.clean_date("dob", thing="Date of birth")
        on = self.incident_date or timezone.localdate()
        if born is not None and born > timezone.localdate():
            self.date_error("dob", "Date of birth must be in the past")
            born = None
        elif (
            born is not None
            and child_facts(
                date_of_birth=born, recorded_age=None, appears_under_18=None, on=on
            ).is_child
        ):
            self.date_error("dob", ADULT_UNDER_18)
            born = None
        cleaned["date_of_birth"] = born
        return self.clean_home(cleaned)


class VoiceForm(forms.Form):
    """What each child said or showed: one box for each child, in the order they were added.
    A child who was not there may have nothing to record."""

    HINT = (
        "Write the child's own words, in quotation marks, where you can. Say what you saw too: "
        "how they seemed and what they did. If you could not see or speak to them, say why."
    )

    def __init__(self, *args, children: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.children = children
        for child in children:
            name = child["name"]
            optional = child["present"] == NO
            label = f"What did {name} say or show?" + (" (optional)" if optional else "")
            self.fields[f"voice_{child['ref']}"] = textarea_field(
                label,
                required_message=""
                if optional
                else f"Enter what {name} said or showed, or why you could not find out",
                hint=self.HINT,
            )

    def voices(self) -> dict[str, str]:
        return {child["ref"]: self.cleaned_data[f"voice_{child['ref']}"] for child in self.children}


# DASH ----------------------------------------------------------------------------------------


class DashRespondentForm(forms.Form):
    def __init__(self, *args, people: list[tuple[str, str]], nobody: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["respondent"] = radio_field(
            "Who answered the DASH questions?",
            [*people, (nobody, "Nobody: the victim would not or could not answer")],
            required_message="Select who answered the DASH questions",
            hint="Usually the victim of the domestic abuse",
        )


class DashQuestionsForm(forms.Form):
    """One page of the questionnaire's questions, each answered yes, no or not known."""

    def __init__(self, *args, questions: list[tuple[int, object]], answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in questions:
            self.fields[question.id] = radio_field(
                f"{number}. {question.text}",
                [(value, label) for value, label in YES_NO_NOT_KNOWN if value in answers],
                required_message=f"Select yes, no or not known for question {number}",
                inline=True,
            )


class DashGradeForm(forms.Form):
    def __init__(
        self, *args, grades: tuple[str, ...], high_risk_from: int | None, yes: int | None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        hint = "Use your professional judgement."
        if yes is not None:
            hint = (
                f"They answered 'yes' to {yes} {'question' if yes == 1 else 'questions'}. " + hint
            )
        if high_risk_from:
            hint += (
                f" {high_risk_from} or more 'yes' answers is high risk, but you can grade high "
                "risk with fewer."
            )
        self.fields["grade"] = radio_field(
            "What is your risk grade?",
            [(grade, grade.replace("_", " ").capitalize()) for grade in grades],
            required_message="Select your risk grade",
            hint=hint,
            hints=GRADE_HINTS,
        )


# Narrative and submitting ---------------------------------------------------------------------


class NarrativeForm(forms.Form):
    narrative = textarea_field(
        "What happened?",
        required_message="Enter what happened",
        max_length=50_000,
        hint="Say what happened, what you saw and what you did. Write about each child as a "
        "child: describe what happened to them, not only what they did.",
        rows=10,
    )


class RecordForm(forms.Form):
    """The check answers page's button. The journey's id makes a second press (a double click,
    or the back button) find the incident the first one recorded."""

    journey = forms.CharField(widget=forms.HiddenInput, max_length=40)
    error_anchor = "main-content"

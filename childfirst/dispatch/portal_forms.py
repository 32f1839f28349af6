"""Forms of the partner portal. The decision form is built for the agency's kind: its decisions
(dispatch.services.decision_choices_for), each with the details it carries shown under it
(always shown, not revealed on choice: see the template; dates as day, month and year
inputs). The checks themselves are services.check_decision, shared with the API; this form only
turns the page's inputs into its arguments and puts its messages beside the right inputs."""

from dataclasses import dataclass
from datetime import date

from django import forms

from childfirst.dispatch.partner import YES_NO, details_for, notes_label

TEXTAREA = {"rows": 5}
PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))


@dataclass(frozen=True)
class DatePart:
    id: str
    name: str
    label: str
    width: int
    value: str


class OutcomeForm(forms.Form):
    def __init__(self, data=None, *, agency_kind: str, choices: list[tuple[str, str]]):
        initial = {"decision": choices[0][0]} if len(choices) == 1 else None
        super().__init__(data, initial=initial)
        self.agency_kind = agency_kind
        self.choices = choices
        self.fields["decision"] = forms.ChoiceField(
            label="Decision",
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={
                "required": "Select the decision",
                "invalid_choice": "Select the decision",
            },
        )
        # Each decision's details, named "<decision>-<detail>" as two decisions may share one.
        self.details = {}
        for value, _ in choices:
            self.details[value] = details_for(agency_kind, value)
            for detail in self.details[value]:
                if detail.kind == "text":
                    field = forms.CharField(widget=forms.Textarea(attrs=TEXTAREA))
                elif detail.kind == "yes_no":
                    field = forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect)
                    field.widget.inline = True
                else:
                    field = forms.CharField(help_text="For example, 20 11 2026")
                field.required = False  # services.check_decision decides
                field.label = detail.label
                self.fields[f"{value}-{detail.name}"] = field
        labels = {notes_label(agency_kind, value) for value, _ in choices}
        label = labels.pop() if len(labels) == 1 else "Notes for the police"
        self.fields["notes"] = forms.CharField(
            label=f"{label} (optional)",
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs=TEXTAREA),
            error_messages={"max_length": "Your notes must be 5,000 characters or fewer"},
        )

    def options(self):
        """What the template lays out: each decision with its details, revealed when chosen."""
        return [
            {
                "option": option,
                "conditional": [
                    self._detail(option.data["value"], d)
                    for d in self.details[option.data["value"]]
                ],
            }
            for option in self["decision"]
        ]

    def _detail(self, decision, detail) -> dict:
        name = f"{decision}-{detail.name}"
        parts = self._date_parts(name) if detail.kind == "date" else None
        return {"field": self[name], "parts": parts}

    def _date_parts(self, name: str) -> list[DatePart]:
        bound = self[name]
        return [
            DatePart(
                id=bound.auto_id if part == "day" else f"{bound.auto_id}-{part}",
                name=f"{name}-{part}",
                label=label,
                width=width,
                value=(self.data.get(f"{name}-{part}", "") if self.is_bound else ""),
            )
            for part, label, width in PARTS
        ]

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        for detail in self.details.get(decision, ()):
            if detail.kind != "date":
                continue
            name = f"{decision}-{detail.name}"
            given = [(self.data.get(f"{name}-{p}") or "").strip() for p, _, _ in PARTS]
            if not any(given):
                cleaned[name] = ""
                continue
            try:
                day, month, year = (int(v) for v in given)
                cleaned[name] = date(year, month, day).isoformat()
            except ValueError:
                self.add_error(name, f"The {detail.label.lower()} must be a real date")
        return cleaned

    def outcome(self) -> dict:
        """The arguments for partner.record_outcome."""
        data = self.cleaned_data
        decision = data["decision"]
        details = {}
        for detail in self.details[decision]:
            value = data.get(f"{decision}-{detail.name}") or ""
            if value:
                details[detail.name] = value
        return {"decision": decision, "details": details, "notes": data.get("notes", "")}

    def add_outcome_errors(self, errors: dict[str, str]) -> None:
        decision = self.cleaned_data.get("decision", "")
        for key, message in errors.items():
            name = key
            if key.startswith("details."):
                name = f"{decision}-{key.removeprefix('details.')}"
            self.add_error(name if name in self.fields else None, message)


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Your note for the police",
        help_text="For example, a change to your decision or something the police should know",
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={
            "required": "Enter your note for the police",
            "max_length": "Your note must be 5,000 characters or fewer",
        },
    )

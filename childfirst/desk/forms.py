"""Forms of the desk pages. Choices that come from data are given by the view."""

from django import forms

from childfirst.desk.models import Decision
from childfirst.desk.services import ClockState
from childfirst.desk.services.clock import REASON_MAX_LENGTH
from childfirst.incidents.models import Kind
from childfirst.screening.models import Grade

ANY = [("", "Any")]


class QueueFilterForm(forms.Form):
    borough = forms.ChoiceField(label="Borough", required=False)
    grade = forms.ChoiceField(label="Grade", required=False, choices=ANY + Grade.choices)
    kind = forms.ChoiceField(label="Incident", required=False, choices=ANY + Kind.choices)
    clock = forms.ChoiceField(
        label="Clock", required=False, choices=ANY + list(ClockState.LABELS.items())
    )
    who = forms.ChoiceField(label="Who has it", required=False)

    def __init__(self, *args, boroughs, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["borough"].choices = ANY + [(b.gss_code, b.name) for b in boroughs]
        self.fields["who"].choices = (
            ANY
            + [("unassigned", "Nobody yet"), ("me", "You")]
            + [(str(u.pk), u.full_name) for u in staff]
        )


class AssignForm(forms.Form):
    to = forms.ChoiceField(
        label="Who should have this notice?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who should have this notice"},
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [
            (str(u.pk), f"{u.full_name} ({u.get_role_display().lower()})") for u in staff
        ]


class DecisionForm(forms.Form):
    seen_screening = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(
        label="What is your decision?",
        widget=forms.RadioSelect,
        choices=Decision.choices,
        error_messages={
            "required": "Select refer, share for information only or no further action"
        },
    )
    agencies = forms.MultipleChoiceField(
        label="Agencies to share with",
        help_text=(
            "The screening's recommendations are selected. Say why if you change them. "
            "No further action shares with no one, whatever is selected"
        ),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    text = forms.CharField(
        label="Referral text",
        help_text=(
            "What the agencies will read about the child. Write about the child, in plain words"
        ),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    reason = forms.CharField(
        label="Reason",
        help_text=(
            "Why no further action is needed, or why you changed the recommended agencies. "
            "A supervisor reads this"
        ),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    other_agencies = forms.MultipleChoiceField(
        label="Other agencies",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, agencies, other_agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].choices = _agency_choices(agencies)
        self.fields["other_agencies"].choices = _agency_choices(other_agencies)

    def clean(self):
        """One list of agencies, however many of them were in other boroughs."""
        cleaned = super().clean()
        cleaned["agencies"] = [
            *cleaned.get("agencies", []),
            *cleaned.pop("other_agencies", []),
        ]
        return cleaned


def _agency_choices(agencies) -> list[tuple[str, str]]:
    return [
        (str(a.pk), f"{a.name}{' – ' + a.local_authority.name if a.local_authority else ''}")
        for a in agencies
    ]


class ApprovalForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Do you approve this decision?",
        widget=forms.RadioSelect,
        choices=[("approve", "Yes, approve it"), ("return", "No, return it to the desk")],
        error_messages={"required": "Select whether you approve this decision"},
    )
    comment = forms.CharField(
        label="Comment",
        help_text="Needed when you return it: say what the researcher needs to change",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d"]


class SampleForm(forms.Form):
    start = forms.DateField(
        label="From",
        help_text="For example, 1/11/2026",
        input_formats=DATE_FORMATS,
        error_messages={
            "required": "Enter the first date of the period",
            "invalid": "Enter the first date as day/month/year, for example 1/11/2026",
        },
    )
    end = forms.DateField(
        label="To",
        help_text="For example, 30/11/2026",
        input_formats=DATE_FORMATS,
        error_messages={
            "required": "Enter the last date of the period",
            "invalid": "Enter the last date as day/month/year, for example 30/11/2026",
        },
    )
    size = forms.IntegerField(
        label="How many decisions",
        min_value=1,
        max_value=200,
        initial=10,
        error_messages={
            "required": "Enter how many decisions to sample",
            "invalid": "Enter how many decisions to sample as a number, like 10",
            "min_value": "Sample at least 1 decision",
            "max_value": "Sample 200 decisions or fewer",
        },
    )
    seed = forms.IntegerField(widget=forms.HiddenInput, required=False)


class QualityNoteForm(forms.Form):
    note = forms.CharField(
        label="Quality note",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter your quality note"},
    )


class PauseClockForm(forms.Form):
    reason = forms.CharField(
        label="Why are you pausing the clock?",
        help_text=(
            "For example, waiting for the officer to confirm the child's school. Everyone on "
            "the desk will see this. When the clock restarts, the review is due later by the "
            "time it was paused"
        ),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why you are pausing the clock",
            "max_length": f"The reason must be {REASON_MAX_LENGTH} characters or less",
        },
    )

from django import forms

CHOICES = {
    "provisional": [
        ("confirm", "Yes, this is the same person: keep the link"),
        ("reject", "No, these are different people: make the record a new person"),
    ],
    "duplicate": [
        ("merge", "Yes, this is the same person: merge the two"),
        ("reject", "No, these are different people: keep them apart"),
    ],
}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Is this the same person?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this is the same person"},
    )
    reason = forms.CharField(
        label="Why (optional)",
        help_text="This goes in the access log with your decision",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = CHOICES[kind]


class UndoMergeForm(forms.Form):
    reason = forms.CharField(
        label="Why are you undoing this merge?",
        help_text="This goes in the access log",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why you are undoing this merge"},
    )

from django import forms


class SendForm(forms.Form):
    reason = forms.CharField(
        label="Why you are sending it (optional)",
        help_text="Recorded with each disclosure. Leave empty to record the desk's decision.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

from django import forms

from childfirst.directory import services
from childfirst.directory.models import AgencyKind


def local_authority_choices():
    return [("", "All")] + [(la.gss_code, la.name) for la in services.local_authorities()]


class AgencyFilterForm(forms.Form):
    text = forms.CharField(label="Name", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Type",
        required=False,
        choices=[("", "All")] + [c for c in AgencyKind.choices if c[0] != AgencyKind.SCHOOL],
    )
    local_authority = forms.ChoiceField(label="Local authority", required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authority"].choices = local_authority_choices()


class SchoolSearchForm(forms.Form):
    text = forms.CharField(label="School name, URN or postcode", required=False, max_length=100)
    local_authority = forms.ChoiceField(label="Local authority", required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authority"].choices = local_authority_choices()

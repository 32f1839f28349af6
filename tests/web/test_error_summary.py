"""The error summary links each problem to its field, as the GOV.UK pattern asks: for a group
of radios, to the first radio (Django gives a radio group no id of its own)."""

from django import forms
from django.template.loader import render_to_string


class _Form(forms.Form):
    decision = forms.ChoiceField(
        choices=[("refer", "Refer"), ("nfa", "No further action")], widget=forms.RadioSelect
    )
    summary = forms.CharField()


def test_each_error_links_to_its_field_and_a_radio_group_to_its_first_radio():
    form = _Form(data={})
    assert not form.is_valid()
    html = render_to_string("web/forms/error_summary.html", {"form": form})
    assert 'href="#id_decision_0"' in html
    assert 'href="#id_summary"' in html
    assert 'href="#"' not in html
    # The first radio really has that id when the field is shown.
    assert 'id="id_decision_0"' in str(form["decision"])

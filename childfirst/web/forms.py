"""Forms render as GOV.UK Design System markup."""

from django.forms.renderers import DjangoTemplates


class GovukFormRenderer(DjangoTemplates):
    """Every field renders through web/forms/field.html (label, hint, error message, input)."""

    field_template_name = "web/forms/field.html"

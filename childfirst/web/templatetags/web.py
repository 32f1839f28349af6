"""Template helpers for GOV.UK markup and London dates."""

from django import forms, template
from django.utils import timezone
from django.utils.dateformat import format as date_format

register = template.Library()

WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
}


@register.filter
def field_kind(bound_field) -> str:
    widget = bound_field.field.widget
    # CheckboxSelectMultiple is a subclass of RadioSelect: ask about it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    return "input"


@register.filter
def govuk_widget(bound_field):
    """Render a field's widget with GOV.UK classes and the aria links to its hint and error."""
    kind = field_kind(bound_field)
    css = WIDGET_CLASSES.get(kind, "govuk-input")
    if bound_field.errors:
        css += f" {css}--error"
    attrs = {"class": f"{css} {bound_field.field.widget.attrs.get('class', '')}".strip()}
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}-error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def london_date(value) -> str:
    """24 November 2026"""
    if not value:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return date_format(value, "j F Y")


@register.filter
def london_datetime(value) -> str:
    """24 November 2026 at 2:05pm"""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{date_format(local, 'j F Y')} at {govuk_time(local)}"


def govuk_time(moment) -> str:
    """GOV.UK style: 2:05pm, 10am, midday, midnight."""
    if moment.minute == 0:
        if moment.hour == 0:
            return "midnight"
        if moment.hour == 12:
            return "midday"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"

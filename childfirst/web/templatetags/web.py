"""Template helpers for GOV.UK markup and London dates."""

from django import forms, template

from childfirst import dates

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
    """24 November 2026 (childfirst.dates)"""
    return dates.london_date(value)


@register.filter
def number(value) -> str:
    """12,345"""
    return f"{int(value):,}"


@register.filter
def how_long(value) -> str:
    """A wait in plain words: "3 hours and 5 minutes" (childfirst.dates)"""
    return dates.how_long(value)


@register.filter
def london_datetime(value) -> str:
    """24 November 2026 at 2:05pm, in London (childfirst.dates)"""
    return dates.london_datetime(value)

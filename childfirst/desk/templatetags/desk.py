"""Template helpers for the desk pages."""

from django import template
from django.utils.html import format_html

from childfirst.directory.models import AgencyKind

register = template.Library()


@register.filter
def agency_kind_labels(kinds) -> list[str]:
    """["school", "marac"] -> ["School", "MARAC"]"""
    labels = dict(AgencyKind.choices)
    return [labels.get(kind, kind) for kind in kinds or []]


GRADE_TAGS = {
    "red": ("govuk-tag--red", "Red"),
    "amber": ("govuk-tag--orange", "Amber"),
    "green": ("govuk-tag--green", "Green"),
}
CLOCK_TAGS = {
    "overdue": ("govuk-tag--red", "Overdue"),
    "due_soon": ("govuk-tag--yellow", "Due soon"),
    "paused": ("govuk-tag--grey", "Paused"),
}


@register.simple_tag
def grade_tag(grade):
    """A GOV.UK tag for a grade (a tag, not an include: the queue shows 50 of them)."""
    css, label = GRADE_TAGS.get(grade, ("govuk-tag--grey", "Information only"))
    return format_html('<strong class="govuk-tag {}">{}</strong>', css, label)


@register.simple_tag
def clock_tag(state):
    css, label = CLOCK_TAGS.get(state, ("govuk-tag--blue", "On time"))
    return format_html('<strong class="govuk-tag {}">{}</strong>', css, label)

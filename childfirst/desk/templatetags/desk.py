"""Template helpers for the desk pages."""

from django import template
from django.utils.html import format_html

from childfirst.desk.services.names import name_of
from childfirst.directory.models import AgencyKind

register = template.Library()


@register.filter
def agency_kind_labels(kinds) -> list[str]:
    """["school", "marac"] -> ["School", "MARAC"]"""
    return [agency_kind_label(kind) for kind in kinds or []]


@register.filter
def agency_kind_label(kind) -> str:
    """One kind: "school" -> "School"."""
    return dict(AgencyKind.choices).get(kind, kind or "")


@register.filter
def person_name(person) -> str:
    """A child's name, or "a child whose name was not recorded" (services.name_of); a desk
    item's child_name string works too. Use capfirst where it starts a sentence."""
    return name_of(person)


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

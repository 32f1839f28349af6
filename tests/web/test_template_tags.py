"""The web app's date filters in a template: they write what childfirst.dates writes (its own
tests, tests/test_dates.py, hold the cases), in Europe/London."""

from datetime import UTC, datetime, timedelta

from django.template import Context, Template


def render(text: str, **values) -> str:
    return Template("{% load web %}" + text).render(Context(values))


def test_the_date_filters_write_london_dates_in_a_template():
    # British Summer Time: 23:30 UTC on 1 July is 12:30am on 2 July in London.
    summer_night = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)

    assert render("{{ when|london_datetime }}", when=summer_night) == "2 July 2026 at 12:30am"
    assert render("{{ when|london_date }}", when=summer_night) == "2 July 2026"
    assert render("[{{ when|london_date }}]", when=None) == "[]"


def test_the_wait_and_number_filters():
    assert render("{{ wait|how_long }}", wait=timedelta(hours=3, minutes=5)) == (
        "3 hours and 5 minutes"
    )
    assert render("{{ count|number }}", count=12345) == "12,345"

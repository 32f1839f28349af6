"""`childfirst clocks due RULE --start ISO_DATETIME [--local-authority GSS] [--school URN]`:
checks outside the test suite read its output, so it stays exactly this."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from childfirst.timescales.models import Clock, ClockState
from childfirst.timescales.services import ClockRequest, start_clocks
from tests.timescales.conftest import london, make_school


def due(*args) -> str:
    out = StringIO()
    call_command("clocks", "due", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_due_prints_only_the_time_in_london_with_its_offset(hackney):
    assert due("encompass", "--start", "2026-11-24T18:00:00+00:00") == (
        "2026-11-25T08:30:00+00:00\n"
    )
    assert due("desk_review_red", "--start", "2026-10-23T15:00:00Z") == (
        "2026-10-26T12:00:00+00:00\n"
    )
    assert due("return_interview", "--start", "2027-03-26T12:00:00+00:00") == (
        "2027-03-29T13:00:00+01:00\n"
    )


def test_a_start_without_an_offset_is_london_time(db):
    assert due("la_decision", "--start", "2027-03-25T10:00") == "2027-03-30T17:00:00+01:00\n"


def test_due_uses_the_local_authoritys_calendar_and_the_schools_start_time(hackney):
    school = make_school(hackney, starts=london(2026, 1, 1, 8, 50).time())
    start = ["--start", "2026-10-23T19:00:00+01:00"]
    assert due("encompass", *start, "--local-authority", "E09000012") == (
        "2026-11-02T08:30:00+00:00\n"
    )
    assert due("encompass", *start, "--school", str(school.urn)) == "2026-11-02T08:50:00+00:00\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["desk_review_purple", "--start", "2026-11-24T09:00"], 'no clock rule called "desk'),
        (["encompass", "--start", "24/11/2026 09:00"], "is not an ISO 8601 date and time"),
        (
            ["encompass", "--start", "2026-11-24T09:00", "--local-authority", "E09000099"],
            '"E09000099" is not a local authority GSS code Child First knows',
        ),
        (
            ["encompass", "--start", "2026-11-24T09:00", "--school", "12345678"],
            '"12345678" is not the URN of a school Child First knows',
        ),
    ],
)
def test_bad_input_gives_a_clear_message_and_exit_code_2(db, args, message):
    with pytest.raises(CommandError, match=message) as caught:
        due(*args)
    assert caught.value.returncode == 2


def test_check_warns_and_breaches_the_clocks_due_now(db):
    start_clocks(requests=[ClockRequest("desk_review_red", "notice", 1, london(2020, 1, 6, 9))])
    out = StringIO()
    call_command("clocks", "check", stdout=out)
    assert out.getvalue() == "0 warned, 1 breached\n"
    assert Clock.objects.get().state == ClockState.BREACHED

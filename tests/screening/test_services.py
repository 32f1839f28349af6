"""Screening at intake (API, file and form), at review, and in bulk."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from childfirst.accounts.models import Role
from childfirst.audit.models import AccessLogEntry
from childfirst.incidents.models import Notice
from childfirst.incidents.services import notices_of
from childfirst.screening.models import Screening, Trigger
from childfirst.screening.rules import current_rules
from childfirst.screening.services import current_screenings, screen_notice, screen_notices
from childfirst.screening.signals import notices_screened
from tests.incidents.builders import payload, record
from tests.incidents.test_officer_form import (
    CHECK,
    DONE,
    SESSION_KEY,
    TOBI_PART,
    answer_to_check,
)
from tests.incidents.test_officer_form import post as answer
from tests.screening.builders import child, fired, incident, school

pytestmark = pytest.mark.django_db


def test_every_notice_is_screened_at_intake_with_the_rules_version():
    result = record(payload())

    notices = notices_of(incident=result.incident)
    screenings = Screening.objects.filter(notice__in=notices)
    assert screenings.count() == len(notices) == 2
    for screening in screenings:
        assert screening.is_current
        assert screening.trigger == Trigger.INTAKE
        assert screening.screened_by is None
        assert screening.rules_version == current_rules().version
        assert screening.grade_rank == 0  # the officer graded the DASH high: red


def test_the_officers_form_screens_the_children_it_records(signed_in):
    school()
    client, _ = signed_in(Role.FRONTLINE_OFFICER, full_name="PC Sam Officer")
    answer_to_check(client, kind="domestic_abuse_incident", part={**TOBI_PART, "role": "victim"})

    answer(client, CHECK, {"journey": client.session[SESSION_KEY]["id"]}, to=DONE)

    [notice] = Notice.objects.all()
    screening = current_screenings(notice_ids=[notice.pk])[notice.pk]
    assert "encompass_school" in fired(screening)
    assert screening.recommended_recipients[0] == "school"


def test_screening_again_at_review_keeps_the_old_screening(user_factory):
    researcher = user_factory(role=Role.DESK_RESEARCHER)
    [notice] = notices_of(
        incident=record(incident(kind="violence", people=[child("suspect")])).incident
    )
    first = Screening.objects.get(notice=notice)

    again = screen_notice(notice=Notice.objects.get(pk=notice.pk), by=researcher)

    first.refresh_from_db()
    assert not first.is_current
    assert again.is_current and again.pk != first.pk
    assert (again.trigger, again.screened_by) == (Trigger.REVIEW, researcher)
    assert current_screenings(notice_ids=[notice.pk])[notice.pk] == again
    assert notice.screenings.count() == 2
    entry = AccessLogEntry.objects.get(
        subject_type="notice", subject_id=str(notice.pk), user=researcher
    )
    assert (entry.action, entry.justification) == ("update", "Desk review of the notice")


def test_a_screened_batch_is_announced_with_its_notices():
    heard = []

    def listen(sender, *, screenings, clocks, **kwargs):
        heard.append(([s.notice.pk for s in screenings], clocks))

    notices_screened.connect(listen)
    try:
        result = record(payload())
    finally:
        notices_screened.disconnect(listen)

    [(notice_ids, clocks)] = heard
    assert notice_ids == [notice.pk for notice in notices_of(incident=result.incident)]
    # Each notice with the clocks its screening started (red: the desk review in 4 hours).
    assert set(clocks) == set(notice_ids)
    assert all("desk_review_red" in {c.rule for c in clocks[n]} for n in notice_ids)


def test_a_batch_is_screened_in_the_same_number_of_queries_whatever_its_size():
    for number in range(12):
        record(
            incident(
                kind="missing_person",
                people=[child("missing_person", given_name=f"Child{number}", nhs_number="")],
                occurred_at=f"2026-11-{number + 1:02d}T10:00:00Z",
            )
        )
    record(payload())
    notices = list(Notice.objects.select_related("incident", "involvement"))
    assert len(notices) > 12

    with CaptureQueriesContext(connection) as few:
        screen_notices(notices=notices[:2], trigger=Trigger.REVIEW)
    with CaptureQueriesContext(connection) as many:
        screen_notices(notices=notices, trigger=Trigger.REVIEW)

    assert len(many) == len(few)
    assert len(many) <= 12

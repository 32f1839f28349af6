"""The officer form's check answers page shows the language check beside the narrative and the
child's voice: it warns, and the officer can still record the child."""

import pytest

from childfirst.accounts.models import Role
from childfirst.directory.models import School
from childfirst.incidents.models import Incident
from tests.incidents.test_officer_form import (
    CHECK,
    DONE,
    answer_one_child,
    answer_what_happened,
    post,
    step,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(signed_in):
    School.objects.create(urn=900123, name="Example Primary School")
    return signed_in(Role.FRONTLINE_OFFICER, full_name="PC Sam Officer", collar_number="1234CE")


def answer_to_check(client, *, voice, narrative):
    answer_what_happened(client, "violence")
    answer_one_child(client)
    post(client, step("adults"), {"another": "no"}, to=step("voice"))
    post(client, step("voice"), {"voice_P1": voice}, to=step("narrative"))
    post(client, step("narrative"), {"narrative": narrative}, to=CHECK)


def test_check_answers_warns_about_victim_blaming_words_in_the_narrative(officer):
    client, _ = officer
    answer_to_check(
        client,
        voice="Said he hid under the bed when the shouting started",
        narrative="Neighbour called police. Mum says he keeps putting himself at risk.",
    )

    page = client.get(CHECK).content.decode()

    assert "govuk-warning-text" in page
    assert "“putting himself at risk”" in page
    assert "Consider rewording: Say who or what puts the child at risk" in page
    assert page.count("app-language-findings") == 1


def test_check_answers_warns_about_the_childs_voice_as_words_about_a_child(officer):
    client, _ = officer
    answer_to_check(
        client,
        voice="He is a young man now and very streetwise",
        narrative="Neighbour called police.",
    )

    page = client.get(CHECK).content.decode()

    assert "“young man”" in page
    assert "“streetwise”" in page
    assert "Some words here (2 places)" in page


def test_plain_words_get_no_warning_and_a_warning_never_stops_recording(officer):
    client, _ = officer
    answer_to_check(
        client,
        voice="Said he hid under the bed when the shouting started",
        narrative="Neighbour called police. The officer put himself between them.",
    )
    assert "app-language-findings" not in client.get(CHECK).content.decode()

    client, _ = officer
    post(client, step("narrative"), {"narrative": "He is streetwise."})
    journey = client.get(CHECK)
    assert "“streetwise”" in journey.content.decode()
    form_id = journey.context["form"]["journey"].value()
    post(client, CHECK, {"journey": form_id}, to=DONE)
    assert Incident.objects.count() == 1

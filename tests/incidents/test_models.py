"""The tables' own rules: one incident per source reference, one notice per child."""

import pytest
from django.db import IntegrityError, transaction

import rules
from childfirst.accounts.models import Role as UserRole
from childfirst.incidents.models import Incident, Kind, Notice, Role
from tests.builders import make_user
from tests.incidents.builders import record

pytestmark = pytest.mark.django_db


def test_the_source_system_and_reference_are_unique_together():
    incident = record().incident
    copy = Incident.objects.get(pk=incident.pk)
    copy.pk = None

    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    copy.source_system = "ATHENA"
    copy.save()  # the same reference from another system is another incident
    assert Incident.objects.count() == 2


def test_a_child_has_one_notice_per_incident():
    notice = record().incident.notices.first()
    notice.pk = None

    with pytest.raises(IntegrityError), transaction.atomic():
        notice.save()


def test_kinds_and_roles_are_the_issues_lists():
    assert Kind.values == [
        "domestic_abuse_incident",
        "domestic_abuse_crime",
        "missing_person",
        "stop_and_search",
        "strip_search",
        "arrest_and_custody",
        "sexual_offence",
        "violence",
        "online_harm",
        "exploitation_concern",
        "other",
    ]
    assert Kind.STRIP_SEARCH.label == "Strip search (More Thorough Search)"
    assert Role.values == [
        "victim",
        "suspect",
        "witness",
        "present",
        "child_in_household",
        "parent_or_carer",
        "reporting_person",
        "missing_person",
        "person_searched",
        "arrested_person",
    ]


def test_names_read_well():
    incident = record(source_reference="CAD-1").incident
    notice = Notice.objects.filter(incident=incident).first()

    assert str(incident) == "Domestic abuse incident NICHE CAD-1"
    assert incident.reference == "NICHE CAD-1"
    assert str(notice) == f"Notice {notice.pk}: person {notice.person_id} in incident {incident.pk}"


@pytest.mark.parametrize(
    ("rule", "allowed"),
    [
        (
            "incidents.record_incident",
            {"frontline_officer", "desk_researcher", "desk_supervisor", "exploitation_officer"},
        ),
        (
            "incidents.view_incident",
            {"frontline_officer", "desk_researcher", "desk_supervisor", "exploitation_officer"},
        ),
        ("incidents.view_notices", {"desk_researcher", "desk_supervisor"}),
    ],
)
def test_page_rules_let_in_only_the_roles_that_need_them(rule, allowed):
    let_in = {role for role in UserRole.values if rules.has_perm(rule, make_user(role=role))}

    assert let_in == allowed

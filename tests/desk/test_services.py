"""The desk's services: the queue, claim and assign, decisions, approval, breaches, samples."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from childfirst.accounts.models import Role
from childfirst.audit.models import AccessLogEntry, Action
from childfirst.desk import services
from childfirst.desk.models import (
    Decision,
    DeskEvent,
    DeskItem,
    ItemState,
    Referral,
    ReferralStatus,
)
from childfirst.directory.models import AgencyKind
from childfirst.screening.models import Screening
from tests.builders import make_user
from tests.desk import builders as b

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    b.hackney_postcode()
    return b.agencies()


def refer(item, by, agencies, **fields):
    notice = item.notice
    ids = tuple(a.pk for a in agencies)
    fields.setdefault("text", "Tobi, 10, was in the bedroom during a domestic abuse incident.")
    request_ = services.DecisionRequest(decision=Decision.REFER, agency_ids=ids, **fields)
    return services.decide(notice=notice, by=by, request_=request_, now=NOW)


# The queue --------------------------------------------------------------------------------------


def test_every_child_in_an_incident_comes_to_the_queue_with_grade_borough_and_clock(setting):
    items = b.items_of(b.incident())
    assert set(items) == {"Tobi", "Ade"}
    tobi = items["Tobi"]
    assert tobi.state == ItemState.OPEN
    assert tobi.grade == "red" and tobi.grade_rank == 0
    assert tobi.local_authority.gss_code == b.HACKNEY
    assert tobi.kind == "domestic_abuse_incident"
    assert tobi.child_name == "Tobi Example"
    # Red: 4 working hours from 09:00 on Tuesday 24 November.
    assert tobi.due_at == datetime(2026, 11, 24, 13, 0, tzinfo=UTC)


def clocks(due, rule="desk_review_amber", state="running", warn=None):
    return [SimpleNamespace(rule=rule, due_at=due, warn_at=warn, state=state)]


def test_the_queue_is_sorted_by_clock_then_grade(setting):
    user = make_user()
    first = b.items_of(b.incident())["Tobi"]
    second = b.items_of(b.incident(questionnaires=[b.dash(2)]))["Tobi"]
    later = NOW + timedelta(hours=30)
    # The same due time: the red one comes first. An earlier due time beats the grade.
    screenings = Screening.objects.filter(
        notice_id__in=[first.notice_id, second.notice_id], is_current=True
    ).select_related("notice__incident")
    by_notice = {s.notice_id: s for s in screenings}
    services.queue_notices(
        screenings=[by_notice[first.notice_id], by_notice[second.notice_id]],
        clocks={first.notice_id: clocks(later), second.notice_id: clocks(later)},
    )
    order = [i.notice_id for i in services.queue_items(user=user, filters=services.QueueFilters())]
    assert order.index(first.notice_id) < order.index(second.notice_id)
    services.queue_notices(
        screenings=[by_notice[second.notice_id]],
        clocks={second.notice_id: clocks(NOW + timedelta(hours=1))},
    )
    order = [i.notice_id for i in services.queue_items(user=user, filters=services.QueueFilters())]
    assert order[0] == second.notice_id


def test_the_queue_filters_by_borough_grade_kind_clock_and_who_has_it(setting):
    researcher, other = make_user(), make_user()
    red = b.items_of(b.incident())
    services.claim(notice_id=red["Tobi"].notice_id, by=researcher, now=NOW)
    services.claim(notice_id=red["Ade"].notice_id, by=other, now=NOW)
    missing = b.items_of(
        b.incident(
            kind="missing_person",
            questionnaires=[],
            location={"address": "1 Far Road, Leeds", "postcode": "LS1 1AA"},
            people=[b.payload()["people"][1] | {"role": "missing_person"}],
        )
    )["Tobi"]

    def ids(**chosen):
        found = services.queue_items(
            user=researcher, filters=services.QueueFilters(**chosen), now=NOW
        )
        return {i.notice_id for i in found}

    assert ids(borough=b.HACKNEY) == {red["Tobi"].notice_id, red["Ade"].notice_id}
    assert ids(borough="E09000001") == set()
    assert ids(grade="red") == {red["Tobi"].notice_id, red["Ade"].notice_id}
    assert ids(kind="missing_person") == {missing.notice_id}
    assert ids(who="me") == {red["Tobi"].notice_id}
    assert ids(who=str(other.pk)) == {red["Ade"].notice_id}
    assert ids(who="unassigned") == {missing.notice_id}
    # Red is due at 13:00: on time at 09:00, due soon at 12:30, overdue at 13:00.
    assert red["Tobi"].notice_id in ids(clock="on_time")
    later = services.queue_items(
        user=researcher,
        filters=services.QueueFilters(clock="overdue"),
        now=datetime(2026, 11, 24, 13, 0, tzinfo=UTC),
    )
    assert red["Tobi"].notice_id in {i.notice_id for i in later}
    DeskItem.objects.filter(pk=red["Ade"].pk).update(clock_paused=True)
    assert ids(clock="paused") == {red["Ade"].notice_id}


def test_a_page_of_the_queue_says_each_clock_state(setting):
    b.incident()
    user = make_user()
    page = services.queue_page(
        user=user,
        filters=services.QueueFilters(),
        now=datetime(2026, 11, 24, 12, 30, tzinfo=UTC),
    )
    assert {item.clock_state for item in page.items} == {"due_soon"}
    assert page.count == 2 and not page.count_is_more and not page.has_next
    # Each child whose name the page shows is in the access log, with why.
    reads = AccessLogEntry.objects.filter(user=user, action=Action.READ)
    assert set(reads.values_list("justification", flat=True)) == {"Referrals desk queue"}
    assert set(reads.values_list("person_id", flat=True)) == {
        str(item.notice.person_id) for item in page.items
    }


# Claim and assign -------------------------------------------------------------------------------


def test_a_researcher_cannot_take_a_notice_someone_else_has_but_a_supervisor_can_move_it(
    setting,
):
    first, second = make_user(), make_user()
    supervisor = make_user(role=Role.DESK_SUPERVISOR)
    item = b.items_of(b.incident())["Tobi"]
    services.claim(notice_id=item.notice_id, by=first, now=NOW)
    with pytest.raises(services.DeskError, match="Someone else already has this notice"):
        services.claim(notice_id=item.notice_id, by=second, now=NOW)
    services.assign(notice_id=item.notice_id, to=second, by=supervisor, now=NOW)
    item.refresh_from_db()
    assert item.assigned_to == second
    titles = list(
        DeskEvent.objects.filter(notice_id=item.notice_id).values_list("title", flat=True)
    )
    assert f"Assigned to {second.full_name}" in titles


# Decisions --------------------------------------------------------------------------------------


def test_a_red_referral_waits_for_a_supervisor_and_stops_the_desk_review_clock(setting):
    researcher = make_user()
    item = b.items_of(b.incident())["Tobi"]
    mash, marac = setting[AgencyKind.CHILDRENS_SOCIAL_CARE], setting[AgencyKind.MARAC]
    referral = refer(item, researcher, [mash, marac])
    assert referral.status == ReferralStatus.AWAITING_APPROVAL and referral.needs_approval
    recipients = {r.agency.code: r for r in referral.recipients.all()}
    assert set(recipients) == {"hackney-mash", "hackney-marac"}
    assert all(r.was_recommended and r.agreement_id for r in recipients.values())
    item.refresh_from_db()
    assert item.state == ItemState.AWAITING_APPROVAL and item.assigned_to == researcher
    # Screened again at the decision, by the researcher.
    assert referral.screening.trigger == "review" and referral.screening.screened_by == researcher
    from childfirst.timescales.services import clocks_for

    desk_clock = next(
        c
        for c in clocks_for(subject_type="notice", subject_ids=[item.notice_id])[item.notice_id]
        if c.rule == "desk_review_red"
    )
    assert desk_clock.state == "met"
    logged = AccessLogEntry.objects.filter(subject_type="referral", subject_id=str(referral.pk))
    assert set(logged.get().recipients) == {"Hackney MASH", "Hackney MARAC"}


def test_changing_the_recommended_agencies_needs_a_reason(setting):
    item = b.items_of(b.incident())["Tobi"]
    with pytest.raises(services.DecisionInvalid) as refused:
        refer(item, make_user(), [setting[AgencyKind.CHILDRENS_SOCIAL_CARE]])
    assert refused.value.errors == {"reason": "Enter why you changed the recommended agencies"}
    assert not Referral.objects.exists()
    # A form with mistakes leaves no new screening behind.
    assert Screening.objects.filter(notice_id=item.notice_id).count() == 1
    referral = refer(
        item,
        make_user(),
        [setting[AgencyKind.CHILDRENS_SOCIAL_CARE]],
        reason="The victim is already referred to MARAC by the investigating officer",
    )
    assert referral.reason.startswith("The victim is already referred")


def test_an_agency_with_no_sharing_agreement_cannot_receive_a_referral(setting):
    from childfirst.directory.models import SharingAgreement

    SharingAgreement.objects.filter(agency_kind=AgencyKind.MARAC).delete()
    item = b.items_of(b.incident())["Tobi"]
    with pytest.raises(services.DecisionInvalid) as refused:
        refer(item, make_user(), [setting[AgencyKind.CHILDRENS_SOCIAL_CARE], setting["marac"]])
    assert (
        "no sharing agreement in force that lets Hackney MARAC" in refused.value.errors["agencies"]
    )


def test_no_further_action_needs_a_reason_and_a_supervisor(setting):
    item = b.items_of(b.incident(questionnaires=[b.dash(2)]))["Tobi"]
    researcher = make_user()
    nfa = services.DecisionRequest(decision=Decision.NO_FURTHER_ACTION)
    with pytest.raises(services.DecisionInvalid) as refused:
        services.decide(notice=item.notice, by=researcher, request_=nfa, now=NOW)
    assert refused.value.errors == {"reason": "Enter why no further action is needed"}
    nfa = services.DecisionRequest(
        decision=Decision.NO_FURTHER_ACTION, reason="Already known and supported by the school"
    )
    referral = services.decide(notice=item.notice, by=researcher, request_=nfa, now=NOW)
    assert referral.needs_approval and referral.screening.grade != "red"


def test_no_further_action_shares_with_no_agency_even_if_some_were_still_selected(setting):
    # The decision page pre-selects the recommended agencies; a researcher who chooses no
    # further action may leave them ticked.
    item = b.items_of(b.incident(questionnaires=[b.dash(2)]))["Tobi"]
    researcher = make_user()
    nfa = services.DecisionRequest(
        decision=Decision.NO_FURTHER_ACTION,
        reason="Already known and supported by the school",
        agency_ids=(setting[AgencyKind.CHILDRENS_SOCIAL_CARE].pk,),
    )
    referral = services.decide(notice=item.notice, by=researcher, request_=nfa, now=NOW)
    assert not referral.recipients.exists()
    logged = AccessLogEntry.objects.get(subject_type="referral", subject_id=str(referral.pk))
    assert not logged.recipients


def test_a_share_on_an_amber_notice_is_complete_when_decided(setting):
    item = b.items_of(b.incident(questionnaires=[b.dash(2)]))["Tobi"]
    screening = services.current_screening(notice=item.notice)
    assert screening.grade != "red"
    recommended = services.recommended_agencies(
        notice=item.notice, kinds=screening.recommended_recipients
    )
    request_ = services.DecisionRequest(
        decision=Decision.SHARE,
        text="For information: Tobi was present at a domestic abuse incident.",
        agency_ids=tuple(r.agency.pk for r in recommended if r.agency),
    )
    referral = services.decide(notice=item.notice, by=make_user(), request_=request_, now=NOW)
    assert referral.status == ReferralStatus.COMPLETE
    item.refresh_from_db()
    assert item.state == ItemState.DONE


def test_a_decision_is_refused_when_the_grade_changed_since_the_researcher_looked(setting):
    item = b.items_of(b.incident())["Tobi"]
    seen = services.current_screening(notice=item.notice)
    Screening.objects.filter(pk=seen.pk).update(grade="green", grade_rank=2)
    with pytest.raises(services.ScreeningChanged, match="this notice is red, not green"):
        refer(
            item,
            make_user(),
            [setting[AgencyKind.CHILDRENS_SOCIAL_CARE], setting[AgencyKind.MARAC]],
            seen_screening_id=seen.pk,
        )
    assert services.current_screening(notice=item.notice).trigger == "review"


def test_the_language_check_findings_are_kept_with_the_decision(setting):
    item = b.items_of(b.incident())["Tobi"]
    referral = refer(
        item,
        make_user(),
        [setting[AgencyKind.CHILDRENS_SOCIAL_CARE], setting[AgencyKind.MARAC]],
        text="Tobi is streetwise and is putting himself at risk.",
    )
    found = services.check_language(text=referral.text, child_age=10)
    assert [f["words"] for f in referral.language_findings] == [f.words for f in found]


def test_the_language_check_reads_a_referral_as_about_a_child_whose_age_is_not_known():
    text = "He is a young man who knows what he is doing."

    found = services.check_language(text=text, child_age=None)

    assert [finding.words for finding in found] == ["young man"]


# Approval ---------------------------------------------------------------------------------------


def test_a_supervisor_approves_or_returns_a_decision_but_not_their_own(setting):
    researcher = make_user()
    supervisor = make_user(role=Role.DESK_SUPERVISOR)
    item = b.items_of(b.incident())["Tobi"]
    agencies = [setting[AgencyKind.CHILDRENS_SOCIAL_CARE], setting[AgencyKind.MARAC]]
    referral = refer(item, researcher, agencies)
    with pytest.raises(services.DecisionInvalid):
        services.return_decision(referral=referral, by=supervisor, comment=" ")
    services.return_decision(referral=referral, by=supervisor, comment="Name the school", now=NOW)
    item.refresh_from_db()
    assert item.state == ItemState.OPEN and item.assigned_to == researcher
    second = refer(item, researcher, agencies)
    services.approve(referral=second, by=supervisor, now=NOW)
    item.refresh_from_db()
    second.refresh_from_db()
    assert item.state == ItemState.DONE and second.status == ReferralStatus.COMPLETE
    own = refer(b.items_of(b.incident())["Tobi"], supervisor, agencies)
    with pytest.raises(services.DeskError, match="Another supervisor must approve"):
        services.approve(referral=own, by=supervisor)
    titles = list(DeskEvent.objects.filter(referral=second).values_list("title", flat=True))
    assert any(t.startswith(f"Approved by {supervisor.full_name}") for t in titles)


# The notice page --------------------------------------------------------------------------------


def test_opening_a_notice_is_logged_for_the_child_and_the_household_with_the_notice_as_reason(
    setting,
):
    researcher = make_user()
    item = b.items_of(b.incident())["Tobi"]
    view = services.view_notice(notice_id=item.notice_id, user=researcher)
    reads = AccessLogEntry.objects.filter(user=researcher, action=Action.READ)
    notice_read = reads.get(subject_type="notice")
    assert notice_read.subject_id == str(item.notice_id)
    assert notice_read.person_id == str(view.person.pk)
    assert notice_read.justification.startswith(f"Desk review of notice {item.notice_id}")
    household = {p.given_name for p in view.household}
    assert household == {"Amara", "Ade"}
    person_reads = reads.filter(subject_type="person")
    assert {e.person_id for e in person_reads} == {str(p.pk) for p in view.household}


def test_the_timeline_shows_earlier_notices_missing_episodes_and_decisions(setting):
    earlier = b.incident(
        kind="missing_person",
        occurred_at="2026-10-01T18:00:00Z",
        reported_at="2026-10-01T19:00:00Z",
        questionnaires=[],
        people=[b.payload()["people"][1] | {"role": "missing_person"}],
    )
    assert earlier.incident.pk
    item = b.items_of(b.incident())["Tobi"]
    refer(item, make_user(), [setting[AgencyKind.CHILDRENS_SOCIAL_CARE], setting["marac"]])
    view = services.view_notice(notice_id=item.notice_id, user=make_user())
    titles = [entry.title for entry in view.timeline]
    assert "Missing episode" in titles
    assert any(t.startswith("Domestic abuse incident: present (this notice)") for t in titles)
    assert any(t.startswith("Refer decided by") for t in titles)
    assert view.timeline == sorted(view.timeline, key=lambda e: e.at, reverse=True)
    [dash] = view.questionnaires
    assert dash.score == 14 and dash.answers[0].question.startswith("Has the current incident")


# Supervision ------------------------------------------------------------------------------------


def test_breaches_list_overdue_desk_reviews_and_log_the_children_shown(setting):
    item = b.items_of(b.incident())["Tobi"]
    supervisor = make_user(role=Role.DESK_SUPERVISOR)
    assert item.notice_id not in {i.notice_id for i in services.breaches(user=supervisor, now=NOW)}
    late = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
    assert item.notice_id in {i.notice_id for i in services.breaches(user=supervisor, now=late)}
    assert AccessLogEntry.objects.filter(
        user=supervisor, person_id=item.notice.person_id, justification="Desk breaches"
    ).exists()


def test_the_approvals_list_logs_the_children_it_shows(setting):
    item = b.items_of(b.incident())["Tobi"]  # red: the decision waits for a supervisor
    referral = refer(item, make_user(), setting.values(), reason="Both agencies")
    supervisor = make_user(role=Role.DESK_SUPERVISOR)
    assert [r.pk for r in services.awaiting_approval(user=supervisor)] == [referral.pk]
    logged = AccessLogEntry.objects.filter(
        user=supervisor, justification="Decisions waiting for approval"
    ).values_list("person_id", flat=True)
    assert list(logged) == [str(item.notice.person_id)]


def test_a_quality_sample_is_random_repeatable_and_limited_to_the_period(setting):
    supervisor = make_user(role=Role.DESK_SUPERVISOR)
    agencies = [setting[AgencyKind.CHILDRENS_SOCIAL_CARE], setting[AgencyKind.MARAC]]
    made = [refer(b.items_of(b.incident())["Tobi"], make_user(), agencies) for _ in range(4)]
    day = date(2026, 11, 24)
    one = services.sample_decisions(start=day, end=day, size=2, seed=7, by=supervisor)
    again = services.sample_decisions(start=day, end=day, size=2, seed=7, by=supervisor)
    assert one.decided == 4 and len(one.referrals) == 2
    assert [r.pk for r in one.referrals] == [r.pk for r in again.referrals]
    assert {r.pk for r in one.referrals} <= {r.pk for r in made}
    before = services.sample_decisions(
        start=date(2026, 11, 1), end=date(2026, 11, 23), size=2, seed=7, by=supervisor
    )
    assert before.referrals == []
    check = services.add_quality_note(referral=made[0], by=supervisor, note="Clear and prompt")
    assert check.note == "Clear and prompt"
    with pytest.raises(services.DeskError, match="Enter your quality note"):
        services.add_quality_note(referral=made[0], by=supervisor, note="  ")


def test_a_referral_is_completed_for_dispatch_when_decided_or_approved(setting):
    from childfirst.desk.signals import referral_completed

    completed = []

    def listen(sender, *, referral, **kwargs):
        completed.append(referral.pk)

    referral_completed.connect(listen)
    try:
        amber = b.items_of(b.incident(questionnaires=[b.dash(2)]))["Tobi"]
        screening = services.current_screening(notice=amber.notice)
        recommended = services.recommended_agencies(
            notice=amber.notice, kinds=screening.recommended_recipients
        )
        share = services.decide(
            notice=amber.notice,
            by=make_user(),
            request_=services.DecisionRequest(
                decision=Decision.SHARE,
                text="For information.",
                agency_ids=tuple(r.agency.pk for r in recommended if r.agency),
            ),
            now=NOW,
        )
        agencies = [setting[AgencyKind.CHILDRENS_SOCIAL_CARE], setting[AgencyKind.MARAC]]
        red = refer(b.items_of(b.incident())["Tobi"], make_user(), agencies)
        assert completed == [share.pk]
        services.approve(referral=red, by=make_user(role=Role.DESK_SUPERVISOR), now=NOW)
        assert completed == [share.pk, red.pk]
    finally:
        referral_completed.disconnect(listen)


def test_the_queue_shows_the_childs_name_as_their_record_stands_after_a_merge_and_its_undoing(
    setting,
):
    from childfirst.people import services as people
    from childfirst.people.models import Person

    item = b.items_of(b.incident())["Tobi"]
    tobi = item.notice.person
    fuller = Person.objects.create(
        given_name="Tobias", surname="Example", date_of_birth=date(2016, 5, 1)
    )
    supervisor = make_user(role=Role.DESK_SUPERVISOR)
    merge = people.merge_persons(survivor=fuller, merged=tobi, by=supervisor, reason="Same child")
    item.refresh_from_db()
    assert (item.child_name, item.child_date_of_birth) == ("Tobias Example", date(2016, 5, 1))
    assert item.notice.person_id == fuller.pk

    people.undo_merge(merge=merge, by=supervisor, reason="Not the same child after all")
    item.refresh_from_db()
    assert item.child_name == f"{tobi.given_name} {tobi.surname}"
    assert item.child_date_of_birth == tobi.date_of_birth


def test_agreements_are_in_force_by_london_date_when_checked_and_when_recorded(setting):
    from childfirst.directory.models import SharingAgreement

    item = b.items_of(b.incident())["Tobi"]
    # Half past midnight on 2 July in London is still 1 July in UTC.
    SharingAgreement.objects.update(starts_on=date(2026, 7, 2))
    just_after_midnight = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    referral = services.decide(
        notice=item.notice,
        by=make_user(),
        request_=services.DecisionRequest(
            decision=Decision.REFER,
            text="Tobi, 10, was in the bedroom during a domestic abuse incident.",
            agency_ids=tuple(a.pk for a in setting.values()),
        ),
        now=just_after_midnight,
    )
    assert all(r.agreement.starts_on == date(2026, 7, 2) for r in referral.recipients.all())


def agreement_queries(queries) -> int:
    return sum(
        1
        for query in queries
        if query["sql"].lstrip().upper().startswith("SELECT")
        and "directory_sharingagreement" in query["sql"]
    )


def test_a_decision_checks_sharing_agreements_once_per_kind_of_agency(setting, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from childfirst.desk.services import recipients
    from childfirst.directory.models import InformationCategory, SharingAgreement
    from tests.builders import make_agency

    health = make_agency(kind=AgencyKind.HEALTH, name="Hackney health")
    youth = make_agency(kind=AgencyKind.YOUTH_JUSTICE, name="Hackney youth justice")
    for kind in (AgencyKind.HEALTH, AgencyKind.YOUTH_JUSTICE):
        SharingAgreement.objects.create(
            agency_kind=kind,
            name=f"Agreement for {kind}",
            categories=list(InformationCategory.values),
            lawful_basis="Children Act 2004 section 11",
            starts_on=date(2020, 1, 1),
        )
    SharingAgreement.objects.update(categories=list(InformationCategory.values))
    chosen = [setting[AgencyKind.CHILDRENS_SOCIAL_CARE], setting[AgencyKind.MARAC], health, youth]
    why = "Health and youth justice know Tobi already"

    def decided(categories) -> int:
        monkeypatch.setattr(recipients, "SHARED_CATEGORIES", categories)
        item = b.items_of(b.incident())["Tobi"]
        with CaptureQueriesContext(connection) as queries:
            referral = refer(item, make_user(), chosen, reason=why)
        assert referral.recipients.count() == len(chosen)
        assert all(r.agreement_id for r in referral.recipients.all())
        return agreement_queries(queries.captured_queries)

    # One query per kind of agency, however many categories a referral shares.
    assert decided(tuple(InformationCategory.values)[:2]) == len(chosen)
    assert decided(tuple(InformationCategory.values)) == len(chosen)


def test_the_agreement_kept_with_a_recipient_is_one_that_covers_everything_shared(setting):
    from childfirst.directory.models import InformationCategory, SharingAgreement

    mash = setting[AgencyKind.CHILDRENS_SOCIAL_CARE]
    covering = SharingAgreement.objects.get(agency_kind=mash.kind)
    # A newer agreement covering only the child's identity does not cover a referral alone.
    SharingAgreement.objects.create(
        agency_kind=mash.kind,
        name="Identity only",
        categories=[InformationCategory.CHILD_IDENTITY],
        lawful_basis="Children Act 2004 section 11",
        starts_on=date(2025, 1, 1),
    )
    assert services.agreements_for(agencies=[mash], on=date(2026, 11, 24))[mash.pk] == covering
    covering.categories = [InformationCategory.INCIDENT_SUMMARY]
    covering.save()
    # Two agreements between them still let the agency receive it.
    assert services.agreements_for(agencies=[mash], on=date(2026, 11, 24))[mash.pk] is not None
    covering.delete()
    assert services.agreements_for(agencies=[mash], on=date(2026, 11, 24))[mash.pk] is None

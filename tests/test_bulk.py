"""childfirst.bulk: fast inserts and updates that store exactly what the ORM would."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from childfirst import bulk
from childfirst.people.models import Person

pytestmark = pytest.mark.django_db


def test_insert_sets_keys_and_stores_every_field_as_the_orm_would():
    people = [
        Person(given_name="Ada", surname="Okafor", date_of_birth=date(2014, 3, 7), sex="female"),
        Person(given_name="Ben", surname="", date_of_birth=None, postcode="E8 1DY"),
    ]
    bulk.insert(people, Person)
    assert all(person.pk for person in people)
    ada, ben = (Person.objects.get(pk=person.pk) for person in people)
    assert (ada.given_name, ada.date_of_birth, ada.sex) == ("Ada", date(2014, 3, 7), "female")
    assert (ben.date_of_birth, ben.postcode, ben.sex) == (None, "E8 1DY", "unknown")
    assert ada.created_at is not None and ada.updated_at is not None


def test_update_writes_only_the_named_fields_of_each_row():
    people = [Person(given_name=name, surname="Example") for name in ("Ada", "Ben", "Cy")]
    bulk.insert(people, Person)
    people[0].given_name, people[0].date_of_birth = "Adaeze", date(2014, 3, 7)
    people[1].given_name, people[1].surname = "Benjamin", "Changed but not written"
    people[2].date_of_birth = None
    bulk.update(people, Person, ["given_name", "date_of_birth"])
    stored = {p.pk: p for p in Person.objects.all()}
    assert (stored[people[0].pk].given_name, stored[people[0].pk].date_of_birth) == (
        "Adaeze",
        date(2014, 3, 7),
    )
    assert stored[people[1].pk].given_name == "Benjamin"
    assert stored[people[1].pk].surname == "Example"
    assert stored[people[2].pk].date_of_birth is None


def test_update_of_nothing_does_nothing():
    person = Person(given_name="Ada", surname="Okafor")
    bulk.insert([person], Person)
    with CaptureQueriesContext(connection) as queries:
        bulk.update([], Person, ["given_name"])
    assert len(queries) == 0
    assert Person.objects.get().given_name == "Ada"


def test_update_takes_aware_datetimes():
    person = Person(given_name="Ada")
    bulk.insert([person], Person)
    moment = timezone.now().replace(microsecond=0)
    person.updated_at = moment
    bulk.update([person], Person, ["updated_at"])
    assert Person.objects.get().updated_at == moment


def test_new_makes_an_instance_insert_stores_with_its_relation_cached():
    from childfirst.people.models import Mention

    person = Person(given_name="Ada", surname="Okafor")
    bulk.insert([person], Person)
    mention = bulk.new(Mention, source_system="CAD", source_reference="R1", person=person)
    assert mention.person is person  # cached: no query
    bulk.insert([mention], Mention)
    stored = Mention.objects.get()
    assert (stored.pk, stored.source_reference, stored.person_id) == (mention.pk, "R1", person.pk)


def test_blocking_keys_are_one_row_a_key_and_person_and_go_with_the_person():
    from django.db import IntegrityError, transaction

    from childfirst.people.models import BlockingKey

    person = Person.objects.create(given_name="Ada", surname="Okafor")
    BlockingKey.objects.bulk_create([BlockingKey(key=7, person=person)])
    with pytest.raises(IntegrityError), transaction.atomic():  # the primary key is both
        BlockingKey.objects.bulk_create([BlockingKey(key=7, person=person)])
    assert BlockingKey.objects.get().pk == (7, person.pk)
    with pytest.raises(TypeError, match="composite primary key"):  # no id to draw
        bulk.insert([BlockingKey(key=8, person=person)], BlockingKey)
    person.delete()
    assert not BlockingKey.objects.exists()


def test_new_refuses_a_field_the_model_does_not_have():
    with pytest.raises(KeyError):
        bulk.new(Person, shoe_size=9)


def test_new_fills_left_out_fields_with_the_defaults_model_init_would():
    from childfirst.incidents.models import Incident

    made = bulk.new(Incident, source_system="NICHE", source_reference="1", kind="other")
    usual = Incident(source_system="NICHE", source_reference="1", kind="other")
    for field in Incident._meta.concrete_fields:
        if field.name == "received_at":  # default timezone.now: called for each
            assert made.received_at is not None
            continue
        assert made.__dict__[field.attname] == usual.__dict__[field.attname], field.name
    # A callable default is called for each instance, never shared.
    other = bulk.new(Incident, source_system="NICHE", source_reference="2", kind="other")
    assert made.indicators == [] and made.indicators is not other.indicators


def test_insert_stores_json_exactly_as_the_orm_would_even_what_orjson_will_not_write():
    from childfirst.people.models import IdentityModel

    values = [
        {
            "name": "Zoë Wiśniewska",
            "weights": [0.5, -1.25, 3],
            "nested": {"ok": True, "none": None},
        },
        {"huge": 2**70, "at": "2026-11-24T09:00:00Z"},  # beyond 64 bits: orjson refuses it
        {1: "a key that is a number", "text": 'said "no" \\ then left'},  # so a number key
    ]
    for i, value in enumerate(values):
        IdentityModel.objects.create(version=f"orm-{i}", params=value, trained_at=timezone.now())
    by_bulk = [
        IdentityModel(version=f"bulk-{i}", params=v, trained_at=timezone.now())
        for i, v in enumerate(values)
    ]
    bulk.insert(by_bulk, IdentityModel)

    stored = dict(IdentityModel.objects.values_list("version", "params"))
    for i in range(len(values)):
        assert stored[f"bulk-{i}"] == stored[f"orm-{i}"]
    assert stored["bulk-1"]["huge"] == 2**70
    assert stored["bulk-2"]["1"] == "a key that is a number"


def test_copies_in_the_background_are_stored_before_the_next_statement_reads():
    from django.db import transaction

    with transaction.atomic(), bulk.writes_in_background():
        people = [Person(given_name=f"Child {n}", surname="Example") for n in range(300)]
        bulk.insert(people, Person)
        # The ORM's next statement waits for the COPY: it sees every row.
        assert Person.objects.filter(surname="Example").count() == 300
        more = [Person(given_name=f"Adult {n}", surname="Sample") for n in range(200)]
        bulk.insert(more, Person)
    # Leaving the block waited for the last COPY, before the commit.
    assert Person.objects.filter(surname="Sample").count() == 200
    assert len({p.pk for p in people + more}) == 500


def test_a_copy_that_fails_in_the_background_raises_its_own_error_and_nothing_is_kept():
    from django.db import IntegrityError, transaction

    from childfirst.people.models import BlockingKey

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's: on SQLite the block changes nothing")
    person = Person.objects.create(given_name="Ada", surname="Example")
    with pytest.raises(IntegrityError), transaction.atomic(), bulk.writes_in_background():
        bulk.copy_rows(
            BlockingKey._meta.db_table,
            ["key", "person_id"],
            ["bigint", "bigint"],
            [(7, person.pk), (7, person.pk)],  # the same key twice: refused
        )
        bulk.insert([Person(given_name="Never", surname="Stored")], Person)
    assert not Person.objects.filter(given_name="Never").exists()
    assert not BlockingKey.objects.filter(person=person).exists()

    # The error was raised once, where it happened: the next block is not troubled by it.
    with transaction.atomic(), bulk.writes_in_background():
        bulk.insert([Person(given_name="Later", surname="Stored")], Person)
    assert Person.objects.filter(given_name="Later").exists()


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Writes are queued on PostgreSQL only: on SQLite the block changes nothing")


def test_ids_wanted_ahead_are_drawn_in_one_query_and_later_inserts_ask_for_none():
    from django.db import transaction

    from childfirst.people.models import Mention

    _postgresql_only()
    with transaction.atomic(), bulk.writes_in_background():
        bulk.want_ids(Mention, 3)
        people = [Person(given_name=f"Child {n}", surname="Example") for n in range(3)]
        with CaptureQueriesContext(connection) as drawn:
            bulk.insert(people, Person)
        mentions = [
            bulk.new(Mention, person=person, source_system="CAD", source_reference=f"R{n}")
            for n, person in enumerate(people)
        ]
        with CaptureQueriesContext(connection) as later:
            bulk.insert(mentions, Mention)
        assert len(drawn.captured_queries) == 1 and "nextval" in drawn.captured_queries[0]["sql"]
        assert later.captured_queries == []  # its ids were drawn with the persons'
    stored = dict(Mention.objects.values_list("pk", "person_id"))
    assert stored == {mention.pk: mention.person_id for mention in mentions}
    assert {p.pk for p in people} == set(stored.values())


def test_rows_inserted_without_instances_are_stored_in_order_with_the_values_shared():
    from datetime import UTC, datetime

    from childfirst.audit.models import AccessLogEntry
    from childfirst.audit.services import SYSTEM, AccessEvent, record_accesses

    events = [
        AccessEvent(action="create", subject_type="incident", subject_id=n, details={"n": n})
        for n in range(5)
    ]
    assert record_accesses(actor=SYSTEM, events=events) == 5
    stored = list(
        AccessLogEntry.objects.order_by("pk").values_list("subject_id", "details", "actor_kind")
    )
    assert stored == [(str(n), {"n": n}, "system") for n in range(5)]

    at = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    bulk.insert_rows(
        AccessLogEntry,
        ["subject_id", "recipients"],
        [("a", ["Children's services"]), ("b", [])],
        same={"at": at, "actor_kind": "system", "action": "disclose", "subject_type": "x"},
    )
    shared = AccessLogEntry.objects.filter(subject_type="x").order_by("pk")
    assert [(e.subject_id, e.recipients, e.at, e.action) for e in shared] == [
        ("a", ["Children's services"], at, "disclose"),
        ("b", [], at, "disclose"),
    ]
    assert [(e.details, e.justification) for e in shared] == [({}, "")] * 2  # the defaults


def test_rows_naming_a_field_the_model_lacks_are_refused_and_nothing_is_stored():
    from childfirst.audit.models import AccessLogEntry

    with pytest.raises(KeyError, match="has no field colour"):
        bulk.insert_rows(AccessLogEntry, ["subject_id", "colour"], [("a", "red")])
    assert not AccessLogEntry.objects.exists()


def test_queued_writes_are_done_in_order_before_the_next_read():
    from django.db import transaction

    _postgresql_only()
    people = [Person(given_name=f"Child {n}", surname="Example") for n in range(50)]
    bulk.insert(people, Person)
    with transaction.atomic(), bulk.writes_in_background():
        for person in people:
            person.surname = "Changed"
        bulk.update(people, Person, ["surname"])  # queued, after nothing
        bulk.insert([Person(given_name="New", surname="Changed")], Person)  # queued after it
        assert Person.objects.filter(surname="Changed").count() == 51


def test_a_foreign_key_broken_by_a_queued_write_is_refused_before_the_commit():
    from django.db import IntegrityError, transaction

    from childfirst.people.models import Mention

    _postgresql_only()
    with pytest.raises(IntegrityError), transaction.atomic(), bulk.writes_in_background():
        bulk.insert([bulk.new(Mention, person_id=10**12, source_system="CAD")], Mention)
        # Checked as the COPY ended (not deferred to the commit): the next read raises it.
        Person.objects.count()
        raise AssertionError("The broken foreign key was not refused before the next read")
    assert not Mention.objects.exists()


def test_bigint_rows_copied_in_one_block_are_stored_as_given():
    from childfirst.people.models import BlockingKey

    _postgresql_only()
    person = Person.objects.create(given_name="Ada", surname="Example")
    keys = [-(2**63), -1, 0, 1, 2**40 + 7, 2**63 - 1]
    bulk.copy_bigints(BlockingKey._meta.db_table, ["key", "person_id"], [keys, [person.pk] * 6])
    stored = sorted(BlockingKey.objects.filter(person=person).values_list("key", flat=True))
    assert stored == keys


def test_any_finds_what_in_finds_for_numbers_text_and_relations():
    from childfirst.people.models import BlockingKey, Mention

    awkward = 'O\'Brien, "Jo" {Jr} \\ NULL'  # quotes, a comma, braces, a backslash, NULL
    names = ("Ada", "Ben", "Cy", awkward)
    people = [Person(given_name=name, surname="Example") for name in names]
    bulk.insert(people, Person)
    ada, ben, cy, odd = people
    Mention.objects.create(person=ben, source_system="CONNECT", source_reference="R1")
    BlockingKey.objects.create(key=-(2**62), person=cy)
    ids = [ada.pk, cy.pk, None, ada.pk]  # a None and a repeat, as `in` takes them

    def both(queryset, **lookup):
        [(name, values)] = lookup.items()
        found = set(queryset.filter(**{f"{name}__any": values}).values_list("pk", flat=True))
        assert found == set(queryset.filter(**{f"{name}__in": values}).values_list("pk", flat=True))
        return found

    assert both(Person.objects, id=ids) == {ada.pk, cy.pk}
    assert both(Person.objects, given_name=["Ben", "Cy", "Nobody"]) == {ben.pk, cy.pk}
    assert both(Person.objects, given_name=[awkward, "NULL"]) == {odd.pk}
    assert both(Person.objects, id=(ben.pk,)) == {ben.pk}  # a tuple as well as a list
    assert both(Mention.objects, person_id={ben.pk: "a dict gives its keys"})
    assert both(Mention.objects, person_id={ada.pk}) == set()
    found = set(
        BlockingKey.objects.filter(key__any=[-(2**62), 5]).values_list("person_id", flat=True)
    )
    assert found == {cy.pk}
    assert list(Person.objects.filter(id__any=[])) == []
    assert list(Person.objects.filter(id__any=[None])) == []
    subquery = Person.objects.filter(given_name="Ada").values("id")
    assert set(Person.objects.filter(id__any=subquery).values_list("pk", flat=True)) == {ada.pk}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own form")
def test_any_sends_one_array_of_the_columns_own_type_on_postgresql():
    people = [Person(given_name=name, surname="Example") for name in ("Ada", "Ben")]
    bulk.insert(people, Person)
    ids = [person.pk for person in people]
    with CaptureQueriesContext(connection) as queries:
        assert Person.objects.filter(id__any=ids).count() == 2
        assert Person.objects.filter(given_name__any=["Ada", "Bo"]).count() == 1
    numbers, names = (query["sql"] for query in queries)
    # A constant of the column's type, which the planner can count (not a conversion of an
    # int2[] as the query runs: it guessed a handful of values and chose a slow plan).
    assert numbers.endswith(f"= ANY('{{{ids[0]},{ids[1]}}}'::bigint[])")
    assert names.endswith("= ANY('{Ada,Bo}')")


def test_one_of_selects_the_rows_named_in_plain_sql():
    people = [Person(given_name=name, surname="Example") for name in ("Ada", "Ben", "Cy")]
    bulk.insert(people, Person)
    table = Person._meta.db_table
    by_id, id_params = bulk.one_of("id", [people[0].pk, people[2].pk])
    by_name, name_params = bulk.one_of("given_name", ["Ben", "Cy", "Nobody"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT given_name FROM {table} WHERE {by_id} ORDER BY id", id_params)  # noqa: S608
        assert [name for (name,) in cursor.fetchall()] == ["Ada", "Cy"]
        cursor.execute(f"SELECT given_name FROM {table} WHERE {by_name} ORDER BY id", name_params)  # noqa: S608
        assert [name for (name,) in cursor.fetchall()] == ["Ben", "Cy"]
    if connection.vendor == "postgresql":  # one parameter however many values
        assert len(id_params) == 1 and len(name_params) == 1

"""The access log: who, when, what and why, and it cannot be changed."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from childfirst.accounts.models import Role
from childfirst.accounts.services import create_api_client
from childfirst.audit.models import AccessLogEntry, AccessLogIsAppendOnly, Action
from childfirst.audit.services import SYSTEM, MissingJustification, record_access
from tests.builders import make_user

pytestmark = pytest.mark.django_db


def test_a_read_records_who_what_when_and_why():
    user = make_user(role=Role.DESK_RESEARCHER)
    entry = record_access(
        actor=user,
        action=Action.READ,
        subject_type="person",
        subject_id=42,
        person_id=42,
        justification="Notice 1234: domestic abuse incident",
    )
    stored = AccessLogEntry.objects.get(pk=entry.pk)
    assert stored.user == user
    assert stored.actor_kind == "user"
    assert user.email in stored.actor_label
    assert stored.subject_type == "person"
    assert stored.subject_id == "42"
    assert stored.person_id == "42"
    assert stored.justification == "Notice 1234: domestic abuse incident"
    assert stored.at is not None


@pytest.mark.parametrize("action", [Action.READ, Action.DISCLOSE, Action.SEARCH, Action.EXPORT])
def test_reads_and_disclosures_must_say_why(action):
    user = make_user()
    with pytest.raises(MissingJustification):
        record_access(actor=user, action=action, subject_type="person", subject_id=1)
    with pytest.raises(MissingJustification):
        record_access(
            actor=user, action=action, subject_type="person", subject_id=1, justification="  "
        )
    assert not AccessLogEntry.objects.filter(action=action).exists()


def test_a_disclosure_records_its_recipients():
    entry = record_access(
        actor=SYSTEM,
        action=Action.DISCLOSE,
        subject_type="referral",
        subject_id=7,
        justification="Referral 7",
        recipients=["hackney-mash", "school-900001"],
    )
    assert AccessLogEntry.objects.get(pk=entry.pk).recipients == ["hackney-mash", "school-900001"]


def test_api_clients_and_the_system_are_named_as_actors():
    client = create_api_client(name="Niche RMS", scope="intake").client
    by_client = record_access(actor=client, action="create", subject_type="incident", subject_id=1)
    by_system = record_access(actor=SYSTEM, action="update", subject_type="incident", subject_id=1)
    assert by_client.actor_label == "API client: Niche RMS"
    assert by_client.actor_kind == "api_client"
    assert by_system.actor_kind == "system"


def test_an_anonymous_actor_is_refused():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ValueError):
        record_access(actor=AnonymousUser(), action="create", subject_type="x", subject_id=1)


def test_entries_cannot_be_changed_or_deleted_through_the_application():
    entry = record_access(actor=SYSTEM, action="create", subject_type="incident", subject_id=1)
    entry.justification = "rewritten"
    with pytest.raises(AccessLogIsAppendOnly):
        entry.save()
    with pytest.raises(AccessLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AccessLogIsAppendOnly):
        AccessLogEntry.objects.filter(pk=entry.pk).update(justification="rewritten")
    with pytest.raises(AccessLogIsAppendOnly):
        AccessLogEntry.objects.all().delete()
    assert AccessLogEntry.objects.get(pk=entry.pk).justification == ""


def test_the_database_itself_refuses_to_change_or_delete_entries():
    """Even SQL that goes round the application is refused, on SQLite and PostgreSQL."""
    import importlib

    triggers = importlib.import_module("childfirst.audit.migrations.0002_append_only_triggers")
    entry = record_access(actor=SYSTEM, action="create", subject_type="incident", subject_id=1)
    editor = PlainEditor()  # the migration's own SQL, inside this test's transaction
    triggers.install(editor)
    try:
        for sql in (
            "UPDATE audit_accesslogentry SET justification = 'rewritten'",
            "DELETE FROM audit_accesslogentry",
        ):
            with (
                pytest.raises(DatabaseError, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql)
        assert AccessLogEntry.objects.filter(pk=entry.pk).exists()
    finally:
        triggers.remove(editor)


class PlainEditor:
    """What the trigger migration needs of a schema editor: the connection and execute()."""

    connection = connection

    def execute(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_a_batch_of_accesses_is_written_together_or_not_at_all():
    from childfirst.audit.services import AccessEvent, record_accesses

    user = make_user()
    before = AccessLogEntry.objects.count()
    written = record_accesses(
        actor=user,
        events=[
            AccessEvent(action="create", subject_type="incident", subject_id=1),
            AccessEvent(action="create", subject_type="notice", subject_id=2, person_id=9),
        ],
    )
    assert written == 2
    batch = AccessLogEntry.objects.exclude(subject_type="user").order_by("id")
    assert list(batch.values_list("subject_type", "person_id")) == [
        ("incident", ""),
        ("notice", "9"),
    ]
    with pytest.raises(MissingJustification):
        record_accesses(
            actor=user,
            events=[
                AccessEvent(action="create", subject_type="incident", subject_id=3),
                AccessEvent(action="read", subject_type="person", subject_id=4),
            ],
        )
    assert AccessLogEntry.objects.count() == before + 2

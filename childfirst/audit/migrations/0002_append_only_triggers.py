"""The database itself refuses to change or delete access log rows, on SQLite and PostgreSQL."""

from django.conf import settings
from django.db import migrations

SQLITE = [
    """CREATE TRIGGER audit_accesslogentry_no_update BEFORE UPDATE ON audit_accesslogentry
       BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END""",
    """CREATE TRIGGER audit_accesslogentry_no_delete BEFORE DELETE ON audit_accesslogentry
       BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_accesslogentry_no_update",
    "DROP TRIGGER IF EXISTS audit_accesslogentry_no_delete",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_accesslogentry_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the access log is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_accesslogentry_no_change BEFORE UPDATE OR DELETE ON audit_accesslogentry
       FOR EACH ROW EXECUTE FUNCTION audit_accesslogentry_refuse()""",
    """CREATE TRIGGER audit_accesslogentry_no_truncate BEFORE TRUNCATE ON audit_accesslogentry
       FOR EACH STATEMENT EXECUTE FUNCTION audit_accesslogentry_refuse()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_accesslogentry_no_truncate ON audit_accesslogentry",
    "DROP TRIGGER IF EXISTS audit_accesslogentry_no_change ON audit_accesslogentry",
    "DROP FUNCTION IF EXISTS audit_accesslogentry_refuse()",
]


def forwards(apps, schema_editor):
    # The test suite empties tables between tests, so it installs the triggers only where a
    # test asks (tests/audit); everywhere else they are always there.
    if not getattr(settings, "CHILDFIRST_AUDIT_TRIGGERS", True):
        return
    install(schema_editor)


def install(schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    remove(schema_editor)


def remove(schema_editor):
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

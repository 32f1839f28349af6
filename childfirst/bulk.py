"""Inserting many model instances at once, faster than QuerySet.bulk_create.

bulk_create prepares every value of every row through the ORM (and, on PostgreSQL, quotes each
value of its unnest arrays as text on the client), which is most of the time for thousands of
rows. `insert` sends what bulk_create would store, sets the primary keys and marks the instances
saved, in the caller's transaction:

  - PostgreSQL: the primary keys drawn from the table's sequence in one query (or ahead, with
    other tables' keys: want_ids), then COPY ... FROM STDIN in binary (rows written by psycopg's
    C code, no SQL to parse per row); inside writes_in_background the COPY is queued and done
    by a writing thread while the caller goes on;
  - SQLite (3.35+): multi-row INSERT ... VALUES ... RETURNING id, in chunks under the limit on
    parameters.

It does what bulk_create does for plain models: no save(), no signals; an auto_now or
auto_now_add field left empty is set to the time now (one the caller set is kept).
`insert_rows` inserts plain tuples for rows nobody reads back in the transaction (the access
log, the screening queue), without making an instance of each.
Used by intake (incidents and what hangs off them), identity resolution and the access log;
this module imports nothing of Child First, so any app may use it.
"""

import gc
import json
import operator
import queue
import threading
from contextlib import contextmanager
from datetime import date, datetime

import orjson
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db import models as m
from django.db.models.base import ModelState
from django.db.models.lookups import In

# Values of these fields go to the database as they are held on the instance; every other field
# is prepared by field.get_db_prep_save (dates, booleans, JSON, IP addresses...).
_AS_HELD = (m.CharField, m.TextField, m.IntegerField, m.FloatField, m.ForeignKey)

# SQLite allows 32,766 parameters in one statement; stay under it.
_SQLITE_PARAMETERS = 30_000


@m.Field.register_lookup
class AnyOf(In):
    """`field__any=values`: `field__in=values`, sent to PostgreSQL as one array parameter
    (`= ANY(%s)`) instead of a placeholder a value. psycopg parses a query afresh unless it has
    seen it before, and a query of thousands of placeholders is new each time: that parsing was
    about a twentieth of a file import's time. Elsewhere, and for a subquery, it is `in`.

    Whole numbers go as the text of an array of the column's own type ('{1,2}'::bigint[]), a
    constant the planner can count. psycopg would send them as the smallest type that holds
    them ('{1,2}'::int2[]), which PostgreSQL converts to the column's type as the query runs,
    so the planner cannot tell how many there are, guesses a few, and chose a nested loop that
    took 0.5 s where a hash join takes 0.02 s.

    A lookup of its own, asked for where lists are long (intake, screening, the desk queue),
    rather than a change to `in` for every query the ORM and its packages make."""

    lookup_name = "any"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value() or not isinstance(self.rhs, list):
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(dict.fromkeys(value for value in self.rhs if value is not None))
        if not values:
            raise EmptyResultSet
        _, params = self.batch_process_rhs(compiler, connection, values)
        kind = self.lhs.output_field.db_type(connection)
        sql, array = _any_of(lhs, list(params), kind)
        return sql, (*lhs_params, array)


m.ForeignObject.register_lookup(AnyOf)  # relations keep lookups of their own; ids only


def one_of(column: str, values: list, *, kind: str = "bigint") -> tuple[str, list]:
    """For plain SQL: `column IN (%s, ...)` and its parameters, or on PostgreSQL one array
    parameter as the `any` lookup sends it. `kind` is the column's type (for whole numbers)."""
    if connection.vendor == "postgresql":
        sql, array = _any_of(column, values, kind)
        return sql, [array]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def _any_of(column: str, values: list, kind: str) -> tuple[str, object]:
    if all(isinstance(value, int) and not isinstance(value, bool) for value in values):
        return f"{column} = ANY(%s::{kind}[])", f"{{{','.join(map(int.__repr__, values))}}}"
    return f"{column} = ANY(%s)", values


_PLANS: dict = {}

# Python's cycle collector runs a full pass after every 700 x 10 x 10 allocations; a batch of a
# thousand incidents makes hundreds of thousands of short-lived objects, so a full pass over
# everything the process holds (the identity index, the rules) ran many times per batch and
# took a fifth of bulk intake's time. Long batch processes raise the thresholds.
BATCH_GC_THRESHOLDS = (50_000, 50, 1_000)


@contextmanager
def without_gc():
    """Within the block, no cyclic garbage collection (a batch makes many short-lived objects
    and no cycles worth chasing); as it was before, after it."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


# Within a long run of batches under without_gc (a file import, and the process checking its
# rows), cycles are collected once every this many batches rather than after every one. What
# survives a collection is what it costs: at the end of a batch that is the batch's own rows,
# still held, and the next batch's, already checked, so a collection per batch cost bulk intake
# about 0.07 s a batch and found some 30 objects (bench/README.md).
COLLECT_EVERY_BATCHES = 16


def collect_young() -> None:
    """Collect cycles among the objects made since the last collection of the two younger
    generations (those that survive move to the oldest, which is left for after the run)."""
    gc.collect(1)


def tune_gc_for_batches() -> None:
    """For long-running batch processes (imports, the worker): collect cycles less often."""
    gc.set_threshold(*BATCH_GC_THRESHOLDS)


def new(model_class, /, **values):
    """A model instance for `insert`, made without Model.__init__ (no signals, a fraction of
    the time): a field left out gets its default (a callable default is called); a foreign key
    is given as its object (kept as the cached relation) or None, or by its `_id`."""
    plan = _PLANS.get(model_class)
    if plan is None:
        plan = _plan(model_class)
    accepted, fixed, made, relations = plan
    obj = model_class.__new__(model_class)
    obj._state = ModelState()
    held = obj.__dict__
    held.update(fixed)
    for attname, name, factory in made:
        if attname not in values and name not in values:
            held[attname] = factory()
    if not accepted >= values.keys():
        unknown = sorted(values.keys() - accepted)
        raise KeyError(f"{model_class.__name__} has no field {unknown[0]}")
    held.update(values)  # every value under its own name: right for all but relations by name
    for name in relations:
        if name not in values:
            continue
        value = held.pop(name)
        attname, target, cache_name = relations[name]
        if value is None:
            held[attname] = None
        else:
            # value's key, and the relation cached, as Model.__init__ would (without the layers
            # unless it is a lazy object, as a request's user is)
            key = value.__dict__.get(target)
            held[attname] = getattr(value, target) if key is None else key
            obj._state.fields_cache[cache_name] = value
    return obj


def _plan(model_class):
    """For `new`: the names it accepts (each field's name and attname); the fixed defaults by
    attname (the primary key None); the fields whose default is a callable; and each relation's
    name -> (attname, the attname of the field it points at, its cache name)."""
    concrete = model_class._meta.concrete_fields
    accepted = frozenset(f.name for f in concrete) | {f.attname for f in concrete}
    fixed, made = {}, []
    relations = {
        f.name: (f.attname, f.target_field.attname, f.cache_name) for f in concrete if f.is_relation
    }
    for f in concrete:
        if f.primary_key:
            fixed[f.attname] = None
        elif f.has_default() and callable(f.default):
            made.append((f.attname, f.name, f.default))
        else:
            fixed[f.attname] = f.get_default()  # as Model.__init__: "" for text, else None
    _PLANS[model_class] = plan = (accepted, fixed, made, relations)
    return plan


def insert(objects: list, model_class) -> None:
    """Insert the instances (all of model_class) and set their primary keys. Rows whose keys
    nobody wants go quicker by insert_rows."""
    if not objects:
        return
    if model_class._meta.pk.column is None:
        raise TypeError(f"{model_class.__name__} has a composite primary key: use insert_rows")
    fields = [f for f in model_class._meta.concrete_fields if not f.primary_key]
    plan = [(f.attname, _preparer(f)) for f in fields]
    relations = [f for f in fields if f.is_relation]
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for obj in objects:
        _take_related_keys(obj, relations)
        for field in stamped:
            if obj.__dict__.get(field.attname) is None:
                field.pre_save(obj, add=True)  # sets the time now, as save() would

    values = _row_maker(plan)
    rows = [values(obj) for obj in objects]
    if connection.vendor == "postgresql":
        ids = _pg_copy(model_class, fields, rows)
    else:
        ids = _sqlite_insert(model_class, fields, rows, returning=True)
    if len(ids) != len(objects):
        raise RuntimeError(
            f"Inserted {len(ids)} rows of {len(objects)} into {model_class._meta.db_table}"
        )
    alias = connection.alias
    # Setting .pk goes through parent links; a model with none takes its key as it is.
    pk_name = None if model_class._meta.parents else model_class._meta.pk.attname
    for obj, pk in zip(objects, ids, strict=True):
        if pk_name is None:
            obj.pk = pk
        else:
            obj.__dict__[pk_name] = pk
        obj._state.adding = False
        obj._state.db = alias


def insert_rows(model_class, names: list[str], rows, *, same: dict | None = None) -> None:
    """Insert rows of model_class that nobody reads back in this transaction (the access log,
    the screening queue) without making an instance of each. `rows` are tuples of the values of
    the fields `names` names, in that order; `same` gives fields whose value is the same in
    every row, and a field named in neither takes its default (worked out once for all the
    rows). Values are prepared as `insert` prepares them. On PostgreSQL the rows are COPYed
    (queued inside writes_in_background), keys drawn by the table as it stores them."""
    rows, same = list(rows), same or {}
    if not rows:
        return
    meta = model_class._meta
    known = {f.name: f for f in meta.concrete_fields} | {f.attname: f for f in meta.concrete_fields}
    unknown = sorted((set(names) | same.keys()) - known.keys())
    if unknown:
        raise KeyError(f"{model_class.__name__} has no field {unknown[0]}")
    varying = [known[name] for name in names]
    fixed, values = [known[name] for name in same], list(same.values())
    for field in meta.concrete_fields:
        if field not in varying and field not in fixed and not field.primary_key:
            fixed.append(field)
            values.append(field.get_default())
    prepare = _row_preparer([_preparer(f) for f in varying])
    constant = _row_preparer([_preparer(f) for f in fixed])(values)
    prepared = [prepare(list(row)) + constant for row in rows]
    fields = varying + fixed
    if connection.vendor == "postgresql":
        copy_rows(
            meta.db_table, [f.column for f in fields], [column_type(f) for f in fields], prepared
        )
    else:
        _sqlite_insert(model_class, fields, prepared, returning=False)


def _sqlite_insert(model_class, fields, rows: list[list], *, returning: bool) -> list[int]:
    """Multi-row INSERTs, in chunks under SQLite's limit on parameters; with `returning`, the
    new rows' keys in order."""
    table = connection.ops.quote_name(model_class._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    per_statement = max(1, _SQLITE_PARAMETERS // len(fields))
    row_marks = f"({', '.join(['%s'] * len(fields))})"
    pk = connection.ops.quote_name(model_class._meta.pk.column) if returning else ""
    back = f" RETURNING {pk}" if returning else ""
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "  # noqa: S608
                f"VALUES {', '.join([row_marks] * len(chunk))}{back}",
                [v for row in chunk for v in row],
            )
            if returning:
                ids.extend(row[0] for row in cursor.fetchall())
    return ids


def update(objects: list, model_class, field_names: list[str]) -> None:
    """Write these fields of saved instances (all of model_class), in the caller's transaction:
    one UPDATE ... FROM unnest(...) on PostgreSQL, one prepared UPDATE run for every row on
    SQLite. Much faster than QuerySet.bulk_update's CASE WHEN for thousands of rows."""
    if not objects:
        return
    meta = model_class._meta
    fields = [meta.get_field(name) for name in field_names]
    table = connection.ops.quote_name(meta.db_table)
    pk = connection.ops.quote_name(meta.pk.column)
    plan = [(f.attname, _preparer(f)) for f in fields]

    values = _row_maker(plan)
    if connection.vendor == "postgresql":
        columns = list(zip(*(values(obj) for obj in objects), strict=True))
        names = [connection.ops.quote_name(f.column) for f in fields]
        unnests = ", ".join(
            f"unnest(%b::{array_type(f)}) AS {name}" for f, name in zip(fields, names, strict=True)
        )
        assignments = ", ".join(f"{name} = v.{name}" for name in names)
        execute_later(
            f"UPDATE {table} SET {assignments} "  # noqa: S608
            f"FROM (SELECT unnest(%b::bigint[]) AS id, {unnests}) v WHERE {table}.{pk} = v.id",
            [[obj.pk for obj in objects], *[list(column) for column in columns]],
        )
        return
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
            [[*values(obj), obj.pk] for obj in objects],
        )


def _pg_copy(model_class, fields, rows: list[list]) -> list[int]:
    """COPY the rows in binary with primary keys taken from the table's own sequence first (one
    query for them all, or ids drawn before with want_ids): COPY cannot return ids, and is the
    fastest way into PostgreSQL."""
    meta = model_class._meta
    pk = meta.pk
    ids = _take_ids(meta.db_table, pk.column, len(rows))
    copy_rows(
        meta.db_table,
        [pk.column, *(f.column for f in fields)],
        [column_type(pk), *(column_type(f) for f in fields)],
        ((pk_value, *row) for pk_value, row in zip(ids, rows, strict=True)),
    )
    return ids


def want_ids(model_class, count: int) -> None:
    """Inside writes_in_background (PostgreSQL): this many rows of model_class are coming. The
    next insert that needs ids draws these too, in the same query, so that later inserts need
    not wait for the writes queued before them to ask the database for ids. Ids drawn and not
    used are left as gaps, as a rolled-back insert leaves them. Elsewhere it does nothing."""
    background = getattr(_local, "background", None)
    if background is None or count <= 0:
        return
    meta = model_class._meta
    key = (meta.db_table, meta.pk.column)
    background.wanted[key] = background.wanted.get(key, 0) + count


def _take_ids(table: str, column: str, count: int) -> list[int]:
    background = getattr(_local, "background", None)
    if background is None:
        return _draw_ids({(table, column): count})[(table, column)]
    pool = background.ids.setdefault((table, column), [])
    if len(pool) < count:
        wanted = background.wanted
        wanted[(table, column)] = max(wanted.get((table, column), 0), count - len(pool))
        for key, ids in _draw_ids(wanted, background).items():
            background.ids.setdefault(key, []).extend(ids)
        wanted.clear()
    taken, pool[:count] = pool[:count], []
    return taken


def _draw_ids(wanted: dict[tuple[str, str], int], background=None) -> dict:
    """Ids from each table's own sequence, for all the tables in one query. While writes are
    queued, on a second connection of the background's, so as not to wait for them: a sequence
    belongs to no transaction, so ids drawn there are as good as ids drawn here."""
    keys = [key for key, count in wanted.items() if count > 0]
    # The sequence's name is looked up once a table (OFFSET 0 keeps the planner from folding
    # the look-up into every row): once a row, it cost 3.5 microseconds an id, seven times what
    # nextval costs, some 0.6 s of PostgreSQL's time in 20,000 incidents.
    columns = ", ".join(
        "ARRAY(SELECT nextval(q.sequence) FROM (SELECT pg_get_serial_sequence(%s, %s)::regclass"
        " AS sequence OFFSET 0) q, generate_series(1, %s))"
        for _ in keys
    )
    sql = f"SELECT {columns}"  # noqa: S608 - only placeholders are put into the text
    params = [v for (table, column) in keys for v in (table, column, wanted[(table, column)])]
    if background is not None and background.jobs.unfinished_tasks:
        with background.side_connection().cursor() as cursor:
            row = cursor.execute(sql, params).fetchone()
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    return dict(zip(keys, row, strict=True))


def copy_rows(table: str, columns: list[str], types: list[str], rows) -> None:
    """PostgreSQL only: COPY plain tuples into a table in binary (no model, no ids back).
    Inside writes_in_background, the COPY is queued and done by the writing thread."""
    rows = list(rows)  # a queued COPY reads them after this returns

    def fill(copy):
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)

    _copy(table, columns, fill)


_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, no flags, no extension
_COPY_TRAILER = b"\xff\xff"


def copy_bigints(table: str, columns: list[str], values: list) -> None:
    """PostgreSQL only: COPY rows of bigint columns, given column by column (a sequence of
    integers each), as copy_rows does: the binary COPY data is made by numpy in one go, not by
    a Python call per row (blocking keys come a hundred thousand at a time)."""
    import numpy as np

    layout = [("fields", ">i2")]
    for index in range(len(columns)):
        layout += [(f"size{index}", ">i4"), (f"value{index}", ">i8")]
    rows = np.empty(len(values[0]), dtype=layout)
    rows["fields"] = len(columns)
    for index, column in enumerate(values):
        rows[f"size{index}"] = 8
        rows[f"value{index}"] = column
    data = _COPY_HEADER + rows.tobytes() + _COPY_TRAILER
    _copy(table, columns, lambda copy: copy.write(data))


def _copy(table: str, columns: list[str], fill) -> None:
    """COPY ... FROM STDIN (FORMAT BINARY) into these columns, `fill(copy)` writing the data:
    now, or queued inside writes_in_background."""
    import psycopg

    connection.ensure_connection()
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN (FORMAT BINARY)"
    raw, errors = connection.connection, connection.wrap_database_errors

    def run():
        with errors, psycopg.Cursor(raw) as cursor, cursor.copy(sql) as copy:
            fill(copy)

    _now_or_queued(run)


def _now_or_queued(write) -> None:
    """Do a write now, or inside writes_in_background queue it after the writes before it."""
    background = getattr(_local, "background", None)
    if background is None:
        write()
    else:
        background.queue(write)


def execute_later(sql: str, params: list) -> None:
    """PostgreSQL only: a write whose answer is not wanted (parameters sent in binary, as
    pg_binary sends them). Inside writes_in_background it is queued after the writes before
    it; elsewhere it runs now."""
    import psycopg

    connection.ensure_connection()
    raw, errors = connection.connection, connection.wrap_database_errors

    def run():
        with errors, psycopg.Cursor(raw) as cursor:
            cursor.execute(sql, params, binary=True)

    _now_or_queued(run)


# Writes in the background -----------------------------------------------------------------------

_local = threading.local()


class _Background:
    """A queue of writes, done in order by one thread on the caller's connection."""

    def __init__(self):
        self.jobs: queue.Queue = queue.Queue()
        self.error: BaseException | None = None
        self.cancelled = False
        self.side = None
        self.ids: dict[tuple[str, str], list[int]] = {}
        self.wanted: dict[tuple[str, str], int] = {}
        self.thread = threading.Thread(target=self._work, name="childfirst-writer", daemon=True)
        self.thread.start()

    def queue(self, job) -> None:
        self.jobs.put(job)

    def side_connection(self):
        """A second connection to the same database, in autocommit, for drawing ids."""
        if self.side is None:
            self.side = connection.get_new_connection(connection.get_connection_params())
            self.side.autocommit = True
        return self.side

    def _work(self):
        while True:
            job = self.jobs.get()
            try:
                if job is None:
                    return
                if self.error is None and not self.cancelled:  # else the transaction is lost
                    job()
            except BaseException as error:  # noqa: BLE001 - raised again in the caller's thread
                self.error = error
            finally:
                self.jobs.task_done()

    def wait(self) -> None:
        """Wait until every queued write is done; raise the first error, once."""
        self.jobs.join()
        error, self.error = self.error, None
        if error is not None:
            raise error

    def stop(self) -> None:
        self.jobs.put(None)
        self.thread.join()
        if self.side is not None:
            self.side.close()


@contextmanager
def writes_in_background():
    """Within the block (PostgreSQL), COPYs and execute_later's writes are queued and done in
    order by a writing thread while the caller goes on making the next rows, so PostgreSQL
    stores rows while Python works: a file import waited about a third of its time for its own
    writes. Order and errors are kept: any other statement on the connection (the ORM's,
    through an execute wrapper, or this module's) first waits for every queued write and raises
    the first error if there was one, as does leaving the block, which the caller does before
    it commits. Foreign keys are checked as each write ends (SET CONSTRAINTS ALL IMMEDIATE,
    for this transaction only), so that work is done in the background too rather than all at
    the commit. On SQLite the block changes nothing."""
    if connection.vendor != "postgresql" or getattr(_local, "background", None) is not None:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    background = _local.background = _Background()
    try:
        with connection.execute_wrapper(_settle_first):
            yield
            settle()
    except BaseException:
        background.cancelled = True  # the transaction is being given up: skip what is queued
        raise
    finally:
        _local.background = None
        background.stop()


def settle() -> None:
    """Wait for the writes queued, if any; raise the first one's error, if there was one."""
    background = getattr(_local, "background", None)
    if background is not None:
        background.wait()


def _settle_first(execute, sql, params, many, context):
    settle()
    return execute(sql, params, many, context)


def _row_maker(plan: list[tuple[str, object]]):
    """A function from an instance to the list of its values for `plan` ((attname, preparer or
    None) for each field): read all at once from the instance's __dict__, then prepared where a
    field needs it and the value is not empty (SQL NULL whatever the field)."""
    if not plan:
        return lambda obj: []
    read = operator.itemgetter(*(attname for attname, _ in plan))
    if len(plan) == 1:
        read_one = read
        read = lambda held: (read_one(held),)  # noqa: E731 - itemgetter of one gives no tuple
    prepare = _row_preparer([preparer for _, preparer in plan])
    return lambda obj: prepare(list(read(obj.__dict__)))


def _row_preparer(preparers: list):
    """A function preparing a row's values in place (and returning the row), each by its
    preparer where it has one and the value is not empty (SQL NULL whatever the field)."""
    preparing = [(i, prepare) for i, prepare in enumerate(preparers) if prepare is not None]

    def prepare_row(row: list) -> list:
        for i, prepare in preparing:
            value = row[i]
            if value is not None:
                row[i] = prepare(value)
        return row

    return prepare_row


def _preparer(field):
    """None if the field's value goes as held, else a function preparing one value."""
    if isinstance(field, _AS_HELD):
        return None

    def prepare(value):
        return field.get_db_prep_save(value, connection)

    if isinstance(field, m.JSONField) and field.encoder is None:
        # What JSONField.get_db_prep_save makes of a plain value, without its layers.
        if connection.vendor == "postgresql":
            from psycopg.types.json import Jsonb

            return lambda value: Jsonb(value, dumps=_json_bytes)
        return lambda value: json.dumps(value)
    if isinstance(field, m.BooleanField):
        return lambda value: (
            value if value is None or value is True or value is False else (prepare(value))
        )
    if connection.vendor == "postgresql" and isinstance(field, m.DateTimeField):
        # psycopg takes an aware datetime as it is (what get_db_prep_save returns for one).
        return lambda value: (
            value
            if value is None or (type(value) is datetime and value.tzinfo is not None)
            else prepare(value)
        )
    if connection.vendor == "postgresql" and isinstance(field, m.DateField):
        return lambda value: value if value is None or type(value) is date else prepare(value)
    return prepare


def _json_bytes(value) -> bytes | str:
    """A value as JSON for a jsonb column: orjson, several times faster than json.dumps, and
    json.dumps for what orjson will not write (integers beyond 64 bits, keys that are not
    text). PostgreSQL keeps jsonb in its own form, so both store the same value."""
    try:
        return orjson.dumps(value)
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(value)


def _take_related_keys(obj, relations) -> None:
    """A related instance assigned before it was saved: take its key now, as save() does."""
    held = obj.__dict__
    for field in relations:
        if held.get(field.attname) is None and field.is_cached(obj):
            related = field.get_cached_value(obj)
            if related is None:
                continue
            if related.__dict__.get(related._meta.pk.attname) is None:  # .pk, without its layers
                raise ValueError(f"{field.name} of {obj!r} is not saved yet")
            held[field.attname] = getattr(related, field.target_field.attname)


def pg_binary(sql: str, params: list):
    """Run one statement on PostgreSQL with parameters sent in binary: arrays of thousands of
    values go without text quoting. Same connection, so the same transaction."""
    import psycopg

    settle()
    connection.ensure_connection()
    # Errors as Django's own cursor raises them (a unique violation is an IntegrityError).
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        return cursor.fetchall() if cursor.description else []


def column_type(field) -> str:
    """The PostgreSQL type name of a column, as psycopg knows it ("varchar", "bigint"...)."""
    if field.is_relation:
        kind = field.target_field.rel_db_type(connection)
    elif field.primary_key:
        kind = field.rel_db_type(connection)
    else:
        kind = field.db_type(connection)
    return kind.split("(")[0] if kind.startswith("varchar") else kind


def array_type(field) -> str:
    return f"{column_type(field)}[]"

"""The in-process identity index: every mention's comparison features and blocking keys, held
compactly in memory so an online lookup touches no database row.

The database stays the source of truth. The index is loaded lazily from the Mention table and
kept current by reading only rows with an id above the highest it has seen (plus recent gaps,
ids handed out to transactions that had not committed yet). What it says about a candidate is a
hint: the resolver checks the few mentions it decides on against the database before linking,
so a mention moved by a merge or an undo, or a row rolled back, is never linked by mistake.

Layout at a million mentions (see bench/identity_lookup.py for the measured figures):
- record columns in `array` arrays: mention id, person id, ids into small vocabularies of
  given names, surnames, postcodes and addresses, date of birth parts, sex, identifiers;
- blocking keys as two sorted numpy arrays (64-bit key hash, record position), searched with
  `searchsorted`, plus a dict for keys added since the arrays were last rebuilt.
"""

from __future__ import annotations

import threading
import time
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from childfirst.people import matching as mt

SEXES = ("", "male", "female")
_SEX_CODE = {s: i for i, s in enumerate(SEXES)}
GAP_SECONDS = 600.0
MAX_GAPS = 5_000
DELTA_LIMIT = 250_000
# A broad key (year + surname sound + initial; name without a date of birth) shared by more
# records than this finds too many to score in a few milliseconds; a lookup skips it.
BROAD_LIMIT = 60
# Records built from the columns (or added) lately, ready to score: a lookup scores each
# candidate's record, and a record takes some microseconds to build.
RECORDS_HELD = 200_000


@dataclass(frozen=True, slots=True)
class MentionRow:
    """What the index needs of one mention."""

    mention_id: int
    person_id: int
    fingerprint: int
    record: mt.Record
    keys: tuple[int, ...] | None = None  # its blocking key hashes, when already worked out


def fingerprint(source_system: str, source_reference: str, source_person_ref: str,
                given_name: str, surname: str) -> int:  # fmt: skip
    """Tells a mention row from another row that later took the same id (SQLite reuses the ids
    of rolled-back rows)."""
    return mt.key_hash(
        "\x1f".join((source_system, source_reference, source_person_ref, given_name, surname))
    )


class _Vocabulary:
    """Distinct values stored once; records hold small integer ids. Id 0 is 'not recorded'."""

    __slots__ = ("ids", "values")

    def __init__(self):
        self.ids: dict = {}
        self.values: list = [None]

    def id_of(self, key, value) -> int:
        if value is None or key is None or key == "":
            return 0
        found = self.ids.get(key)
        if found is None:
            found = len(self.values)
            self.ids[key] = found
            self.values.append(value)
        return found


class IdentityIndex:
    def __init__(self):
        self.lock = threading.RLock()
        self.reset()

    def reset(self):
        with self.lock:
            self.mention = array("q")
            self.person = array("q")
            self.fp = array("q")
            self.given = array("i")
            self.surname = array("i")
            self.dob = array("i")  # yyyymmdd with 0 for a part not known; 0 for none
            self.sex = array("b")
            self.postcode = array("i")
            self.address = array("i")
            self.nhs = array("i")
            self.pnc = array("i")
            self.alive = bytearray()
            self.v_given = _Vocabulary()
            self.v_surname = _Vocabulary()
            self.v_postcode = _Vocabulary()
            self.v_address = _Vocabulary()
            self.v_ident = _Vocabulary()
            self.base_keys = np.empty(0, dtype=np.int64)
            self.base_recs = np.empty(0, dtype=np.int32)
            self.delta: dict[int, list[int]] = {}
            self.delta_size = 0
            self.recent: dict[int, int] = {}  # mention id -> position, for rows added lately
            self.base_mentions = np.empty(0, dtype=np.int64)  # sorted mention ids ...
            self.base_positions = np.empty(0, dtype=np.int32)  # ... and their positions
            self.max_seen = 0
            self.gaps: dict[int, float] = {}
            self.loaded = False
            self.load_seconds = 0.0
            self.changes = getattr(self, "changes", 0) + 1  # any change to what lookups find
            self._records: dict[int, mt.Record] = {}  # recently scored records

    # -- size --

    def __len__(self):
        return len(self.mention)

    def key_count(self) -> int:
        return int(self.base_keys.size) + self.delta_size

    # -- records --

    def _append(self, row: MentionRow, keys: Iterable[int]) -> int:
        r = row.record
        pos = len(self.mention)
        self.mention.append(row.mention_id)
        self.person.append(row.person_id)
        self.fp.append(row.fingerprint)
        self.given.append(self.v_given.id_of(r.given.norm if r.given else None, r.given))
        self.surname.append(self.v_surname.id_of(r.surname.norm if r.surname else None, r.surname))
        y, m, d = r.dob
        self.dob.append(0 if y is None else y * 10000 + (m or 0) * 100 + (d or 0))
        self.sex.append(_SEX_CODE.get(r.sex, 0))
        pc = r.postcode
        self.postcode.append(
            self.v_postcode.id_of((pc.full, pc.sector, pc.district) if pc else None, pc)
        )
        self.address.append(self.v_address.id_of(r.address, r.address))
        self.nhs.append(self.v_ident.id_of(r.nhs, r.nhs))
        self.pnc.append(self.v_ident.id_of(r.pnc, r.pnc))
        self.alive.append(1)
        return pos

    def record(self, pos: int) -> mt.Record:
        found = self._records.get(pos)
        if found is not None:
            return found
        if len(self._records) > RECORDS_HELD:
            self._records.clear()
        # Interned: equal records at other positions, and the same description of a person
        # being resolved, are then one object to the caches keyed on records.
        found = self._records[pos] = mt.interned(self._build_record(pos))
        return found

    def _build_record(self, pos: int) -> mt.Record:
        packed = self.dob[pos]
        if packed:
            y, rest = divmod(packed, 10000)
            m, d = divmod(rest, 100)
            dob = (y, m or None, d or None)
        else:
            dob = mt.NO_DOB
        return mt.Record(
            given=self.v_given.values[self.given[pos]],
            surname=self.v_surname.values[self.surname[pos]],
            dob=dob,
            sex=SEXES[self.sex[pos]],
            postcode=self.v_postcode.values[self.postcode[pos]],
            address=self.v_address.values[self.address[pos]] or "",
            nhs=self.v_ident.values[self.nhs[pos]] or "",
            pnc=self.v_ident.values[self.pnc[pos]] or "",
        )

    def position_of(self, mention_id: int) -> int | None:
        pos = self.recent.get(mention_id)
        if pos is not None:
            return pos
        i = int(np.searchsorted(self.base_mentions, mention_id))
        if i < self.base_mentions.size and self.base_mentions[i] == mention_id:
            return int(self.base_positions[i])
        return None

    def kill(self, pos: int):
        with self.lock:
            self.alive[pos] = 0
            self.changes += 1

    def set_person(self, pos: int, person_id: int):
        if self.person[pos] != person_id:
            self.person[pos] = person_id
            self.changes += 1

    # -- adding --

    def add(self, rows: Sequence[MentionRow]):
        """Add mentions (new, or read from the database). A mention already held is updated.

        Ids skipped between the highest seen before and after are remembered for a while as
        gaps: another transaction may hold them and commit later."""
        with self.lock:
            self.changes += 1
            before = self.max_seen
            delta = self.delta
            records = self._records
            if len(records) + len(rows) > RECORDS_HELD:
                records.clear()
            for row in rows:
                # (A mention id above every one held is new: most are, in a batch just stored.)
                old = None if row.mention_id > self.max_seen else self.position_of(row.mention_id)
                if old is not None and self.alive[old]:
                    if self.fp[old] == row.fingerprint:
                        self.person[old] = row.person_id
                        continue
                    self.alive[old] = 0  # a rolled-back row whose id was reused
                keys = row.keys if row.keys is not None else mt.key_sets(row.record).file
                pos = self._append(row, keys)
                self.recent[row.mention_id] = pos
                # The record as given (interned, as record() interns those it builds), so that
                # scoring it as a candidate need not build it again from the columns (which keep
                # a little less: a date of birth with no year).
                records[pos] = mt.interned(row.record)
                for key in keys:
                    held = delta.get(key)
                    if held is None:
                        delta[key] = [pos]
                    else:
                        held.append(pos)
                self.delta_size += len(keys)
                self.max_seen = max(self.max_seen, row.mention_id)
                self.gaps.pop(row.mention_id, None)
            if self.loaded and self.max_seen - before - 1 <= MAX_GAPS:
                now = time.monotonic()
                for missing in range(before + 1, self.max_seen):
                    if missing not in self.recent:
                        self.gaps[missing] = now
            if self.delta_size > max(DELTA_LIMIT, self.base_keys.size // 4):
                self._compact()

    def bulk_load(self, rows: Iterable[MentionRow]):
        """Build from scratch (ascending mention ids), straight into the sorted arrays."""
        started = time.perf_counter()
        with self.lock:
            self.reset()
            key_list: list[int] = []
            rec_list: list[int] = []
            mentions = []
            for row in rows:
                keys = mt.key_sets(row.record).file
                pos = self._append(row, keys)
                mentions.append(row.mention_id)
                key_list.extend(keys)
                rec_list.extend([pos] * len(keys))
            keys_arr = np.array(key_list, dtype=np.int64)
            recs_arr = np.array(rec_list, dtype=np.int32)
            del key_list, rec_list
            order = np.argsort(keys_arr, kind="stable")
            self.base_keys = keys_arr[order]
            self.base_recs = recs_arr[order]
            self.base_mentions = np.array(mentions, dtype=np.int64)
            self.base_positions = np.arange(len(mentions), dtype=np.int32)
            if self.base_mentions.size and np.any(np.diff(self.base_mentions) <= 0):
                raise ValueError("bulk_load needs rows in ascending mention id order")
            self.max_seen = int(self.base_mentions[-1]) if self.base_mentions.size else 0
            self.loaded = True
            self.changes += 1
        self.load_seconds = time.perf_counter() - started

    def _compact(self):
        if not self.delta:
            return
        extra_keys = []
        extra_recs = []
        for key, positions in self.delta.items():
            extra_keys.extend([key] * len(positions))
            extra_recs.extend(positions)
        keys = np.concatenate([self.base_keys, np.array(extra_keys, dtype=np.int64)])
        recs = np.concatenate([self.base_recs, np.array(extra_recs, dtype=np.int32)])
        order = np.argsort(keys, kind="stable")
        self.base_keys, self.base_recs = keys[order], recs[order]
        self.delta = {}
        self.delta_size = 0
        if self.recent:
            ids = np.concatenate([self.base_mentions, np.fromiter(self.recent, np.int64)])
            pos = np.concatenate([self.base_positions, np.fromiter(self.recent.values(), np.int32)])
            order = np.argsort(ids, kind="stable")
            self.base_mentions, self.base_positions = ids[order], pos[order]
            self.recent = {}

    def expire_gaps(self) -> list[int]:
        """Gaps still worth asking about."""
        now = time.monotonic()
        for gap in [g for g, at in self.gaps.items() if now - at > GAP_SECONDS]:
            del self.gaps[gap]
        return sorted(self.gaps)[-MAX_GAPS:]

    # -- lookups --

    def candidates(self, key_hashes: Sequence[int], broad: Sequence[int] = ()) -> list[int]:
        """Positions of live records filed under any of the keys (and under any broad key
        that not too many records share)."""
        return self.candidates_many([key_hashes], [broad])[0]

    def candidates_many(
        self,
        key_lists: Sequence[Sequence[int]],
        broad_lists: Sequence[Sequence[int]] | None = None,
    ) -> list[list[int]]:
        """`candidates` for many records at once, with one vectorised search."""
        if not key_lists:
            return []
        broad_lists = broad_lists or [()] * len(key_lists)
        flat, owner, limit = [], [], []
        for i, (keys, broad) in enumerate(zip(key_lists, broad_lists, strict=True)):
            flat += keys
            flat += broad
            owner += [i] * (len(keys) + len(broad))
            limit += [False] * len(keys)
            limit += [True] * len(broad)
        out: list[set[int]] = [set() for _ in key_lists]
        if self.base_keys.size and flat:
            q = np.asarray(flat, dtype=np.int64)
            lo = np.searchsorted(self.base_keys, q, "left")
            hi = np.searchsorted(self.base_keys, q, "right")
            hits = np.nonzero(hi > lo)[0]
            base_recs = self.base_recs
            for j in hits.tolist():
                a, b = int(lo[j]), int(hi[j])
                if limit[j] and b - a > BROAD_LIMIT:
                    continue
                out[owner[j]].update(base_recs[a:b].tolist())
        delta = self.delta
        if delta:
            for j, key in enumerate(flat):
                hit = delta.get(key)
                if hit and not (limit[j] and len(hit) > BROAD_LIMIT):
                    out[owner[j]].update(hit)
        alive = self.alive
        return [[p for p in found if alive[p]] for found in out]

    # -- memory --

    def memory_bytes(self) -> int:
        """Approximate bytes held (arrays exactly; vocabularies estimated)."""
        import sys

        total = 0
        for arr in (self.mention, self.person, self.fp, self.given, self.surname, self.dob,
                    self.sex, self.postcode, self.address, self.nhs, self.pnc):  # fmt: skip
            total += arr.itemsize * len(arr)
        total += len(self.alive)
        total += self.base_keys.nbytes + self.base_recs.nbytes
        total += self.base_mentions.nbytes + self.base_positions.nbytes
        total += sys.getsizeof(self.recent) + sys.getsizeof(self.gaps)
        total += sys.getsizeof(self.delta) + self.delta_size * 8
        for vocab in (self.v_given, self.v_surname, self.v_postcode, self.v_address,
                      self.v_ident):  # fmt: skip
            total += sys.getsizeof(vocab.ids) + sys.getsizeof(vocab.values)
            for value in vocab.values[1:]:
                total += _size_of(value)
        return total


def _size_of(value) -> int:
    import sys

    if isinstance(value, str):
        return sys.getsizeof(value)
    if isinstance(value, mt.Name):
        return (
            sys.getsizeof(value)
            + sys.getsizeof(value.norm) * 2
            + sys.getsizeof(value.keys)
            + sys.getsizeof(value.tokens)
        )
    if isinstance(value, mt.Postcode):
        return sys.getsizeof(value) + 3 * 56
    return sys.getsizeof(value)


_INDEX = IdentityIndex()


def get_index() -> IdentityIndex:
    return _INDEX


def reset_index():
    """Forget everything (tests, and after `identity rebuild`); reloaded on the next lookup."""
    _INDEX.reset()

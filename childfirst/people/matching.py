"""Identity matching as pure functions: no database, no Django.

A record of a person (a mention, or a row of a CSV) becomes a `Record` of normalised features.
Two records are compared field by field; each field falls into one *comparison level* (exact,
a nickname, very similar spelling, day and month swapped, ...). A `MatchModel` turns the levels
into Fellegi–Sunter match weights, log2(m/u) for each field's level, adds the prior and gives
the probability that the two records are one person, keeping each field's contribution so a
reviewer can see why.

The levels here are the ones Splink trains (childfirst.people.training builds the same levels in
SQL), so a model trained by `childfirst identity train` is used as it is by the online scorer.

Safeguards sit on top of the weights, because twins, siblings, and a parent and child who share
a name are different people who agree on almost everything a household shares (DESIGN.md
section 7): different given names, or different dates of birth, are never linked automatically;
a given name that only looks alike, with the same surname, goes to a reviewer at most.
"""

from __future__ import annotations

import hashlib
import json
import math
import operator
import re
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache
from pathlib import Path

import jellyfish
from anyascii import anyascii
from nicknames import NickNamer
from rapidfuzz.distance import JaroWinkler

DATA_DIR = Path(__file__).resolve().parent / "data"

# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


TITLES = _words("mr mrs ms miss mx dr master sir dame lady lord rev prof jnr jr snr sr")
# Words recorded in a name field when the name is not known.
PLACEHOLDERS = _words(
    "baby unknown unk nk not known na none infant unborn child male female boy girl unnamed "
    "anon anonymous refused withheld nfa"
)
_NOT_LETTERS = re.compile(r"[^a-z\s-]")
_SPLIT = re.compile(r"[\s-]+")
MAX_GIVEN_KEYS = 8


def _load_variants() -> dict[str, str]:
    groups: dict[str, str] = {}
    path = DATA_DIR / "name_variants.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        names = [anyascii(n).lower() for n in line.split()]
        for name in names:
            groups.setdefault(name, "v:" + names[0])
    return groups


def _load_short_forms() -> dict[str, set[str]]:
    forms: dict[str, set[str]] = {}
    path = DATA_DIR / "nicknames_extra.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        formal, _, shorts = line.partition(":")
        formal = anyascii(formal.strip()).lower()
        for short in shorts.split():
            forms.setdefault(anyascii(short).lower(), set()).add(formal)
    return forms


VARIANT_GROUP = _load_variants()
SHORT_FORMS = _load_short_forms()
_NICKNAMES = NickNamer()


def name_tokens(text: str | None, *, placeholders: bool) -> tuple[str, ...]:
    """'Smith-Jones' -> ('smith', 'jones'); "O'Brien" -> ('obrien',); 'Zoë' -> ('zoe',)."""
    if not text:
        return ()
    plain = anyascii(text).lower().replace("'", "").replace("`", "")
    plain = _NOT_LETTERS.sub(" ", plain)
    drop = TITLES | PLACEHOLDERS if placeholders else TITLES
    return tuple(t for t in _SPLIT.split(plain) if t and t not in drop)


def phonetic(token: str) -> str:
    """A sound-alike code for blocking (Soundex, with C/K and PH/F at the start made one)."""
    if token.startswith("ph"):
        token = "f" + token[2:]
    elif token.startswith(("kn", "wr")):
        token = token[1:]
    elif token.startswith("c") and not token.startswith(("ce", "ci", "cy", "ch")):
        token = "k" + token[1:]
    return jellyfish.soundex(token) if token else ""


def _pickled_by_fields(cls):
    """Pickle a slotted dataclass as its class and its fields' values, read in C, rather than by
    dataclasses' own __getstate__ and __setstate__, which go field by field in Python: a file
    import sends every person's record from the process that checks rows to the one that stores
    them, and this halves the time to pickle and unpickle one (14 and 13 microseconds a
    record)."""
    values = operator.attrgetter(*[f.name for f in fields(cls) if f.init])
    cls.__reduce__ = lambda self: (cls, values(self))
    return cls


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Name:
    norm: str  # tokens joined by one space: "mary jane"
    first: str  # first token: "mary"
    joined: str  # tokens run together: "maryjane"
    tokens: tuple[str, ...]
    keys: frozenset[str]  # spellings and nicknames it may stand for (see given_name/surname)
    phonetics: tuple[str, ...]  # sound-alike codes, for blocking

    def __hash__(self):  # equal names have equal norms; hashing all six was a tenth of a lookup
        return hash(self.norm)

    def __eq__(self, other):
        if self is other:
            return True
        if other.__class__ is not Name:
            return NotImplemented
        return _name_fields(self) == _name_fields(other)


# What makes two names, or two records, equal: every field but a record's remembered hash.
_name_fields = operator.attrgetter("norm", "first", "joined", "tokens", "keys", "phonetics")


def _token_keys(token: str, *, nicknames: bool) -> set[str]:
    """The token, its spelling group, and (for given names) the formal names it is a short form
    of, with their spelling groups: 'mo' -> {'mo', 'mohammed', 'v:mohammed', ...}."""
    keys = {token}
    group = VARIANT_GROUP.get(token)
    if group:
        keys.add(group)
    if nicknames:
        formals = sorted(SHORT_FORMS.get(token, ())) + sorted(_NICKNAMES.canonicals_of(token))
        for formal in formals:
            if len(keys) >= MAX_GIVEN_KEYS:
                break
            keys.add(formal)
            if formal in VARIANT_GROUP:
                keys.add(VARIANT_GROUP[formal])
    return keys


@lru_cache(maxsize=200_000)
def given_name(text: str | None) -> Name | None:
    """A given name. Its keys are those of the first given name: the name itself, its spelling
    group ('mohammed' ~ 'muhammad') and the formal names it is a nickname of ('bill' ->
    'william'), so two given names are variants when their keys meet."""
    tokens = name_tokens(text, placeholders=True)
    if not tokens:
        return None
    first = tokens[0]
    return Name(
        norm=" ".join(tokens),
        first=first,
        joined="".join(tokens),
        tokens=tokens,
        keys=frozenset(_token_keys(first, nicknames=True)),
        phonetics=(phonetic(first),),
    )


@lru_cache(maxsize=200_000)
def surname(text: str | None) -> Name | None:
    """A surname. Its keys are every part of a double-barrelled or hyphenated name and their
    spelling groups, so 'Smith-Jones' and 'Jones' share a key."""
    tokens = name_tokens(text, placeholders=True)
    if not tokens:
        return None
    joined = "".join(tokens)
    keys: set[str] = set()
    for token in tokens:
        keys |= _token_keys(token, nicknames=False)
    codes = {phonetic(joined)}
    if len(tokens) > 1:
        codes.update(phonetic(t) for t in tokens if len(t) > 1)
    return Name(
        norm=" ".join(tokens),
        first=tokens[0],
        joined=joined,
        tokens=tokens,
        keys=frozenset(keys),
        phonetics=tuple(sorted(codes)),
    )


# --------------------------------------------------------------------------------------------
# Dates of birth: (year, month, day), any part None when not known
# --------------------------------------------------------------------------------------------

Dob = tuple  # (int | None, int | None, int | None)
NO_DOB: Dob = (None, None, None)
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_DIGITS_ONLY = re.compile(r"^\d+$")


def dob_from_date(value: date | None) -> Dob:
    return (value.year, value.month, value.day) if value else NO_DOB


def _year(text: str, pivot: int) -> int | None:
    if len(text) == 4:
        year = int(text)
    elif len(text) == 2:
        year = 2000 + int(text)
        if year > pivot:
            year -= 100
    else:
        return None
    return year if 1880 <= year <= 2100 else None


def _valid(y, m, d) -> bool:
    if m is not None and not 1 <= m <= 12:
        return False
    if d is not None:
        try:
            date(y, m or 1, d)
        except ValueError:
            return False
    return True


# A time of day after a date: "00:00", "00:00:00.000", "12:00 am", "00:00:00+00:00".
_TIME_OF_DAY = re.compile(
    r"\s+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(am|pm)?(\s*(z|utc|[+-]\d{2}:?\d{2}))?$"
)


def parse_dob(text: str | None, *, pivot_year: int | None = None) -> Dob:
    """Any common way of writing a date of birth, with partial dates kept as far as known.

    '2016-09-03', '03/09/2016' (day first, as in the UK; month first only when the day cannot be
    a month), '3 Sep 2016', '20160903', '03092016', 'Sep 2016', '09/2016', '2016', any of them
    with a time of day after it; two-digit years pivot on the current year. Anything else is
    unknown.
    """
    text = (text or "").strip().lower()
    if not text:
        return NO_DOB
    pivot = pivot_year if pivot_year is not None else date.today().year
    text = text.split("t")[0] if re.match(r"^\d{4}-\d\d-\d\dt", text) else text
    # A date and time from a spreadsheet or a database ("2016-09-03 00:00:00", "3/9/2016 00:00").
    text = _TIME_OF_DAY.sub("", text)
    parts = [p for p in re.split(r"[\s/.,\-]+", text) if p]
    if len(parts) == 1 and _DIGITS_ONLY.match(parts[0]):
        digits = parts[0]
        if len(digits) == 8:
            if 1880 <= int(digits[:4]) <= 2100:
                parts = [digits[:4], digits[4:6], digits[6:]]
            else:
                parts = [digits[:2], digits[2:4], digits[4:]]
        elif len(digits) == 6 and 1880 <= int(digits[:4]) <= 2100:
            parts = [digits[:4], digits[4:]]
    words = []
    for part in parts:
        if part in MONTHS:
            words.append(("month", MONTHS[part]))
        elif _DIGITS_ONLY.match(part):
            words.append(("n", part))
        elif part.rstrip("stndrh").isdigit() and part[:1].isdigit():  # 3rd, 21st
            words.append(("n", part.rstrip("stndrh")))
        else:
            return NO_DOB
    kinds = [k for k, _ in words]
    y = m = d = None
    if kinds == ["n"]:
        y = _year(words[0][1], pivot) if len(words[0][1]) == 4 else None
    elif kinds == ["n", "n"]:
        a, b = words[0][1], words[1][1]
        if len(a) == 4:
            y, m = _year(a, pivot), int(b)
        elif len(b) == 4:
            y, m = _year(b, pivot), int(a)
    elif kinds == ["month", "n"]:
        y, m = _year(words[1][1], pivot), words[0][1]
    elif kinds == ["n", "month", "n"]:
        d, m, y = int(words[0][1]), words[1][1], _year(words[2][1], pivot)
    elif kinds == ["month", "n", "n"]:
        m, d, y = words[0][1], int(words[1][1]), _year(words[2][1], pivot)
    elif kinds == ["n", "n", "n"]:
        a, b, c = (w[1] for w in words)
        if len(a) == 4:
            y, m, d = _year(a, pivot), int(b), int(c)
        else:
            y, first, second = _year(c, pivot), int(a), int(b)
            d, m = (second, first) if first <= 12 < second else (first, second)
    else:
        return NO_DOB
    if y is None or not _valid(y, m, d):
        return NO_DOB
    if m is None:
        d = None
    return (y, m, d)


def dob_text(dob: Dob) -> str:
    y, m, d = dob
    if y is None:
        return ""
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


# --------------------------------------------------------------------------------------------
# Sex, postcodes, addresses
# --------------------------------------------------------------------------------------------

_SEX = {
    "m": "male",
    "male": "male",
    "man": "male",
    "boy": "male",
    "1": "male",
    "f": "female",
    "female": "female",
    "woman": "female",
    "girl": "female",
    "2": "female",
}


def normalise_sex(value: str | None) -> str:
    """'male', 'female' or '' (not known)."""
    return _SEX.get((value or "").strip().lower(), "")


UK_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$")
UK_OUTWARD = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")
_POSTCODE_IN_TEXT = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Postcode:
    full: str | None  # "E8 1DY"
    sector: str | None  # "E8 1"
    district: str | None  # "E8"


@lru_cache(maxsize=200_000)
def postcode(text: str | None) -> Postcode | None:
    """A UK postcode with its sector and district; another country's code compares whole.
    Words in the postcode's place ("NFA" for no fixed abode, "UNKNOWN", "N/A") are no
    postcode: every postcode, here and abroad, has a digit, and two people of no fixed abode
    do not share a home."""
    clean = re.sub(r"[^A-Z0-9]", "", anyascii(text or "").upper())
    if not clean or not any(character.isdigit() for character in clean):
        return None
    match = UK_POSTCODE.match(clean)
    if match:
        outward, inward = match.groups()
        return Postcode(f"{outward} {inward}", f"{outward} {inward[0]}", outward)
    if UK_OUTWARD.match(clean):
        return Postcode(None, None, clean)
    return Postcode(clean, None, None)


ADDRESS_ABBREVIATIONS = {
    "rd": "road",
    "st": "street",
    "str": "street",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "cl": "close",
    "ct": "court",
    "crt": "court",
    "cres": "crescent",
    "dr": "drive",
    "gdns": "gardens",
    "gr": "grove",
    "gro": "grove",
    "pl": "place",
    "sq": "square",
    "ter": "terrace",
    "terr": "terrace",
    "tce": "terrace",
    "hse": "house",
    "est": "estate",
    "pk": "park",
    "flt": "flat",
}
# Words that say what kind of place it is rather than which: two addresses on one street share
# "road", so it is left out of the comparison; the house number and the street's name count.
ADDRESS_STOPWORDS = _words(
    "flat apartment apt unit room floor ground first second basement the and of at road "
    "street avenue lane close court crescent drive gardens grove place square terrace house "
    "estate way walk row mews rise hill park green parade yard view london greater united "
    "kingdom uk england"
)


@lru_cache(maxsize=200_000)
def address(text: str | None) -> str:
    """The address's telling words, sorted and joined: 'Flat 2, 14 Example Rd, London E8 1DY'
    -> '14 2 example'. '' when nothing is left."""
    if not text:
        return ""
    plain = anyascii(text)
    plain = _POSTCODE_IN_TEXT.sub(" ", plain.upper()).lower()
    plain = re.sub(r"(\d+)([a-z])\b", r"\1 \2", plain)  # 14a -> 14 a
    tokens = set()
    for token in re.split(r"[^a-z0-9]+", plain):
        if not token:
            continue
        token = ADDRESS_ABBREVIATIONS.get(token, token)
        if token in ADDRESS_STOPWORDS:
            continue
        tokens.add(token)
    return " ".join(sorted(tokens))


def address_from_parts(*parts: str | None) -> str:
    return ", ".join(p.strip() for p in parts if p and p.strip())


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Record:
    """One description of a person, normalised for comparison (hashable: equal records share
    their blocking keys, worked out once)."""

    given: Name | None = None
    surname: Name | None = None
    dob: Dob = NO_DOB
    sex: str = ""
    postcode: Postcode | None = None
    address: str = ""
    nhs: str = ""
    pnc: str = ""
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def __hash__(self):
        # Worked out once: a record is a key of several caches in turn (its blocking keys, its
        # scores made ahead, the pairs it was compared with).
        found = self._hash
        if not found:
            found = hash(_record_fields(self)) or 1
            object.__setattr__(self, "_hash", found)
        return found

    def __eq__(self, other):
        # Records unequal in hash are unequal; equal ones (often the same description sent by
        # the process that checks a file's rows) are compared field by field.
        if self is other:
            return True
        if other.__class__ is not Record:
            return NotImplemented
        return hash(self) == hash(other) and _record_fields(self) == _record_fields(other)


_record_fields = operator.attrgetter(
    "given", "surname", "dob", "sex", "postcode", "address", "nhs", "pnc"
)
_INTERNED: dict[Record, Record] = {}
INTERNED_HELD = 100_000


def interned(record: Record) -> Record:
    """The copy of this record held already, if one is: a record is a key of several caches in
    turn, and equal copies (a file import's checking process sends a new one each time a person
    is described the same way) are then found by identity, without comparing every field."""
    found = _INTERNED.get(record)
    if found is None:
        if len(_INTERNED) >= INTERNED_HELD:
            _INTERNED.clear()
        found = _INTERNED[record] = record
    return found


def record_parts(record: Record) -> tuple:
    """The record as plain values, from which record_from_parts makes an equal record: a file
    import's checking process sends these rather than the record, since the names and postcode
    are then made again by the cached given_name, surname and postcode (a name's tokens, keys
    and sound-alikes come out the same from its normalised form as from what was written)."""
    g, s, pc = record.given, record.surname, record.postcode
    return (
        None if g is None else g.norm,
        None if s is None else s.norm,
        record.dob,
        record.sex,
        None if pc is None else pc.full or pc.district,
        record.address,
        record.nhs,
        record.pnc,
    )


_BY_PARTS: dict[tuple, Record] = {}


def record_from_parts(parts: tuple) -> Record:
    """The record record_parts gave these parts for, interned (see interned): the same parts
    again, as a person described the same way again, cost one look-up."""
    found = _BY_PARTS.get(parts)
    if found is None:
        g, s, dob, sex, pc, address_, nhs, pnc = parts
        found = interned(
            Record(
                given=None if g is None else given_name(g),
                surname=None if s is None else surname(s),
                dob=dob,
                sex=sex,
                postcode=None if pc is None else postcode(pc),
                address=address_,
                nhs=nhs,
                pnc=pnc,
            )
        )
        if len(_BY_PARTS) >= INTERNED_HELD:
            _BY_PARTS.clear()
        _BY_PARTS[parts] = found
    return found


def make_record(
    *,
    given_name_text: str = "",
    surname_text: str = "",
    dob: Dob = NO_DOB,
    sex: str = "",
    postcode_text: str = "",
    address_text: str = "",
    nhs: str = "",
    pnc: str = "",
) -> Record:
    """nhs and pnc must already be checked and cleaned (childfirst.people.identifiers)."""
    return Record(
        given=given_name(given_name_text),
        surname=surname(surname_text),
        dob=dob,
        sex=normalise_sex(sex),
        postcode=postcode(postcode_text),
        address=address(address_text),
        nhs=nhs or "",
        pnc=pnc or "",
    )


# --------------------------------------------------------------------------------------------
# Comparison levels
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    key: str  # stable identifier, used in model parameters
    words: str  # how a reviewer reads it: "Date of birth: day and month swapped"


@dataclass(frozen=True)
class Comparison:
    key: str
    label: str
    levels: tuple[Level, ...]  # levels[0] is always "null": not recorded on one side

    def level_index(self, key: str) -> int:
        for i, level in enumerate(self.levels):
            if level.key == key:
                return i
        raise KeyError(f"{self.key} has no level {key!r}")


NULL = 0

GIVEN = Comparison(
    "given_name",
    "Given name",
    (
        Level("null", "missing from one or both"),
        Level("exact", "the same"),
        Level("swapped", "given name and surname swapped"),
        Level("variant", "a nickname, another spelling, or a middle name"),
        Level("initial", "an initial that agrees"),
        Level("jw92", "very similar spelling"),
        Level("jw80", "similar spelling"),
        Level("different", "different"),
    ),
)
SURNAME = Comparison(
    "surname",
    "Surname",
    (
        Level("null", "missing from one or both"),
        Level("exact", "the same"),
        Level("swapped", "given name and surname swapped"),
        Level("part", "one part of a double or hyphenated surname, or another spelling"),
        Level("jw92", "very similar spelling"),
        Level("jw80", "similar spelling"),
        Level("different", "different"),
    ),
)
DOB = Comparison(
    "date_of_birth",
    "Date of birth",
    (
        Level("null", "missing from one or both"),
        Level("exact", "the same"),
        Level("swapped", "day and month swapped"),
        Level("one_part", "one part differs"),
        Level("partial", "agrees as far as both are known"),
        Level("year", "same year only"),
        Level("different", "different"),
    ),
)
SEX = Comparison(
    "sex",
    "Sex",
    (
        Level("null", "missing from one or both"),
        Level("exact", "the same"),
        Level("different", "different"),
    ),
)
POSTCODE = Comparison(
    "postcode",
    "Postcode",
    (
        Level("null", "missing from one or both"),
        Level("full", "the same"),
        Level("sector", "same sector"),
        Level("district", "same district"),
        Level("different", "different"),
    ),
)
ADDRESS = Comparison(
    "address",
    "Address",
    (
        Level("null", "missing from one or both"),
        Level("exact", "the same"),
        Level("overlap", "partly the same"),
        Level("different", "different"),
    ),
)
IDENTIFIERS = Comparison(
    "identifiers",
    "NHS number or PNC ID",
    (
        Level("null", "missing from one or both"),
        Level("exact", "the same"),
        Level("different", "different"),
    ),
)
COMPARISONS: tuple[Comparison, ...] = (GIVEN, SURNAME, DOB, SEX, POSTCODE, ADDRESS, IDENTIFIERS)
(G_EXACT, G_SWAPPED, G_VARIANT, G_INITIAL, G_JW92, G_JW80, G_DIFFERENT) = range(1, 8)
(S_EXACT, S_SWAPPED, S_PART, S_JW92, S_JW80, S_DIFFERENT) = range(1, 7)
(D_EXACT, D_SWAPPED, D_ONE_PART, D_PARTIAL, D_YEAR, D_DIFFERENT) = range(1, 7)
X_EXACT, X_DIFFERENT = 1, 2
P_FULL, P_SECTOR, P_DISTRICT, P_DIFFERENT = 1, 2, 3, 4
A_EXACT, A_OVERLAP, A_DIFFERENT = 1, 2, 3
I_EXACT, I_DIFFERENT = 1, 2
POS_G, POS_S, POS_D, POS_X, POS_P, POS_A, POS_I = range(7)  # positions in COMPARISONS

JW_HIGH = 0.92
JW_LOW = 0.80
_jw = JaroWinkler.similarity


def names_swapped(a: Record, b: Record) -> bool:
    ag, asn, bg, bsn = a.given, a.surname, b.given, b.surname
    return (
        ag is not None
        and asn is not None
        and bg is not None
        and bsn is not None
        and ag.norm == bsn.norm
        and asn.norm == bg.norm
        and ag.norm != asn.norm
    )


def names_swapped_mistyped(a: Record, b: Record) -> bool:
    """Given name and surname swapped, with a typing slip in either ("Wylile Brooke" for
    Brooke Wyllie): each name close to the other record's other name. Asked only once the names
    compared straight are different."""
    ag, asn, bg, bsn = a.given, a.surname, b.given, b.surname
    if ag is None or asn is None or bg is None or bsn is None or ag.norm == asn.norm:
        return False
    return _jw(ag.norm, bsn.norm) >= JW_HIGH and _jw(asn.norm, bg.norm) >= JW_HIGH


def given_level(a: Record, b: Record) -> int:
    x, y = a.given, b.given
    if x is None or y is None:
        return NULL
    if x.norm == y.norm:
        return G_EXACT
    if names_swapped(a, b):
        return G_SWAPPED
    if x.keys & y.keys or x.first in y.tokens or y.first in x.tokens:
        return G_VARIANT
    if (len(x.norm) == 1 or len(y.norm) == 1) and x.norm[0] == y.norm[0]:
        return G_INITIAL
    similarity = _jw(x.norm, y.norm)
    if similarity >= JW_HIGH:
        return G_JW92
    if similarity >= JW_LOW:
        return G_JW80
    if names_swapped_mistyped(a, b):
        return G_SWAPPED
    return G_DIFFERENT


def surname_level(a: Record, b: Record) -> int:
    x, y = a.surname, b.surname
    if x is None or y is None:
        return NULL
    if x.joined == y.joined:
        return S_EXACT
    if names_swapped(a, b):
        return S_SWAPPED
    if x.keys & y.keys:
        return S_PART
    similarity = _jw(x.joined, y.joined)
    if similarity >= JW_HIGH:
        return S_JW92
    if similarity >= JW_LOW:
        return S_JW80
    if names_swapped_mistyped(a, b):
        return S_SWAPPED
    return S_DIFFERENT


def _year_slip(a: int, b: int) -> bool:
    """One digit of the year wrong, or a year out."""
    if abs(a - b) == 1:
        return True
    sa, sb = str(a), str(b)
    return len(sa) == len(sb) and sum(1 for p, q in zip(sa, sb, strict=True) if p != q) == 1


def dob_level(a: Record, b: Record) -> int:
    (ay, am, ad), (by, bm, bd) = a.dob, b.dob
    if ay is None or by is None:
        return NULL
    full = ad is not None and bd is not None  # a day is only ever known with its month
    if full:
        if ay == by and am == bm and ad == bd:
            return D_EXACT
        if ay == by and ad == bm and am == bd:
            return D_SWAPPED
        if ay == by and (am == bm or ad == bd):
            return D_ONE_PART
        if am == bm and ad == bd and _year_slip(ay, by):
            return D_ONE_PART
    elif ay == by and (am is None or bm is None or am == bm):
        return D_PARTIAL
    if ay == by:
        return D_YEAR
    return D_DIFFERENT


def sex_level(a: Record, b: Record) -> int:
    if not a.sex or not b.sex:
        return NULL
    return X_EXACT if a.sex == b.sex else X_DIFFERENT


def postcode_level(a: Record, b: Record) -> int:
    x, y = a.postcode, b.postcode
    if x is None or y is None:
        return NULL
    if x.full is not None and x.full == y.full:
        return P_FULL
    if x.sector is not None and x.sector == y.sector:
        return P_SECTOR
    if x.district is not None and x.district == y.district:
        return P_DISTRICT
    return P_DIFFERENT


def address_level(a: Record, b: Record) -> int:
    x, y = a.address, b.address
    if not x or not y:
        return NULL
    if x == y:
        return A_EXACT
    if len(set(x.split()) & set(y.split())) >= 2:
        return A_OVERLAP
    return A_DIFFERENT


def identifiers_level(a: Record, b: Record) -> int:
    nhs = bool(a.nhs and b.nhs)
    pnc = bool(a.pnc and b.pnc)
    if not nhs and not pnc:
        return NULL
    if (nhs and a.nhs == b.nhs) or (pnc and a.pnc == b.pnc):
        return I_EXACT
    return I_DIFFERENT


LEVEL_FUNCTIONS = (
    given_level,
    surname_level,
    dob_level,
    sex_level,
    postcode_level,
    address_level,
    identifiers_level,
)


def compare(a: Record, b: Record) -> tuple[int, ...]:
    """The comparison level of each field, in COMPARISONS order."""
    return (
        given_level(a, b),
        surname_level(a, b),
        dob_level(a, b),
        sex_level(a, b),
        postcode_level(a, b),
        address_level(a, b),
        identifiers_level(a, b),
    )


# --------------------------------------------------------------------------------------------
# The model: Fellegi–Sunter weights, thresholds and safeguards
# --------------------------------------------------------------------------------------------

DEFAULT_MODEL_PATH = DATA_DIR / "identity_model.json"


class ModelError(ValueError):
    """The model's parameters are incomplete or out of range."""


@dataclass(frozen=True)
class Contribution:
    field: str  # comparison key
    label: str  # "Date of birth"
    level: str  # level key
    words: str  # "day and month swapped"
    weight: float  # log2(m/u), after any household cap

    def as_text(self) -> str:
        return f"{self.label}: {self.words}, {self.weight:+.1f}"


@dataclass(frozen=True)
class Explanation:
    probability: float
    bits: float  # the match weight after safeguards
    prior: float
    contributions: tuple[Contribution, ...]
    safeguards: tuple[str, ...]  # what held the probability down, in words

    def as_dict(self) -> dict:
        return {
            "probability": self.probability,
            "match_weight": self.bits,
            "prior": self.prior,
            "fields": [
                {"field": c.field, "label": c.label, "level": c.level, "words": c.words,
                 "weight": round(c.weight, 2)}
                for c in self.contributions
            ],
            "safeguards": list(self.safeguards),
        }  # fmt: skip


def _bits(probability: float) -> float:
    probability = min(max(probability, 1e-15), 1 - 1e-15)
    return math.log2(probability / (1 - probability))


def _probability(bits: float) -> float:
    if bits > 60:
        return 1.0
    if bits < -60:
        return 0.0
    odds = 2.0**bits
    return odds / (1 + odds)


class MatchModel:
    """Fellegi–Sunter weights for every level, the prior, thresholds and safeguards.

    `params` is the JSON stored in an IdentityModel row (or the shipped default):
    {"probability_two_random_records_match": ..., "thresholds": {"link": .., "review": ..},
     "comparisons": {"given_name": {"exact": {"m": .., "u": ..}, ...}, ...},
     "safeguards": {...}}
    """

    def __init__(self, params: dict, *, version: str = "default"):
        self.version = version
        self.params = params
        try:
            self.lam = float(params["probability_two_random_records_match"])
            thresholds = params["thresholds"]
            self.link_threshold = float(thresholds["link"])
            self.review_threshold = float(thresholds["review"])
            guards = params.get("safeguards", {})
            self.veto_bits = _bits(float(guards.get("veto_max_probability", 0.001)))
            self.review_bits = _bits(float(guards.get("review_max_probability", 0.9)))
            cap = guards.get("household_cap_bits")
            self.household_cap = None if cap is None else float(cap)
            self.weights: list[list[float]] = []
            for comparison in COMPARISONS:
                levels = params["comparisons"][comparison.key]
                row = [0.0]
                for level in comparison.levels[1:]:
                    m = float(levels[level.key]["m"])
                    u = float(levels[level.key]["u"])
                    if not (0 < m <= 1 and 0 < u <= 1):
                        raise ModelError(f"{comparison.key}.{level.key}: m and u must be in (0, 1]")
                    row.append(math.log2(m / u))
                self.weights.append(row)
        except (KeyError, TypeError) as error:
            raise ModelError(f"Identity model parameters are incomplete: {error}") from error
        if not 0 < self.lam < 1:
            raise ModelError("probability_two_random_records_match must be between 0 and 1")
        if not 0 < self.review_threshold <= self.link_threshold < 1:
            raise ModelError("Thresholds must satisfy 0 < review <= link < 1")
        if not (
            _probability(self.veto_bits) < self.review_threshold
            and self.review_threshold <= _probability(self.review_bits) < self.link_threshold
        ):
            raise ModelError(
                "Safeguards must hold a vetoed pair below the review threshold, and a pair for "
                "review between the thresholds"
            )
        self.prior = _bits(self.lam)
        (self._given, self._surname, self._dob, self._sex, self._postcode, self._address,
         self._ids) = self.weights  # fmt: skip
        # levels -> (weight after safeguards, weight before): a few thousand combinations of
        # levels occur, against hundreds of thousands of pairs scored in a bulk import.
        self._scores: dict[tuple[int, ...], tuple[float, float]] = {}

    @classmethod
    def default(cls) -> MatchModel:
        return cls(load_default_params(), version="default")

    # -- scoring --

    def bits_from_levels(self, lv: tuple[int, ...]) -> tuple[float, list[str]]:
        """The match weight (prior included) after safeguards, and the safeguards that held."""
        return self._guard(lv, self.raw_bits(lv))

    def scores(self, lv: tuple[int, ...]) -> tuple[float, float]:
        """The match weight after safeguards and before them, worked out once for each set of
        levels."""
        found = self._scores.get(lv)
        if found is None:
            raw = self.raw_bits(lv)
            found = self._scores[lv] = (self._guard(lv, raw)[0], raw)
        return found

    def raw_bits(self, lv: tuple[int, ...]) -> float:
        """The match weight (prior included) before safeguards."""
        g, s, d, x, p, a, i = lv
        wp = self._postcode[p]
        wa = self._address[a]
        if self.household_cap is not None and wp > 0 and wa > 0 and wp + wa > self.household_cap:
            wa = max(self.household_cap - wp, 0.0)
        return (
            self.prior
            + self._given[g]
            + self._surname[s]
            + self._dob[d]
            + self._sex[x]
            + wp
            + wa
            + self._ids[i]
        )

    def _guard(self, lv: tuple[int, ...], total: float) -> tuple[float, list[str]]:
        g, s, d, x = lv[0], lv[1], lv[2], lv[3]
        held: list[str] = []
        veto, review = self.veto_bits, self.review_bits
        if g == G_DIFFERENT and total > veto:
            held.append("Given names differ: never linked without a reviewer")
            total = veto
        if d == D_DIFFERENT and total > veto:
            held.append("Dates of birth differ: never linked without a reviewer")
            total = veto
        if x == X_DIFFERENT:
            if g == G_EXACT and d in (D_EXACT, D_SWAPPED):
                if total > review:
                    held.append("Sex differs: linked only when a reviewer confirms")
                    total = review
            elif total > veto:
                held.append("Sex differs: could be twins or siblings")
                total = veto
        if total > review and s in (S_EXACT, S_PART):
            if g in (G_INITIAL, G_JW92, G_JW80):
                held.append(
                    "Given names only look alike and surnames agree: could be twins or siblings"
                )
                total = review
            elif d == NULL and g in (G_EXACT, G_VARIANT):
                held.append(
                    "No date of birth to compare: could be a parent and child who share a name"
                )
                total = review
        return total, held

    def contradicts(self, lv: tuple[int, ...]) -> bool:
        """Do these levels show two different people (a safeguard that never links)?"""
        g, d, x = lv[POS_G], lv[POS_D], lv[POS_X]
        if g == G_DIFFERENT or d == D_DIFFERENT:
            return True
        return x == X_DIFFERENT and not (g == G_EXACT and d in (D_EXACT, D_SWAPPED))

    def probability(self, a: Record, b: Record) -> float:
        return _probability(self.bits_from_levels(compare(a, b))[0])

    def probability_from_levels(self, lv: tuple[int, ...]) -> float:
        return _probability(self.bits_from_levels(lv)[0])

    def explain(self, a: Record, b: Record) -> Explanation:
        return self.explain_levels(compare(a, b))

    def explain_levels(self, lv: tuple[int, ...]) -> Explanation:
        bits, held = self.bits_from_levels(lv)
        contributions = []
        wp = self._postcode[lv[POS_P]]
        for position, (comparison, level) in enumerate(zip(COMPARISONS, lv, strict=True)):
            weight = self.weights[position][level]
            if position == POS_A and self.household_cap is not None and wp > 0 and weight > 0:
                weight = min(weight, max(self.household_cap - wp, 0.0))
            lvl = comparison.levels[level]
            contributions.append(
                Contribution(comparison.key, comparison.label, lvl.key, lvl.words, weight)
            )
        return Explanation(
            probability=_probability(bits),
            bits=bits,
            prior=self.prior,
            contributions=tuple(contributions),
            safeguards=tuple(held),
        )

    def reasons(self, lv: tuple[int, ...]) -> list[str]:
        """Each field's contribution in words ("Date of birth: day and month swapped, +4.1"),
        worked out once per combination of levels."""
        cache = self.__dict__.setdefault("_reasons", {})
        found = cache.get(lv)
        if found is None:
            found = [c.as_text() for c in self.explain_levels(lv).contributions]
            if len(cache) < 100_000:
                cache[lv] = found
        return list(found)

    def decision(self, probability: float) -> str:
        """'link', 'review' or 'new'."""
        if probability >= self.link_threshold:
            return "link"
        if probability >= self.review_threshold:
            return "review"
        return "new"


def load_default_params() -> dict:
    return json.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8"))


def validate_params(params: dict) -> None:
    MatchModel(params)


# --------------------------------------------------------------------------------------------
# Blocking keys
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=50_000)
def _sorted_day_month(dob: Dob) -> str | None:
    y, m, d = dob
    if y is None or m is None or d is None:
        return None
    low, high = (m, d) if m <= d else (d, m)
    return f"{y:04d}{low:02d}{high:02d}"


BROAD_KINDS = ("C", "F")


def _keys(record: Record, swapped: bool, with_f: bool):
    """(kind, key) pairs of one way of reading the record's names."""
    gn, sn = record.given, record.surname
    if swapped:
        if gn is None or sn is None:
            return
        gn, sn = given_name(sn.norm), surname(gn.norm)
    ds = _sorted_day_month(record.dob)
    year = record.dob[0]
    pc = record.postcode
    sounds = sn.phonetics if sn is not None else ()
    initial = gn.first[0] if gn is not None else None
    for sound in sounds:
        if ds:
            yield "A", f"A|{ds}|{sound}"
        if year is not None and initial:
            yield "C", f"C|{year}|{sound}|{initial}"
        if pc is not None and pc.full:
            yield "D", f"D|{pc.full}|{sound}"
    if ds and gn is not None:
        for key in gn.keys:
            yield "B", f"B|{ds}|{key}"
    if gn is not None and with_f:
        for sound in sounds:
            for key in gn.keys:
                yield "F", f"F|{sound}|{key}"
    if not swapped:
        # A UK postcode's district; a postcode of another form (a postcode from abroad, a
        # test file's) whole.
        place = pc and (pc.district or pc.full)
        if ds and place:
            yield "E", f"E|{ds}|{place}"
        if record.nhs:
            yield "N", f"N|{record.nhs}"
        if record.pnc:
            yield "P", f"P|{record.pnc}"


def blocking_keys(record: Record, *, query: bool = False) -> list[str]:
    """The keys under which a record is filed, and looked up.

    A  date of birth (day and month in either order) + surname sound-alike
    B  date of birth (either order) + given name or a nickname or spelling of it
    C  year of birth + surname sound-alike + first initial (a wrong or partial day or month)
    D  full postcode + surname sound-alike (a wrong or missing date of birth)
    E  date of birth (either order) + postcode district, or the whole postcode if it is not a
       UK one (both names mistyped, or one missing)
    F  surname sound-alike + given name (or a nickname or spelling of it)
    N, P  NHS number, PNC ID

    A query also looks under its given name and surname swapped, and under F only when it
    has no full date of birth. C and F are broad: a lookup skips such a key when too many
    records share it (see index.BROAD_LIMIT).
    """
    if not query:
        return sorted({key for _, key in _keys(record, False, True)})
    with_f = _sorted_day_month(record.dob) is None
    keys = {key for _, key in _keys(record, False, with_f)}
    keys |= {key for _, key in _keys(record, True, with_f)}
    return sorted(keys)


@dataclass(frozen=True, slots=True)
class KeySets:
    file: list[int]  # hashes it is filed under
    narrow: list[int]  # hashes a lookup always uses
    broad: list[int]  # hashes a lookup skips when too many records share one


_HASHES: dict[str, int] = {}


def key_hash(key: str) -> int:
    """A stable signed 64-bit hash of a blocking key, as stored in the BlockingKey table."""
    found = _HASHES.get(key)
    if found is None:
        found = int.from_bytes(
            hashlib.blake2b(key.encode(), digest_size=8).digest(), "little", signed=True
        )
        if len(_HASHES) > 500_000:
            _HASHES.clear()
        _HASHES[key] = found
    return found


_KEY_SETS: dict[Record, KeySets] = {}
KEY_SETS_HELD = 100_000


def key_sets(record: Record) -> KeySets:
    """Filing and lookup hashes of a record, each key worked out once (the last
    KEY_SETS_HELD records' are held)."""
    found = _KEY_SETS.get(record)
    if found is None:
        found = _key_sets(record)
        remember_key_sets(record, found)
    return found


def remember_key_sets(record: Record, keys: KeySets) -> None:
    """Hold a record's key sets worked out elsewhere (a file import's checking process), so that
    key_sets need not work them out again."""
    if len(_KEY_SETS) >= KEY_SETS_HELD:
        _KEY_SETS.clear()
    _KEY_SETS[record] = keys


def _key_sets(record: Record) -> KeySets:
    with_f = _sorted_day_month(record.dob) is None
    own = {}
    for kind, key in _keys(record, False, True):
        own[key] = kind
    hashed = _HASHES
    filed = []
    narrow, broad = set(), set()
    # Read as it is, a lookup uses the filing keys themselves, leaving out F when the date of
    # birth is known in full (as _keys(record, False, False) would give them): each key made
    # and hashed once.
    for key, kind in own.items():
        found = hashed.get(key)
        if found is None:
            found = key_hash(key)
        filed.append(found)
        if kind not in BROAD_KINDS:
            narrow.add(found)
        elif with_f or kind != "F":
            broad.add(found)
    for kind, key in _keys(record, True, with_f):
        found = hashed.get(key)
        if found is None:
            found = key_hash(key)
        (broad if kind in BROAD_KINDS else narrow).add(found)
    return KeySets(filed, sorted(narrow), sorted(broad))


def blocking_key_hashes(record: Record, *, query: bool = False) -> list[int]:
    return [key_hash(k) for k in blocking_keys(record, query=query)]


@dataclass(slots=True)
class Ranked:
    """The best-scoring record of one candidate person."""

    probability: float
    levels: tuple[int, ...]
    person: object  # the caller's key for the person
    ref: object  # the caller's handle on the record


# (record, other record) -> their levels. The same description of a person comes again and
# again (a child named in several incidents, recorded the same way each time), and with it the
# same pairs: half the pairs a bulk import scores, it has scored before.
# Held: up to 200,000 pairs, about 21 MiB; each set of levels is held once (_LEVELS: a few
# thousand of them occur).
_COMPARED: dict[tuple[Record, Record], tuple[int, ...]] = {}
COMPARED_HELD = 200_000
_LEVELS: dict[tuple[int, ...], tuple[int, ...]] = {}


def rank(model: MatchModel, record: Record, candidates) -> list[Ranked]:
    """Score `record` against candidate records, given as (person, record, ref) tuples, and
    keep the best record of each person, best person first. A record with the same PNC ID or
    NHS number scores 1 and comes first: exact identifiers before probabilities."""
    best: dict = {}
    contradicted: set = set()
    scores, year = model.scores, record.dob[0]
    compared = _COMPARED
    for person, other, ref in candidates:
        levels = compared.get((record, other))
        if levels is None:
            if len(compared) >= COMPARED_HELD:
                compared.clear()
            levels = compare(record, other)
            levels = compared[(record, other)] = _LEVELS.setdefault(levels, levels)
        # other_person, asked only of years a generation apart (most pairs are not).
        other_year = other.dob[0]
        if (
            year is not None
            and other_year is not None
            and abs(year - other_year) >= GENERATION_YEARS
            and other_person(record, other)
        ):
            contradicted.add(person)
        # Held-down scores tie at the cap; the weight before safeguards breaks the tie.
        score = (math.inf, scores(levels)[1]) if levels[POS_I] == I_EXACT else scores(levels)
        found = best.get(person)
        if found is None or score > found[0]:
            best[person] = (score, levels, ref)
    # A person any of whose records was born a generation apart from this one is someone else,
    # however well their closest record agrees (a record with no date of birth can look like
    # both a parent and a child who share a name). Only an exact identifier links to them.
    for person in contradicted:
        (score, raw), levels, ref = best[person]
        if score != math.inf and score > model.veto_bits:
            best[person] = ((model.veto_bits, raw), levels, ref)
    ranked = sorted(best.items(), key=lambda item: item[1][0], reverse=True)
    return [
        Ranked(1.0 if score[0] == math.inf else _probability(score[0]), levels, person, ref)
        for person, (score, levels, ref) in ranked
    ]


# Years between two dates of birth beyond which two records are a parent and a child (or a
# grandparent), never one person with a mistyped year.
GENERATION_YEARS = 14


def other_person(record: Record, other: Record) -> bool:
    """Does one record of a person show that this record is someone else? Dates of birth a
    generation apart: a parent and a child who share a name and an address. Narrower than
    MatchModel.contradicts, because a person's other records carry recording errors (a
    nickname, swapped names, a mistyped digit) that must not keep a true match out."""
    a, b = record.dob[0], other.dob[0]
    if a is None or b is None or abs(a - b) < GENERATION_YEARS:
        return False
    return _not_one_typo_apart(a, b)


@lru_cache(maxsize=20_000)
def _not_one_typo_apart(a: int, b: int) -> bool:
    # One mistyped digit (2013 for 2023, 2099 for 2019) is a recording error, not a generation.
    return sum(x != y for x, y in zip(f"{a:04d}", f"{b:04d}", strict=True)) > 1


def is_exact(ranked: Ranked) -> bool:
    return ranked.levels[POS_I] == I_EXACT

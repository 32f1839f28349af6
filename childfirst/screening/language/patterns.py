"""Language patterns as data: every YAML file in rules/language/ (docs/language-check.md).

A file is a mapping with `words` (named lists of words, used in phrases as {name}) and/or
`patterns` (a list). Each pattern is checked when it loads; an error names the file, the
pattern and the field:

    rules/language/10_victim_blaming.yaml, pattern streetwise, field why: is required

Patterns are compiled once for each rules version (a hash of the files' names and contents),
and the files are looked at again at most once a second.
"""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import yaml
from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from childfirst.rulefiles import RuleFolder, field_message, field_path, file_label

UNKNOWN_FIELD = "is not a field a language pattern has (see docs/language-check.md)"
ID_PATTERN = r"^[a-z0-9_]{1,60}$"
Word = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]

# Regular expression pieces. Words are separated by spaces, commas or hyphens ("street-wise"),
# and a gap ("...") lets a few whole words sit in a phrase ("at significant risk").
SEP = r"[\s,\-]+"
WORD = r"[^\W_]+(?:['’][^\W_]+)*"
ADULT_NUMBER = r"(?:1[89]|[2-9]\d)"
CHILD_NUMBER = r"(?:1[0-7]|[1-9])"


def _age(number: str) -> str:
    """'aged 15', '15-year-old', '15 years old', '(15)'. Inside a phrase it follows a space;
    on its own (AGE_RE) it must not follow a letter or digit."""
    return (
        rf"(?:aged?\s+{number}(?!\d)"
        rf"|{number}[\s\-]*(?:years?|yrs?)[\s\-]*old"
        rf"|\(\s*{number}\s*(?:yrs?|years?)?\s*\))"
    )


# Placeholders the code provides, beside the words files define.
BUILT_IN = {
    "adult_age": _age(ADULT_NUMBER),
    "child_age": _age(CHILD_NUMBER),
    "adult_number": rf"{ADULT_NUMBER}(?!\d)",
}
CHILD_AGE_RE = re.compile(rf"(?<!\w){BUILT_IN['child_age']}")
ADULT_AGE_RE = re.compile(rf"(?<!\w){BUILT_IN['adult_age']}")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# Words too common to be worth looking for first (a word list is a better anchor).
COMMON_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "about", "around", "be", "by", "for", "from", "in", "into"}
    | {"is", "of", "on", "or", "out", "over", "the", "to", "up", "was", "with"}
)


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Pattern(_Schema):
    id: Word
    phrases: Annotated[list[Text], Field(min_length=1)]
    applies: Literal["always", "unless_adult", "child"] = "unless_adult"
    gap: Annotated[int, Field(ge=0, le=5)] = 2
    window: Annotated[int, Field(ge=1, le=8)] = 3
    unless_before: list[Text] = Field(default_factory=list)
    unless_after: list[Text] = Field(default_factory=list)
    needs_after: list[Text] = Field(default_factory=list)
    why: Text
    suggestion: Text
    source: Text


class LanguageRuleError(Exception):
    """One or more pattern files are wrong; each message names the file, pattern and field."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class WordList:
    expression: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Compiled:
    """A pattern ready to run on lower-case text: its phrases as one expression, the words
    one of which every match holds (to skip texts without them), and its context checks."""

    id: str
    regex: re.Pattern
    words: frozenset[str]
    prefixes: tuple[str, ...]
    always_run: bool
    applies: str
    window: int
    unless_before: re.Pattern | None
    unless_after: re.Pattern | None
    needs_after: re.Pattern | None
    why: str
    suggestion: str


@dataclass(frozen=True)
class PatternSet:
    patterns: tuple[Compiled, ...]
    version: str
    files: tuple[str, ...]


# Loading ---------------------------------------------------------------------------------------


def patterns_dir() -> Path:
    return Path(settings.CHILDFIRST_RULES_DIR) / "language"


_FOLDER = RuleFolder(lambda paths: load_patterns(paths))


def current_patterns(directory: Path | None = None) -> PatternSet:
    """The patterns in force, compiled. Raises LanguageRuleError when a file is wrong."""
    return _FOLDER.current(Path(directory) if directory else patterns_dir())


def load_patterns(paths: list[Path]) -> PatternSet:
    """Read, check and compile pattern files; raise LanguageRuleError naming every file,
    pattern and field that is wrong."""
    errors: list[str] = []
    digest = hashlib.sha256()
    words: dict[str, WordList] = {}
    found: list[tuple[str, Pattern]] = []
    ids: dict[str, str] = {}
    for path in paths:
        label = file_label(path)
        try:
            raw = path.read_bytes()
        except OSError as error:
            errors.append(f"{label}: cannot be read ({error.strerror})")
            continue
        digest.update(path.name.encode() + b"\0" + raw + b"\0")
        data, problems = _read(raw, label)
        errors += problems
        if data is None:
            continue
        errors += _words_of(data.get("words"), label, words)
        for pattern, problems in _patterns_of(data.get("patterns"), label):
            errors += problems
            if pattern is None:
                continue
            if pattern.id in ids:
                errors.append(
                    f"{label}, pattern {pattern.id}, field id: is used by another pattern too "
                    f"(in {ids[pattern.id]})"
                )
            ids.setdefault(pattern.id, label)
            found.append((label, pattern))
    if not found and not errors:
        errors.append(f"{file_label(patterns_dir())}: has no patterns")
    compiled = []
    for label, pattern in found:
        item, problems = _compile(pattern, words)
        errors += [f"{label}, pattern {pattern.id}, field {f}: {m}" for f, m in problems]
        if item is not None:
            compiled.append(item)
    if errors:
        raise LanguageRuleError(errors)
    return PatternSet(
        patterns=tuple(compiled),
        version=digest.hexdigest()[:16],
        files=tuple(file_label(path) for path in paths),
    )


def _read(raw: bytes, label: str):
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return None, [f"{label}: is not UTF-8 text"]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        return None, [f"{label}{where}: is not valid YAML ({getattr(error, 'problem', '')})"]
    if not isinstance(data, dict) or not data or set(data) - {"words", "patterns"}:
        return None, [f"{label}: the file must be a mapping with words and/or patterns"]
    return data, []


def _words_of(data, label: str, words: dict[str, "WordList"]) -> list[str]:
    """Add a file's named word lists to `words` (as expressions); return its errors."""
    if data is None:
        return []
    if not isinstance(data, dict):
        return [f"{label}, field words: must be a mapping of names to lists of words"]
    errors = []
    for name, values in data.items():
        where = f"{label}, words {name}"
        if not isinstance(name, str) or not re.fullmatch(ID_PATTERN, name):
            errors.append(f"{where}: the name must be lower-case letters, digits and underscores")
        elif name in words or name in BUILT_IN:
            errors.append(f"{where}: is defined twice")
        elif not isinstance(values, list) or not values:
            errors.append(f"{where}: must be a list of words")
        elif not all(isinstance(value, str) and value.strip() for value in values):
            errors.append(f"{where}: every entry must be words in quotes or plain text")
        elif any(PLACEHOLDER.search(value) or "..." in value for value in values):
            errors.append(f"{where}: a word list cannot use {{placeholders}} or ...")
        else:
            # Longest first, so "the police" is preferred to "police".
            choices = sorted({_literal(value.strip()) for value in values}, key=len, reverse=True)
            words[name] = WordList("(?:" + "|".join(choices) + ")", tuple(values))
    return errors


def _patterns_of(data, label: str):
    if data is None:
        return
    if not isinstance(data, list):
        yield None, [f"{label}, field patterns: must be a list"]
        return
    for index, item in enumerate(data):
        pattern_id = item.get("id") if isinstance(item, dict) else None
        name = pattern_id if isinstance(pattern_id, str) and pattern_id else f"number {index + 1}"
        where = f"{label}, pattern {name}"
        if not isinstance(item, dict):
            yield None, [f"{where}: must be a mapping with id, phrases, why, suggestion, source"]
            continue
        try:
            yield Pattern.model_validate(item), []
        except ValidationError as error:
            yield (
                None,
                [
                    f"{where}, field {field_path(e['loc'], whole='(pattern)')}: "
                    f"{field_message(e, unknown_field=UNKNOWN_FIELD)}"
                    for e in error.errors(include_url=False)
                ],
            )


# Compiling -------------------------------------------------------------------------------------


def _compile(pattern: Pattern, words: dict[str, "WordList"]):
    problems: list[tuple[str, str]] = []

    def group(field: str, phrases: list[str]) -> re.Pattern | None:
        parts = []
        for index, phrase in enumerate(phrases):
            try:
                parts.append(phrase_expression(phrase, words, gap=pattern.gap))
            except ValueError as error:
                problems.append((f"{field}[{index}]", str(error)))
        if not parts:
            return None
        # The phrases have no (?<!\w) in front: Python's re then skips quickly to where a
        # phrase can begin, and check.py makes sure a match starts a word.
        lead = "" if field == "phrases" else r"(?<!\w)"
        return re.compile(rf"{lead}(?:{'|'.join(parts)})(?!\w)")

    regex = group("phrases", pattern.phrases)
    extras = {
        name: group(name, getattr(pattern, name))
        for name in ("unless_before", "unless_after", "needs_after")
    }
    if problems or regex is None:
        return None, problems
    anchors = [phrase_anchors(phrase, words) for phrase in pattern.phrases]
    return (
        Compiled(
            id=pattern.id,
            regex=regex,
            words=frozenset(w for found in anchors if found for w in found[0]),
            prefixes=tuple(sorted({p for found in anchors if found for p in found[1]})),
            always_run=any(found is None for found in anchors),
            applies=pattern.applies,
            window=pattern.window,
            why=" ".join(pattern.why.split()),
            suggestion=" ".join(pattern.suggestion.split()),
            **extras,
        ),
        [],
    )


def phrase_anchors(phrase: str, words: dict[str, "WordList"]):
    """(whole words, word beginnings): one of them is in every text the phrase matches, so a
    text holding none of them need not be searched. None when the phrase has no such words
    (it is made only of built-in placeholders)."""
    best = None
    for token in phrase.split():
        if token == "...":
            continue
        if token.lower() in COMMON_WORDS:
            choice = (frozenset([token.lower()]), frozenset())
            score = (0, len(token))
            if best is None or score > best[0]:
                best = (score, choice)
            continue
        if PLACEHOLDER.fullmatch(token):
            name = token[1:-1]
            if name not in words:
                continue
            found = [_anchor(value.split()[0]) for value in words[name].values]
            choice = (
                frozenset(w for w, exact in found if exact),
                frozenset(w for w, exact in found if not exact),
            )
            score = (1, -len(found))
        else:
            placeholder = PLACEHOLDER.search(token)
            if placeholder is not None and placeholder.start() == 0:
                continue
            anchor, exact = _anchor(token[: placeholder.start()] if placeholder else token)
            if not anchor:
                continue
            exact = exact and placeholder is None
            choice = (frozenset([anchor]), frozenset()) if exact else (frozenset(), {anchor})
            score = (2, len(anchor))
        if best is None or score > best[0]:
            best = (score, choice)
    return None if best is None else best[1]


def _anchor(word: str) -> tuple[str, bool]:
    """A word's anchor: itself when it is only letters and digits, else its first letters and
    digits as a beginning to look for ("abscond*", "non-engag*", "won't")."""
    word = word.lower()
    if word.isalnum():
        return word, True
    found = re.match(r"[^\W_]+", word)
    return (found.group() if found else ""), False


def phrase_expression(phrase: str, words: dict[str, "WordList"], *, gap: int) -> str:
    """A phrase as a regular expression: words in any case, separated by spaces or hyphens,
    {name} for any word of a list, `word*` for any ending, `...` for up to `gap` words."""
    out = ""
    gap_next = False
    for token in phrase.split():
        if token == "...":
            if not out or gap_next:
                raise ValueError('"..." must sit between two words')
            gap_next = True
            continue
        piece = _token(token, words)
        if out:
            out += SEP + (rf"(?:{WORD}{SEP}){{0,{gap}}}" if gap_next else "")
        out += piece
        gap_next = False
    if gap_next or not out:
        raise ValueError('"..." must sit between two words')
    first = phrase.split()[0]
    if PLACEHOLDER.fullmatch(first) and first[1:-1] in words:
        # A phrase that begins with a word list becomes one alternative for each word, so
        # every alternative begins with a letter and Python's re can skip ahead quickly.
        rest = out[len(_token(first, words)) :]
        return "|".join(
            _literal(value) + rest for value in words[first[1:-1]].values if value.strip()
        )
    return out


def _token(token: str, words: dict[str, "WordList"]) -> str:
    out = ""
    at = 0
    for found in PLACEHOLDER.finditer(token):
        out += _literal(token[at : found.start()])
        name = found.group(1)
        if name in BUILT_IN:
            out += BUILT_IN[name]
        elif name in words:
            out += words[name].expression
        else:
            known = ", ".join("{" + n + "}" for n in sorted([*words, *BUILT_IN]))
            raise ValueError(f'"{{{name}}}" is not a word list: use one of {known}')
        at = found.end()
    if "{" in token[at:] or "}" in token[at:]:
        raise ValueError("has a { or } that does not pair up")
    return out + _literal(token[at:])


def _literal(text: str) -> str:
    """Plain words as an expression: apostrophes straight or curly, hyphens optional, and a
    trailing * for any ending ("abscond*")."""
    pieces = []
    for word in text.split():
        piece = ""
        for char in word:
            if char == "*":
                piece += r"\w*"
            elif char in "'’":
                piece += "['’]"
            elif char == "-":
                piece += r"[\s\-]?"
            else:
                piece += re.escape(char.lower())
        pieces.append(piece)
    return SEP.join(pieces)


# Messages --------------------------------------------------------------------------------------


def check_language_rules(app_configs=None, **kwargs):
    """A Django system check (`childfirst check` and every start): rules/language/ loads, and
    each mistake is named by file, pattern and field."""
    from django.core import checks

    try:
        current_patterns()
    except LanguageRuleError as error:
        return [checks.Error(message, id="screening.E010") for message in error.errors]
    return []

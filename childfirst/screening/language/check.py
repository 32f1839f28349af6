"""Checking text against the language patterns (docs/language-check.md says what is flagged
and what is not, and why).

Who a sentence is about decides the patterns that say `applies: child` or `unless_adult`:
`child_age` when the caller knows it (under 18 is a child, 18 or over an adult); otherwise
`about_child=True` when the text is known to be about a child (the officer form's child's
voice); otherwise an age written in the same sentence ("a 15-year-old", "aged 22").
Words inside quotation marks are someone's own words, not the writer's, and are not flagged.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass

from childfirst.screening.language.patterns import (
    ADULT_AGE_RE,
    CHILD_AGE_RE,
    WORD,
    Compiled,
    current_patterns,
)

CHILD, ADULT, UNKNOWN = "child", "adult", "unknown"

# A sentence ends at . ! or ? before a space, or at a blank line. A single line break does not
# end one (a phrase typed across a line break is still found).
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n\s*\n")
QUOTED = re.compile(
    r"\"[^\"]*\"|“[^”]*”|(?<!\w)‘(?:[^’]|’(?=\w))*’(?!\w)|(?<!\w)'(?:[^'\n]|'(?=\w))*'(?!\w)"
)
WORD_RE = re.compile(WORD)
PLAIN_WORD = re.compile(r"[^\W_]+")
WORD_CHAR = re.compile(r"\w")


def _is_word_char(char: str) -> bool:
    return WORD_CHAR.match(char) is not None


@dataclass(frozen=True)
class Finding:
    id: str  # pattern id from rules/language/*.yaml
    words: str  # the words as written in the text
    start: int  # character offsets in the text
    end: int
    why: str  # why it matters, plain words
    suggestion: str  # a suggested rewording


def rules_version() -> str:
    return current_patterns().version


def check_language(
    *, text: str, child_age: int | None = None, about_child: bool = False
) -> list[Finding]:
    """The findings in `text`, in the order they appear. Raises LanguageRuleError when the
    pattern files are wrong (the system check reports that at start-up)."""
    if not text or not text.strip():
        return []
    patterns = current_patterns().patterns
    context = _Context(text, child_age=child_age, about_child=about_child)
    low = context.low
    present = set(PLAIN_WORD.findall(low))
    findings = []
    for pattern in patterns:
        if not _may_match(pattern, present, low):
            continue
        for start, end in context.search(pattern):
            if context.quoted(start, end) or not context.applies(pattern, start, end):
                continue
            findings.append(
                Finding(
                    id=pattern.id,
                    words=text[start:end],
                    start=start,
                    end=end,
                    why=pattern.why,
                    suggestion=pattern.suggestion,
                )
            )
    findings.sort(key=lambda finding: (finding.start, finding.end, finding.id))
    return findings


def _may_match(pattern: Compiled, present: set[str], low: str) -> bool:
    """False when the text holds none of the words every match of the pattern holds."""
    if pattern.always_run or not present.isdisjoint(pattern.words):
        return True
    return any(prefix in low for prefix in pattern.prefixes)


def _lower(text: str) -> str:
    """The text in lower case, one character for one, so offsets stay the same."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


class _Context:
    """What is known about the text around a match, worked out once and only when needed."""

    def __init__(self, text: str, *, child_age: int | None, about_child: bool):
        self.text = text
        self.low = _lower(text)
        if child_age is not None:
            self.subject = CHILD if child_age < 18 else ADULT
        else:
            self.subject = CHILD if about_child else UNKNOWN
        self._starts: list[int] | None = None
        self._quotes: list[tuple[int, int]] | None = None
        self._sentence_subject: dict[int, str] = {}

    def search(self, pattern: Compiled):
        """(start, end) of each match that starts a word. A long text is searched only in the
        sentences that hold one of the pattern's words (a match never crosses a sentence)."""
        low = self.low
        for first, last in self._regions(pattern):
            at = first
            while True:
                found = pattern.regex.search(low, at, last)
                if found is None:
                    break
                start = found.start()
                if start and _is_word_char(low[start - 1]):
                    at = start + 1  # inside a word: look again from the next letter
                    continue
                yield found.span()
                at = max(found.end(), start + 1)

    def _regions(self, pattern: Compiled):
        low = self.low
        if pattern.always_run or len(low) < 400:
            return [(0, len(low))]
        numbers = set()
        for word in (*pattern.words, *pattern.prefixes):
            at = low.find(word)
            while at != -1:
                numbers.add(self.sentence(at)[0])
                at = low.find(word, at + len(word))
        regions: list[list[int]] = []
        for number in sorted(numbers):
            _, first, last = self.span(number)
            if regions and regions[-1][1] == first:
                regions[-1][1] = last
            else:
                regions.append([first, last])
        return regions

    def quoted(self, start: int, end: int) -> bool:
        if self._quotes is None:
            self._quotes = [m.span() for m in QUOTED.finditer(self.text)]
        return any(q_start < start and end < q_end for q_start, q_end in self._quotes)

    def sentence(self, at: int) -> tuple[int, int, int]:
        """(number, start, end) of the sentence holding offset `at`."""
        if self._starts is None:
            self._starts = [0] + [m.end() for m in SENTENCE_END.finditer(self.text)]
        return self.span(bisect_right(self._starts, at) - 1)

    def span(self, number: int) -> tuple[int, int, int]:
        starts = self._starts
        end = starts[number + 1] if number + 1 < len(starts) else len(self.text)
        return number, starts[number], end

    def who(self, at: int) -> str:
        if self.subject != UNKNOWN:
            return self.subject
        number, start, end = self.sentence(at)
        if number not in self._sentence_subject:
            subject = UNKNOWN
            if CHILD_AGE_RE.search(self.low, start, end):
                subject = CHILD
            elif ADULT_AGE_RE.search(self.low, start, end):
                subject = ADULT
            self._sentence_subject[number] = subject
        return self._sentence_subject[number]

    def applies(self, pattern: Compiled, start: int, end: int) -> bool:
        if pattern.applies != "always":
            who = self.who(start)
            if who == ADULT or (pattern.applies == "child" and who != CHILD):
                return False
        if pattern.unless_before or pattern.unless_after or pattern.needs_after:
            _, first, last = self.sentence(start)
            if pattern.unless_before is not None:
                begin = self._words_back(first, start, pattern.window)
                if pattern.unless_before.search(self.low, begin, start):
                    return False
            if pattern.unless_after is not None and self._follows(
                pattern.unless_after, end, last, pattern.window
            ):
                return False
            if pattern.needs_after is not None and not self._follows(
                pattern.needs_after, end, last, pattern.window
            ):
                return False
        return True

    def _words_back(self, first: int, start: int, count: int) -> int:
        """The offset `count` words before `start`, not before the sentence's start."""
        words = [m.start() for m in WORD_RE.finditer(self.text, first, start)]
        return words[-count] if len(words) >= count else first

    def _follows(self, regex: re.Pattern, end: int, last: int, count: int) -> bool:
        """Whether `regex` matches starting within `count` words after `end`."""
        found = regex.search(self.low, end, last)
        if found is None:
            return False
        return len(WORD_RE.findall(self.text, end, found.start())) < count

"""Plain words for numbers, shared by every app's messages and pages. This module imports
nothing of Child First, so any app may use it."""


def count_of(number: int, singular: str, plural: str | None = None) -> str:
    """1 pair, 2 pairs, 1,260 mentions, 3 children (with the plural given)."""
    return f"{number:,} {singular if number == 1 else (plural or singular + 's')}"

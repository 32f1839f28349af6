"""A folder of force-editable rule files (rules/<kind>/*.yaml), or one rule file
(rules/clocks.yaml), loaded again when a file changes. Looked for at most once a second, so a
bulk import does not read file times for every batch. This module imports nothing of Child
First, so any app may use it."""

import time
from collections.abc import Callable
from pathlib import Path

RECHECK_SECONDS = 1.0


class RuleFolder:
    """`load(paths)` turns the folder's files (in name order), or the one file, into whatever
    the app keeps; `paths` is empty when there is no such folder or file."""

    def __init__(self, load: Callable[[list[Path]], object]):
        self.load = load
        self._looked: dict[str, tuple[float, tuple, object]] = {}

    def current(self, folder: Path):
        key = str(folder)
        now = time.monotonic()
        seen = self._looked.get(key)
        if seen is not None and now - seen[0] < RECHECK_SECONDS:
            return seen[2]
        if folder.is_dir():
            files = sorted(folder.glob("*.yaml"))
        else:
            files = [folder] if folder.is_file() else []
        stamp = tuple((path.name, path.stat().st_mtime_ns, path.stat().st_size) for path in files)
        unchanged = seen is not None and seen[1] == stamp
        found = seen[2] if unchanged else self.load(files)
        self._looked[key] = (now, stamp, found)
        return found


# Messages about a rule file, shared by every app's loader ----------------------------------------


def file_label(path: Path) -> str:
    """The file as messages name it: relative to the project when it is inside it."""
    from django.conf import settings

    try:
        return str(Path(path).resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


def field_path(loc: tuple, *, whole: str) -> str:
    """pydantic's location of an error as the file's fields: ("when", "ages", 0) ->
    "when.ages[0]"; `whole` names the entry itself ("(rule)")."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif "[" in str(part) and "]" in str(part):
            continue  # pydantic's names for the type inside a field, not a field
        else:
            path += f".{part}" if path else str(part)
    return path or whole


def field_message(error: dict, *, unknown_field: str) -> str:
    """A pydantic error in plain words, for someone editing a rule file; `unknown_field` is said
    of a field the entry does not have ("is not a field a screening rule has ...")."""
    kind = error["type"]
    context = error.get("ctx") or {}
    given = error.get("input")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return unknown_field
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return "must be a whole number"
    if kind == "bool_type":
        return "must be true or false"
    if kind == "string_type":
        if isinstance(given, bool):
            return f'is {str(given).lower()}, not a word: put "yes" and "no" in quotes'
        return "must be text"
    if kind == "literal_error":
        return f"must be one of: {context.get('expected', '').replace(chr(39), '')}"
    if kind == "string_pattern_mismatch":
        return "must be lower-case letters, digits and underscores"
    if kind in {"string_too_short", "too_short"}:
        return "must not be empty"
    if kind == "greater_than_equal":
        return f"must be {context.get('ge')} or more"
    if kind == "less_than_equal":
        return f"must be {context.get('le')} or less"
    if kind == "list_type":
        return "must be a list"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return "must be a mapping of fields"
    return error["msg"]

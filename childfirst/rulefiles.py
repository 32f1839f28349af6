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

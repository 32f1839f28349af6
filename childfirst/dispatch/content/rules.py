"""The dispatch rules file, rules/content/dispatch.yaml: guidance for each kind of content and
when overdue decisions are chased. Checked when it loads; an error names the file, the entry and
the field:

    rules/content/dispatch.yaml, guidance encompass_notice: must be a list of sentences
"""

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings

from childfirst.dispatch.models import ContentKind
from childfirst.rulefiles import RuleFolder, file_label

TOP_KEYS = {"guidance", "chasing"}
CHASING_KEYS = {"remind_after_hours", "escalate_after_hours"}


class DispatchRulesError(Exception):
    """The dispatch rules file is not valid: the message names the file, entry and field."""


@dataclass(frozen=True)
class DispatchRules:
    guidance: dict[str, tuple[str, ...]]
    remind_after_hours: float
    escalate_after_hours: float


def rules_file() -> Path:
    return Path(settings.CHILDFIRST_RULES_DIR) / "content" / "dispatch.yaml"


def dispatch_rules(path: Path | None = None) -> DispatchRules:
    """The dispatch rules, read again when the file changes (looked for at most once a second:
    composing a referral asks for them once per recipient)."""
    path = Path(path) if path else rules_file()
    rules = _FILE.current(path)
    if rules is None:
        raise FileNotFoundError(f"There is no dispatch rules file at {path}")
    return rules


_FILE = RuleFolder(lambda paths: load_dispatch_rules(paths[0]) if paths else None)


def load_dispatch_rules(path: Path) -> DispatchRules:
    label = file_label(path)

    def fail(where: str, message: str):
        raise DispatchRulesError(f"{label}, {where}: {message}")

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DispatchRulesError(f"{label}: is not valid YAML ({error})") from error
    if not isinstance(data, dict):
        fail("top level", "must be a mapping with guidance and chasing")
    unknown = set(data) - TOP_KEYS
    if unknown:
        fail("top level", f"unknown entries {', '.join(sorted(unknown))}")
    guidance = data.get("guidance") or {}
    if not isinstance(guidance, dict):
        fail("guidance", "must map each content kind to a list of sentences")
    checked = {}
    for kind, lines in guidance.items():
        if kind not in ContentKind.values:
            fail(f"guidance {kind}", f"is not a content kind ({', '.join(ContentKind.values)})")
        if not isinstance(lines, list) or not all(
            isinstance(line, str) and line.strip() for line in lines
        ):
            fail(f"guidance {kind}", "must be a list of sentences")
        checked[kind] = tuple(" ".join(line.split()) for line in lines)
    chasing = data.get("chasing")
    if not isinstance(chasing, dict):
        fail("chasing", "must have remind_after_hours and escalate_after_hours")
    for key in sorted(set(chasing) - CHASING_KEYS):
        fail(f"chasing, field {key}", "is not a field Child First knows")
    hours = {}
    for key in sorted(CHASING_KEYS):
        value = chasing.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            fail(f"chasing, field {key}", "must be a number of hours, 0 or more")
        hours[key] = float(value)
    return DispatchRules(guidance=checked, **hours)

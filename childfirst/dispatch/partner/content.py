"""A disclosure's content snapshot laid out for a person to read: sections of labelled rows,
in the snapshot's own order. Whatever the content's shape (each agency kind gets different
fields), the partner sees exactly what was disclosed and nothing read from the live record."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from childfirst.dates import london_date, london_datetime

# Keys that are about the layout, not fields to show.
HIDDEN = {"title", "version", "schema"}


@dataclass
class Row:
    label: str
    value: str = ""
    items: list[str] = field(default_factory=list)  # a list of plain values


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)
    points: list[str] = field(default_factory=list)  # unlabelled text, shown as a list


def label_for(key: str) -> str:
    words = str(key).replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else "Detail"


def show(value) -> str:
    """One value in plain words: dates as 24 November 2026, times in London."""
    if value is None or value == "":
        return "Not given"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        moment = _datetime(value)
        if moment is not None:
            return london_datetime(moment)
        try:
            day = date.fromisoformat(value) if len(value) == 10 else None
        except ValueError:
            day = None
        if day is not None:
            return london_date(day)
        return value
    return str(value)


def _datetime(value: str) -> datetime | None:
    if len(value) < 16 or "T" not in value:
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    if moment is None or timezone.is_naive(moment):
        return None
    return moment


def sections(content, *, title: str = "What was shared") -> list[Section]:
    """The dispatch app's shape ({"title", "police_reference", "sections": [{"title",
    "fields": [{"label", "value", "text"}]}]}) section by section, each field as composed.
    Any other shape: top-level plain values go in the first section; each nested object is its
    own section; a list of objects is one section per object."""
    if isinstance(content, dict) and _composed(content.get("sections")):
        return _composed_sections(content)
    if not isinstance(content, dict):
        return [Section(title, [Row("Content", show(content))])]
    first = Section(title)
    found = [first]
    for key, value in content.items():
        if key in HIDDEN:
            continue
        if isinstance(value, dict):
            found.append(_section(label_for(key), value))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for number, entry in enumerate(value, 1):
                found.append(_section(f"{label_for(key)} {number}", entry))
        else:
            first.rows.append(_row(key, value))
    return [s for s in found if s.rows]


def _section(title: str, data: dict) -> Section:
    return Section(title, [_row(k, v) for k, v in data.items() if k not in HIDDEN])


def _row(key, value) -> Row:
    if isinstance(value, list):
        return Row(label_for(key), "" if value else "None", [_flat(v) for v in value])
    if isinstance(value, dict):
        return Row(
            label_for(key), "; ".join(f"{label_for(k)}: {_flat(v)}" for k, v in value.items())
        )
    return Row(label_for(key), show(value))


def _flat(value) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{label_for(k)}: {_flat(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_flat(v) for v in value)
    return show(value)


def _composed(found) -> bool:
    return isinstance(found, list) and all(
        isinstance(s, dict) and isinstance(s.get("fields"), list) for s in found
    )


def _composed_sections(content: dict) -> list[Section]:
    found = []
    reference = content.get("police_reference")
    if reference:
        found.append(Section("Reference", [Row("Police reference", show(reference))]))
    for part in content["sections"]:
        section = Section(str(part.get("title") or "Details"))
        for entry in part["fields"]:
            if not isinstance(entry, dict):
                section.points.append(_flat(entry))
                continue
            if _is_the_incident_itself(part, entry, reference):
                continue
            text = entry.get("text")
            text = show(entry.get("value")) if text in (None, "") else str(text)
            if entry.get("label"):
                section.rows.append(Row(str(entry["label"]), text))
            else:
                section.points.append(text)
        if section.rows or section.points:
            found.append(section)
    return found


def _is_the_incident_itself(part: dict, entry: dict, reference) -> bool:
    """An adult's history row that is the referred incident itself. Snapshots composed before
    the history left the referred incident out listed it there as the adult's record; it is
    what the referral is about (under "What happened"), not history, so it is not shown again.
    The snapshot itself is kept as it was sent."""
    value = entry.get("value")
    return (
        part.get("id") == "adult_history"
        and bool(reference)
        and isinstance(value, dict)
        and value.get("reference") == reference
    )

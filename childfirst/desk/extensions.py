"""Places where higher apps add to what the desk shows, without the desk importing them
(DESIGN.md section 4: dispatch is above the desk).

timeline_providers: functions called with the keyword argument `person_ids` (the child, anyone
merged into them, and the household members the notice page shows) and returning TimelineItems
for the child's timeline on the notice page; the desk names the person each is about. The
dispatch app registers its providers in its AppConfig.ready() (the partners' acknowledgements,
decisions and notes). Each provider answers in a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TimelineItem:
    person_id: int  # who it is about: the desk shows their name
    at: datetime
    title: str
    text: str = ""
    by: str = ""


TimelineProvider = Callable[..., list[TimelineItem]]

timeline_providers: list[TimelineProvider] = []


def register_timeline_provider(provider: TimelineProvider) -> None:
    """Add a provider once (AppConfig.ready() may run more than once in tests)."""
    if provider not in timeline_providers:
        timeline_providers.append(provider)


def timeline_items(*, person_ids: list[int]) -> list[TimelineItem]:
    """Every registered provider's items, in no particular order (the desk sorts them)."""
    items: list[TimelineItem] = []
    if not person_ids:
        return items
    for provider in timeline_providers:
        items.extend(provider(person_ids=list(person_ids)))
    return items

"""Places where higher apps add to what the incidents app shows, without it importing them
(DESIGN.md section 4: the incidents app knows nothing of screening or the desk).

notice_details_providers: functions taking a list of notices and returning, by notice id, extra
fields of the API's NoticeOut (childfirst.incidents.schemas), for example {"grade": "red",
"rules_fired": [...], "clocks": [...]}. Screening registers one in its AppConfig.ready(). Each
provider answers for the whole list in a fixed number of queries.
"""

from collections.abc import Callable

NoticeDetailsProvider = Callable[[list], dict[int, dict]]

notice_details_providers: list[NoticeDetailsProvider] = []


def notice_details(notices: list) -> dict[int, dict]:
    """Every registered provider's fields for each notice, merged (a later provider wins)."""
    found: dict[int, dict] = {}
    if not notices:
        return found
    for provider in notice_details_providers:
        for notice_id, fields in provider(notices).items():
            found.setdefault(notice_id, {}).update(fields)
    return found

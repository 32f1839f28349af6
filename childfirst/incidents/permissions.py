"""Permission rules of the incidents app (predicates are in childfirst.accounts.permissions).

The API's intake routes use `api.intake` (childfirst.accounts.permissions). These rules are for
the pages that come later: the officer's form, incident pages and the notices queue.
"""

import rules
from childfirst.accounts import permissions as p

# The officer's form: frontline officers and child exploitation officers record children who
# come to notice; the desk may record one it is told about by telephone.
rules.add_perm(
    "incidents.record_incident", p.is_frontline_officer | p.is_desk | p.is_exploitation_officer
)
# An incident, its people and its questionnaires: the officers and desk staff who act on it.
rules.add_perm(
    "incidents.view_incident", p.is_frontline_officer | p.is_desk | p.is_exploitation_officer
)
# Notices (children coming to notice) are the desk's work.
rules.add_perm("incidents.view_notices", p.is_desk)

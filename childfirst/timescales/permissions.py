"""Permission rules of the timescales app (predicates are in childfirst.accounts.permissions)."""

import rules
from childfirst.accounts import permissions as p

# The Django admin: administrators keep the term calendars (a wrong date is deleted there,
# docs/clocks.md) and may read clocks, which change only through the services.
for _action in ("view", "add", "change", "delete"):
    rules.add_perm(f"timescales.{_action}_termdate", p.is_administrator)
rules.add_perm("timescales.view_clock", p.is_administrator)

"""Permission rules of the dispatch app (predicates are in childfirst.accounts.permissions)."""

import rules  # noqa: F401
from childfirst.accounts import permissions as p  # noqa: F401

# The partner portal: partner agency users only (police roles do not use it). Which disclosures
# a partner sees is decided by the partner services (their own agency's only; others are 404).
rules.add_perm("dispatch.use_portal", p.is_partner)

# The desk's side of dispatch: researchers and supervisors check and send a referral; only
# supervisors watch failed deliveries, late Operation Encompass notices and overdue decisions.
rules.add_perm("dispatch.send_referral", p.is_desk)
rules.add_perm("dispatch.view_failures", p.is_desk_supervisor)
rules.add_perm("dispatch.view_breaches", p.is_desk_supervisor)

"""Permission rules of the people app (predicates are in childfirst.accounts.permissions)."""

import rules
from childfirst.accounts import permissions as p

# The identity review queue: desk researchers and supervisors confirm, reject or merge.
rules.add_perm("people.review_identities", p.is_desk)
# Merges: the desk may see them; only a supervisor may undo one.
rules.add_perm("people.view_merges", p.is_desk)
rules.add_perm("people.undo_merge", p.is_desk_supervisor)

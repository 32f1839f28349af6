"""Permission rules of the desk app (predicates are in childfirst.accounts.permissions)."""

import rules
from childfirst.accounts import permissions as p

# Researchers and supervisors work the queue: open, take and decide notices.
rules.add_perm("desk.use_queue", p.is_desk)
rules.add_perm("desk.view_notice", p.is_desk)
rules.add_perm("desk.claim", p.is_desk)
rules.add_perm("desk.decide", p.is_desk)
# Only supervisors move work between people, approve, watch breaches, sample for quality and
# pause the desk review clock while the desk is rightly waiting.
rules.add_perm("desk.assign", p.is_desk_supervisor)
rules.add_perm("desk.approve", p.is_desk_supervisor)
rules.add_perm("desk.view_breaches", p.is_desk_supervisor)
rules.add_perm("desk.sample_decisions", p.is_desk_supervisor)
rules.add_perm("desk.pause_clock", p.is_desk_supervisor)

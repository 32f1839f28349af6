"""Permission rules of the screening app (predicates are in childfirst.accounts.permissions)."""

import rules  # noqa: F401
from childfirst.accounts import permissions as p  # noqa: F401

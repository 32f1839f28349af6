"""Events of the timescales app that higher apps act on (the desk tells the supervisors).

clock_breached: sent by check_clocks, inside its transaction, with `clocks` (the Clock objects
that breached in this check, each escalated), and by reopen_clock for a clock reopened after its
due time. A receiver that raises rolls the check (or the reopening) back, so a breach is never
marked without the desk hearing of it.
"""

from django.dispatch import Signal

clock_breached = Signal()

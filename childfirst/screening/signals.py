"""Events of the screening app that higher apps (the desk) act on.

notices_screened: sent after a batch of notices is screened (inside the caller's transaction),
with `screenings` (the new Screening objects, each with `.notice` attached) and `clocks`
({notice id: [timescales Clock, ...]} for the clocks this screening started).
"""

from django.dispatch import Signal

notices_screened = Signal()

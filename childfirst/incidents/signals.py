"""Events of the incidents app that higher apps act on (DESIGN.md section 4: the incidents app
knows nothing of screening or the desk).

notices_created: sent inside the intake transaction, after a batch of notices is inserted, with
`notices` (a list of Notice, primary keys set, `incident` and `involvement` attached) and
`incidents` (the new Incident objects of the batch). A receiver that raises rolls the whole batch
back, so nothing is stored unscreened.
"""

from django.dispatch import Signal

notices_created = Signal()

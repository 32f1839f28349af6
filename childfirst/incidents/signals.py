"""Events of the incidents app that higher apps act on (DESIGN.md section 4: the incidents app
knows nothing of screening or the desk).

notices_created: sent inside the intake transaction, after a batch of notices is inserted, with
`notices` (a list of Notice, primary keys set, `incident` and `involvement` attached) and
`incidents` (the new Incident objects of the batch), and `bulk` (True for a file import: a
receiver may record what it must do and do it in the background, in the worker, rather than
hold up the import). A receiver that raises rolls the whole batch back.
"""

from django.dispatch import Signal

notices_created = Signal()

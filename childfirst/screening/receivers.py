"""Screening acts on the incidents app's events (connected in apps.py)."""

from childfirst.screening.models import Trigger


def screen_new_notices(sender, *, notices, **kwargs):
    """Notices from the API and the officer's form are screened in the same transaction, so the
    reply and the page show the grade; if screening fails, the batch is rolled back. Notices
    from a bulk file import (`bulk=True`) are queued for the worker in the same transaction
    instead: the queue commits or rolls back with them, so none is lost or left unscreened."""
    from childfirst.screening.services import queue_for_screening, screen_notices

    if kwargs.get("bulk", False):
        queue_for_screening(notices=notices)
    else:
        screen_notices(notices=notices, trigger=Trigger.INTAKE)

"""Screening acts on the incidents app's events (connected in apps.py)."""

from childfirst.screening.models import Trigger


def screen_new_notices(sender, *, notices, **kwargs):
    """Every notice intake creates is screened in the same transaction: if screening fails, the
    batch is rolled back, so nothing is stored unscreened."""
    from childfirst.screening.services import screen_notices

    screen_notices(notices=notices, trigger=Trigger.INTAKE)

"""Background work of the timescales app."""

from django.utils import timezone
from django_tasks import task

from childfirst.timescales import services


@task()
def check_clocks() -> dict:
    """Warn, breach and escalate the clocks that are due now (run every minute by
    `childfirst clocks watch`, which `childfirst serve` starts beside the worker)."""
    result = services.check_clocks(now=timezone.now())
    return {"warned": len(result.warned), "breached": len(result.breached)}

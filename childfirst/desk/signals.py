"""Events of the desk that higher apps act on.

referral_completed: sent inside the transaction when a referral's decision is complete (decided,
and approved where approval is needed), with `referral`. The dispatch app listens, so the
desk knows nothing of delivery.
"""

from django.dispatch import Signal

referral_completed = Signal()

"""Background work of the dispatch app (Django Tasks; the database backend in production).

deliver_disclosures is queued when a referral is sent. The worker (`childfirst worker`) also
sweeps every few seconds for deliveries that are due (retries, and any a killed worker left
claimed), so a lost or unqueued task never loses a delivery; and it chases overdue decisions."""

from django.utils import timezone
from django_tasks import task

from childfirst.dispatch import delivery


@task()
def deliver_disclosures(disclosure_ids: list[int]) -> int:
    done = 0
    while True:  # in small claims, so each lease covers only what is being sent
        attempted = delivery.deliver_due(
            now=timezone.now(), disclosure_ids=disclosure_ids, limit=delivery.CLAIM_BATCH
        )
        done += len(attempted)
        if len(attempted) < delivery.CLAIM_BATCH:
            return done

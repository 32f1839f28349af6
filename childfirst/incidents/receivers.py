"""What the incidents app does when lower apps tell it something changed."""

from django.dispatch import receiver

from childfirst.incidents.models import Notice
from childfirst.people.signals import mentions_moved


@receiver(mentions_moved, dispatch_uid="incidents.notices_follow_mentions")
def notices_follow_mentions(sender, *, mention_ids, person_id, **kwargs):
    """A child's notices follow the child's records: when a merge, an undone merge or a
    reviewer moves mentions to another person, each notice made from those mentions moves with
    them. An incident never holds two notices for one person, so a notice whose incident
    already has one for that person stays where it is (the two were one child all along, and
    the other notice is the one the desk works)."""
    moving = Notice.objects.filter(involvement__mention_id__in=mention_ids).exclude(
        person_id=person_id
    )
    taken = set(
        Notice.objects.filter(
            person_id=person_id, incident_id__in=moving.values("incident_id")
        ).values_list("incident_id", flat=True)
    )
    ids = [pk for pk, incident_id in moving.values_list("pk", "incident_id")
           if incident_id not in taken]  # fmt: skip
    if ids:
        Notice.objects.filter(pk__in=ids).update(person_id=person_id)

"""Dispatch: one disclosure per referral per recipient, written (with the exact content and the
sharing agreement) before any delivery is attempted; deliveries by channel, with attempts; and
what the partner agency sends back.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

# The clock a disclosure to children's social care starts on delivery and stops on the decision
# (rules/clocks.yaml).
DECISION_CLOCK = "la_decision"


class ContentKind(models.TextChoices):
    FULL_REFERRAL = "full_referral", "Full referral (children's social care)"
    ENCOMPASS_NOTICE = "encompass_notice", "Operation Encompass notice (school)"
    MARAC_REFERRAL = "marac_referral", "MARAC referral (adult victim)"
    NRM_REFERRAL = "nrm_referral", "NRM first responder referral"
    YOUTH_JUSTICE = "youth_justice", "Information for a diversion decision (youth justice)"
    INFORMATION = "information", "Shared for information"


class DisclosureState(models.TextChoices):
    # The police side's words, in the order things happen. (The partner portal calls a
    # delivered disclosure "New": new to the partner, not yet acknowledged.)
    SENT = "sent", "Sent"  # written; being delivered
    DELIVERED = "delivered", "Delivered, not yet acknowledged"  # reached the partner's portal
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    DECIDED = "decided", "Decision recorded"
    FAILED = "failed", "Delivery failed"


class Disclosure(models.Model):
    """One sending of one referral to one agency (DESIGN.md section 3)."""

    referral = models.ForeignKey("desk.Referral", on_delete=models.PROTECT, related_name="+")
    recipient = models.OneToOneField(
        "desk.ReferralRecipient", on_delete=models.PROTECT, related_name="disclosure"
    )
    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(
        "directory.SharingAgreement", on_delete=models.PROTECT, related_name="+"
    )
    lawful_basis = models.TextField(help_text="The agreement's lawful basis, as it was")
    content_kind = models.CharField(max_length=30, choices=ContentKind.choices)
    # Exactly what the agency gets: the snapshot every channel delivers.
    content = models.JSONField()
    # Sent with every delivery of this disclosure, so a partner can drop a repeat.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(help_text="Why it was shared")
    state = models.CharField(
        max_length=20, choices=DisclosureState.choices, default=DisclosureState.SENT
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    # When it must have reached the agency, where a clock says so (Operation Encompass: before
    # the start of the child's next school day). Delivered later, or not yet and past it: a
    # breach on the supervisor's page.
    deliver_by = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by_label = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=60, blank=True)
    decision_details = models.JSONField(default=dict, blank=True)
    decided_by_label = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["agency", "state", "sent_at"]),
            models.Index(fields=["state", "sent_at"]),
        ]

    def __str__(self):
        return f"Disclosure {self.pk} to {self.agency_id}"

    @property
    def decision_label(self) -> str:
        """The partner's decision in the words they chose ("Child in need assessment (section
        17)"), for people; empty until decided."""
        if not self.decision:
            return ""
        # The choices live with the decisions' checks (services/decisions.py), which this module
        # cannot import at load: the services package imports these models.
        from childfirst.dispatch.services.decisions import decision_label

        return decision_label(self.agency.kind, self.decision)


class DeliveryChannel(models.TextChoices):
    PORTAL = "portal", "Partner portal"
    EMAIL = "email", "Email alert"
    WEBHOOK = "webhook", "Webhook"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Waiting to be delivered"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """Delivering one disclosure by one channel: tried until delivered, or failed."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=DeliveryChannel.choices)
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["disclosure", "channel"], name="delivery_unique")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self):
        return f"{self.get_channel_display()} delivery of disclosure {self.disclosure_id}"


class EventKind(models.TextChoices):
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    DELIVERY_FAILED = "delivery_failed", "Delivery failed"
    REMINDED = "reminded", "Reminder sent to the agency"
    ESCALATED = "escalated", "Escalated to the desk supervisor"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    DECIDED = "decided", "Decision recorded"
    NOTE = "note", "Note from the agency"


class DisclosureEvent(models.Model):
    """What happened to a disclosure, in plain words: the history both sides see, and the
    partner's notes back to the police (kind NOTE, with the text)."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Who, as words: "J. Smith, Hackney MASH", "Hackney case system (API)", "Child First".
    by_label = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["disclosure", "at"])]

    def __str__(self):
        return f"{self.get_kind_display()} on disclosure {self.disclosure_id}"

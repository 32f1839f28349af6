"""Desk: the Public Protection Referrals desk: queue, review, decisions, referrals, approvals.

DeskItem is the desk's own queue table, one row per notice that came to the desk, with the
columns the queue sorts and filters on copied in (grade, the desk review clock's due time, the
borough, the incident kind, who has it), so the queue page is one index scan however many
notices and persons there are. It is filled from screening's notices_screened signal.

Referral is the desk's decision on a notice: refer, share for information only or no further
action, with the text, the agencies it goes to (each checked against a sharing agreement) and,
where needed, a supervisor's approval. Sending it to the agencies is the dispatch app's work.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from childfirst.incidents.models import Kind, Role
from childfirst.screening.models import Grade


class ItemState(models.TextChoices):
    OPEN = "open", "Waiting for a decision"
    AWAITING_APPROVAL = "awaiting_approval", "Waiting for a supervisor"
    DONE = "done", "Decided"


class DeskItem(models.Model):
    notice = models.OneToOneField(
        "incidents.Notice", on_delete=models.CASCADE, related_name="desk_item"
    )
    state = models.CharField(max_length=20, choices=ItemState.choices, default=ItemState.OPEN)
    grade = models.CharField(max_length=12, choices=Grade.choices)
    grade_rank = models.PositiveSmallIntegerField()
    # The desk review clock (desk_review_red/amber/green): empty until the clock exists.
    due_at = models.DateTimeField(null=True, blank=True)
    warn_at = models.DateTimeField(null=True, blank=True)
    clock_paused = models.BooleanField(default=False)
    breached_at = models.DateTimeField(null=True, blank=True)
    local_authority = models.ForeignKey(
        "directory.LocalAuthority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    role = models.CharField(max_length=30, choices=Role.choices)
    child_name = models.CharField(max_length=201, blank=True)
    child_date_of_birth = models.DateField(null=True, blank=True)
    occurred_at = models.DateTimeField()
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Each matches the queue's sort (clock, then grade) under one filter.
        indexes = [
            models.Index(fields=["state", "due_at", "grade_rank", "id"], name="desk_q_sort"),
            models.Index(
                fields=["state", "assigned_to", "due_at", "grade_rank", "id"], name="desk_q_who"
            ),
            models.Index(
                fields=["state", "local_authority", "due_at", "grade_rank", "id"],
                name="desk_q_borough",
            ),
            models.Index(fields=["state", "grade_rank", "due_at", "id"], name="desk_q_grade"),
            models.Index(
                fields=["state", "kind", "due_at", "grade_rank", "id"], name="desk_q_kind"
            ),
        ]

    def __str__(self):
        return f"Desk item for notice {self.notice_id} ({self.state})"


class Decision(models.TextChoices):
    REFER = "refer", "Refer"
    SHARE = "share", "Share for information only"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class ReferralStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", "Waiting for approval"
    RETURNED = "returned", "Returned by a supervisor"
    COMPLETE = "complete", "Complete"


class Referral(models.Model):
    """The desk's decision on one notice. A returned decision is kept; the next one is new."""

    notice = models.ForeignKey("incidents.Notice", on_delete=models.PROTECT, related_name="+")
    screening = models.ForeignKey("screening.Screening", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    text = models.TextField(blank=True)
    # Why the recipients differ from the screening's, or why no further action.
    reason = models.TextField(blank=True)
    recommended_kinds = models.JSONField(default=list)
    # Findings of the language check on the text when it was decided (id, words, suggestion).
    language_findings = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    needs_approval = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_comment = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "decided_at"]),
            models.Index(fields=["notice", "decided_at"]),
            models.Index(fields=["decided_at"]),
        ]

    def __str__(self):
        return f"Referral {self.pk}: {self.get_decision_display()} on notice {self.notice_id}"


class ReferralRecipient(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="recipients")
    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    # The agreement that lets this agency receive the referral
    # (directory.services.agreement_covering).
    agreement = models.ForeignKey(
        "directory.SharingAgreement", on_delete=models.PROTECT, related_name="+"
    )
    was_recommended = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referral", "agency"], name="desk_recipient_unique")
        ]

    def __str__(self):
        return f"Referral {self.referral_id} to agency {self.agency_id}"


class DeskEvent(models.Model):
    """A line on the child's timeline written by the desk ("Referred to Hackney MASH by ...")."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    notice = models.ForeignKey("incidents.Notice", on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "at"])]

    def __str__(self):
        return self.title


class QualityCheck(models.Model):
    """A supervisor's quality note on a sampled decision."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="quality_checks")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="desk_quality_note_not_empty")
        ]

    def __str__(self):
        return f"Quality note on referral {self.referral_id}"

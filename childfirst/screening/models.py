"""Screening: what the rules (rules/screening/) concluded about a notice, with the reasons.

A notice is screened at intake and again when the desk reviews it; each screening is kept, and
the newest is the current one. A screening stores the rules version it ran with and every rule
that fired with its reason in plain words, so any grade can be explained later.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Grade(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    INFORMATION = "information", "Information only"


# Most urgent first: the desk queue sorts on this.
GRADE_RANK = {Grade.RED: 0, Grade.AMBER: 1, Grade.GREEN: 2, Grade.INFORMATION: 3}


class Trigger(models.TextChoices):
    INTAKE = "intake", "At intake"
    REVIEW = "review", "At desk review"


class Screening(models.Model):
    notice = models.ForeignKey(
        "incidents.Notice", on_delete=models.CASCADE, related_name="screenings"
    )
    is_current = models.BooleanField(default=True)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    screened_at = models.DateTimeField(default=timezone.now)
    # Empty at intake; the desk researcher when a review screens again.
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A hash of the rule files the screening ran with (see screening.rules.RuleSet.version).
    rules_version = models.CharField(max_length=64)
    grade = models.CharField(max_length=12, choices=Grade.choices)
    grade_rank = models.PositiveSmallIntegerField(help_text="0 red, 1 amber, 2 green, 3 info")
    # ["exploitation_repeat_missing", ...]
    indicators = models.JSONField(default=list)
    # [{"id": "encompass_child_present", "reason": "A domestic abuse incident with ..."}, ...]
    rules_fired = models.JSONField(default=list)
    # Agency kinds (directory.AgencyKind values), most important first: ["school", ...]
    recommended_recipients = models.JSONField(default=list)
    # [{"for": "officer" | "desk", "text": "...", "rule": "rule id"}, ...]
    prompts = models.JSONField(default=list)
    # Clock rule names the screening started: ["encompass", "desk_review_red"]
    clocks = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notice"],
                condition=Q(is_current=True),
                name="screening_one_current_per_notice",
            )
        ]

    def __str__(self):
        return f"Screening of notice {self.notice_id}: {self.grade}"


class PendingScreening(models.Model):
    """A notice from a bulk file import, waiting for the worker to screen it (screen_pending).

    Written in the import's own transaction, so it commits or rolls back with the notice; the
    worker deletes it in the transaction that stores the screening. Nothing accepted is lost,
    and the queue screens no notice twice."""

    notice = models.OneToOneField(
        "incidents.Notice", on_delete=models.CASCADE, related_name="pending_screening"
    )
    queued_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Notice {self.notice_id} waiting to be screened"

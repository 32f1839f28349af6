"""Timescales: term calendars, clocks and what happened to each clock."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from childfirst.directory.models import LocalAuthority, School


class TermDateKind(models.TextChoices):
    TERM = "term", "Term"
    HOLIDAY = "holiday", "Holiday in a term (such as half term)"
    INSET = "inset", "INSET day"
    CLOSURE = "closure", "Closure day"


class TermDate(models.Model):
    """A run of dates in a local authority's term calendar (both dates included): a term, or a
    holiday, INSET day or closure inside one. With a school, it is that school's own date."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=TermDateKind.choices)
    start_date = models.DateField()
    end_date = models.DateField()
    description = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["local_authority", "start_date", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="term_date_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["local_authority", "kind", "start_date"],
                condition=Q(school__isnull=True),
                name="one_term_date_per_authority_kind_start",
            ),
            models.UniqueConstraint(
                fields=["school", "kind", "start_date"],
                condition=Q(school__isnull=False),
                name="one_term_date_per_school_kind_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.start_date} to {self.end_date}"


class ClockState(models.TextChoices):
    RUNNING = "running", "Running"
    PAUSED = "paused", "Paused"
    MET = "met", "Met"
    BREACHED = "breached", "Breached"


class Clock(models.Model):
    """A timescale running on something (a notice, a referral, a disclosure)."""

    rule = models.CharField(max_length=40)
    subject_type = models.CharField(max_length=30)
    subject_id = models.BigIntegerField()
    label = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    warn_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=ClockState.choices, default=ClockState.RUNNING)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    school = models.ForeignKey(
        School, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paused_at = models.DateTimeField(null=True, blank=True)
    pause_reason = models.CharField(max_length=500, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["state", "warn_at"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]

    def __str__(self):
        return f"{self.label or self.rule} on {self.subject_type} {self.subject_id}"

    @property
    def is_open(self) -> bool:
        """Still counting (or paused): not yet stopped."""
        return self.stopped_at is None and self.state in (ClockState.RUNNING, ClockState.PAUSED)


class ClockEventKind(models.TextChoices):
    WARNED = "warned", "Warned"
    BREACHED = "breached", "Breached"
    ESCALATED = "escalated", "Escalated to the supervisors"
    PAUSED = "paused", "Paused"
    RESUMED = "resumed", "Resumed"
    MET = "met", "Stopped in time"
    STOPPED_LATE = "stopped_late", "Stopped after the breach"
    REOPENED = "reopened", "Reopened"


class ClockEvent(models.Model):
    """One thing that happened to a clock, for its history."""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=ClockEventKind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["clock", "at"])]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"

"""The access log: an append-only record of every read and write of a child's data.

Rows are never changed or deleted: the model refuses it, and database triggers (see the
first migration) refuse it too, on SQLite and PostgreSQL alike.
"""

from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    READ = "read", "Read"
    SEARCH = "search", "Search"
    CREATE = "create", "Create"
    UPDATE = "update", "Change"
    DISCLOSE = "disclose", "Disclose"
    MERGE = "merge", "Merge"
    UNMERGE = "unmerge", "Undo merge"
    ERASE = "erase", "Erase"
    EXPORT = "export", "Export"
    SIGN_IN = "sign_in", "Sign in"
    SIGN_OUT = "sign_out", "Sign out"
    ADMIN = "admin", "Administration"


class AccessLogEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AccessLogIsAppendOnly("The access log cannot be changed")

    def delete(self):
        raise AccessLogIsAppendOnly("The access log cannot be deleted from")


class AccessLogIsAppendOnly(Exception):
    pass


class AccessLogEntry(models.Model):
    at = models.DateTimeField(db_index=True)
    # Who: a user, an API client, or the system itself. The label keeps the name as it was.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_kind = models.CharField(max_length=20)  # user, api_client, system
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=20, choices=Action.choices)
    # What: the record read or changed, by type and id, and a label a person can read.
    subject_type = models.CharField(max_length=60)
    subject_id = models.CharField(max_length=64)
    subject_label = models.CharField(max_length=200, blank=True)
    # The person (child) the record is about, when there is one, so a subject access request
    # can find every entry about them. (Indexed in Meta: db_index adds a LIKE index too.)
    person_id = models.CharField(max_length=64, blank=True)
    # Why: the notice, referral or case it serves, or a reason the user typed.
    justification = models.TextField(blank=True)
    recipients = models.JSONField(default=list, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AccessLogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log entries"
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["person_id"], name="audit_access_person_id"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.subject_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AccessLogIsAppendOnly("The access log cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AccessLogIsAppendOnly("The access log cannot be deleted from")

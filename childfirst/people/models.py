"""People: one real human being (Person) resolved from the many records of them (Mention)."""

from django.db import models


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    UNKNOWN = "unknown", "Not known"


class MatchStatus(models.TextChoices):
    EXACT_IDENTIFIER = "exact_identifier", "Matched on PNC ID or NHS number"
    LINKED = "linked", "Matched"
    PROVISIONAL = "provisional", "Matched provisionally: waiting for review"
    NEW = "new", "New person"
    MANUAL = "manual", "Matched by a reviewer"


class Person(models.Model):
    """One real person. Their best-known details are kept here for matching and display."""

    given_name = models.CharField(max_length=100, blank=True)
    surname = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=60, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    address = models.CharField(max_length=300, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True, db_index=True)
    pnc_id = models.CharField(max_length=20, blank=True, db_index=True)
    # A person merged into another keeps their row (so the merge can be undone) and points here.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["surname", "date_of_birth"])]

    def __str__(self):
        return f"{self.given_name} {self.surname}".strip() or f"Person {self.pk}"


class Mention(models.Model):
    """A person as one record described them. Many mentions resolve to one person."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="mentions")
    # Where the record came from, e.g. "NICHE" / "CAD-2026-000123" / "P2".
    source_system = models.CharField(max_length=40)
    source_reference = models.CharField(max_length=100)
    source_person_ref = models.CharField(max_length=40, blank=True)
    given_name = models.CharField(max_length=100, blank=True)
    surname = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_birth_text = models.CharField(
        max_length=40, blank=True, help_text="The date of birth exactly as recorded"
    )
    recorded_age = models.PositiveSmallIntegerField(null=True, blank=True)
    appears_under_18 = models.BooleanField(null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=60, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    pnc_id = models.CharField(max_length=20, blank=True)
    match_status = models.CharField(max_length=20, choices=MatchStatus.choices)
    match_probability = models.FloatField(null=True, blank=True)
    model_version = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["source_system", "source_reference"])]

    def __str__(self):
        return f"{self.given_name} {self.surname} ({self.source_system} {self.source_reference})"

"""People: one real human being (Person) resolved from the many records of them (Mention)."""

from django.conf import settings
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
    # Indexed in Meta, not with db_index: on PostgreSQL db_index adds a second index for LIKE
    # that nothing uses, and bulk intake pays for every index a new person goes into.
    nhs_number = models.CharField(max_length=10, blank=True)
    pnc_id = models.CharField(max_length=20, blank=True)
    # A person merged into another keeps their row (so the merge can be undone) and points here.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["surname", "date_of_birth"]),
            models.Index(fields=["nhs_number"], name="people_person_nhs_number"),
            models.Index(fields=["pnc_id"], name="people_person_pnc_id"),
        ]

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


class IdentityModel(models.Model):
    """One version of the matching model: Fellegi–Sunter m and u for every comparison level,
    the prior, thresholds and safeguards. The active version is used by every match; older
    versions are kept so a mention's `model_version` can always be explained."""

    version = models.CharField(max_length=40, unique=True)
    params = models.JSONField()
    trained_at = models.DateTimeField()
    is_active = models.BooleanField(default=False)
    source = models.CharField(
        max_length=200, blank=True, help_text="What it was trained on, e.g. '48,210 mentions'"
    )
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-trained_at", "-id"]

    def __str__(self):
        return f"Identity model {self.version}{' (active)' if self.is_active else ''}"


class BlockingKey(models.Model):
    """A key a person is filed under for finding candidates: a stable 64-bit hash of, for
    example, 'date of birth + surname sound-alike' (childfirst.people.matching.blocking_keys).
    One row per key and person; kept in step when persons are created, linked and merged."""

    # The primary key is (key, person): looked up by key through it, by person through the
    # FK's index. (Not an id of its own: bulk intake files some fifteen keys an incident, and an
    # id column cost each a sequence number and an entry in one more index.)
    # The keys are an index derived from mentions (refile_persons and `identity rebuild` make
    # them again), so the database does not check the foreign key: checking it for the 140,000
    # keys that 10,000 incidents file costs PostgreSQL about half a second a time (bench/README).
    # A person's keys still go with the person (Django's cascade); one that outlived it would
    # only offer a candidate with no mentions, which finds nothing.
    pk = models.CompositePrimaryKey("key", "person")
    key = models.BigIntegerField()
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="blocking_keys", db_constraint=False
    )

    def __str__(self):
        return f"{self.key} -> {self.person_id}"


class ReviewStatus(models.TextChoices):
    OPEN = "open", "Waiting for review"
    CONFIRMED = "confirmed", "Confirmed: the same person"
    REJECTED = "rejected", "Rejected: different people"
    MERGED = "merged", "Merged"


class ReviewPair(models.Model):
    """A mention and a person it may belong to, for a person to decide.

    When the mention was linked provisionally, `person` is the person it was linked to: the
    reviewer confirms the link or rejects it (the mention becomes a new person). When the
    mention already belongs to someone else, the two persons may be duplicates: the reviewer
    merges them or rejects the pair."""

    mention = models.ForeignKey(Mention, on_delete=models.PROTECT, related_name="review_pairs")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="review_pairs")
    probability = models.FloatField()
    explanation = models.JSONField(default=dict)
    model_version = models.CharField(max_length=40, blank=True)
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Identity review pair {self.pk}"


class Merge(models.Model):
    """Two persons made one. The merged person keeps its row (merged_into the survivor) and
    this row remembers exactly which mentions moved and what the survivor looked like, so the
    merge can be undone."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_in")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_out")
    mention_ids = models.JSONField(default=list)
    survivor_before = models.JSONField(default=dict)
    survivor_after = models.JSONField(default=dict)
    review_pair = models.ForeignKey(
        ReviewPair, on_delete=models.PROTECT, null=True, blank=True, related_name="merges"
    )
    reason = models.TextField(blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    merged_by_label = models.CharField(max_length=200)
    merged_at = models.DateTimeField()
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]

    def __str__(self):
        return f"Person {self.merged_id} merged into {self.survivor_id}"

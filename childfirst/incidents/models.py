"""Incidents, shaped after the national POLE data standard (person, object, location, event).

An Incident is one thing the police dealt with, from one records system (or the officer's form),
stored exactly once per (source system, source reference). Each person in it is a people.Mention
(as the record described them) linked by an Involvement that says their part. Risk
questionnaires (DASH and others, defined as data in rules/questionnaires/) hang off the incident.
Each child in an incident becomes a Notice: one child coming to notice, the unit the desk works.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

# The source system of incidents recorded on the officer's form (incidents.journey).
FORM_SOURCE_SYSTEM = "CHILDFIRST-FORM"


class Kind(models.TextChoices):
    DOMESTIC_ABUSE_INCIDENT = "domestic_abuse_incident", "Domestic abuse incident"
    DOMESTIC_ABUSE_CRIME = "domestic_abuse_crime", "Domestic abuse crime"
    MISSING_PERSON = "missing_person", "Missing person"
    STOP_AND_SEARCH = "stop_and_search", "Stop and search"
    STRIP_SEARCH = "strip_search", "Strip search (More Thorough Search)"
    ARREST_AND_CUSTODY = "arrest_and_custody", "Arrest and custody"
    SEXUAL_OFFENCE = "sexual_offence", "Sexual offence"
    VIOLENCE = "violence", "Violence"
    ONLINE_HARM = "online_harm", "Online harm"
    EXPLOITATION_CONCERN = "exploitation_concern", "Exploitation concern"
    OTHER = "other", "Other"


class Role(models.TextChoices):
    VICTIM = "victim", "Victim"
    SUSPECT = "suspect", "Suspect"
    WITNESS = "witness", "Witness"
    PRESENT = "present", "Present"
    CHILD_IN_HOUSEHOLD = "child_in_household", "Child in the household, not present"
    PARENT_OR_CARER = "parent_or_carer", "Parent or carer"
    REPORTING_PERSON = "reporting_person", "Reporting person"
    MISSING_PERSON = "missing_person", "Missing person"
    PERSON_SEARCHED = "person_searched", "Person searched"
    ARRESTED_PERSON = "arrested_person", "Arrested person"


class Indicator(models.TextChoices):
    """Signs the officer saw, sent with the incident; screening rules (rules/screening/) read
    them. Signs of child criminal exploitation from the Home Office guidance "Criminal
    exploitation of children and vulnerable adults: county lines" (2023)."""

    FOUND_FAR_FROM_HOME = "found_far_from_home", "Found far from home"
    UNEXPLAINED_MONEY_OR_PHONES = (
        "unexplained_money_or_phones",
        "Unexplained money, phones or other items",
    )
    OLDER_ASSOCIATES = "older_associates", "Older associates or relationships"
    DRUGS_OR_WEAPONS = "drugs_or_weapons", "Carrying drugs or weapons"


class Channel(models.TextChoices):
    API = "api", "Police records system (API)"
    FILE = "file", "File import"
    FORM = "form", "Officer's form"


class Incident(models.Model):
    source_system = models.CharField(max_length=40, help_text="For example NICHE or ATHENA")
    source_reference = models.CharField(max_length=100)
    # sha256 of the payload as validated (canonical JSON): the same payload again is a replay,
    # a different one for the same reference is refused.
    payload_hash = models.CharField(max_length=64)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    occurred_at = models.DateTimeField()
    reported_at = models.DateTimeField(null=True, blank=True)
    location_address = models.CharField(max_length=300, blank=True)
    location_postcode = models.CharField(max_length=8, blank=True)
    local_authority = models.ForeignKey(
        "directory.LocalAuthority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ward = models.ForeignKey(
        "directory.Ward", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The location as a household key (postcode, house numbers, street): see services.address_key.
    location_key = models.CharField(max_length=120, blank=True)
    narrative = models.TextField(blank=True)
    # Indicator codes the officer recorded (Indicator values), in the order sent.
    indicators = models.JSONField(default=list, blank=True)
    officer_name = models.CharField(max_length=120, blank=True)
    officer_collar_number = models.CharField(max_length=20, blank=True)
    officer_email = models.EmailField(blank=True)
    received_via = models.CharField(max_length=10, choices=Channel.choices)
    received_from_client = models.ForeignKey(
        "accounts.ApiClient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_from_label = models.CharField(max_length=200, help_text="Who sent it, as it was")
    received_at = models.DateTimeField(default=timezone.now)
    # A short hash of each part of the payload ("kind", "people[1]"...), so a conflicting replay
    # can say which parts differ without a second copy of the personal data being kept here.
    section_hashes = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_system", "source_reference"], name="incident_source_unique"
            )
        ]
        indexes = [
            models.Index(fields=["occurred_at"]),
            models.Index(fields=["location_key"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference}"

    @property
    def reference(self) -> str:
        """The police reference as people read it: "NICHE CAD-2026-0000025"; an officer's own
        record is just "FORM-5612-4ACE-8CEB", its reference saying what it is."""
        if self.source_system == FORM_SOURCE_SYSTEM:
            return self.source_reference
        return f"{self.source_system} {self.source_reference}"


class Involvement(models.Model):
    """One person's part in one incident, with the facts that belong to the incident (where they
    were, what the child said) rather than to the person."""

    # Found by incident through the unique (incident, ref) index: no index of its own.
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="involvements", db_index=False
    )
    mention = models.OneToOneField(
        "people.Mention", on_delete=models.PROTECT, related_name="involvement"
    )
    ref = models.CharField(max_length=40, help_text="The person's reference within the record")
    role = models.CharField(max_length=30, choices=Role.choices)
    is_present = models.BooleanField(null=True, blank=True, help_text="Empty when not recorded")
    where_during_incident = models.CharField(max_length=200, blank=True)
    voice = models.TextField("the child's voice", blank=True)
    school = models.ForeignKey(
        "directory.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    school_urn = models.PositiveIntegerField("school URN as recorded", null=True, blank=True)
    is_child = models.BooleanField()
    age_at_incident = models.PositiveSmallIntegerField(null=True, blank=True)
    # The person's recorded address as a household key: see services.address_key.
    address_key = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "ref"], name="involvement_ref_unique")
        ]
        indexes = [models.Index(fields=["address_key"])]

    def __str__(self):
        return f"{self.ref} ({self.get_role_display()}) in {self.incident_id}"


class Questionnaire(models.Model):
    """A risk questionnaire asked in an incident. Its questions are data: see
    rules/questionnaires/<kind>.yaml."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="questionnaires")
    kind = models.CharField(max_length=40)
    respondent = models.ForeignKey(
        Involvement, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField(help_text='The number of "yes" answers')
    officer_grade = models.CharField(max_length=20, blank=True)

    def __str__(self):
        return f"{self.kind} in {self.incident_id}: {self.score}"


class NoticeReason(models.TextChoices):
    IN_INCIDENT = "in_incident", "In this incident"
    HOUSEHOLD_RECORDS = "household_records", "From household records"


class NoticeStatus(models.TextChoices):
    NEW = "new", "New"


class Notice(models.Model):
    """One child coming to notice in one incident (DESIGN.md section 3)."""

    # Found by incident through the unique (incident, person) index: no index of its own.
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="notices", db_index=False
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="notices")
    # The child's part in this incident; empty for a child found from household records.
    involvement = models.ForeignKey(
        Involvement, on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    is_present = models.BooleanField(null=True, blank=True)
    age_at_incident = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=20, choices=NoticeReason.choices)
    reason_detail = models.CharField(max_length=300, blank=True)
    found_via_incident = models.ForeignKey(
        Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.NEW)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "person"], name="notice_child_unique")
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"Notice {self.pk}: person {self.person_id} in incident {self.incident_id}"

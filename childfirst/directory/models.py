"""Local authorities, wards, postcodes, agencies, schools and sharing agreements."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

# England E06-E10, Wales W06, Scotland S12, Northern Ireland N09.
gss_local_authority = RegexValidator(
    r"^(E0[6-9]|E10|W06|S12|N09)\d{6}$", "Enter an ONS local authority code, like E09000012"
)
gss_ward = RegexValidator(r"^[ENSW]05\d{6}$", "Enter an ONS ward code, like E05009367")


class LocalAuthority(models.Model):
    """A local authority (for London, a borough) with its ONS GSS code."""

    gss_code = models.CharField(
        "ONS code", max_length=9, unique=True, validators=[gss_local_authority]
    )
    name = models.CharField(max_length=120)
    dfe_code = models.CharField(
        "DfE local authority code",
        max_length=3,
        blank=True,
        help_text="The three-digit code the Department for Education uses, like 204 for Hackney",
    )
    region = models.CharField(max_length=60, blank=True)
    police_force = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"
        indexes = [models.Index(fields=["dfe_code"])]

    def __str__(self):
        return self.name


class Ward(models.Model):
    gss_code = models.CharField("ONS code", max_length=9, unique=True, validators=[gss_ward])
    name = models.CharField(max_length=120)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="wards"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.local_authority.name})"


class Postcode(models.Model):
    """One postcode from the ONS Postcode Directory, in its standard spaced form (E8 1DY)."""

    postcode = models.CharField(max_length=8, primary_key=True)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, related_name="+"
    )
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self):
        return self.postcode


class AgencyKind(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care front door (MASH)"
    SCHOOL = "school", "School"
    HEALTH = "health", "Health"
    YOUTH_JUSTICE = "youth_justice", "Youth justice service"
    MARAC = "marac", "MARAC"
    NRM = "nrm", "NRM competent authority"
    POLICE_TEAM = "police_team", "Police team"


class Agency(models.Model):
    """A partner that receives referrals, with how to reach it."""

    code = models.SlugField(
        max_length=60, unique=True, help_text="A short stable code, like hackney-mash"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=AgencyKind.choices)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="agencies"
    )
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    address = models.TextField(blank=True)
    # Delivery: the partner portal always; email and webhook when set.
    notify_email = models.EmailField(
        "email for new referral alerts",
        blank=True,
        help_text="Gets an alert with a link to the portal. Alerts never carry personal data.",
    )
    webhook_url = models.URLField("webhook address", blank=True)
    webhook_secret = models.CharField(
        max_length=128, blank=True, help_text="Shared secret for signing webhook deliveries"
    )
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        indexes = [models.Index(fields=["kind", "local_authority"])]

    def __str__(self):
        return self.name

    def clean(self):
        if (
            self.webhook_url
            and not self.webhook_url.startswith("https://")
            and not (
                self.webhook_url.startswith("http://127.")
                or self.webhook_url.startswith("http://localhost")
            )
        ):
            raise ValidationError(
                {"webhook_url": "Enter a webhook address that starts with https://"}
            )
        if self.webhook_url and not self.webhook_secret:
            raise ValidationError({"webhook_secret": "Enter a signing secret for the webhook"})


class SchoolStatus(models.TextChoices):
    OPEN = "open", "Open"
    OPEN_PROPOSED_TO_CLOSE = "open_proposed_to_close", "Open, but proposed to close"
    PROPOSED_TO_OPEN = "proposed_to_open", "Proposed to open"
    CLOSED = "closed", "Closed"


class School(models.Model):
    """A school from Get Information About Schools, with its Designated Safeguarding Lead."""

    urn = models.PositiveIntegerField("URN", unique=True)
    name = models.CharField(max_length=200)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="schools"
    )
    ward = models.ForeignKey(
        Ward, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=30, choices=SchoolStatus.choices, default=SchoolStatus.OPEN
    )
    kind = models.CharField("type of establishment", max_length=120, blank=True)
    phase = models.CharField("phase of education", max_length=60, blank=True)
    low_age = models.PositiveSmallIntegerField(null=True, blank=True)
    high_age = models.PositiveSmallIntegerField(null=True, blank=True)
    street = models.CharField(max_length=200, blank=True)
    locality = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    telephone = models.CharField(max_length=30, blank=True)
    website = models.CharField(max_length=300, blank=True)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    # The school's key adult for Operation Encompass; never overwritten by a GIAS import.
    dsl_name = models.CharField("Designated Safeguarding Lead", max_length=120, blank=True)
    dsl_email = models.EmailField("DSL email", blank=True)
    dsl_phone = models.CharField("DSL phone", max_length=30, blank=True)
    school_day_starts = models.TimeField(null=True, blank=True, help_text="Leave empty for 8:30am")
    agency = models.OneToOneField(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="school"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "local_authority"]),
            models.Index(fields=["postcode"]),
        ]

    def __str__(self):
        return f"{self.name} (URN {self.urn})"

    @property
    def is_open(self):
        return self.status in {SchoolStatus.OPEN, SchoolStatus.OPEN_PROPOSED_TO_CLOSE}


class InformationCategory(models.TextChoices):
    CHILD_IDENTITY = "child_identity", "Child's name, date of birth and address"
    INCIDENT_SUMMARY = "incident_summary", "What happened, when and where"
    CHILD_VOICE = "child_voice", "The child's voice"
    RISK_ASSESSMENT = "risk_assessment", "Risk assessment (DASH and others)"
    HOUSEHOLD = "household", "Adults and children in the household"
    ADULT_CRIMINAL_HISTORY = "adult_criminal_history", "Adults' criminal history"
    POLICE_HISTORY = "police_history", "The child's police history"
    EXPLOITATION = "exploitation", "Exploitation indicators and associates"
    HEALTH = "health", "Health information"
    SAFEGUARDING_ACTIONS = "safeguarding_actions", "Safeguarding actions taken"


class SharingAgreement(models.Model):
    """Which kind of agency may receive which categories of information, and on what basis."""

    name = models.CharField(max_length=200)
    agency_kind = models.CharField(max_length=30, choices=AgencyKind.choices)
    categories = models.JSONField(
        default=list, help_text="Categories of information that may be shared"
    )
    lawful_basis = models.TextField(
        help_text="For example: Children Act 2004 section 11; DPA 2018 s.35"
    )
    reference = models.CharField(
        max_length=200, blank=True, help_text="The signed agreement's reference"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["agency_kind", "-starts_on"]

    def __str__(self):
        return self.name

    def clean(self):
        valid = set(InformationCategory.values)
        unknown = [c for c in self.categories or [] if c not in valid]
        if unknown:
            raise ValidationError({"categories": f"Unknown categories: {', '.join(unknown)}"})
        if self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date"})

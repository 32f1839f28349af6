"""Users signed in by email, their roles, and API clients for other systems."""

import hashlib

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from rules.permissions import permissions as permission_rules

import rules


class Role(models.TextChoices):
    FRONTLINE_OFFICER = "frontline_officer", "Frontline officer"
    DESK_RESEARCHER = "desk_researcher", "Referrals desk researcher"
    DESK_SUPERVISOR = "desk_supervisor", "Desk supervisor"
    PARTNER = "partner", "Partner agency user"
    EXPLOITATION_OFFICER = "exploitation_officer", "Child exploitation team officer"
    STRATEGY_LEAD = "strategy_lead", "Strategy and performance lead"
    AUDITOR = "auditor", "Information manager or auditor"
    ADMINISTRATOR = "administrator", "Administrator"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("Enter an email address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("role", Role.ADMINISTRATOR)
        fields.setdefault("full_name", "Administrator")
        fields["is_superuser"] = True
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=30, choices=Role.choices)
    agency = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="Partner agency users only: the one agency whose referrals they see",
    )
    collar_number = models.CharField(max_length=20, blank=True)
    is_active = models.BooleanField("active", default=True)
    is_demo = models.BooleanField(
        default=False, help_text="A demo account made by `childfirst demo`; refused in production"
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return f"{self.full_name} ({self.email})"

    def clean(self):
        self.email = (self.email or "").strip().lower()
        if self.role == Role.PARTNER and not self.agency_id:
            raise ValidationError({"agency": "Select the agency this partner user belongs to"})
        if self.role != Role.PARTNER and self.agency_id:
            raise ValidationError({"agency": "Only partner agency users belong to an agency"})

    @property
    def is_staff(self):
        """Only administrators may use the Django admin."""
        return self.is_active and self.role == Role.ADMINISTRATOR

    def has_module_perms(self, app_label):
        """True when any permission rule for the app lets this user in (the admin index asks)."""
        return any(
            name.startswith(f"{app_label}.") and rules.has_perm(name, self)
            for name in permission_rules
        )

    @property
    def short_name(self):
        parts = self.full_name.split()
        if len(parts) < 2:
            return self.full_name
        return f"{parts[0][0]}. {parts[-1]}"


class ApiScope(models.TextChoices):
    INTAKE = "intake", "Intake: police records systems send incidents"
    PARTNER = "partner", "Partner: a partner's case system reads its agency's referrals"


def hash_token(token: str) -> str:
    """Tokens are long and random, so one SHA-256 is enough; only the hash is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiClient(models.Model):
    """Another system that calls the JSON API with a bearer token."""

    name = models.CharField(max_length=120, unique=True)
    scope = models.CharField(max_length=20, choices=ApiScope.choices)
    agency = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_clients",
        help_text="Partner clients only: the one agency whose referrals it reads",
    )
    token_prefix = models.CharField(max_length=12, editable=False, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "API client"

    def __str__(self):
        return self.name

    def clean(self):
        if self.scope == ApiScope.PARTNER and not self.agency_id:
            raise ValidationError({"agency": "Select the agency this partner client belongs to"})
        if self.scope == ApiScope.INTAKE and self.agency_id:
            raise ValidationError({"agency": "Intake clients do not belong to an agency"})

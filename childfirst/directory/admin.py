"""Admin pages for reference data (registered on the admin site by childfirst.web)."""

from django import forms
from django.contrib import admin

from childfirst.directory.models import InformationCategory, SharingAgreement


class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "gss_code", "dfe_code", "police_force"]
    search_fields = ["name", "gss_code", "dfe_code"]


class WardAdmin(admin.ModelAdmin):
    list_display = ["name", "gss_code", "local_authority"]
    list_filter = ["local_authority"]
    search_fields = ["name", "gss_code"]
    autocomplete_fields = ["local_authority"]


class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "local_authority", "is_active"]
    list_filter = ["kind", "is_active", "local_authority"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["local_authority"]
    fieldsets = [
        (None, {"fields": ["code", "name", "kind", "local_authority", "is_active"]}),
        ("Contact", {"fields": ["contact_name", "contact_email", "contact_phone", "address"]}),
        (
            "Delivery",
            {
                "fields": ["notify_email", "webhook_url", "webhook_secret"],
                "description": "Referrals always appear in the partner portal. Set an email "
                "address for alerts (they carry no personal data) and a webhook for the "
                "partner's own case system.",
            },
        ),
    ]


class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "local_authority", "status", "phase", "dsl_name"]
    list_filter = ["status", "phase", "local_authority"]
    search_fields = ["name", "=urn", "postcode"]
    autocomplete_fields = ["local_authority", "agency"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "urn",
                    "name",
                    "local_authority",
                    "ward",
                    "status",
                    "kind",
                    "phase",
                    "low_age",
                    "high_age",
                ]
            },
        ),
        ("Address", {"fields": ["street", "locality", "town", "postcode", "telephone", "website"]}),
        (
            "Designated Safeguarding Lead",
            {
                "fields": ["dsl_name", "dsl_email", "dsl_phone", "school_day_starts", "agency"],
                "description": "Kept when the school list is imported again.",
            },
        ),
        ("Dates", {"fields": ["opened_on", "closed_on", "updated_at"]}),
    ]
    raw_id_fields = ["ward"]


class SharingAgreementForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        choices=InformationCategory.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = SharingAgreement
        fields = [
            "name",
            "agency_kind",
            "categories",
            "lawful_basis",
            "reference",
            "starts_on",
            "ends_on",
        ]


class SharingAgreementAdmin(admin.ModelAdmin):
    form = SharingAgreementForm
    list_display = ["name", "agency_kind", "starts_on", "ends_on"]
    list_filter = ["agency_kind"]

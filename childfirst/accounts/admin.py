"""Admin pages for users and API clients (registered on the admin site by childfirst.web)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.password_validation import validate_password

from childfirst.accounts import services
from childfirst.accounts.models import ApiClient, User


class UserCreationForm(forms.ModelForm):
    password = forms.CharField(
        label="Temporary password",
        widget=forms.PasswordInput,
        help_text=(
            "Give it to the user in person. They set up their authenticator app at first sign-in."
        ),
    )

    class Meta:
        model = User
        fields = ["email", "full_name", "role", "agency", "collar_number"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user


class UserAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email", "role", "agency", "is_active"]
    list_filter = ["role", "is_active", "is_demo"]
    search_fields = ["full_name", "email", "collar_number"]
    autocomplete_fields = ["agency"]
    readonly_fields = ["last_login", "date_joined", "is_demo"]
    fields = [
        "email",
        "full_name",
        "role",
        "agency",
        "collar_number",
        "is_active",
        "is_demo",
        "last_login",
        "date_joined",
    ]
    actions = ["reset_two_factor"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = UserCreationForm
            kwargs["fields"] = None
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["email", "full_name", "role", "agency", "collar_number", "password"]
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    @admin.action(description="Reset two-factor sign-in for the selected users")
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            services.reset_two_factor(user=user, by=request.user)
        self.message_user(
            request,
            f"{queryset.count()} users will set up a new authenticator app at their next sign-in.",
        )

    def has_delete_permission(self, request, obj=None):
        # People leave; their accounts are deactivated so the access log keeps its meaning.
        return False


class ApiClientForm(forms.ModelForm):
    class Meta:
        model = ApiClient
        fields = ["name", "scope", "agency", "is_active"]


class ApiClientAdmin(admin.ModelAdmin):
    form = ApiClientForm
    list_display = ["name", "scope", "agency", "is_active", "token_prefix", "last_used_at"]
    list_filter = ["scope", "is_active"]
    search_fields = ["name"]
    readonly_fields = ["token_prefix", "created_at", "last_used_at"]
    autocomplete_fields = ["agency"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.create_api_client(
            name=obj.name, scope=obj.scope, agency=obj.agency, by=request.user
        )
        obj.pk = created.client.pk
        obj.token_prefix = created.client.token_prefix
        obj.token_hash = created.client.token_hash
        messages.warning(
            request,
            "Copy this token now and give it to the system's owner. "
            f"It will not be shown again: {created.token}",
        )

    def has_delete_permission(self, request, obj=None):
        return False

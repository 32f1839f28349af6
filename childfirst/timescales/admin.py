"""Admin pages for term calendars and clocks (registered on the admin site by childfirst.web)."""

from django.contrib import admin

from childfirst.timescales.models import ClockEvent


class TermDateAdmin(admin.ModelAdmin):
    list_display = ["local_authority", "school", "kind", "start_date", "end_date", "description"]
    list_filter = ["kind", "local_authority"]
    search_fields = ["local_authority__name", "local_authority__gss_code", "description"]
    autocomplete_fields = ["local_authority", "school"]
    date_hierarchy = "start_date"


class ClockEventInline(admin.TabularInline):
    model = ClockEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "at", "by", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


class ClockAdmin(admin.ModelAdmin):
    """Clocks are read here; they change only through the services (the desk's pages)."""

    list_display = ["label", "rule", "subject_type", "subject_id", "state", "due_at"]
    list_filter = ["rule", "state", "subject_type"]
    search_fields = ["=subject_id"]
    inlines = [ClockEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""The Django admin, for administrators only, behind the same two-factor sign-in."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from childfirst.accounts.services import is_fully_signed_in


class ChildFirstAdminSite(admin.AdminSite):
    site_header = "Child First administration"
    site_title = "Child First administration"
    index_title = "Users, agencies, schools and sharing agreements"
    enable_nav_sidebar = False

    def has_permission(self, request):
        return is_fully_signed_in(request) and request.user.has_perm("admin.use_admin")

    def login(self, request, extra_context=None):
        # One way in: the service's own sign-in with its second factor.
        if is_fully_signed_in(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("admin.use_admin")
        next_url = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('accounts:sign-in')}?{urlencode({'next': next_url})}")

    def logout(self, request, extra_context=None):
        return redirect("accounts:account")


admin_site = ChildFirstAdminSite(name="admin")


def register_models():
    """Each app defines its ModelAdmins; the admin site, which gathers, registers them."""
    from childfirst.accounts.admin import ApiClientAdmin, UserAdmin
    from childfirst.accounts.models import ApiClient, User
    from childfirst.directory.admin import (
        AgencyAdmin,
        LocalAuthorityAdmin,
        SchoolAdmin,
        SharingAgreementAdmin,
        WardAdmin,
    )
    from childfirst.directory.models import Agency, LocalAuthority, School, SharingAgreement, Ward
    from childfirst.timescales.admin import ClockAdmin, TermDateAdmin
    from childfirst.timescales.models import Clock, TermDate

    admin_site.register(User, UserAdmin)
    admin_site.register(ApiClient, ApiClientAdmin)
    admin_site.register(LocalAuthority, LocalAuthorityAdmin)
    admin_site.register(Ward, WardAdmin)
    admin_site.register(Agency, AgencyAdmin)
    admin_site.register(School, SchoolAdmin)
    admin_site.register(SharingAgreement, SharingAgreementAdmin)
    admin_site.register(TermDate, TermDateAdmin)
    admin_site.register(Clock, ClockAdmin)

"""Agencies and schools as police staff look them up."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from childfirst.accounts.decorators import permission_rule
from childfirst.directory import services
from childfirst.directory.forms import AgencyFilterForm, SchoolSearchForm


@permission_rule("directory.view_directory")
@require_GET
def agencies(request):
    form = AgencyFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = services.find_agencies(
        kind=filters.get("kind", ""),
        local_authority=filters.get("local_authority", ""),
        text=filters.get("text", ""),
    )
    return render(request, "directory/agencies.html", {"filter_form": form, "agencies": found})


@permission_rule("directory.view_directory")
@require_GET
def agency(request, code):
    found = services.agency_with_details(code=code)
    if found is None:
        raise Http404
    return render(request, "directory/agency.html", {"agency": found})


@permission_rule("directory.view_directory")
@require_GET
def schools(request):
    form = SchoolSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = (
        services.find_schools(
            text=filters.get("text", ""), local_authority=filters.get("local_authority", "")
        )
        if filters
        else []
    )
    return render(
        request,
        "directory/schools.html",
        {"filter_form": form, "schools": found, "searched": bool(filters)},
    )


@permission_rule("directory.view_directory")
@require_GET
def school(request, urn):
    found = services.school_by_urn(urn)
    if found is None:
        raise Http404
    return render(request, "directory/school.html", {"school": found})

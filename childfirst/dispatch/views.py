"""The desk's pages in dispatch: check and send a referral; failed deliveries; late Operation
Encompass notices and overdue decisions. Each view parses, checks permission, calls a service and
renders. (The partner portal's pages are in portal_views.py.)"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from childfirst.accounts.decorators import permission_rule
from childfirst.dispatch import services
from childfirst.dispatch.forms import SendForm


@permission_rule("dispatch.send_referral")
@require_http_methods(["GET", "POST"])
def send(request, referral_id):
    referral = services.referral_for_page(referral_id, user=request.user, request=request)
    if referral is None:
        raise Http404
    form = SendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.send_referral(
                referral=referral,
                by=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except services.DispatchError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Referral sent to {len(sent)} agencies")
            return redirect("dispatch:send", referral_id=referral.pk)
    disclosures = services.disclosures_of(referral=referral)
    problem = "" if disclosures else services.why_not_sendable(referral)
    previews = []
    if not disclosures and not problem:
        previews = services.preview_referral(referral=referral, user=request.user, request=request)
    context = {
        "referral": referral,
        "form": form,
        "disclosures": disclosures,
        "problem": problem,
        "previews": previews,
    }
    return render(request, "dispatch/send.html", context)


@permission_rule("dispatch.view_failures")
@require_GET
def failures(request):
    return render(request, "dispatch/failures.html", {"deliveries": services.failed_deliveries()})


@permission_rule("dispatch.view_breaches")
@require_GET
def breaches(request):
    context = {
        "encompass": services.encompass_breaches(),
        "overdue": services.overdue_disclosures(),
    }
    return render(request, "dispatch/breaches.html", context)

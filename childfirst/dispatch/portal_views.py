"""The partner portal: a partner agency's users see the referrals sent to their agency, and only
those, acknowledge them, record the decision and send notes back to the police. Another agency's
disclosure is 404, never 403, so its existence is not revealed. Police roles do not use the
portal (its rule lets in partner users only)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from childfirst.accounts.decorators import permission_rule
from childfirst.dispatch import partner
from childfirst.dispatch.portal_forms import NoteForm, OutcomeForm

PAGE_SIZE = 25
TABS = (
    partner.PartnerState.AWAITING_DECISION,
    partner.PartnerState.NEW,
    partner.PartnerState.ACKNOWLEDGED,
    partner.PartnerState.OVERDUE,
    partner.PartnerState.DECIDED,
)


def _own(request, disclosure_id):
    disclosure = partner.disclosure_for(agency=request.user.agency, disclosure_id=disclosure_id)
    if disclosure is None:
        raise Http404("No such referral was sent to your agency")
    return disclosure


@permission_rule("dispatch.use_portal")
@require_GET
def received(request):
    state = request.GET.get("state", TABS[0])
    if state not in TABS:
        state = TABS[0]
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    page = partner.received(
        agency=request.user.agency,
        state=state,
        offset=(number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
        actor=request.user,
        request=request,
    )
    pages = max(1, -(-page.count // PAGE_SIZE))
    context = {
        "agency": request.user.agency,
        "page": page,
        "state": state,
        "state_label": partner.PartnerState.LABELS[state],
        "tabs": [(s, partner.PartnerState.LABELS[s], page.counts[s]) for s in TABS],
        "number": number,
        "pages": pages,
    }
    return render(request, "dispatch/portal/received.html", context)


@permission_rule("dispatch.use_portal")
@require_GET
def disclosure(request, disclosure_id):
    item = partner.view_disclosure(
        agency=request.user.agency,
        disclosure_id=disclosure_id,
        actor=request.user,
        request=request,
    )
    if item is None:
        raise Http404("No such referral was sent to your agency")
    return render(request, "dispatch/portal/disclosure.html", {"item": item})


@permission_rule("dispatch.use_portal")
@require_POST
def acknowledge(request, disclosure_id):
    found = _own(request, disclosure_id)
    partner.acknowledge(disclosure=found, actor=request.user)
    messages.success(request, "You have acknowledged this referral")
    return redirect("dispatch:portal-disclosure", disclosure_id=found.pk)


@permission_rule("dispatch.use_portal")
@require_http_methods(["GET", "POST"])
def decision(request, disclosure_id):
    found = _own(request, disclosure_id)
    if found.decided_at is not None:
        messages.error(request, "A decision is already recorded. Add a note to tell the police")
        return redirect("dispatch:portal-disclosure", disclosure_id=found.pk)
    form = OutcomeForm(
        request.POST if request.method == "POST" else None,
        agency_kind=found.agency.kind,
        choices=partner.decision_choices(found),
    )
    if request.method == "POST" and form.is_valid():
        try:
            partner.record_outcome(disclosure=found, actor=request.user, **form.outcome())
        except partner.ResponseInvalid as error:
            form.add_outcome_errors(error.errors)
        except partner.PartnerActionRefused as error:
            messages.error(request, str(error))
            return redirect("dispatch:portal-disclosure", disclosure_id=found.pk)
        else:
            messages.success(request, "Your decision has been sent to the police")
            return redirect("dispatch:portal-disclosure", disclosure_id=found.pk)
    headline = partner.shown_headline(
        disclosure=found, actor=request.user, why="Recording a decision", request=request
    )
    context = {"disclosure": found, "headline": headline, "form": form}
    return render(request, "dispatch/portal/decision.html", context)


@permission_rule("dispatch.use_portal")
@require_http_methods(["GET", "POST"])
def note(request, disclosure_id):
    found = _own(request, disclosure_id)
    form = NoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            partner.add_note(disclosure=found, actor=request.user, text=form.cleaned_data["text"])
        except partner.ResponseInvalid as error:
            form.add_error("text", error.errors.get("text", str(error)))
        else:
            messages.success(request, "Your note has been sent to the police")
            return redirect("dispatch:portal-disclosure", disclosure_id=found.pk)
    headline = partner.shown_headline(
        disclosure=found, actor=request.user, why="Adding a note", request=request
    )
    context = {"disclosure": found, "headline": headline, "form": form}
    return render(request, "dispatch/portal/note.html", context)

"""The desk's pages: the queue, a notice, the decision, approvals, breaches, the quality sample
and pausing the desk review clock. Each view parses, checks permission, calls a service and
renders."""

import random
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from childfirst.accounts.decorators import permission_rule
from childfirst.desk import services
from childfirst.desk.forms import (
    ApprovalForm,
    AssignForm,
    DecisionForm,
    PauseClockForm,
    QualityNoteForm,
    QueueFilterForm,
    SampleForm,
)
from childfirst.directory.services import local_authorities


@permission_rule("desk.use_queue")
@require_GET
def queue(request):
    staff = services.desk_staff()
    form = QueueFilterForm(request.GET or None, boroughs=local_authorities(), staff=staff)
    chosen = form.cleaned_data if form.is_valid() else {}
    filters = services.QueueFilters(**{k: v for k, v in chosen.items() if v})
    page = services.queue_page(
        user=request.user, filters=filters, page=request.GET.get("page"), request=request
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        # Children from imported files are not in the queue until the worker screens them.
        "backlog": services.screening_backlog(),
    }
    return render(request, "desk/queue.html", context)


@permission_rule("desk.view_notice")
@require_GET
def notice(request, notice_id):
    view = services.view_notice(notice_id=notice_id, user=request.user, request=request)
    if view is None:
        raise Http404
    waiting = view.item is not None and view.item.state in ("open", "awaiting_approval")
    context = {
        "view": view,
        "may_assign": request.user.has_perm("desk.assign"),
        "may_decide": view.item is not None and view.item.state == "open",
        # The desk review clock while the notice waits for a decision or an approval.
        "review_clock": view.review_clock if waiting else None,
        "may_pause": waiting and request.user.has_perm("desk.pause_clock"),
    }
    return render(request, "desk/notice.html", context)


@permission_rule("desk.claim")
@require_POST
def claim(request, notice_id):
    return _back_to_notice(
        request, notice_id, lambda: services.claim(notice_id=notice_id, by=request.user),
        done="You have this notice now",
    )  # fmt: skip


def _back_to_notice(request, notice_id, act, *, done: str):
    """Do a button's action on the notice and go back to it, saying how it went."""
    try:
        act()
    except services.DeskError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("desk:notice", notice_id=notice_id)


@permission_rule("desk.assign")
@require_http_methods(["GET", "POST"])
def assign(request, notice_id):
    item = services.item_for_notice(
        notice_id=notice_id,
        user=request.user,
        why=f"Giving notice {notice_id} to someone",
        request=request,
    )
    if item is None:
        raise Http404
    staff = services.desk_staff()
    form = AssignForm(request.POST if request.method == "POST" else None, staff=staff)
    if request.method == "POST" and form.is_valid():
        to = next(u for u in staff if str(u.pk) == form.cleaned_data["to"])
        try:
            services.assign(notice_id=notice_id, to=to, by=request.user)
        except services.DeskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Notice given to {to.full_name}")
            return redirect("desk:queue")
    return render(request, "desk/assign.html", {"item": item, "form": form})


@permission_rule("desk.decide")
@require_http_methods(["GET", "POST"])
def decide(request, notice_id):
    notice = services.notice_by_id(notice_id)
    item = services.item_for_notice(
        notice_id=notice_id,
        user=request.user,
        why=f"Deciding on notice {notice_id}",
        request=request,
    )
    if notice is None or item is None:
        raise Http404
    screening = services.current_screening(notice=notice)
    recommended = services.recommended_agencies(
        notice=notice, kinds=screening.recommended_recipients if screening else []
    )
    initial = {
        "seen_screening": screening.pk if screening else None,
        "agencies": [str(r.agency.pk) for r in recommended if r.agency],
    }
    near, other = services.agencies_for_decision(notice=notice)
    choices = {"agencies": near, "other_agencies": other}
    posted = request.POST if request.method == "POST" else None
    form = DecisionForm(posted, initial=initial, **choices)
    if posted is not None and posted.get("action") == "check":
        # Checking the wording saves nothing: the form shows again as written, without errors.
        form = DecisionForm(
            initial={
                **initial,
                **posted.dict(),
                "agencies": posted.getlist("agencies"),
                "other_agencies": posted.getlist("other_agencies"),
            },
            **choices,
        )
    elif posted is not None and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.decide(
                notice=notice,
                by=request.user,
                request_=services.DecisionRequest(
                    decision=data["decision"],
                    text=data["text"],
                    reason=data["reason"],
                    agency_ids=tuple(int(a) for a in data["agencies"]),
                    seen_screening_id=data["seen_screening"],
                ),
                request=request,
            )
        except services.DecisionInvalid as error:
            for name, message in error.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except services.DeskError as error:
            form.add_error(None, str(error))
        else:
            if referral.needs_approval:
                messages.success(request, "Decision saved. It is waiting for a supervisor")
            elif referral.recipients.exists():
                # Sending is the dispatch app's page: check what each agency gets, then send.
                messages.success(request, "Decision saved. Check what each agency gets, then send")
                return redirect("dispatch:send", referral_id=referral.pk)
            else:
                messages.success(request, "Decision saved")
            return redirect("desk:queue")
        screening = services.current_screening(notice=notice)
    # The language check runs once, on the text the page shows (a saved decision keeps its own
    # findings: services.decide).
    text = posted.get("text", "") if posted is not None else ""
    context = {
        "notice": notice,
        "item": item,
        "screening": screening,
        "recommended": recommended,
        "form": form,
        "checked": bool(text.strip()),
        "findings": services.check_language(text=text, child_age=services.child_age(notice)),
        "needs_approval_if_red": screening is not None and screening.grade == "red",
        # What the supervisor said when they returned the last decision, if they did.
        "returned": services.returned_decision(notice=notice),
    }
    return render(request, "desk/decide.html", context)


@permission_rule("desk.pause_clock")
@require_http_methods(["GET", "POST"])
def pause_clock(request, notice_id):
    item = services.item_for_notice(
        notice_id=notice_id,
        user=request.user,
        why=f"Pausing the desk review clock of notice {notice_id}",
        request=request,
    )
    if item is None:
        raise Http404
    form = PauseClockForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pause_review_clock(
                notice_id=notice_id, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.DeskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The desk review clock is paused")
            return redirect("desk:notice", notice_id=notice_id)
    caption = f"Notice {notice_id}: {services.name_of(item.child_name)}"
    context = {"item": item, "form": form, "caption": caption}
    return render(request, "desk/pause_clock.html", context)


@permission_rule("desk.pause_clock")
@require_POST
def resume_clock(request, notice_id):
    return _back_to_notice(
        request, notice_id,
        lambda: services.resume_review_clock(notice_id=notice_id, by=request.user),
        done="The desk review clock has restarted",
    )  # fmt: skip


@permission_rule("desk.approve")
@require_GET
def approvals(request):
    referrals = services.awaiting_approval(user=request.user, request=request)
    return render(request, "desk/approvals.html", {"referrals": referrals})


@permission_rule("desk.approve")
@require_http_methods(["GET", "POST"])
def approve(request, referral_id):
    referral = services.referral_by_id(
        referral_id, user=request.user, why=f"Approval of referral {referral_id}", request=request
    )
    if referral is None:
        raise Http404
    form = ApprovalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"] == "approve":
                services.approve(
                    referral=referral, by=request.user, comment=data["comment"], request=request
                )
                messages.success(request, "Decision approved")
            else:
                services.return_decision(
                    referral=referral, by=request.user, comment=data["comment"], request=request
                )
                messages.success(request, "Decision returned to the desk")
        except services.DecisionInvalid as error:
            for name, message in error.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except services.DeskError as error:
            form.add_error(None, str(error))
        else:
            return redirect("desk:approvals")
    view = services.view_notice(notice_id=referral.notice_id, user=request.user, request=request)
    return render(request, "desk/approve.html", {"referral": referral, "view": view, "form": form})


@permission_rule("desk.view_breaches")
@require_GET
def breaches(request):
    context = {
        "items": services.breaches(user=request.user, request=request),
        "others": services.other_breached_clocks(),
        "now": timezone.now(),
    }
    return render(request, "desk/breaches.html", context)


@permission_rule("desk.sample_decisions")
@require_GET
def sample(request):
    form = SampleForm(request.GET or None)
    found = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        seed = data["seed"] if data["seed"] is not None else random.SystemRandom().randrange(10**6)
        try:
            found = services.sample_decisions(
                start=data["start"],
                end=data["end"],
                size=data["size"],
                seed=seed,
                by=request.user,
                request=request,
            )
        except services.DeskError as error:
            form.add_error("end", str(error))
    # Each decision's quality note page links back to this same sample (the seed made).
    query = _sample_query({**request.GET.dict(), "seed": found.seed}) if found else ""
    return render(request, "desk/sample.html", {"form": form, "sample": found, "query": query})


SAMPLE_FIELDS = ("start", "end", "size", "seed")


def _sample_query(values) -> str:
    """The sample's own fields, as a query string; nothing else is passed on."""
    return urlencode({name: values[name] for name in SAMPLE_FIELDS if values.get(name)})


@permission_rule("desk.sample_decisions")
@require_http_methods(["GET", "POST"])
def quality_note(request, referral_id):
    referral = services.referral_by_id(
        referral_id,
        user=request.user,
        why=f"Quality check of referral {referral_id}",
        request=request,
    )
    if referral is None:
        raise Http404
    form = QualityNoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.add_quality_note(
            referral=referral, by=request.user, note=form.cleaned_data["note"]
        )
        messages.success(request, "Quality note saved")
        url, back = reverse("desk:quality-note", args=[referral.pk]), _sample_query(request.GET)
        return redirect(f"{url}?{back}" if back else url)
    context = {"referral": referral, "form": form, "query": _sample_query(request.GET)}
    return render(request, "desk/quality_note.html", context)

"""The identity review queue, a pair side by side, and merges with undo."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from childfirst.accounts.decorators import permission_rule
from childfirst.people import services
from childfirst.people.forms import DecisionForm, UndoMergeForm

DONE = {
    "confirm": "Link confirmed: the record stays with this person",
    "reject": "Recorded as different people",
    "merge": "The two persons are now one. A supervisor can undo this on the merges page",
}


@permission_rule("people.review_identities")
@require_GET
def review_queue(request):
    pairs = services.review_queue_for(user=request.user, request=request)
    return render(request, "people/review_queue.html", {"pairs": pairs})


@permission_rule("people.review_identities")
@require_http_methods(["GET", "POST"])
def review_pair(request, pair_id):
    pair = services.review_pair_by_id(pair_id)
    if pair is None:
        raise Http404
    kind = services.review_pair_kind(pair)
    form = DecisionForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        action = {
            "confirm": services.confirm_pair,
            "reject": services.reject_pair,
            "merge": services.merge_pair,
        }[decision]
        try:
            action(pair=pair, by=request.user, reason=form.cleaned_data["reason"], request=request)
        except services.ReviewError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, DONE[decision])
            return redirect("people:review-queue")
    view = services.view_review_pair(pair_id=pair_id, user=request.user, request=request)
    return render(request, "people/review_pair.html", {"view": view, "form": form})


@permission_rule("people.view_merges")
@require_GET
def merges(request):
    may_undo = request.user.has_perm("people.undo_merge")
    merges = services.merges_for(user=request.user, request=request)
    context = {"merges": merges, "may_undo": may_undo}
    return render(request, "people/merges.html", context)


@permission_rule("people.undo_merge")
@require_http_methods(["GET", "POST"])
def undo_merge(request, merge_id):
    merge = services.merge_for_undo(merge_id=merge_id, user=request.user, request=request)
    if merge is None:
        raise Http404
    form = UndoMergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.undo_merge(
                merge=merge, by=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except services.UndoError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Merge undone: the records are back as they were")
            return redirect("people:merges")
    return render(request, "people/undo_merge.html", {"merge": merge, "form": form})

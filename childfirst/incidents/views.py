"""The officer's form: record a child coming to notice when the records system did not send the
incident. Each page is a form over the journey kept in the session (journey.py); the check
answers page records the incident through services.record_incident, the one way in."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from childfirst.accounts.decorators import permission_rule
from childfirst.incidents import forms, services
from childfirst.incidents.journey import (
    DASH,
    NOBODY,
    RETURN,
    Journey,
    Problem,
    dash_definition,
    dash_pages,
    recorded,
    remember_recorded,
    shown_name,
)

RULE = "incidents.record_incident"
TEMPLATES = "incidents/record/"


def _returning(request) -> bool:
    return request.GET.get(RETURN) == "check"


def _page(request, journey, *, step, form, save, template, title, back_url=None, **context):
    """Show a page of the journey; on a good answer save it and go on. A bad answer changes
    nothing, and the page shows what was typed with what to do about it."""
    returning = _returning(request)
    if request.method == "POST" and form.is_valid():
        next_url = save(form)
        journey.save(request.session)
        return redirect(next_url or journey.next_url(step, returning=returning))
    return render(
        request,
        TEMPLATES + template,
        {
            "form": form,
            "title": title,
            "back_url": back_url or journey.back_url(step, returning=returning),
            **context,
        },
    )


def _data(request):
    return request.POST if request.method == "POST" else None


@permission_rule(RULE)
@never_cache
@require_http_methods(["GET", "POST"])
def start(request):
    if request.method == "POST":
        journey = Journey.new()
        journey.save(request.session)
        return redirect(journey.url("kind"))
    journey = Journey.load(request.session)
    in_progress = Journey.in_progress(request.session)
    return render(
        request,
        TEMPLATES + "start.html",
        {
            "in_progress": in_progress,
            "continue_url": journey.url(journey.first_incomplete() or "check"),
        },
    )


@permission_rule(RULE)
@never_cache
@require_http_methods(["GET", "POST"])
def step(request, step):
    journey = Journey.load(request.session)
    dash_page = next((page for page in dash_pages() if page.key == step), None)
    known = {"kind", "when", "where", "children", "adults", "voice", "narrative", DASH}
    if step not in known | {"dash-grade"} and dash_page is None:
        raise Http404
    if not journey.is_needed(step):
        return redirect(journey.url(journey.first_incomplete() or "check"))
    data = _data(request)
    state = journey.state

    if step == "kind":
        form = forms.KindForm(data, initial={"kind": journey.kind})
        return _page(
            request,
            journey,
            step=step,
            form=form,
            template="question.html",
            title=form.fields["kind"].label,
            save=lambda f: journey.set(kind=f.cleaned_data["kind"]),
        )
    if step == "when":
        initial = (
            {"occurred_time": forms.show_time(state["occurred_time"])}
            if state["occurred_time"]
            else {}
        )
        initial.update(forms.WhenForm.date_initial("occurred", state["occurred_on"]))
        form = forms.WhenForm(data, initial=initial)
        return _page(
            request,
            journey,
            step=step,
            form=form,
            template="when.html",
            title="When did it happen?",
            save=lambda f: journey.set_when(
                on=f.cleaned_data["occurred_on"], at=f.cleaned_data["occurred_at"]
            ),
        )
    if step == "where":
        form = forms.WhereForm(
            data, initial={"address": state["address"], "postcode": state["postcode"]}
        )
        return _page(
            request,
            journey,
            step=step,
            form=form,
            template="where.html",
            title="Where did it happen?",
            save=lambda f: journey.set(
                address=f.cleaned_data["address"], postcode=f.cleaned_data["postcode"]
            ),
        )
    if step in ("children", "adults"):
        return _people(request, journey, step)
    if step == "voice":
        return _voice(request, journey)
    if step == DASH:
        form = forms.DashRespondentForm(
            data,
            people=journey.respondents(),
            nobody=NOBODY,
            initial={"respondent": journey.dash["respondent"]},
        )
        return _page(
            request,
            journey,
            step=step,
            form=form,
            template="question.html",
            title=form.fields["respondent"].label,
            caption="DASH risk checklist",
            save=lambda f: journey.dash.update(respondent=f.cleaned_data["respondent"]),
        )
    if dash_page is not None:
        definition = dash_definition()
        form = forms.DashQuestionsForm(
            data,
            questions=dash_page.questions,
            answers=definition.answers,
            initial=journey.dash["answers"],
        )
        return _page(
            request,
            journey,
            step=step,
            form=form,
            template="dash_questions.html",
            title=dash_page.title,
            page=dash_page,
            save=lambda f: journey.save_dash_answers(f.cleaned_data),
        )
    if step == "dash-grade":
        definition = dash_definition()
        answered = journey.dash["respondent"] not in ("", NOBODY)
        form = forms.DashGradeForm(
            data,
            grades=definition.officer_grades or ("standard", "medium", "high"),
            high_risk_from=definition.high_risk_from,
            yes=definition.score(journey.dash["answers"]) if answered else None,
            initial={"grade": journey.dash["grade"]},
        )
        return _page(
            request,
            journey,
            step=step,
            form=form,
            template="question.html",
            title=form.fields["grade"].label,
            caption="DASH risk checklist",
            save=lambda f: journey.dash.update(grade=f.cleaned_data["grade"]),
        )
    form = forms.NarrativeForm(data, initial={"narrative": state["narrative"]})
    return _page(
        request,
        journey,
        step=step,
        form=form,
        template="question.html",
        title=form.fields["narrative"].label,
        save=lambda f: journey.set(narrative=f.cleaned_data["narrative"]),
    )


def _people(request, journey, step):
    """The list of children or adults added, with "add another?"; a Remove button posts here."""
    returning = _returning(request)
    children = step == "children"
    people = journey.children if children else journey.adults
    if children and not people:
        return redirect(journey.child_url(1, "details", returning=returning))
    if request.method == "POST" and "remove" in request.POST:
        number = request.POST["remove"]
        if number.isdigit():
            remove = journey.remove_child if children else journey.remove_adult
            remove(int(number))
            journey.save(request.session)
        return redirect(request.get_full_path())
    noun = "child" if children else "adult"
    if people:
        count = len(people)
        plural = ("children" if children else "adults") if count != 1 else noun
        title = f"You have added {count} {plural}"
        question = f"Do you need to add another {noun}?"
        message = f"Select yes if you need to add another {noun}"
    else:
        title = question = "Were any adults involved?"
        message = "Select yes if any adults were involved"
    form = forms.AnotherForm(
        _data(request),
        question=question,
        required_message=message,
        hint=""
        if people
        else "For example, a parent or carer, an adult victim or suspect, or a witness",
    )

    def save(f):
        add = f.cleaned_data["another"] == forms.YES
        journey.set(**{f"{step}_done": not add})
        if add:
            number = len(people) + 1
            if children:
                return journey.child_url(number, "details", returning=returning)
            return journey.adult_url(number, returning=returning)
        return None

    rows = [
        {
            "number": number,
            "name": shown_name(person, number, kind="Child" if children else "Adult"),
            "url": (
                journey.child_url(number, "details", returning=returning)
                if children
                else journey.adult_url(number, returning=returning)
            ),
            "complete": journey.child_is_complete(person) if children else True,
        }
        for number, person in enumerate(people, start=1)
    ]
    return _page(
        request,
        journey,
        step=step,
        form=form,
        template="people.html",
        title=title,
        save=save,
        people=rows,
        heading_is_question=not people,
        noun=noun,
    )


def _voice(request, journey):
    children = journey.voice_children()
    if not children:
        return redirect(journey.url("children"))
    initial = {f"voice_{child['ref']}": child["voice"] or "" for child in journey.children}
    form = forms.VoiceForm(_data(request), children=children, initial=initial)
    title = (
        "What did the child say or show?"
        if len(children) == 1
        else ("What did the children say or show?")
    )
    return _page(
        request,
        journey,
        step="voice",
        form=form,
        template="voice.html",
        title=title,
        save=lambda f: journey.save_voices(f.voices()),
    )


@permission_rule(RULE)
@never_cache
@require_http_methods(["GET", "POST"])
def child(request, number, page):
    journey = Journey.load(request.session)
    returning = _returning(request)
    found = journey.child(number)
    if page not in ("details", "part") or not 1 <= number <= len(journey.children) + 1:
        raise Http404
    if page == "part" and found is None:
        return redirect(journey.child_url(number, "details", returning=returning))
    was_complete = found is not None and journey.child_is_complete(found)
    others = [c for c in journey.children if c is not found]
    list_url = journey.url("children", returning=returning) if others else None
    data = _data(request)

    if page == "details":
        initial = {}
        if found is not None:
            initial = {key: found[key] for key in ("given_name", "family_name", "sex")}
            initial["name_not_known"] = found.get("name_not_known", False)
            initial.update(
                age="" if found["age"] is None else str(found["age"]),
                appears_under_18=found["appears_under_18"],
                **forms.ChildDetailsForm.date_initial("dob", found["date_of_birth"]),
            )
        form = forms.ChildDetailsForm(data, initial=initial, incident_date=journey.incident_date)

        def save(f):
            journey.save_child_details(number, f.cleaned_data)
            if returning and was_complete:
                return journey.next_url("children", returning=True)
            return journey.child_url(number, "part", returning=returning)

        back = (
            journey.url("check")
            if returning and was_complete
            else (list_url or journey.back_url("children", returning=False))
        )
        return _page(
            request,
            journey,
            step="children",
            form=form,
            template="child_details.html",
            title="About the child",
            save=save,
            back_url=back,
            number=number,
        )

    initial = {key: found[key] for key in ("role", "present")}
    initial["school_urn"] = found["school_urn"] or ""
    initial.update(_home_initial(found))
    form = forms.ChildPartForm(data, initial=initial)

    def save(f):
        journey.save_child_part(number, f.cleaned_data, form.school_name)
        if returning and was_complete:
            return journey.next_url("children", returning=True)
        return journey.url("children", returning=returning)

    back = (
        journey.url("check")
        if returning and was_complete
        else (journey.child_url(number, "details", returning=returning))
    )
    return _page(
        request,
        journey,
        step="children",
        form=form,
        template="child_part.html",
        title="The child's part in the incident",
        save=save,
        back_url=back,
        name=shown_name(found, number),
    )


def _home_initial(person: dict) -> dict:
    return {key: person.get(key, "") for key in ("lives", "home_address", "home_postcode")}


@permission_rule(RULE)
@never_cache
@require_http_methods(["GET", "POST"])
def adult(request, number):
    journey = Journey.load(request.session)
    returning = _returning(request)
    found = journey.adult(number)
    if not 1 <= number <= len(journey.adults) + 1:
        raise Http404
    initial = {}
    if found is not None:
        initial = {key: found[key] for key in ("given_name", "family_name", "role")}
        initial.update(forms.AdultForm.date_initial("dob", found["date_of_birth"]))
        initial.update(_home_initial(found))
    form = forms.AdultForm(_data(request), initial=initial, incident_date=journey.incident_date)

    def save(f):
        journey.save_adult(number, f.cleaned_data)
        if returning and found is not None:
            return journey.next_url("adults", returning=True)
        return journey.url("adults", returning=returning)

    back = (
        journey.url("check")
        if returning and found is not None
        else (journey.url("adults", returning=returning))
    )
    return _page(
        request,
        journey,
        step="adults",
        form=form,
        template="adult.html",
        title="About the adult",
        save=save,
        back_url=back,
    )


@permission_rule(RULE)
@never_cache
@require_http_methods(["GET", "POST"])
def check(request):
    last = recorded(request.session)
    if not Journey.in_progress(request.session) and last is not None:
        return redirect("incidents:record-done")
    journey = Journey.load(request.session)
    form = forms.RecordForm(_data(request), initial={"journey": journey.id})
    problems = []
    if request.method == "POST" and form.is_valid():
        posted = form.cleaned_data["journey"]
        if last is not None and posted == last["journey"]:
            # Pressed twice, or again from the back button: the first press recorded it.
            return redirect("incidents:record-done")
        if posted != journey.id:
            problems = [
                Problem(
                    "These answers have changed since the page was shown: check them again",
                    journey.url("check"),
                )
            ]
        else:
            problems = journey.problems()
        if not problems:
            try:
                result = services.record_incident(
                    payload=journey.payload(officer=request.user),
                    received_from=request.user,
                    request=request,
                )
            except services.IntakeError as error:
                problems = [Problem(str(error), journey.url("check"))]
            else:
                remember_recorded(
                    request.session,
                    journey=journey,
                    incident=result.incident,
                    children=len(journey.children),
                )
                Journey.forget(request.session)
                return redirect("incidents:record-done")
        for problem in problems:
            form.add_error(None, problem.message)
    return render(
        request,
        TEMPLATES + "check.html",
        {
            "form": form,
            "title": "Check your answers before recording",
            "sections": journey.check_answers(),
            "problems": problems,
            "back_url": journey.url("narrative"),
            "children": len(journey.children),
        },
    )


@permission_rule(RULE)
@never_cache
@require_GET
def done(request):
    return render(request, TEMPLATES + "done.html", {"recorded": recorded(request.session)})

"""Deny by default: every route declares a rule, and every role is tried against every route."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from childfirst.accounts.decorators import rule_of
from childfirst.accounts.models import Role
from childfirst.accounts.permissions import PUBLIC
from childfirst.directory.models import AgencyKind, School
from tests.builders import make_agency, make_user, sign_in

SELF_GUARDED = {"admin", "api-1"}


def walk(resolver=None, prefix="", namespace=""):
    """Every (route, namespace, name, callback) under the root URLconf."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern.name, pattern.callback


def own_routes():
    return [(r, ns, name, cb) for r, ns, name, cb in walk() if ns not in SELF_GUARDED]


def test_every_page_declares_a_permission_rule():
    missing = [route for route, _, _, callback in own_routes() if rule_of(callback) is None]
    assert not missing, f"Routes with no permission rule: {missing}"


def test_every_declared_rule_exists():
    import rules

    unknown = [
        (route, rule_of(cb))
        for route, _, _, cb in own_routes()
        if rule_of(cb) not in (PUBLIC, None) and not rules.perm_exists(rule_of(cb))
    ]
    assert not unknown, f"Routes naming rules that do not exist: {unknown}"


@pytest.mark.django_db
@pytest.mark.urls("tests.accounts.urls_undeclared")
def test_a_page_that_declares_no_rule_is_refused_even_to_administrators(client):
    admin = make_user(role=Role.ADMINISTRATOR)
    sign_in(client, admin)
    response = client.get("/undeclared")
    assert response.status_code == 403
    assert "secret" not in response.content.decode()


# Which roles may open each page that needs signing in. Keep in step with permissions.py: the
# test fails if a rule lets in a role not listed here, or keeps out one that is.
POLICE = [r for r in Role.values if r != Role.PARTNER]
EXPECTED = {
    "web:home": Role.values,
    "accounts:account": Role.values,
    "directory:agencies": [
        Role.FRONTLINE_OFFICER,
        Role.DESK_RESEARCHER,
        Role.DESK_SUPERVISOR,
        Role.EXPLOITATION_OFFICER,
        Role.STRATEGY_LEAD,
        Role.ADMINISTRATOR,
    ],
    "people:review-queue": [Role.DESK_RESEARCHER, Role.DESK_SUPERVISOR],
    "people:review-pair": [Role.DESK_RESEARCHER, Role.DESK_SUPERVISOR],
    "people:merges": [Role.DESK_RESEARCHER, Role.DESK_SUPERVISOR],
    "people:undo-merge": [Role.DESK_SUPERVISOR],
}
EXPECTED["directory:agency"] = EXPECTED["directory:agencies"]
EXPECTED["directory:schools"] = EXPECTED["directory:agencies"]
EXPECTED["directory:school"] = EXPECTED["directory:agencies"]
# The officer's form: every page of it, for the roles that record incidents.
for _name in ("start", "step", "child", "adult", "check", "done"):
    EXPECTED[f"incidents:record-{_name}"] = [
        Role.FRONTLINE_OFFICER,
        Role.DESK_RESEARCHER,
        Role.DESK_SUPERVISOR,
        Role.EXPLOITATION_OFFICER,
    ]
# The referrals desk: researchers and supervisors work the queue; only supervisors move work,
# approve, watch breaches, sample decisions and pause the desk review clock.
for _name in ("queue", "notice", "decide"):
    EXPECTED[f"desk:{_name}"] = [Role.DESK_RESEARCHER, Role.DESK_SUPERVISOR]
for _name in (
    "assign",
    "approvals",
    "approve",
    "breaches",
    "sample",
    "quality-note",
    "pause-clock",
):
    EXPECTED[f"desk:{_name}"] = [Role.DESK_SUPERVISOR]
POST_ONLY = {"accounts:sign-out", "desk:claim", "desk:resume-clock"}
# The partner portal: partner agency users only (each sees their own agency's referrals).
for _name in ("portal", "portal-disclosure", "portal-decision", "portal-note"):
    EXPECTED[f"dispatch:{_name}"] = [Role.PARTNER]
POST_ONLY |= {"dispatch:portal-acknowledge"}
# Dispatch, the desk's side: the desk checks and sends; supervisors watch failures and breaches.
EXPECTED["dispatch:send"] = [Role.DESK_RESEARCHER, Role.DESK_SUPERVISOR]
EXPECTED["dispatch:failures"] = [Role.DESK_SUPERVISOR]
EXPECTED["dispatch:breaches"] = [Role.DESK_SUPERVISOR]
# Who may send each form that has no page of its own (signing out is for everyone).
EXPECTED_POST = {
    "desk:claim": [Role.DESK_RESEARCHER, Role.DESK_SUPERVISOR],
    "desk:resume-clock": [Role.DESK_SUPERVISOR],
    "dispatch:portal-acknowledge": [Role.PARTNER],
}


@pytest.fixture
def samples(db):
    agency = make_agency(kind=AgencyKind.YOUTH_JUSTICE, code="hackney-yjs")
    School.objects.create(urn=900123, name="Test Primary School")
    # Identity: a provisional link waiting for review, and a merge a supervisor may undo.
    from datetime import date

    from childfirst.audit.services import SYSTEM
    from childfirst.people import services as people

    child = {"surname": "Okafor", "date_of_birth": date(2014, 3, 7), "postcode": "E8 1DY"}
    made = people.resolve_mentions(
        mentions=[
            people.MentionInput("T", "S1", given_name="William", **child),
            people.MentionInput("T", "S2", given_name="Wiliam", **child),
            people.MentionInput("T", "S3", given_name="Ada", surname="Lovelace"),
            people.MentionInput("T", "S4", given_name="Grace", surname="Hopper"),
        ]
    )
    review_pair = people.open_review_pairs().get(mention=made[1].mention)
    merge = people.merge_persons(survivor=made[2].person, merged=made[3].person, by=SYSTEM)
    # The desk: a red notice from a domestic abuse incident and a decision on it.
    from tests.desk.builders import desk_samples
    from tests.dispatch.portal_builders import portal_samples

    desk = desk_samples()
    return {
        **desk,
        "dispatch:send": desk["desk:approve"],
        # A disclosure to an agency, and that agency for the partner user ("partner_agency").
        **portal_samples(),
        "directory:agency": {"code": agency.code},
        "directory:school": {"urn": 900123},
        "people:review-pair": {"pair_id": review_pair.pk},
        "people:undo-merge": {"merge_id": merge.pk},
        "incidents:record-step": {"step": "kind"},
        "incidents:record-child": {"number": 1, "page": "details"},
        "incidents:record-adult": {"number": 1},
    }


def url_for(namespace, name, samples):
    from django.urls import reverse

    key = f"{namespace}:{name}"
    return key, reverse(key, kwargs=samples.get(key, {}))


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_every_role_against_every_page(client, samples, role):
    # The partner user belongs to the agency the sample disclosure was sent to; partners of
    # other agencies get 404 for it (tests/dispatch/test_portal.py).
    agency = samples["partner_agency"] if role == Role.PARTNER else None
    user = make_user(role=role, agency=agency)
    sign_in(client, user)
    checked = 0
    for _, namespace, name, callback in own_routes():
        rule = rule_of(callback)
        key, url = url_for(namespace, name, samples)
        if rule == PUBLIC or key in POST_ONLY:
            continue
        assert key in EXPECTED, f"Add {key} to EXPECTED in this test"
        response = client.get(url)
        if role in EXPECTED[key]:
            assert response.status_code == 200, f"{role} should open {url}"
        else:
            assert response.status_code == 403, f"{role} must not open {url}"
        checked += 1
    assert checked >= len(EXPECTED)


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_every_role_against_every_form_without_a_page(client, samples, role):
    agency = samples["partner_agency"] if role == Role.PARTNER else None
    sign_in(client, make_user(role=role, agency=agency))
    assert {"accounts:sign-out", *EXPECTED_POST} == POST_ONLY, "Add it to EXPECTED_POST"
    for key, allowed in EXPECTED_POST.items():
        namespace, name = key.split(":")
        _, url = url_for(namespace, name, samples)
        response = client.post(url)
        if role in allowed:
            assert response.status_code == 302, f"{role} should send {url}"
        else:
            assert response.status_code == 403, f"{role} must not send {url}"


@pytest.mark.django_db
def test_signed_out_visitors_reach_only_public_pages(client, samples):
    for _, namespace, name, callback in own_routes():
        key, url = url_for(namespace, name, samples)
        response = client.post(url) if key in POST_ONLY else client.get(url)
        if rule_of(callback) == PUBLIC:
            assert response.status_code in (200, 302), url
            if response.status_code == 302:
                assert response["Location"].startswith("/sign-in"), url
        else:
            assert response.status_code == 302, url
            assert response["Location"].startswith("/sign-in?next="), url


@pytest.mark.django_db
def test_password_alone_without_second_factor_reaches_no_private_page(client, samples):
    user = make_user(role=Role.ADMINISTRATOR)
    client.force_login(user)  # password checked, code never given
    for _, namespace, name, callback in own_routes():
        key, url = url_for(namespace, name, samples)
        if rule_of(callback) == PUBLIC or key in POST_ONLY:
            continue
        assert client.get(url).status_code == 302, url
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_only_administrators_use_the_admin(client, role):
    user = make_user(role=role)
    sign_in(client, user)
    for url in ("/admin/", "/admin/accounts/user/", "/admin/directory/agency/"):
        response = client.get(url)
        if role == Role.ADMINISTRATOR:
            assert response.status_code == 200, url
        else:
            assert response.status_code in (302, 403), url
            assert response.status_code != 200


@pytest.mark.django_db
def test_navigation_shows_each_role_only_what_it_may_use(signed_in):
    client, _ = signed_in(Role.PARTNER)
    page = client.get("/").content.decode()
    assert "Agencies and schools" not in page
    assert "Administration" not in page
    client, _ = signed_in(Role.ADMINISTRATOR)
    page = client.get("/").content.decode()
    assert "Agencies and schools" in page
    assert 'href="/admin/"' in page

"""API clients: bearer tokens, scopes, and a rule on every route."""

import pytest

from childfirst.accounts.api_auth import ApiRule
from childfirst.accounts.models import ApiClient, ApiScope
from childfirst.accounts.services import create_api_client, rotate_api_client_token
from childfirst.api.urls import api
from tests.builders import make_agency

pytestmark = pytest.mark.django_db


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_client_can_check_its_token(client):
    created = create_api_client(name="Niche RMS", scope=ApiScope.INTAKE)
    response = client.get("/api/v1/me", **bearer(created.token))
    assert response.status_code == 200
    assert response.json() == {"name": "Niche RMS", "scope": "intake", "agency": None}


def test_a_partner_client_belongs_to_its_agency(client):
    agency = make_agency(code="hackney-mash")
    created = create_api_client(name="Hackney case system", scope=ApiScope.PARTNER, agency=agency)
    assert client.get("/api/v1/me", **bearer(created.token)).json()["agency"] == "hackney-mash"


def test_no_token_or_a_wrong_token_is_refused(client):
    create_api_client(name="Niche RMS", scope=ApiScope.INTAKE)
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", **bearer("cf_not-a-real-token")).status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Basic abc").status_code == 401


def test_a_revoked_client_is_refused(client):
    created = create_api_client(name="Old system", scope=ApiScope.INTAKE)
    ApiClient.objects.filter(pk=created.client.pk).update(is_active=False)
    assert client.get("/api/v1/me", **bearer(created.token)).status_code == 401


def test_a_replaced_token_stops_working(client):
    created = create_api_client(name="Niche RMS", scope=ApiScope.INTAKE)
    new_token = rotate_api_client_token(client=created.client)
    assert client.get("/api/v1/me", **bearer(created.token)).status_code == 401
    assert client.get("/api/v1/me", **bearer(new_token)).status_code == 200


def test_only_a_hash_of_the_token_is_stored():
    created = create_api_client(name="Niche RMS", scope=ApiScope.INTAKE)
    stored = ApiClient.objects.get(pk=created.client.pk)
    assert created.token not in (stored.token_hash, stored.token_prefix)
    assert len(stored.token_hash) == 64


def test_scopes_keep_intake_and_partner_clients_apart():
    import rules

    agency = make_agency()
    intake = create_api_client(name="RMS", scope=ApiScope.INTAKE).client
    partner = create_api_client(name="Case system", scope=ApiScope.PARTNER, agency=agency).client
    assert rules.has_perm("api.intake", intake)
    assert not rules.has_perm("api.intake", partner)
    assert rules.has_perm("api.partner", partner)
    assert not rules.has_perm("api.partner", intake)


def test_partner_clients_need_an_agency_and_intake_clients_have_none():
    from childfirst.accounts.services import AccountError

    with pytest.raises(AccountError, match="agency"):
        create_api_client(name="No agency", scope=ApiScope.PARTNER)
    with pytest.raises(AccountError, match="agency"):
        create_api_client(name="Intake with agency", scope=ApiScope.INTAKE, agency=make_agency())


def test_every_api_route_declares_a_permission_rule():
    missing = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                rules_declared = [a for a in operation.auth_callbacks if isinstance(a, ApiRule)]
                if not rules_declared:
                    missing.append(f"{operation.methods} {prefix}{path}")
    assert not missing, f"API routes without an ApiRule: {missing}"


def test_openapi_description_is_published_with_bearer_security(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/me" in schema["paths"]
    assert schema["paths"]["/api/v1/me"]["get"]["security"]

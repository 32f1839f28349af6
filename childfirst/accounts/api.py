"""API routes about the calling client itself."""

from ninja import Router, Schema

from childfirst.accounts.api_auth import ApiRule

router = Router(tags=["Clients"])


class ClientOut(Schema):
    name: str
    scope: str
    agency: str | None


@router.get("/me", response=ClientOut, auth=ApiRule("api.any_client"), summary="Check your token")
def me(request):
    """Who the token belongs to: a safe way for an integrator to check a token works."""
    client = request.auth
    return ClientOut(
        name=client.name, scope=client.scope, agency=client.agency.code if client.agency else None
    )

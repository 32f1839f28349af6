"""The JSON API, version 1, mounted at /api/v1/. Each app brings its own router."""

from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from childfirst.accounts.api import router as accounts_router
from childfirst.desk.api import router as desk_router
from childfirst.dispatch.api import router as dispatch_router
from childfirst.incidents.api import router as incidents_router
from childfirst.people.api import router as people_router
from childfirst.screening.api import router as screening_router
from childfirst.timescales.api import router as timescales_router


class ChildFirstApi(NinjaAPI):
    """The API, its description saying what every route with a token answers without one."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if isinstance(operation, dict) and operation.get("security"):
                    responses = operation.setdefault("responses", {})
                    responses.setdefault(401, {"description": "No token, or not a valid one"})
                    responses.setdefault(403, {"description": "This token may not use this route"})
        return schema


api = ChildFirstApi(
    title="Child First API",
    version="1",
    description=(
        "For police records systems (scope `intake`) and partner agencies' case systems "
        "(scope `partner`). Send `Authorization: Bearer <token>`; administrators issue tokens "
        "with `childfirst apiclient create`."
    ),
    urls_namespace="api-1",
    docs_url=None,
    openapi_url="/openapi.json",
)
api.add_router("/", accounts_router)
api.add_router("/", incidents_router)
api.add_router("/", people_router)
api.add_router("/", screening_router)
api.add_router("/", timescales_router)
api.add_router("/", desk_router)
api.add_router("/", dispatch_router)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, error):
    """401 with the challenge HTTP requires (RFC 9110 section 11.6.1): which scheme to use."""
    response = api.create_response(request, {"detail": "Unauthorized"}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="Child First API"'
    return response

"""The JSON API, version 1, mounted at /api/v1/. Each app brings its own router."""

from ninja import NinjaAPI

from childfirst.accounts.api import router as accounts_router
from childfirst.desk.api import router as desk_router
from childfirst.dispatch.api import router as dispatch_router
from childfirst.incidents.api import router as incidents_router
from childfirst.people.api import router as people_router
from childfirst.screening.api import router as screening_router
from childfirst.timescales.api import router as timescales_router

api = NinjaAPI(
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

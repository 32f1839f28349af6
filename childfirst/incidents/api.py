"""API routes of the incidents app (mounted at /api/v1/ by childfirst.api).

POST /incidents takes the body as JSON itself rather than through a ninja body parameter, so
that the same checks (and the same error messages) serve the API, file imports and the form:
the OpenAPI description still shows the payload's full schema.
"""

import json

from ninja import Router, Status

from childfirst.accounts.api_auth import ApiRule
from childfirst.incidents import services
from childfirst.incidents.schemas import (
    ConflictOut,
    IncidentIn,
    IncidentOut,
    ProblemOut,
    ValidationProblemOut,
    incident_out,
)

router = Router(tags=["Incidents"])


def _inline(schema: dict) -> dict:
    """The payload's JSON schema with its $defs written in place (it has no cycles), so it can
    sit inside the OpenAPI description's request body."""
    definitions = schema.pop("$defs", {})

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                rest = {key: value for key, value in node.items() if key != "$ref"}
                return {**walk(definitions[ref.removeprefix("#/$defs/")]), **walk(rest)}
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(schema)


REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": _inline(IncidentIn.model_json_schema())}},
    }
}


@router.post(
    "/incidents",
    auth=ApiRule("api.intake"),
    response={
        200: IncidentOut,
        201: IncidentOut,
        400: ProblemOut,
        409: ConflictOut,
        422: ValidationProblemOut,
    },
    openapi_extra=REQUEST_BODY,
    summary="Send an incident",
)
def send_incident(request):
    """Store an incident from a police records system (the payload is in docs/intake.md).

    201 with the incident and its notices when it is new; 200 with the same when the identical
    payload was sent before (so a retry is always safe); 409 when the source reference is
    stored with a different payload, or was sent by another client, and nothing changed; 422
    naming every failing field; 400 when the body is not JSON. The reply comes only after the
    incident is stored.
    """
    try:
        payload = json.loads(request.body)
    except ValueError as error:
        return Status(400, {"detail": f"The request body is not valid JSON: {error}."})
    try:
        result = services.record_incident(
            payload=payload, received_from=request.auth, request=request
        )
    except services.InvalidIncident as error:
        count = len(error.errors)
        detail = (
            f"The incident was not stored: {count} field{'s' * (count != 1)} "
            f"need{'s' * (count == 1)} correcting."
        )
        errors = [{"field": e.field, "message": e.message} for e in error.errors]
        return Status(422, {"detail": detail, "errors": errors})
    except services.ConflictingReplay as error:
        return Status(
            409,
            {
                "detail": str(error),
                "incident_id": None if error.other_sender else error.incident.pk,
                "differences": error.differences,
            },
        )
    return Status(201 if result.created else 200, incident_out(result.incident))


@router.get(
    "/incidents/{incident_id}",
    auth=ApiRule("api.intake"),
    response={200: IncidentOut, 404: ProblemOut},
    summary="Get an incident you sent",
)
def get_incident(request, incident_id: int):
    """An incident this client sent, with its notices (one per child). Another client's
    incident is 404, as if it did not exist."""
    incident = services.incident_for_client(
        incident_id=incident_id, client=request.auth, request=request
    )
    if incident is None:
        return Status(404, {"detail": "This client sent no incident with that id."})
    return Status(200, incident_out(incident))

"""API routes of the screening app (mounted at /api/v1/ by childfirst.api).

POST /language-check takes the body as JSON itself (as POST /incidents does), so that every
problem comes back in one shape, naming the field: {"detail", "errors": [{"field", "message"}]}.
"""

import json
from typing import Annotated

from ninja import Field, Router, Schema, Status
from pydantic import BaseModel, ConfigDict, StrictInt, StrictStr, ValidationError

from childfirst.accounts.api_auth import ApiRule
from childfirst.screening import language

router = Router(tags=["Screening"])

MAX_TEXT = 20_000


class LanguageCheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[
        StrictStr,
        Field(max_length=MAX_TEXT, description="The words to check, up to 20,000 characters"),
    ]
    child_age: Annotated[
        StrictInt | None,
        Field(
            ge=0,
            description=(
                "The child's age in years, if known. Some words are flagged only about a child "
                "(under 18); null when not known."
            ),
        ),
    ] = None


class FindingOut(Schema):
    id: str = Field(description="The pattern's id in rules/language/")
    words: str = Field(description="The words as written in the text")
    start: int = Field(description="Where the words start: a character offset in the text")
    end: int = Field(description="Where the words end (exclusive)")
    why: str = Field(description="Why the words matter, in plain words")
    suggestion: str = Field(description="A suggested rewording")


class LanguageCheckOut(Schema):
    findings: list[FindingOut]
    rules_version: str = Field(description="The version of the language patterns used")


class LanguageFieldErrorOut(Schema):
    field: str
    message: str


class LanguageProblemOut(Schema):
    detail: str
    errors: list[LanguageFieldErrorOut] = Field(default_factory=list)


REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": LanguageCheckIn.model_json_schema()}},
    }
}

MESSAGES = {
    "missing": "Enter the {field}",
    "string_type": "The {field} must be text",
    "int_type": "The {field} must be a whole number of years, or null",
    "string_too_long": f"The {{field}} must be {MAX_TEXT:,} characters or fewer",
    "greater_than_equal": "The {field} must be 0 or more",
    "extra_forbidden": "{field} is not a field of a language check: send text and child_age",
}
NAMES = {"text": "text", "child_age": "child's age (child_age)"}


@router.post(
    "/language-check",
    auth=ApiRule("api.intake"),
    response={200: LanguageCheckOut, 400: LanguageProblemOut, 422: LanguageProblemOut},
    openapi_extra=REQUEST_BODY,
    summary="Check words for victim-blaming and adultifying language",
)
def language_check(request):
    """Check free text about a child (a narrative as an officer writes it) for victim-blaming
    and adultifying language. Each finding gives the words, where they are, why they matter and
    a suggested rewording. It only advises: nothing is stored and nothing is refused.

    422 names each field that is wrong; 400 when the body is not JSON.
    """
    try:
        payload = json.loads(request.body)
    except ValueError as error:
        return Status(400, {"detail": f"The request body is not valid JSON: {error}."})
    if not isinstance(payload, dict):
        return Status(
            422,
            {
                "detail": "The request body must be a JSON object with text and child_age.",
                "errors": [{"field": "(body)", "message": "Send a JSON object"}],
            },
        )
    try:
        checked = LanguageCheckIn.model_validate(payload)
    except ValidationError as error:
        errors = [_field_error(e) for e in error.errors(include_url=False)]
        return Status(
            422, {"detail": "The text was not checked: correct the fields named.", "errors": errors}
        )
    findings = language.check_language(text=checked.text, child_age=checked.child_age)
    return Status(
        200,
        {
            "findings": [finding.__dict__ for finding in findings],
            "rules_version": language.rules_version(),
        },
    )


def _field_error(error: dict) -> dict:
    field = ".".join(str(part) for part in error["loc"]) or "(body)"
    template = MESSAGES.get(error["type"])
    if template is None:
        return {"field": field, "message": error["msg"]}
    return {"field": field, "message": template.format(field=NAMES.get(field, field))}

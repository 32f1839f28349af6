"""API routes declare their permission rule as their auth: `auth=ApiRule("api.intake")`.

The bearer token is checked first (401 if unknown or inactive), then the named rule against
the client (403 if the rule does not allow it). Deny unless a rule allows.
"""

from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

import rules
from childfirst.accounts.services import authenticate_api_token


class ApiRule(HttpBearer):
    def __init__(self, rule: str):
        super().__init__()
        self.rule = rule

    def authenticate(self, request, token):
        client = authenticate_api_token(token)
        if client is None:
            return None
        if not rules.has_perm(self.rule, client):
            raise AuthorizationError(message="This token may not use this route")
        request.api_client = client
        return client

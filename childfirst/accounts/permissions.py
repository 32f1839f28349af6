"""Who may do what. Deny unless a rule here allows.

Every view declares the rule it needs with `@permission_rule("name")`; the
PermissionRuleMiddleware refuses any view that declares none. Rules are `rules`
predicates over the signed-in user, so object checks (a partner user and the agency of a
disclosure) fit the same way in later apps.
"""

import rules
from childfirst.accounts.models import ApiClient, ApiScope, Role

# A view open to everyone, signed in or not (sign-in, health check, accessibility statement).
PUBLIC = "public"


def has_role(*roles):
    names = {str(role) for role in roles}

    @rules.predicate(name=f"has_role({','.join(sorted(names))})")
    def predicate(user):
        return bool(
            getattr(user, "is_authenticated", False) and user.is_active and user.role in names
        )

    return predicate


is_frontline_officer = has_role(Role.FRONTLINE_OFFICER)
is_desk_researcher = has_role(Role.DESK_RESEARCHER)
is_desk_supervisor = has_role(Role.DESK_SUPERVISOR)
is_partner = has_role(Role.PARTNER)
is_exploitation_officer = has_role(Role.EXPLOITATION_OFFICER)
is_strategy_lead = has_role(Role.STRATEGY_LEAD)
is_auditor = has_role(Role.AUDITOR)
is_administrator = has_role(Role.ADMINISTRATOR)
is_any_role = has_role(*Role.values)
is_police_staff = has_role(*(role for role in Role.values if role != Role.PARTNER))
is_desk = is_desk_researcher | is_desk_supervisor

# Pages every signed-in user may see.
rules.add_perm("web.view_home", is_any_role)
rules.add_perm("accounts.view_own_account", is_any_role)
rules.add_perm("accounts.sign_out", is_any_role)
# Reference data: police staff look up agencies and schools; administrators change them.
rules.add_perm(
    "directory.view_directory",
    is_frontline_officer | is_desk | is_exploitation_officer | is_strategy_lead | is_administrator,
)
rules.add_perm("admin.use_admin", is_administrator)


# API clients: predicates over the calling ApiClient, not a user.
@rules.predicate
def is_api_client(client):
    return isinstance(client, ApiClient) and client.is_active


def has_scope(scope):
    @rules.predicate(name=f"has_scope({scope})")
    def predicate(client):
        return isinstance(client, ApiClient) and client.is_active and client.scope == scope

    return predicate


rules.add_perm("api.any_client", is_api_client)
rules.add_perm("api.intake", has_scope(ApiScope.INTAKE))
rules.add_perm("api.partner", has_scope(ApiScope.PARTNER))

# The Django admin asks for model permissions: administrators may view, add and change
# reference data, users and API clients. Nothing is deleted there: people and agencies are
# made inactive so that the access log keeps its meaning.
ADMIN_MANAGED_MODELS = [
    "accounts.user",
    "accounts.apiclient",
    "directory.localauthority",
    "directory.ward",
    "directory.agency",
    "directory.school",
    "directory.sharingagreement",
]
for _label in ADMIN_MANAGED_MODELS:
    _app, _model = _label.split(".")
    for _action in ("view", "add", "change"):
        rules.add_perm(f"{_app}.{_action}_{_model}", is_administrator)

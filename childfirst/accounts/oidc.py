"""Single sign-on with OpenID Connect (Entra ID or another provider), when switched on.

Accounts are made by administrators: the provider's verified email address must match an active
user here; single sign-on never creates an account or changes a role. The provider is trusted for
the second factor (Entra ID conditional access), so such sessions count as fully signed in.
"""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class ChildFirstOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or claims.get("upn") or "").strip().lower()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def verify_claims(self, claims):
        return bool(claims.get("email") or claims.get("upn"))

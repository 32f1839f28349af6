"""What a fully signed-in session looks like: password and a second factor (or single sign-on)."""

SESSION_SIGNED_IN_AT = "childfirst_signed_in_at"
SESSION_LAST_SEEN = "childfirst_last_seen"
SESSION_SSO = "childfirst_sso"
# The user who has given a right password but not yet their code.
SESSION_PENDING_USER = "childfirst_pending_user"


def is_fully_signed_in(request) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if request.session.get(SESSION_SSO):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())

from django.conf import settings

from childfirst.accounts.services import is_fully_signed_in
from childfirst.web.navigation import items_for


def service(request):
    signed_in = is_fully_signed_in(request)
    return {
        "force_name": settings.CHILDFIRST_FORCE_NAME,
        "feedback_email": settings.CHILDFIRST_FEEDBACK_EMAIL,
        "signed_in": signed_in,
        "navigation": items_for(request.user, request.path) if signed_in else [],
    }

"""Email alerts through the SMTP relay: they say only that something is waiting, with a link
to the portal. They never carry personal data: no name, date of birth, address or what
happened, only the agency's own name and a reference number."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import NoReverseMatch, reverse

from childfirst.dispatch.channels import Outcome


def portal_link(disclosure=None) -> str:
    base = settings.CHILDFIRST_SITE_URL.rstrip("/")
    try:
        if disclosure is not None:
            return base + reverse("dispatch:portal-disclosure", args=[disclosure.pk])
        return base + reverse("dispatch:portal")
    except NoReverseMatch:
        return base + "/dispatch/portal/"


def alert_text(disclosure) -> tuple[str, str]:
    agency = disclosure.agency
    subject = "A referral is waiting for you in Child First"
    body = (
        f"A new referral for {agency.name} is waiting in Child First (reference "
        f"D{disclosure.pk}).\n\n"
        f"Sign in to read it: {portal_link(disclosure)}\n\n"
        "This email has no details of the child, for their safety. Do not reply to it.\n"
    )
    return subject, body


def send_plain(*, to: list[str], subject: str, body: str) -> Outcome:
    """Send one email; classify what went wrong like a webhook's status."""
    try:
        EmailMessage(subject=subject, body=body, to=to).send(fail_silently=False)
    except smtplib.SMTPResponseException as error:
        text = f"The mail relay answered {error.smtp_code}"
        if 400 <= error.smtp_code < 500:
            return Outcome.again(text)
        return Outcome.refused(text)
    except smtplib.SMTPRecipientsRefused:
        return Outcome.refused("The mail relay refused the address")
    except (TimeoutError, smtplib.SMTPException, OSError) as error:
        return Outcome.again(f"Could not reach the mail relay ({type(error).__name__})")
    return Outcome.ok()


def send(delivery, *, now) -> Outcome:
    disclosure = delivery.disclosure
    address = disclosure.agency.notify_email
    if not address:
        return Outcome.refused("The agency has no email for alerts")
    subject, body = alert_text(disclosure)
    return send_plain(to=[address], subject=subject, body=body)

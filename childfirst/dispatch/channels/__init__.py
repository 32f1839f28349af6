"""Delivery channels: each takes a claimed Delivery (with its disclosure and agency) and says
what happened, as an Outcome. Channels never write to the database; delivery.py does."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    retry: bool = False  # worth trying again (connection error, 5xx, 429)
    error: str = ""
    retry_after: float | None = None  # seconds the receiver asked us to wait
    status: int | None = None

    @classmethod
    def ok(cls, status=None):
        return cls(delivered=True, status=status)

    @classmethod
    def again(cls, error, *, retry_after=None, status=None):
        return cls(delivered=False, retry=True, error=error, retry_after=retry_after, status=status)

    @classmethod
    def refused(cls, error, *, status=None):
        return cls(delivered=False, retry=False, error=error, status=status)


def channel_for(name: str):
    from childfirst.dispatch.channels import email, portal, webhook

    return {"portal": portal, "email": email, "webhook": webhook}[name]

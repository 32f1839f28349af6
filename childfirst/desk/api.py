"""API routes of the desk app (mounted at /api/v1/ by childfirst.api)."""

from ninja import Router

router = Router(tags=["Desk"])

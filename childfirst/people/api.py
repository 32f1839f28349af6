"""API routes of the people app (mounted at /api/v1/ by childfirst.api)."""

from ninja import Router

router = Router(tags=["People"])

"""API routes of the incidents app (mounted at /api/v1/ by childfirst.api)."""

from ninja import Router

router = Router(tags=["Incidents"])

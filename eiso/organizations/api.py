"""API endpoints of the organisation area (agencies, units, users)."""

from ninja import Router

router = Router(tags=["organisation"])

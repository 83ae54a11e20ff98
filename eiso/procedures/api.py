"""The procedures API (django-ninja), mounted by eiso.api."""

from ninja import Router

router = Router(tags=["procedures"])

"""The audits API (django-ninja), mounted by eiso.api."""

from ninja import Router

router = Router(tags=["audits"])

"""The rollout API (django-ninja), mounted by eiso.api: rollouts, their phases, procedure registry
and gap surveys. Reads through the selectors, writes through the services."""

from ninja import Router

router = Router(tags=["rollout"])

"""``{% panels "slot" name=value … as extras %}``: the panels later apps contribute to a slot of
this page (``eiso.core.panels``)."""

from django import template

from eiso.core.panels import panels_for

register = template.Library()


@register.simple_tag(name="panels", takes_context=True)
def panels_tag(context, slot: str, **objects):
    return panels_for(slot, context.get("request"), **objects)

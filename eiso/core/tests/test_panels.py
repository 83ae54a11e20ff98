from django.template import Context, Template
from django.test import RequestFactory

from eiso.core import panels
from eiso.core.panels import Panel, panel_register, panels_for


def test_contributors_answer_in_order_once_and_may_decline(monkeypatch):
    monkeypatch.setattr(panels, "_contributors", {})

    def first(request, *, things):
        return Panel(title=f"{len(things)} things")

    def declines(request, *, things):
        return None

    def last(request, *, things):
        return Panel(title="last", data=request)

    for contributor in (first, declines, last, first):
        panel_register("test.slot", contributor)
    request = RequestFactory().get("/")
    expected = [Panel(title="2 things"), Panel(title="last", data=request)]
    assert panels_for("test.slot", request, things=[1, 2]) == expected
    assert panels_for("nobody.contributes", request) == []


def test_template_tag_hands_the_page_objects_and_request(monkeypatch):
    monkeypatch.setattr(panels, "_contributors", {})
    panel_register("test.slot", lambda request, *, things: Panel(title=f"{request.path}: {len(things)}"))
    template = Template('{% load panels %}{% panels "test.slot" things=items as extras %}'
                        "{% for panel in extras %}[{{ panel.title }}]{% endfor %}")
    html = template.render(Context({"request": RequestFactory().get("/x/"), "items": [1, 2, 3]}))
    assert html == "[/x/: 3]"

"""The dossier list's rows written in Python (``eiso.dossiers.list_rows``) are the markup the
template wrote: the template's loop is kept here and both are compared, byte for byte."""

import pytest
import time_machine
from django.template import engines
from django.utils import translation

from eiso.dossiers.list_rows import result_badges, result_cell, table_rows
from eiso.dossiers.models import Dossier
from eiso.dossiers.selectors.lists import is_overdue
from eiso.dossiers.tests.factories.dossiers import NOW, dossiers_of_agency_a

pytestmark = pytest.mark.django_db

# The rows as dossier_list.html rendered them before (its {% for %} loop).
TEMPLATE_ROWS = """{% load i18n %}{% for dossier in page %}
      <tr>
        <td class="eiso-dossier-code"><a class="fw-semibold" href="{% url 'dossiers:dossier-detail' dossier.pk %}">{{ dossier.code }}</a>
          {% if dossier.applicant %}<div class="small text-body-secondary text-wrap">{{ dossier.applicant|truncatechars:40 }}</div>{% endif %}
          <div class="d-md-none small text-wrap">{{ dossier.admin_procedure.code }}{% if show_agency %} · {{ dossier.agency.short_name|default:dossier.agency.name }}{% endif %}</div></td>
        <td class="d-none d-md-table-cell small eiso-cell-text"><span class="text-body-secondary">{{ dossier.admin_procedure.code }}</span> {{ dossier.admin_procedure.name|truncatechars:90 }}</td>
        {% if show_agency %}<td class="d-none d-md-table-cell small">{{ dossier.agency.short_name|default:dossier.agency.name }}</td>{% endif %}
        <td class="d-none d-md-table-cell text-nowrap small">{{ dossier.received_at|date:"d/m/Y H:i" }}</td>
        <td class="small{% if dossier.overdue %} text-danger fw-semibold{% endif %}">{% if dossier.due_at %}<span class="text-nowrap">{{ dossier.due_at|date:"d/m/Y" }}</span> <span class="text-nowrap">{{ dossier.due_at|date:"H:i" }}</span>{% else %}—{% endif %}
          <div class="d-lg-none fw-normal text-body-secondary">{{ dossier.get_status_display }}</div></td>
        <td class="d-none d-lg-table-cell small">{{ dossier.get_status_display }}</td>
        <td class="text-nowrap">{% include "dossiers/dossier_result.html" with result=dossier.result overdue=dossier.overdue open=dossier.is_open %}</td>
        <td class="d-none d-xl-table-cell small">{% if dossier.current_step %}{% blocktranslate with n=dossier.current_step %}Step {{ n }}{% endblocktranslate %}{% if dossier.current_unit %} · {{ dossier.current_unit.name }}{% endif %}{% else %}—{% endif %}</td>
      </tr>
      {% endfor %}"""  # noqa: E501


@pytest.fixture
def rows(agency_a, unit_a, one_stop_a):
    found = dossiers_of_agency_a(agency_a, unit_a, one_stop_a)
    # Text to escape and to cut, a dossier with no due date and no step, an agency with no short name.
    Dossier.objects.filter(pk=found["later"].pk).update(applicant='<b>"Cty & Co"</b> ' + "rất dài " * 10)
    Dossier.objects.filter(pk=found["waiting"].pk).update(due_at=None, current_step=None, current_unit=None)
    found["tthc"].name = "Thủ tục <i>có</i> tên & dài " * 6
    found["tthc"].save()
    agency_a.short_name = ""
    agency_a.save()
    dossiers = list(Dossier.objects.select_related("agency", "admin_procedure", "current_unit").defer("steps")
                    .order_by("code"))
    for dossier in dossiers:
        dossier.overdue = is_overdue(dossier, NOW)
        dossier.is_open = dossier.result == ""
    return dossiers


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("show_agency", [False, True])
def test_the_rows_are_the_templates_markup(rows, language, show_agency):
    assert {d.result for d in rows} >= {"late", "early", ""} and any(d.overdue for d in rows)
    assert any(d.due_at is None for d in rows) and any(d.current_unit_id for d in rows)
    with time_machine.travel(NOW, tick=False), translation.override(language):
        expected = engines["django"].from_string(TEMPLATE_ROWS).render({"page": rows, "show_agency": show_agency})
        written = table_rows(rows, show_agency=show_agency)
    assert "&lt;b&gt;&quot;Cty &amp; Co&quot;&lt;/b&gt;" in written and "…" in written
    assert written == expected


def test_every_result_badge_is_the_included_templates(rows):
    template = engines["django"].get_template("dossiers/dossier_result.html")
    for language in ("vi", "en"):
        with translation.override(language):
            badges = result_badges()
            for result in ("", "early", "on_time", "late"):
                for overdue in (False, True):
                    for is_open in (False, True):
                        assert result_cell(badges, result=result, overdue=overdue, is_open=is_open) == template.render(
                            {"result": result, "overdue": overdue, "open": is_open})

"""The rows of the dossier list's table, written here rather than by the template engine.

A page of 25 dossiers was some 900 template variables, filters, ``{% url %}``, ``{% include %}``
and ``{% blocktranslate %}`` nodes: about half of the page's CPU time (issue 15), on the page
every role opens most. Here each row costs a few string joins. The markup is the one the template
wrote (``dossier_list.html`` before, ``dossiers/dossier_result.html`` for the result badge, which
the dossier page still includes): every text from the database is escaped, times are shown in the
current time zone, labels are translated once per page.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from eiso.dossiers.choices import DossierStatus, Result

DASH = "—"


def _day(moment: dt.datetime) -> str:
    return f"{moment.day:02d}/{moment.month:02d}/{moment.year:04d}"


def _time(moment: dt.datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def result_badges() -> dict[str, str]:
    """The result cell's markup by case (``dossiers/dossier_result.html``), translated now."""
    return {
        Result.EARLY: f'<span class="badge text-bg-primary">{escape(_("Early"))}</span>\n',
        Result.ON_TIME: f'<span class="badge text-bg-success">{escape(_("On time"))}</span>\n',
        Result.LATE: f'<span class="badge text-bg-danger">{escape(_("Late"))}</span>\n',
        "overdue": f'<span class="badge text-bg-danger"><i class="bi bi-alarm" aria-hidden="true"></i> '
                   f'{escape(_("Overdue"))}</span>\n',
        "open": f'<span class="badge text-bg-light border">{escape(_("Not finished"))}</span>\n',
        "": '<span class="text-body-secondary">—</span>\n',
    }


def result_cell(badges: dict[str, str], *, result: str, overdue: bool, is_open: bool) -> str:
    if result in (Result.EARLY, Result.ON_TIME, Result.LATE):
        return badges[result]
    return badges["overdue" if overdue else "open" if is_open else ""]


def table_rows(dossiers, *, show_agency: bool) -> SafeString:
    """The ``<tr>`` lines of ``dossiers`` (each with ``overdue`` and ``is_open`` set by the view,
    its agency, procedure and current unit read with it); ``show_agency``: the agency column."""
    statuses = {value: escape(label) for value, label in DossierStatus.choices}
    badges = result_badges()
    step_text = _("Step %(n)s")
    detail = reverse("dossiers:dossier-detail", args=[0]).removesuffix("0/")
    out = []
    for d in dossiers:
        procedure = d.admin_procedure
        procedure_code = escape(procedure.code)
        agency = escape(d.agency.short_name or d.agency.name) if show_agency else ""
        under_code = f"{procedure_code} · {agency}" if show_agency else procedure_code
        applicant = (f'<div class="small text-body-secondary text-wrap">{escape(Truncator(d.applicant).chars(40))}'
                     "</div>" if d.applicant else "")
        received = timezone.localtime(d.received_at)
        if d.due_at is not None:
            due_at = timezone.localtime(d.due_at)
            due = f'<span class="text-nowrap">{_day(due_at)}</span> <span class="text-nowrap">{_time(due_at)}</span>'
        else:
            due = DASH
        status = statuses.get(d.status, escape(d.status))
        if d.current_step:
            step = step_text % {"n": d.current_step}
            if d.current_unit_id is not None:
                step += f" · {escape(d.current_unit.name)}"
        else:
            step = DASH
        out.append(
            "\n      <tr>"
            f'\n        <td class="eiso-dossier-code"><a class="fw-semibold" href="{detail}{int(d.pk)}/">'
            f"{escape(d.code)}</a>"
            f"\n          {applicant}"
            f'\n          <div class="d-md-none small text-wrap">{under_code}</div></td>'
            f'\n        <td class="d-none d-md-table-cell small eiso-cell-text"><span class="text-body-secondary">'
            f"{procedure_code}</span> {escape(Truncator(procedure.name).chars(90))}</td>"
            "\n        " + (f'<td class="d-none d-md-table-cell small">{agency}</td>' if show_agency else "") +
            f'\n        <td class="d-none d-md-table-cell text-nowrap small">{_day(received)} {_time(received)}</td>'
            f'\n        <td class="small{" text-danger fw-semibold" if d.overdue else ""}">{due}'
            f'\n          <div class="d-lg-none fw-normal text-body-secondary">{status}</div></td>'
            f'\n        <td class="d-none d-lg-table-cell small">{status}</td>'
            '\n        <td class="text-nowrap">'
            f"{result_cell(badges, result=d.result, overdue=d.overdue, is_open=d.is_open)}</td>"
            f'\n        <td class="d-none d-xl-table-cell small">{step}</td>'
            "\n      </tr>"
            "\n      "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value from the database is escaped above

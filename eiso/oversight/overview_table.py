"""The body of the province overview's table, written here rather than by the template engine.

150 lines of 14 linked figures are some 4,000 template variables and 4,000 ``{% if %}`` nodes: a
quarter of a second of rendering on PostgreSQL's benchmark (issue 14), more than the selector
itself. Here each line costs a few string joins (the whole body a few milliseconds). The markup is
the one the template wrote: an agency's name opens its oversight page; each figure opens the list
behind it when the viewer may read that agency's lists (``linked``), otherwise it is plain text.
Every text that comes from the database is escaped; labels are translated once per page.
"""

import datetime

from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from eiso.oversight.calculations import GREEN, RED

DASH = "—"


def _date(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else DASH


def _names(agencies) -> str:
    return ", ".join(escape(a.name) for a in agencies)


def table_body(rows, *, year: int, urls: dict, linked) -> SafeString:
    """The ``<tr>`` lines of ``rows`` (``figures.AgencyFigures``) for the overview of ``year``.
    ``urls``: the lists each figure opens (resolved once by the view); ``linked``: the agencies
    whose lists the viewer may open."""
    merged_into, successor_of, renewal = escape(_("Merged into")), escape(_("Successor of")), escape(_("Renewal due"))
    badges = {GREEN: f'<span class="badge text-bg-success">● {escape(_("Compliant"))}</span>',
              RED: f'<span class="badge text-bg-danger">● {escape(_("Not compliant"))}</span>'}
    amber = f'<span class="badge text-bg-warning">● {escape(_("Cannot be assessed"))}</span>'
    u = {key: escape(value) for key, value in urls.items()}
    cell = '<td class="text-end text-nowrap">'
    out = []
    for f in rows:
        pk = int(f.agency.pk)
        opens = pk in linked

        def link(href: str, text: str, css: str = "", opens=opens) -> str:
            if not opens:
                return text
            return f'<a class="{css}" href="{href}">{text}</a>' if css else f'<a href="{href}">{text}</a>'

        name = f'<td><a href="{u["agency"]}{pk}/?year={year}">{escape(f.agency.name)}</a>'
        if f.successors:
            name += f'<div class="small text-body-secondary">{merged_into} {_names(f.successors)}</div>'
        if f.predecessors:
            name += f'<div class="small text-body-secondary">{successor_of} {_names(f.predecessors)}</div>'
        announced = link(f'{u["announcements"]}?agency={pk}', _date(f.announced_on))
        if f.renewal_due:
            announced += f'<div><span class="badge text-bg-warning">{renewal}</span></div>'
        on_time = f"{floatformat(f.on_time_rate, 1)} %" if f.on_time_rate is not None else DASH
        satisfaction = floatformat(f.satisfaction_score, "-2") if f.satisfaction_score is not None else DASH
        fives = f"{floatformat(f.fives_score, 1)} %" if f.fives_score is not None else DASH
        danger = "text-danger fw-semibold"
        cells = (
            badges.get(f.compliance, amber),
            announced,
            link(f'{u["coverage"]}?agency={pk}', f"{f.tthc_covered} / {f.tthc_total}"),
            link(f'{u["documents"]}?agency={pk}&kind=operational_procedure', str(f.procedures_in_force)),
            link(f'{u["audits"]}?agency={pk}', _date(f.last_internal_audit)),
            link(f'{u["reviews"]}?agency={pk}', _date(f.last_management_review)),
            link(f'{u["objectives"]}?year={year}&agency={pk}', f"{f.objectives_met} / {f.objectives_set}"),
            link(f'{u["actions"]}?agency={pk}', str(f.open_corrective_actions)),
            link(f'{u["actions"]}?agency={pk}&state=overdue', str(f.overdue_corrective_actions),
                 danger if f.overdue_corrective_actions else ""),
            link(f'{u["statistics"]}?agency={pk}&from={year}-01&to={year}-12', on_time),
            link(f'{u["satisfaction"]}?agency={pk}&period={year}', satisfaction),
            link(f'{u["fives"]}?agency={pk}', fives),
            link(f'{u["legal"]}?agency={pk}&overdue=1', str(f.legal_reviews_overdue),
                 danger if f.legal_reviews_overdue else ""),
        )
        out.append(f"<tr>{name}</td>{cell}{f'</td>{cell}'.join(cells)}</td></tr>")
    return mark_safe("\n".join(out))  # noqa: S308  (every database text above is escaped)

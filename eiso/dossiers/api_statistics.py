"""On-time statistics over the API, read from the rollups like the page.

    GET /api/v1/dossiers/statistics?group=procedure&from=2026-01&to=2026-06[&agency=STP][&procedure=1.004227]
    → {"group": "procedure", "from": "2026-01", "to": "2026-06", "totals": {...}, "rows": [...]}

``group`` is one of agency, procedure, step, unit, month, procedure_month. ``agency`` is a code
or an id, ``procedure`` an id or a national code. Both must be readable by the caller: another
agency's answers 404, like one that does not exist. This router is mounted before the dossiers
router so ``/dossiers/statistics`` is never taken for a dossier code.
"""

from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from eiso.core.errors import Forbidden, NotFound, ValidationFailed
from eiso.core.text import is_id
from eiso.dossiers.selectors import statistics as stats
from eiso.organizations.api import ERRORS, Text
from eiso.organizations.selectors import visible_agencies
from eiso.procedures.selectors import admin_procedures_for_user

router = Router(tags=["dossiers"])

Group = Literal["agency", "procedure", "step", "unit", "month", "procedure_month"]


class CountsOut(Schema):
    early: int
    on_time: int
    late: int
    total: int
    on_time_rate: float | None = Field(description="(early + on time) / total in %, null when total is 0.")
    late_rate: float | None


class RowOut(CountsOut):
    key: str
    label: str
    code: str = Field("", description="Code of the procedure (or of the agency, grouped by agency).")
    agency: str = Field("", description="Agency code (short name, grouped by agency).")
    procedure_id: int | None = None
    step: int | None = None
    month: str | None = Field(None, description="YYYY-MM, grouped by month.")
    unit: str = Field("", description="The unit of the step (grouped by step).")
    rank: int | None = Field(None, description="Rank by on-time rate (grouped by agency).")


class StatisticsOut(Schema):
    group: str
    from_month: str = Field(alias="from")
    to_month: str = Field(alias="to")
    agency: int | None
    procedure: int | None
    totals: CountsOut
    rows: list[RowOut]


def _agency_id(user, agency: str) -> str:
    if not agency:
        return ""
    qs = visible_agencies(user)
    found = qs.filter(pk=int(agency)) if is_id(agency) else qs.filter(code=agency)
    pk = found.values_list("pk", flat=True).first()
    if pk is None:
        raise NotFound()
    return str(pk)


def _procedure_id(user, procedure: str, agency_id: str) -> str:
    if not procedure or is_id(procedure):
        return procedure
    qs = admin_procedures_for_user(user, agency=agency_id).filter(code=procedure)
    found = list(qs.values_list("pk", flat=True)[:2])
    if not found:
        raise NotFound()
    if len(found) > 1:
        raise ValidationFailed(_("Several agencies publish procedure %(code)s: give the agency too.")
                               % {"code": procedure}, errors={"agency": [_("Required with a procedure code.")]})
    return str(found[0])


def _counts(c) -> dict:
    return {"early": c.early, "on_time": c.on_time, "late": c.late, "total": c.total,
            "on_time_rate": c.on_time_rate, "late_rate": c.late_rate}


@router.get("/dossiers/statistics", response={200: StatisticsOut, **ERRORS}, by_alias=True,
            summary="Early, on-time and late counts and rates, grouped")
def dossier_statistics(
    request,
    group: Annotated[Group, Query(description="What one row is.")] = "procedure",
    from_month: Annotated[Text, Query("", alias="from", description="First month, YYYY-MM (default: 11 months "
                                                                     "before the last).")] = "",
    to_month: Annotated[Text, Query("", alias="to", description="Last month, YYYY-MM (default: this month).")] = "",
    agency: Annotated[Text, Query("", description="Agency code or id.")] = "",
    procedure: Annotated[Text, Query("", description="Procedure id, or national code.")] = "",
    field: Annotated[Text, Query("", description="Field (lĩnh vực) of the procedures.")] = "",
):
    user = request.auth
    if not visible_agencies(user).exists():
        raise Forbidden()
    agency_id = _agency_id(user, agency.strip())
    procedure_id = _procedure_id(user, procedure.strip(), agency_id)
    query = stats.statistics_query(user, start=from_month, end=to_month, agency=agency_id, procedure=procedure_id,
                                   field=field)
    rows = stats.statistics_rows(user, query, group)
    return {"group": group, "from": query.start.strftime("%Y-%m"), "to": query.end.strftime("%Y-%m"),
            "agency": query.agency_id, "procedure": query.procedure_id,
            "totals": _counts(stats.totals(user, query)),
            "rows": [{**r.as_dict(), "key": str(r.key)} for r in rows]}

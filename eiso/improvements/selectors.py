"""Scoped reads of nonconformities, corrective actions and risks, and what the system surfaces:
nonconformities without a corrective action request, actions past due, verifications due and
repeat nonconformities, per agency and across the province.

Every query starts from the app's scope policy; ``*_get_for_user`` raise NotFound outside it.
"""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from eiso.core.selectors import by_agency, get_or_404
from eiso.core.text import is_id
from eiso.improvements.calculations import add_months, repeats
from eiso.improvements.choices import NOT_CLOSED, NonconformitySource, NonconformityStatus
from eiso.improvements.models import CorrectiveAction, Nonconformity, Risk, Verification
from eiso.improvements.permissions import policy
from eiso.organizations.selectors import visible_agencies

OPEN_ACTION_STATUSES = (NonconformityStatus.ACTION_PLANNED, NonconformityStatus.IMPLEMENTED,
                        NonconformityStatus.VERIFIED_EFFECTIVE)
ACTION_STATES = ("overdue", "verification_due", "planned", "implemented", "verified", "closed")


def _search(qs, q: str, *fields):
    q = (q or "").strip()
    if not q:
        return qs
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": q})
    return qs.filter(condition)


# --- nonconformities ------------------------------------------------------------------------------


def without_action_q() -> Q:
    """A nonconformity with no corrective action request (the defect inspectors keep finding)."""
    return Q(action__isnull=True) & ~Q(status=NonconformityStatus.CLOSED)


def nonconformities_for_user(user, *, q: str = "", status: str = "", source: str = "", unit: str = "",
                             clause: str = "", agency: str = "", without_action: bool = False,
                             repeat: bool = False, today: datetime.date | None = None) -> QuerySet[Nonconformity]:
    qs = policy.filter(user, "view_nonconformity", Nonconformity.objects).select_related(
        "agency", "unit", "admin_procedure", "document", "action", "action__owner")
    qs = _search(qs, q, "code", "description", "clause")
    if status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source=source)
    if unit and is_id(unit):
        qs = qs.filter(unit_id=int(unit))
    if clause:
        qs = qs.filter(clause=clause.strip())
    if without_action:
        qs = qs.filter(without_action_q())
    if repeat:
        qs = qs.filter(pk__in=repeat_ids(user, today=today))
    return by_agency(qs, agency).order_by("-detected_on", "-id")


def nonconformity_get_for_user(user, pk) -> Nonconformity:
    return get_or_404(nonconformities_for_user(user).select_related("reported_by", "finding"), pk)


def late_step_nonconformity(user, *, procedure, step: int) -> Nonconformity | None:
    """The open nonconformity recorded for a late step of ``procedure``, if ``user`` reads it."""
    return nonconformities_for_user(user).filter(
        source=NonconformitySource.LATE_DOSSIER, status__in=NOT_CLOSED, admin_procedure=procedure,
        dossier_step=step).first()


def repeat_ids(user, *, today: datetime.date | None = None, agency_ids=None) -> set[int]:
    """Nonconformities repeating another of the same clause and unit within 12 months, among
    those detected in the last 24 months (older ones cannot be a current repeat's pair)."""
    today = today or timezone.localdate()
    qs = policy.filter(user, "view_nonconformity", Nonconformity.objects).filter(
        detected_on__gte=add_months(today, -24))
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    return repeats(qs.values_list("pk", "clause", "unit_id", "detected_on"))


# --- corrective actions ---------------------------------------------------------------------------


def _state_q(state: str, today: datetime.date) -> Q:
    S = NonconformityStatus
    return {
        "overdue": Q(nonconformity__status=S.ACTION_PLANNED, due_on__lt=today),
        "verification_due": Q(nonconformity__status=S.IMPLEMENTED)
        & (Q(verification_due_on__lte=today) | Q(verification_due_on__isnull=True)),
        "planned": Q(nonconformity__status=S.ACTION_PLANNED),
        "implemented": Q(nonconformity__status=S.IMPLEMENTED),
        "verified": Q(nonconformity__status=S.VERIFIED_EFFECTIVE),
        "closed": Q(nonconformity__status=S.CLOSED),
    }[state]


def corrective_actions_for_user(user, *, q: str = "", state: str = "", unit: str = "", owner: str = "",
                                agency: str = "", today: datetime.date | None = None
                                ) -> QuerySet[CorrectiveAction]:
    today = today or timezone.localdate()
    qs = policy.filter(user, "view_correctiveaction", CorrectiveAction.objects).select_related(
        "agency", "nonconformity", "nonconformity__unit", "owner", "verifier")
    qs = _search(qs, q, "nonconformity__code", "action_plan", "root_cause", "nonconformity__description")
    if state in ACTION_STATES:
        qs = qs.filter(_state_q(state, today))
    if unit and is_id(unit):
        qs = qs.filter(nonconformity__unit_id=int(unit))
    if owner and is_id(owner):
        qs = qs.filter(owner_id=int(owner))
    qs = by_agency(qs, agency)
    return qs.annotate(ineffective_count=Count("verifications", filter=Q(verifications__effective=False)))\
        .order_by("due_on", "id")


def corrective_action_get_for_user(user, pk) -> CorrectiveAction:
    return get_or_404(corrective_actions_for_user(user).select_related("created_by", "nonconformity__agency"), pk)


def verifications_of(action: CorrectiveAction):
    return Verification.objects.filter(action=action).select_related("verified_by").order_by("-verified_on", "-id")


# --- risks ----------------------------------------------------------------------------------------


def risks_for_user(user, *, q: str = "", kind: str = "", level: str = "", unit: str = "", document: str = "",
                   agency: str = "", review_due: bool = False, today: datetime.date | None = None
                   ) -> QuerySet[Risk]:
    qs = policy.filter(user, "view_risk", Risk.objects).select_related("agency", "unit", "document", "owner")
    qs = _search(qs, q, "description", "cause", "treatment")
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(level=level)
    if unit and is_id(unit):
        qs = qs.filter(unit_id=int(unit))
    if document and is_id(document):
        qs = qs.filter(document_id=int(document))
    if review_due:
        qs = qs.filter(review_on__lte=today or timezone.localdate())
    return by_agency(qs, agency).order_by("-likelihood", "-impact", "id")


def risk_get_for_user(user, pk) -> Risk:
    return get_or_404(risks_for_user(user).prefetch_related("actions__nonconformity"), pk)


def heat_map(risks: QuerySet[Risk]) -> dict[tuple[int, int], int]:
    """How many risks sit in each (likelihood, impact) cell."""
    rows = risks.order_by().values("likelihood", "impact").annotate(n=Count("id"))
    return {(r["likelihood"], r["impact"]): r["n"] for r in rows}


# --- what the system surfaces ---------------------------------------------------------------------


def attention_counts(user, *, agency: str = "", today: datetime.date | None = None) -> list[dict]:
    """Per agency the user reads (one query per figure, whatever the number of agencies):
    nonconformities without an action, actions past due, verifications due, repeat
    nonconformities, and open nonconformities. Agencies with nothing open are left out."""
    today = today or timezone.localdate()
    agencies = visible_agencies(user)
    if agency:
        agencies = agencies.filter(pk=int(agency)) if is_id(agency) else agencies.filter(code=agency)
    agency_ids = list(agencies.values_list("pk", flat=True))
    ncs = Nonconformity.objects.filter(agency_id__in=agency_ids)
    acts = CorrectiveAction.objects.filter(agency_id__in=agency_ids)

    def per_agency(qs, condition):
        return dict(qs.filter(condition).order_by().values_list("agency_id").annotate(n=Count("id")))

    without = per_agency(ncs, without_action_q())
    open_ = per_agency(ncs, Q(status__in=NOT_CLOSED))
    overdue = per_agency(acts, _state_q("overdue", today))
    due = per_agency(acts, _state_q("verification_due", today))
    repeat_pks = repeat_ids(user, today=today, agency_ids=agency_ids)
    repeated = dict(Nonconformity.objects.filter(pk__in=repeat_pks).order_by().values_list("agency_id")
                    .annotate(n=Count("id"))) if repeat_pks else {}
    rows = []
    for a in agencies.order_by("name"):
        row = {"agency": a, "without_action": without.get(a.pk, 0), "overdue": overdue.get(a.pk, 0),
               "verification_due": due.get(a.pk, 0), "repeats": repeated.get(a.pk, 0), "open": open_.get(a.pk, 0)}
        if any(row[k] for k in ("without_action", "overdue", "verification_due", "repeats", "open")):
            rows.append(row)
    return rows


def attention_totals(rows: list[dict]) -> dict:
    keys = ("without_action", "overdue", "verification_due", "repeats", "open")
    return {k: sum(r[k] for r in rows) for k in keys}


def agency_attention(user, agency, *, today: datetime.date | None = None) -> dict:
    """The four warnings of one agency, for a dashboard card: counts only."""
    rows = attention_counts(user, agency=str(agency.pk), today=today)
    return rows[0] if rows else {"agency": agency, "without_action": 0, "overdue": 0, "verification_due": 0,
                                 "repeats": 0, "open": 0}


def actions_by_agency(user, agency_ids, *, today: datetime.date | None = None) -> dict[int, dict]:
    """Per given agency with corrective actions (one query): those not closed yet (``open``: their
    nonconformity's status is one of ``OPEN_ACTION_STATUSES``) and those past due (``overdue``, as
    ``attention_counts``)."""
    today = today or timezone.localdate()
    rows = (policy.filter(user, "view_correctiveaction", CorrectiveAction.objects)
            .filter(agency_id__in=list(agency_ids)).order_by().values("agency_id")
            .annotate(open=Count("id", filter=Q(nonconformity__status__in=OPEN_ACTION_STATUSES)),
                      overdue=Count("id", filter=_state_q("overdue", today))))
    return {r.pop("agency_id"): r for r in rows}

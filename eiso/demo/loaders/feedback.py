"""Demo citizen satisfaction and complaints.

Per agency with demo dossiers: every third finished dossier evaluated on the nine indicators
(scores drawn from the dossier code, so each run gives the same; each agency leans differently so
the grades differ), the provincial SIPAS index of last year, and five complaints: one past due,
one answered as justified and recorded as a nonconformity, one answered as not justified, one
being handled, one not accepted. Idempotent: an agency with evaluations or complaints is skipped.
The texts and figures are in ``eiso/demo/content/feedback.json``; everything is written through
the feedback services and import.
"""

import datetime
import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from eiso.demo.content import read
from eiso.dossiers.models import Dossier
from eiso.feedback import services
from eiso.feedback.choices import INDICATORS
from eiso.feedback.imports import satisfaction_import_rows
from eiso.feedback.models import Complaint, SatisfactionEvaluation
from eiso.organizations.models import Agency

_CONTENT = read("feedback")


def _scores(code: str, lean: float) -> dict:
    """The nine scores of one dossier: mostly 2, some 1, a few 0, the same on every run."""
    rng = random.Random(code)
    two = 0.6 + lean  # the chance of a 2 on each indicator; then 1 twice as often as 0
    scores = {}
    for i in INDICATORS:
        draw = rng.random()
        scores[f"indicator_{i}"] = 2 if draw < two else (1 if draw < two + (1 - two) * 2 / 3 else 0)
    return scores


def _evaluate(agency, lean: float) -> int:
    finished = (Dossier.objects.filter(agency=agency, finished_at__isnull=False).order_by("code")
                .values_list("code", flat=True))
    every = int(_CONTENT["evaluate_every"])
    rows = [{"dossier_code": code, **_scores(code, lean)} for n, code in enumerate(finished.iterator())
            if n % every == 0]
    if not rows:
        return 0
    return satisfaction_import_rows(actor=None, agency=agency, rows=rows).created


def _complaints(agency, today: datetime.date) -> int:
    unit = agency.units.filter(is_active=True).exclude(kind__in=("leadership", "one_stop")).order_by("code").first()
    dossiers = list(Dossier.objects.filter(agency=agency, finished_at__isnull=False)
                    .select_related("admin_procedure").order_by("-received_at")[:5])
    for n, case in enumerate(_CONTENT["complaints"]):
        received_on = today - datetime.timedelta(days=case["days_ago"])
        dossier = dossiers[n] if n < len(dossiers) and case["state"] != "rejected" else None
        complaint = services.complaint_create(
            actor=None, agency=agency, received_on=received_on, channel=case["channel"], person=case["person"],
            contact=case["contact"], content=case["content"], dossier=dossier,
            unit=unit if case["state"] != "overdue" else None)
        state = case["state"]
        answered_on = min(today, complaint.due_on - datetime.timedelta(days=1))
        if state == "in_progress" and unit is not None:
            services.complaint_assign(actor=None, complaint=complaint, unit=unit)
        elif state in ("justified", "not_justified"):
            services.complaint_answer(actor=None, complaint=complaint, answer=case["answer"],
                                      justified=state == "justified", answered_on=answered_on)
            if state == "justified":
                services.complaint_to_nonconformity(actor=None, complaint=complaint)
        elif state == "rejected":
            services.complaint_reject(actor=None, complaint=complaint, answer=case["answer"], answered_on=answered_on)
    return len(_CONTENT["complaints"])


def load(out: Callable[[str], None] | None = None) -> list[dict]:
    log = out or (lambda _message: None)
    today = timezone.localdate()
    loaded = []
    agency_ids = Dossier.objects.order_by().values("agency_id").distinct()
    for agency in Agency.objects.filter(pk__in=agency_ids, valid_to__isnull=True).order_by("code"):
        if (SatisfactionEvaluation.objects.filter(agency=agency).exists()
                or Complaint.objects.filter(agency=agency).exists()):
            continue
        with transaction.atomic():
            evaluated = _evaluate(agency, float(_CONTENT["lean"].get(agency.code, 0)))
            services.benchmark_set(actor=None, agency=agency, year=today.year - 1,
                                   sipas=Decimal(str(_CONTENT["sipas"]["value"])), note=_CONTENT["sipas"]["note"])
            complaints = _complaints(agency, today)
        loaded.append(f"{agency.code} {evaluated}/{complaints}")
    log(f"Satisfaction evaluations and complaints: {', '.join(loaded)}." if loaded
        else "Satisfaction evaluations and complaints already loaded: nothing to create.")
    return []

"""Demo nonconformities, corrective actions in every state and a risk register per department.

Per demo agency (those with a document system): one nonconformity deliberately left without a
corrective action (so the warning shows), one action past due, one implemented and waiting for
verification, one found ineffective and reopened, one verified effective waiting for closure, one
closed (of the same clause and unit as the one without action: a repeat), and for each active
department a few risks and an opportunity. Idempotent: an agency with nonconformities is skipped.
The cases, risks and texts are in ``eiso/demo/content/improvements.json``.
"""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from eiso.demo.content import read
from eiso.documents.choices import PROCEDURE_KINDS
from eiso.documents.models import Document
from eiso.improvements import services
from eiso.improvements.models import Nonconformity
from eiso.organizations.choices import Role
from eiso.organizations.models import Agency, User

_CONTENT = read("improvements")
DEMO_AGENCIES = tuple(_CONTENT["agencies"])
# key, clause, source, days ago, description
CASES = [(c["key"], c["clause"], c["source"], c["days_ago"], c["description"]) for c in _CONTENT["cases"]]
# kind, description, cause, likelihood, impact, treatment
RISKS = [(r["kind"], r["description"], r["cause"], r["likelihood"], r["impact"], r["treatment"])
         for r in _CONTENT["risks"]]
ACTION = _CONTENT["corrective_action"]


def _with_role(agency, role, unit=None):
    qs = User.objects.filter(memberships__agency=agency, memberships__valid_to__isnull=True,
                             memberships__role_rows__role=role, is_active=True)
    if unit is not None:
        qs = qs.filter(memberships__unit=unit)
    return qs.order_by("pk").first()


def _member(agency, unit=None):
    qs = User.objects.filter(memberships__agency=agency, memberships__valid_to__isnull=True, is_active=True)
    if unit is not None:
        qs = qs.filter(memberships__unit=unit)
    return qs.order_by("pk").first()


class _AgencyImprovements:
    def __init__(self, agency: Agency, today: datetime.date):
        self.agency, self.today = agency, today
        self.secretary = _with_role(agency, Role.QMS_SECRETARY) or _with_role(agency, Role.AGENCY_HEAD)
        self.verifier = _with_role(agency, Role.QMS_SECRETARY) or _with_role(agency, Role.AUDITOR)
        self.units = list(agency.units.filter(is_active=True).exclude(kind="leadership").order_by("code"))
        self.procedure = Document.objects.filter(agency=agency, kind__in=PROCEDURE_KINDS).order_by("code").first()

    def ago(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days)

    def load(self) -> int:
        if not self.units:
            return 0
        unit = self.units[0]
        owner = _with_role(self.agency, Role.UNIT_HEAD, unit) or _member(self.agency, unit) or _member(self.agency)
        if owner is None:
            return 0
        for key, clause, source, days, description in CASES:
            nc = services.nonconformity_create(
                actor=None, agency=self.agency, source=source, clause=clause, unit=unit, description=description,
                detected_on=self.ago(days), document=self.procedure)
            if key != "no_action":
                self.answer(key, nc, owner, days)
        for i, department in enumerate(self.units):
            head = _with_role(self.agency, Role.UNIT_HEAD, department) or owner
            for kind, description, cause, likelihood, impact, treatment in RISKS[i % 2:]:
                services.risk_create(actor=None, agency=self.agency, kind=kind, unit=department,
                                     document=self.procedure, description=description, cause=cause,
                                     likelihood=max(1, likelihood - i % 2), impact=impact, treatment=treatment,
                                     owner=head, review_on=self.today + datetime.timedelta(days=90 - 30 * i))
        return len(CASES)

    def answer(self, key: str, nc: Nonconformity, owner, days: int) -> None:
        # nobody verifies their own action: in a small agency whose ISO secretary owns it, the system does
        verifier = self.verifier if self.verifier is not None and self.verifier.pk != owner.pk else None
        action = services.corrective_action_create(
            actor=None, nonconformity=nc, correction=ACTION["correction"],
            root_cause_method=ACTION["root_cause_method"], whys=list(ACTION["whys"]), root_cause=ACTION["root_cause"],
            action_plan=ACTION["action_plan"], owner=owner, due_on=self.ago(days - 30), verifier=verifier,
            verification_due_on=self.ago(days - 45) if verifier else None, notify=False)
        if key == "overdue":
            return
        implemented_on = self.ago(days - 25)
        services.corrective_action_implement(actor=None, action=action, implemented_on=implemented_on,
                                            evidence=ACTION["evidence"].format(day=implemented_on))
        if key == "implemented":
            return
        verified_on = min(self.today, self.ago(days - 45))
        if verifier is not None and not verifier.has_perm("improvements.verify_correctiveaction", action):
            verifier = None  # recorded as a system verification rather than by someone not independent
        if key == "ineffective":
            services.corrective_action_verify(actor=verifier, action=action, effective=False, verified_on=verified_on,
                                             note=ACTION["ineffective"],
                                             new_due_on=self.today + datetime.timedelta(days=20))
            return
        services.corrective_action_verify(actor=verifier, action=action, effective=True, verified_on=verified_on,
                                         note=ACTION["effective"])
        if key == "closed":
            services.corrective_action_close(actor=None, action=action, today=verified_on)


def load(out: Callable[[str], None] | None = None) -> list[dict]:
    log = out or (lambda _message: None)
    today = timezone.localdate()
    loaded = []
    for agency in Agency.objects.filter(code__in=DEMO_AGENCIES, valid_to__isnull=True).order_by("code"):
        if Nonconformity.objects.filter(agency=agency).exists():
            continue
        with transaction.atomic():
            if _AgencyImprovements(agency, today).load():
                loaded.append(agency.code)
    log(f"Nonconformities, corrective actions and risks of {', '.join(loaded)}." if loaded
        else "Nonconformities and risks already loaded: nothing to create.")
    return []

"""The demo TTHC catalogue: what each agency of the demo province resolves, and how.

Per agency, the administrative procedures (TTHC) of its fields with their national codes,
statutory limits and fees, grouped by the operational procedure (``QT-xx``) that resolves them
(``eiso/demo/content/procedures.json``). The groups reuse the operational procedures of the
documents loader (their step tables match section 5.7 written there); a few fields get a new
operational procedure here, published the documents loader's way. In the agencies of ``gaps``
(STP, the ward of Trường Vinh) some fields are deliberately left without an effective procedure
(none, or only a draft), so the coverage page shows a gap and the province overview a scope not
covered; in the others every such field gets its own procedure here, so their scope covers every
TTHC they handle (QĐ 19/2014). The process of STP's QT-07 keeps the allowances its text states
(0.5 + 7 + 1 + 0.5 = 9 working days) against a statutory limit of 10 days, so the allowance
warning shows.

The names are those of the national TTHC database as best known when this was written; the
codes follow its format (``1.004227``) and MUST be verified against csdl.dichvucong.gov.vn
before anyone relies on them. The People's Committee of the province and the provincial service
centre have no catalogue here: the TTHC they sign or receive belong to the departments.

Everything goes through the services as the system (``actor=None``). ``load()`` is idempotent:
TTHC are looked up by code, documents by code, and ``process_definition_set`` writes nothing
when the steps are unchanged.
"""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import count

from django.db import transaction
from django.utils import timezone

from eiso.demo.content import read
from eiso.demo.loaders.document_plans import DEFINITIONS, PLANS, TEXTS, tthc
from eiso.demo.loaders.documents import AgencyDocuments
from eiso.documents.choices import DocumentKind
from eiso.documents.models import Document, ExternalDocument
from eiso.organizations.choices import AgencyLevel, UnitKind
from eiso.organizations.models import Agency
from eiso.procedures import services
from eiso.procedures.choices import OnlineLevel, ProcedureLevel
from eiso.procedures.models import AdminProcedure


@dataclass(frozen=True)
class T:
    """One TTHC: national code (to verify), name, fee, online level, relative dossier volume."""

    code: str
    name: str
    fee: str
    online: str
    volume: int


@dataclass(frozen=True)
class Group:
    """TTHC of one field with the same statutory limit, resolved by one operational procedure.

    ``document``: the ``QT-xx`` that resolves them (None: no procedure yet); ``title``: set when
    this loader creates that procedure. ``steps``: (action, unit code, working days); the unit
    code ``ONE_STOP``/``LEAD``/``SPEC`` stands for the agency's one-stop desk, leadership and
    ``unit``. ``bottleneck``: the step that runs late most often in the dossiers demo.
    """

    field: str
    days: Decimal
    unit: str
    tthc: tuple[T, ...]
    document: str | None = None
    title: str = ""
    steps: tuple[tuple[str, str, Decimal], ...] = ()
    legal: tuple[str, ...] = ()
    bottleneck: int = 2


def d(value) -> Decimal:
    return Decimal(str(value))


_CONTENT = read("procedures")
STEP_NAMES = _CONTENT["step_names"]
NEW_PROCEDURE = _CONTENT["new_procedure"]


def standard_steps(days: Decimal, *, sign: str = "LEAD") -> tuple[tuple[str, str, Decimal], ...]:
    """The usual four steps adding up exactly to ``days``: desk, specialist, signature, desk."""
    if days <= 1:
        desk, signing = days / 8, days / 4
    else:
        desk, signing = d("0.5"), d(1) if days >= 5 else d("0.5")
    return ((STEP_NAMES["receive"], "ONE_STOP", desk), (STEP_NAMES["examine"], "SPEC", days - 2 * desk - signing),
            (STEP_NAMES["sign"], sign, signing), (STEP_NAMES["return"], "ONE_STOP", desk))


def _group(entry: dict) -> Group:
    steps = tuple((STEP_NAMES[name[1:]] if name.startswith("@") else name, unit, d(days))
                  for name, unit, days in entry.get("steps", ()))
    return Group(entry["field"], d(entry["days"]), entry["unit"],
                 tuple(T(code, name, fee, OnlineLevel(online), volume) for code, name, fee, online, volume
                       in entry["tthc"]),
                 entry.get("document"), entry.get("title", ""), steps, tuple(entry.get("legal", ())),
                 entry.get("bottleneck", 2))


GAPS = frozenset(_CONTENT["gaps"])  # the agencies whose catalogue keeps TTHC without an effective procedure


def _covered(agency: str, groups: tuple[Group, ...]) -> tuple[Group, ...]:
    """``groups`` where each group without an effective procedure (none, or a draft only) gets an
    operational procedure of its own, created by this loader with the next free ``QT-xx`` code."""
    plan = PLANS.get(agency)
    if plan is None:
        return groups
    drafts = {p.code for p in plan.procedures if p.draft_only}
    used = {p.code for p in plan.procedures} | {g.document for g in groups if g.document}
    number, covered, fields = 10, [], Counter()
    for group in groups:
        if group.document is None or (group.document in drafts and not group.title):
            number = next(n for n in count(number + 1) if f"QT-{n:02d}" not in used)
            used.add(f"QT-{number:02d}")
            fields[group.field] += 1
            title = NEW_PROCEDURE["title"].format(field=group.field[:1].lower() + group.field[1:])
            if fields[group.field] > 1:  # a second group of the field: its own procedure, told apart
                title += NEW_PROCEDURE["title_group"].format(n=fields[group.field])
            group = replace(group, document=f"QT-{number:02d}", title=title)
        covered.append(group)
    return tuple(covered)


_GROUPS = {name: tuple(_group(g) for g in groups) for name, groups in _CONTENT["groups"].items()}
CATALOGUES = {agency: _GROUPS[name] if agency in GAPS else _covered(agency, _GROUPS[name])
              for agency, name in _CONTENT["catalogues"].items()}


def mismatched() -> list[tuple[str, str]]:
    """(agency, document) of the processes whose allowances deliberately miss the limit."""
    return [(agency, g.document) for agency, groups in CATALOGUES.items() for g in groups
            if g.steps and sum(s[2] for s in g.steps) != g.days]


# --- the loader -----------------------------------------------------------------------------------------


def _days_text(days: Decimal) -> str:
    if days < 1:
        return f"{days * 8:g} giờ làm việc".replace(".", ",")
    return f"{days:g} ngày làm việc".replace(".", ",")


class _AgencyCatalogue:
    def __init__(self, agency: Agency, groups: tuple[Group, ...], today: datetime.date, created: Counter):
        self.agency, self.groups, self.today, self.created = agency, groups, today, created
        self.level = ProcedureLevel.COMMUNE if agency.level == AgencyLevel.COMMUNE_PC else ProcedureLevel.PROVINCE
        self.units = {u.code: u for u in agency.units.filter(is_active=True)}
        self.one_stop = next((u for u in self.units.values() if u.kind == UnitKind.ONE_STOP), None)
        self.lead = next((u for u in self.units.values() if u.kind == UnitKind.LEADERSHIP), None)
        self.documents = {doc.code: doc for doc in Document.objects.filter(
            agency=agency, kind=DocumentKind.OPERATIONAL_PROCEDURE)}
        self.existing = set(AdminProcedure.objects.filter(agency=agency).values_list("code", flat=True))
        self.externals = {e.number: e for e in ExternalDocument.objects.filter(agency=agency)}

    def unit(self, code: str, group: Group):
        if code == "ONE_STOP":
            return self.one_stop
        if code == "LEAD":
            return self.lead
        code = group.unit if code == "SPEC" else code
        if code == "ECON":
            return self.units.get("KTHTDT") or self.units.get("KT")
        return self.units.get(code)

    def steps(self, group: Group) -> list[dict]:
        return [{"name": name, "unit": self.unit(unit, group), "hours": days * 8,
                 "form": f"BM-{i:02d}-{group.document.replace('-', '')}" if i == 1 else "",
                 "result": NEW_PROCEDURE["first_step_result"] if i == 1 else ""}
                for i, (name, unit, days) in enumerate(group.steps or standard_steps(group.days), start=1)]

    def new_document(self, group: Group) -> Document | None:
        """The operational procedure this loader adds for ``group`` (published through the
        documents loader, so it reads like the others)."""
        plan = PLANS.get(self.agency.code)
        if plan is None:
            return None
        helper = AgencyDocuments(self.agency, plan, self.today, self.created)
        spec = self.unit(group.unit, group)
        steps = group.steps or standard_steps(group.days)
        lines = []
        for name, unit, days in steps:
            unit_obj = self.unit(unit, group)
            lines.append(NEW_PROCEDURE["step"].format(name=name, unit=unit_obj.name if unit_obj else NEW_PROCEDURE[
                "desk"], days=_days_text(days)))
        content = tthc(
            legal=NEW_PROCEDURE["legal"], dossier=tuple(NEW_PROCEDURE["dossier"]),
            limit=NEW_PROCEDURE["limit"].format(days=_days_text(group.days)), fee=NEW_PROCEDURE["fee"],
            steps=tuple(lines))
        document = helper.document(group.document, group.title, DocumentKind.OPERATIONAL_PROCEDURE,
                                   spec.code if spec else None)
        sections = {"purpose": NEW_PROCEDURE["purpose"].format(field=group.field.lower()),
                    "scope": NEW_PROCEDURE["scope"].format(unit=spec.name if spec else NEW_PROCEDURE["specialist"]),
                    "definitions": DEFINITIONS, "content": content}
        helper.publish(document, unit_code=spec.code if spec else None, content=content, sections=sections,
                       summary=TEXTS["first_issue"], effective=min(plan.start, self.today))
        return document

    def load(self) -> None:
        for group in self.groups:
            document = self.documents.get(group.document) if group.document else None
            if group.title and document is None:
                document = self.new_document(group)
                if document is not None:
                    self.documents[document.code] = document
                    self.created["operational procedures"] += 1
            if document is not None and (group.steps or group.title):
                _definition, created = services.process_definition_set(actor=None, document=document,
                                                                       steps=self.steps(group))
                self.created["processes"] += created
            basis = [self.externals[n] for n in group.legal if n in self.externals]
            for t in group.tthc:
                if t.code in self.existing:
                    continue
                services.admin_procedure_create(
                    actor=None, agency=self.agency, code=t.code, name=t.name, field=group.field,
                    level=self.level, time_limit_days=group.days, fees=t.fee, online_level=t.online,
                    process_document=document, legal_basis=basis)
                self.existing.add(t.code)
                self.created["TTHC"] += 1


def load(out: Callable[[str], None] | None = None) -> list[dict]:
    """Create the TTHC catalogue and processes of every demo agency where missing; no logins."""
    log = out or (lambda _message: None)
    today = timezone.localdate()
    created: Counter[str] = Counter()
    for agency in Agency.objects.filter(code__in=CATALOGUES, valid_to__isnull=True).order_by("code"):
        with transaction.atomic():
            _AgencyCatalogue(agency, CATALOGUES[agency.code], today, created).load()
    wanted = ("TTHC", "processes", "operational procedures")
    if any(created[k] for k in wanted):
        log("Administrative procedures: " + ", ".join(f"{created[k]} {k}" for k in wanted) + ".")
    else:
        log("Administrative procedures already loaded: nothing to create.")
    return []

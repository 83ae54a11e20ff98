"""Writes of 5S: the programme of a year, areas, the agency's checklist (copied from the default
set on its first edit), planning and recording inspections with their photos, cancelling one,
turning a failed item into a nonconformity, rewards. Atomic and audited."""

import datetime
import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.errors import Conflict, ValidationFailed
from eiso.core.policy import require
from eiso.core.services import model_create, model_update
from eiso.core.uploads import inspect_image
from eiso.fives import scoring, selectors
from eiso.fives.choices import AreaKind, InspectionStatus, RewardKind, S
from eiso.fives.models import Answer, FivesArea, FivesItem, FivesProgramme, Inspection, Reward
from eiso.improvements.choices import NonconformitySource
from eiso.improvements.services import nonconformity_create

DEFAULT_CHECKLIST = Path(__file__).parent / "data" / "checklist.json"
WORKPLACE_CLAUSE = "7.1.4"  # environment for the operation of processes
MAX_PHOTO_BYTES = 10 * 1024 * 1024


def _invalid(field: str, message) -> ValidationFailed:
    return ValidationFailed(str(message), errors={field: [str(message)]})


def _text(value) -> str:
    return (value or "").strip() if isinstance(value, str) else value


def _works_in(person, agency) -> bool:
    return bool(person is not None and person.is_active and person.agency is not None and person.agency.pk == agency.pk)


def default_checklist() -> list[dict]:
    """The shipped default set (``data/checklist.json``)."""
    return json.loads(DEFAULT_CHECKLIST.read_text(encoding="utf-8"))["items"]


def checklist_default_ensure() -> int:
    """Create the shipped default set when it is missing (the data migration loads it; a test
    database flushed between tests loses it). Returns the number of rows created."""
    if FivesItem.objects.filter(agency__isnull=True).exists():
        return 0
    rows = [FivesItem(agency=None, s=r["s"], text=r["text"], points=r["points"], graded=r.get("graded", False),
                      position=i) for i, r in enumerate(default_checklist(), start=1)]
    FivesItem.objects.bulk_create(rows)
    return len(rows)


# --- programme and areas ---------------------------------------------------------------------------

PROGRAMME_FIELDS = ["title", "goals", "frequency"]


@transaction.atomic
def programme_create(*, actor, agency, year: int, title: str = "", goals: str = "",
                     frequency: str = "") -> FivesProgramme:
    """The agency's 5S programme of ``year`` (one a year)."""
    require(actor, "fives.manage_fives", agency)
    if FivesProgramme.objects.filter(agency=agency, year=year).exists():
        raise _invalid("year", _("The agency already has a 5S programme for %(year)s.") % {"year": year})
    return model_create(model=FivesProgramme, actor=actor, data={
        "agency": agency, "year": year, "title": _text(title) or _("5S programme %(year)s") % {"year": year},
        "goals": _text(goals), "frequency": _text(frequency)})


@transaction.atomic
def programme_update(*, actor, programme: FivesProgramme, **data) -> FivesProgramme:
    require(actor, "fives.change_fives", programme)
    clean = {k: _text(v) for k, v in data.items() if k in PROGRAMME_FIELDS}
    if "title" in clean and not clean["title"]:
        raise _invalid("title", _("Give the programme a title."))
    obj, _changes = model_update(obj=FivesProgramme.objects.select_for_update().get(pk=programme.pk), actor=actor,
                                 fields=PROGRAMME_FIELDS, data=clean)
    return obj


AREA_FIELDS = ["unit", "name", "kind", "location", "active"]


def _check_area(agency, data: dict) -> dict:
    clean = {k: _text(v) for k, v in data.items() if k in AREA_FIELDS}
    unit = clean.get("unit")
    if "unit" in clean and (unit is None or unit.agency_id != agency.pk):
        raise _invalid("unit", _("Choose one of the agency's units."))
    if "name" in clean and not clean["name"]:
        raise _invalid("name", _("Name the area."))
    if "kind" in clean and clean["kind"] not in AreaKind.values:
        raise _invalid("kind", _("Choose the kind of area."))
    if "name" in clean and FivesArea.objects.filter(unit=clean.get("unit"), name__iexact=clean["name"]).exclude(
            pk=data.get("_pk")).exists():
        raise _invalid("name", _("The unit already has an area with this name."))
    return clean


@transaction.atomic
def area_create(*, actor, agency, unit, name: str, kind: str = AreaKind.OFFICE, location: str = "") -> FivesArea:
    """An area of one of the agency's units, inspected for 5S."""
    require(actor, "fives.manage_fives", agency)
    clean = _check_area(agency, {"unit": unit, "name": name, "kind": kind, "location": location})
    return model_create(model=FivesArea, actor=actor, data={"agency": agency, **clean})


@transaction.atomic
def area_update(*, actor, area: FivesArea, **data) -> FivesArea:
    locked = FivesArea.objects.select_for_update().select_related("agency").get(pk=area.pk)
    require(actor, "fives.change_fives", locked)
    merged = {"unit": locked.unit, "name": locked.name, **data, "_pk": locked.pk}
    clean = _check_area(locked.agency, merged)
    if clean["unit"] != locked.unit and locked.inspections.exists():
        raise _invalid("unit", _("This area has inspections: it stays with its unit (add a new area instead)."))
    obj, _changes = model_update(obj=locked, actor=actor, fields=AREA_FIELDS, data=clean)
    return obj


# --- the checklist (copy on edit) -----------------------------------------------------------------

def _own_copy(actor, agency) -> dict[int, FivesItem]:
    """The agency's own checklist, copied from the default set the first time it is edited:
    ``{default item id: the agency's copy}`` (empty when the agency already had its own)."""
    if FivesItem.objects.filter(agency=agency).exists():
        return {}
    copies = {}
    for item in FivesItem.objects.filter(agency__isnull=True).order_by("position", "id"):
        copies[item.pk] = FivesItem.objects.create(
            agency=agency, s=item.s, text=item.text, points=item.points, graded=item.graded, position=item.position,
            active=item.active, copied_from=item)
    audit_record(actor=actor, action="checklist_copy", obj=agency, changes={"fives_items": [None, len(copies)]})
    return copies


ITEM_FIELDS = ["s", "text", "points", "graded", "position", "active"]


def _check_item(data: dict) -> dict:
    clean = {k: _text(v) for k, v in data.items() if k in ITEM_FIELDS}
    if "s" in clean and clean["s"] not in S.values:
        raise _invalid("s", _("Choose one of the five S."))
    if "text" in clean and not clean["text"]:
        raise _invalid("text", _("Write what the inspector checks."))
    if "points" in clean and (not isinstance(clean["points"], int) or not 1 <= clean["points"] <= 100):
        raise _invalid("points", _("Points are a whole number from 1 to 100."))
    return clean


@transaction.atomic
def item_create(*, actor, agency, s: str, text: str, points: int = 5, graded: bool = False,
                position: int | None = None) -> FivesItem:
    """Add an item to the agency's checklist (its own copy of the default set is made first)."""
    require(actor, "fives.manage_fives", agency)
    clean = _check_item({"s": s, "text": text, "points": points, "graded": graded})
    _own_copy(actor, agency)
    if position is None:
        last = FivesItem.objects.filter(agency=agency).order_by("-position").values_list("position", flat=True).first()
        position = (last or 0) + 1
    return model_create(model=FivesItem, actor=actor, data={"agency": agency, **clean, "position": position})


def _editable(actor, agency, item: FivesItem) -> FivesItem:
    """The agency's own row for ``item``: the item itself, or its copy when it is a default one."""
    require(actor, "fives.manage_fives", agency)
    if item.agency_id is None:
        copies = _own_copy(actor, agency)
        own = copies.get(item.pk) or FivesItem.objects.filter(agency=agency, copied_from=item).first()
        if own is None:
            raise Conflict(_("The agency's checklist no longer has this item."))
        return own
    if item.agency_id != agency.pk:
        raise _invalid("item", _("It belongs to another agency."))
    require(actor, "fives.change_fives", item)
    return item


@transaction.atomic
def item_update(*, actor, agency, item: FivesItem, **data) -> FivesItem:
    """Change an item of the agency's checklist; a default item is copied first (past
    inspections keep the text and points they were scored with)."""
    own = _editable(actor, agency, item)
    clean = _check_item(data)
    obj, _changes = model_update(obj=FivesItem.objects.select_for_update().get(pk=own.pk), actor=actor,
                                 fields=ITEM_FIELDS, data=clean)
    return obj


@transaction.atomic
def item_remove(*, actor, agency, item: FivesItem) -> FivesItem:
    """Take an item out of the agency's checklist (kept for the inspections that used it)."""
    own = _editable(actor, agency, item)
    if FivesItem.objects.filter(agency=agency, active=True).exclude(pk=own.pk).count() == 0:
        raise Conflict(_("The checklist needs at least one item."))
    obj, _changes = model_update(obj=FivesItem.objects.select_for_update().get(pk=own.pk), actor=actor,
                                 fields=["active"], data={"active": False}, action="remove")
    return obj


# --- inspections -----------------------------------------------------------------------------------

def _programme_of(agency, day: datetime.date) -> FivesProgramme:
    programme = FivesProgramme.objects.filter(agency=agency, year=day.year).first()
    if programme is None:
        raise _invalid("planned_on", _("The agency has no 5S programme for %(year)s yet: set it up first.")
                       % {"year": day.year})
    return programme


@transaction.atomic
def inspection_plan(*, actor, agency, area: FivesArea, planned_on: datetime.date, inspector,
                    note: str = "") -> Inspection:
    """Schedule an inspection of an area on a date, by an inspector of the agency."""
    require(actor, "fives.manage_fives", agency)
    if area is None or area.agency_id != agency.pk:
        raise _invalid("area", _("Choose one of the agency's areas."))
    if not area.active:
        raise _invalid("area", _("This area is no longer in use."))
    if not _works_in(inspector, agency):
        raise _invalid("inspector", _("The inspector must work in the agency."))
    if planned_on is None:
        raise _invalid("planned_on", _("Give the date of the inspection."))
    programme = _programme_of(agency, planned_on)
    return model_create(model=Inspection, actor=actor, data={
        "agency": agency, "programme": programme, "unit": area.unit, "area": area, "planned_on": planned_on,
        "inspector": inspector, "note": _text(note)})


def _resolve_answers(agency_id, answers: list[dict]) -> list[tuple[FivesItem, int, str]]:
    """Check ``answers`` (``{item, passed}`` or ``{item, score}``, optional ``remark``) against the
    checklist in use: every item answered once, a score within the item's points. Returns
    ``(item, score, remark)`` in the checklist's order, or raises naming each problem."""
    checklist = selectors.checklist_of(agency_id)
    by_id = {item.pk: item for item in checklist}
    given: dict[int, tuple[int, str]] = {}
    problems = []
    for answer in answers:
        raw = answer.get("item")
        item_id = raw.pk if isinstance(raw, FivesItem) else raw
        item = by_id.get(item_id) if isinstance(item_id, int) else None
        if item is None:
            problems.append(_("Item %(item)s is not on the agency's checklist.") % {"item": item_id})
            continue
        if item.pk in given:
            problems.append(_("Item %(item)s is answered twice.") % {"item": item.pk})
            continue
        passed, score = answer.get("passed"), answer.get("score")
        if score is None and passed is None:
            problems.append(_("Item %(item)s: say whether it passed, or give its score.") % {"item": item.pk})
            continue
        if score is None:
            score = item.points if passed else 0
        if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= item.points:
            problems.append(_("Item %(item)s: the score is a whole number from 0 to %(points)s.")
                            % {"item": item.pk, "points": item.points})
            continue
        if passed is not None and bool(passed) != (score == item.points):
            problems.append(_("Item %(item)s: passed means all its points, failed fewer.") % {"item": item.pk})
            continue
        given[item.pk] = (score, _text(answer.get("remark") or "")[:500])
    missing = [item.pk for item in checklist if item.pk not in given]
    if missing and not problems:
        problems.append(_("Answer every item of the checklist; missing: %(items)s.")
                        % {"items": ", ".join(str(i) for i in missing[:20])})
    if problems:
        raise ValidationFailed(str(problems[0]), errors={"answers": [str(p) for p in problems]})
    return [(item, *given[item.pk]) for item in checklist]


def _checked_photos(photos: dict | None) -> dict:
    """Check every photo before anything is written: ``{item id: (upload, UploadInfo)}``."""
    checked = {}
    for item_id, uploaded in (photos or {}).items():
        if uploaded:
            try:
                checked[item_id] = (uploaded, inspect_image(uploaded, max_bytes=MAX_PHOTO_BYTES))
            except ValidationFailed as exc:
                raise ValidationFailed(str(exc.message), errors={f"photo_{item_id}": [str(exc.message)]}) from exc
    return checked


def _store_photo(answer: Answer, uploaded, info) -> None:
    answer.photo_name, answer.photo_type, answer.photo_sha256 = info.original_name, info.file_type, info.sha256
    answer.photo.save(info.original_name, uploaded, save=False)
    answer.save(update_fields=["photo", "photo_name", "photo_type", "photo_sha256"])


@transaction.atomic
def _record(*, actor, locked: Inspection, answers: list[dict], photos: dict, done_on: datetime.date,
            note: str) -> Inspection:
    if done_on > timezone.localdate():
        raise _invalid("done_on", _("An inspection cannot be recorded in the future."))
    if done_on.year != locked.programme.year:
        raise _invalid("done_on", _("The inspection belongs to the %(year)s programme: record it within that year.")
                       % {"year": locked.programme.year})
    resolved = _resolve_answers(locked.agency_id, answers)
    failed_ids = {item.pk for item, score, _remark in resolved if score < item.points}
    stray = set(photos) - failed_ids
    if stray:
        raise _invalid("answers", _("A photo goes with a failed item only."))
    rows = []
    for item, score, remark in resolved:
        rows.append(Answer(inspection=locked, item=item, s=item.s, text=item.text, position=item.position,
                           points=item.points, score=score, passed=score == item.points, remark=remark))
    Answer.objects.bulk_create(rows)
    for row in Answer.objects.filter(inspection=locked, item_id__in=list(photos)):
        _store_photo(row, *photos[row.item_id])
    by_s = scoring.scores_by_s((r.s, r.score, r.points) for r in rows)
    scored, possible, pct = scoring.total(by_s)
    before = locked.status
    locked.status, locked.done_on = InspectionStatus.DONE, done_on
    locked.points_scored, locked.points_max, locked.percent = scored, possible, pct
    if note:
        locked.note = _text(note)
    locked.save(update_fields=["status", "done_on", "points_scored", "points_max", "percent", "note"])
    audit_record(actor=actor, action="inspect", obj=locked,
                 changes={"status": [before, locked.status], "percent": [None, str(pct)],
                          "failed": [None, len(failed_ids)]})
    return locked


def inspection_record(*, actor, inspection: Inspection, answers: list[dict], photos: dict | None = None,
                      done_on: datetime.date | None = None, note: str = "") -> Inspection:
    """Record a planned inspection: one answer per checklist item (``{item, passed}`` or
    ``{item, score}``), a photo per failed item when taken (``photos``: ``{item id: upload}``).
    Everything is checked first; the answers, photos and score are saved together or not at all."""
    require(actor, "fives.inspect_fives", inspection)
    checked = _checked_photos(photos)
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().select_related("programme").get(pk=inspection.pk)
        require(actor, "fives.inspect_fives", locked)
        if locked.status != InspectionStatus.PLANNED:
            raise Conflict(_("Only a planned inspection is recorded; this one is %(status)s.")
                           % {"status": locked.get_status_display()}, code="wrong_status")
        return _record(actor=actor, locked=locked, answers=answers, photos=checked,
                       done_on=done_on or timezone.localdate(), note=note)


def inspection_create_done(*, actor, agency, area: FivesArea, done_on: datetime.date, inspector, answers: list[dict],
                           note: str = "") -> Inspection:
    """An inspection recorded in one go (the API, an import of paper sheets): planned on its day
    and recorded with its answers, in one transaction."""
    with transaction.atomic():
        inspection = inspection_plan(actor=actor, agency=agency, area=area, planned_on=done_on, inspector=inspector,
                                     note=note)
        locked = Inspection.objects.select_for_update().select_related("programme").get(pk=inspection.pk)
        return _record(actor=actor, locked=locked, answers=answers, photos={}, done_on=done_on, note="")


def answer_photo_attach(*, actor, answer: Answer, uploaded) -> Answer:
    """Attach (or replace) the photo of a failed item of a recorded inspection."""
    require(actor, "fives.inspect_fives", answer.inspection)
    info = inspect_image(uploaded, max_bytes=MAX_PHOTO_BYTES)
    with transaction.atomic():
        locked = Answer.objects.select_for_update().select_related("inspection").get(pk=answer.pk)
        if locked.passed:
            raise Conflict(_("A photo goes with a failed item only."), code="passed")
        before = locked.photo_name
        _store_photo(locked, uploaded, info)
        audit_record(actor=actor, action="attach", obj=locked.inspection,
                     changes={"photo": [before or None, locked.photo_name]})
    return locked


@transaction.atomic
def inspection_cancel(*, actor, inspection: Inspection, note: str = "") -> Inspection:
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    require(actor, "fives.change_fives", locked)
    if locked.status != InspectionStatus.PLANNED:
        raise Conflict(_("Only a planned inspection can be cancelled."), code="wrong_status")
    locked.status = InspectionStatus.CANCELLED
    if _text(note):
        locked.note = "\n".join(p for p in (locked.note, _text(note)) if p)
    locked.save(update_fields=["status", "note"])
    audit_record(actor=actor, action="cancel", obj=locked, changes={"status": ["planned", "cancelled"]}, note=note)
    return locked


@transaction.atomic
def answer_nonconformity(*, actor, answer: Answer):
    """One click: a failed item becomes a nonconformity (source 5S, clause 7.1.4) of the inspected
    unit, to be answered with a corrective action request; the answer links to it."""
    locked = Answer.objects.select_for_update().select_related("inspection", "inspection__agency",
                                                               "inspection__unit", "inspection__area").get(pk=answer.pk)
    require(actor, "fives.raise_fives_nonconformity", locked)
    if locked.passed:
        raise Conflict(_("Only a failed item becomes a nonconformity."), code="passed")
    if locked.nonconformity_id:
        raise Conflict(_("This failed item is already recorded as a nonconformity."), code="exists")
    inspection = locked.inspection
    nc = nonconformity_create(
        actor=actor, agency=inspection.agency, source=NonconformitySource.FIVES, clause=WORKPLACE_CLAUSE,
        unit=inspection.unit,
        description=_("5S inspection of %(area)s on %(day)s, %(s)s: “%(item)s” failed "
                      "(%(score)s/%(points)s).%(remark)s") % {
            "area": inspection.area.name, "day": inspection.day.strftime("%d/%m/%Y"), "s": locked.get_s_display(),
            "item": locked.text, "score": locked.score, "points": locked.points,
            "remark": f" {locked.remark}" if locked.remark else ""},
        detected_on=inspection.day)
    locked.nonconformity = nc
    locked.save(update_fields=["nonconformity"])
    audit_record(actor=actor, action="fives_nonconformity", obj=inspection, changes={"nonconformity": [None, nc.code]})
    return nc


# --- rewards ---------------------------------------------------------------------------------------

@transaction.atomic
def reward_create(*, actor, agency, unit, year: int, quarter: int, title: str, kind: str = RewardKind.REWARD,
                  decision: str = "", given_on: datetime.date | None = None) -> Reward:
    """Record a reward, recognition or reminder given to a unit for a quarter's 5S results."""
    require(actor, "fives.manage_fives", agency)
    if unit is None or unit.agency_id != agency.pk:
        raise _invalid("unit", _("Choose one of the agency's units."))
    if kind not in RewardKind.values:
        raise _invalid("kind", _("Choose the kind."))
    if not _text(title):
        raise _invalid("title", _("Say what was given."))
    return model_create(model=Reward, actor=actor, data={
        "agency": agency, "unit": unit, "year": year, "quarter": quarter, "kind": kind, "title": _text(title),
        "decision": _text(decision), "given_on": given_on or timezone.localdate(),
        "created_by": actor if getattr(actor, "pk", None) else None})


@transaction.atomic
def reward_delete(*, actor, reward: Reward) -> None:
    locked = Reward.objects.select_for_update().get(pk=reward.pk)
    require(actor, "fives.change_fives", locked)
    audit_record(actor=actor, action="delete", obj=locked, changes={"title": [locked.title, None]})
    locked.delete()

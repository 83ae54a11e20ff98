"""Everything waiting for one person ("Việc của tôi"), read through each area's scope policy.

Each kind of task is a ``Section``: the rows of one model waiting for this person (in their own
agency only: the policy decides who may act, the agency filter keeps a superuser's or an
overseer's list to their own work), how a row reads and where the person acts on it. The header
count is one query (the sections' ids as one UNION ALL), whatever the number of sections.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.audits.choices import NONCONFORMITY_KINDS
from eiso.audits.models import Finding
from eiso.core import freshness
from eiso.documents.choices import ReviewTaskStatus, RevisionStatus
from eiso.documents.models import DistributionEntry, DocumentRevision, ReviewTask
from eiso.documents.permissions import policy as document_policy
from eiso.dossiers.models import Dossier
from eiso.dossiers.selectors.lists import overdue_q
from eiso.improvements.choices import NonconformityStatus
from eiso.improvements.models import CorrectiveAction, Nonconformity
from eiso.improvements.permissions import policy as improvement_policy
from eiso.people.choices import AttendanceStatus
from eiso.people.models import Attendance
from eiso.reviews.choices import OPEN_OUTPUTS, ReviewStatus
from eiso.reviews.models import ManagementReview, ReviewOutput
from eiso.reviews.permissions import policy as review_policy

SHOWN = 20  # rows listed per section on the page and in the digest (the count says how many in all)


@dataclass(frozen=True)
class Task:
    """One line of the list: what, about what, by when, and where to act."""

    kind: str
    title: str
    detail: str
    url: str
    due: dt.date | None = None  # the deadline (``deadline``), or the day it started waiting
    overdue: bool = False
    deadline: bool = False


@dataclass(frozen=True)
class Section:
    kind: str
    label: str  # the heading, also the verb of what to do
    icon: str
    rows: Callable[[object, int, dt.datetime], QuerySet]  # (user, agency_id, now) → the waiting rows
    task: Callable[[object, dt.date], Task]  # a row → its line
    list_url: str = ""  # the URL name of the whole list, when the page shows only the first rows
    list_query: str = ""


def _day(value) -> dt.date | None:
    if value is None:
        return None
    return timezone.localdate(value) if isinstance(value, dt.datetime) else value


# --- the sections: each a query and how its row reads ------------------------------------------------

def _to_review(user, agency_id, now):
    return document_policy.filter(user, "review_revision", DocumentRevision.objects.filter(
        document__agency_id=agency_id, status=RevisionStatus.IN_REVIEW))


def _to_approve(user, agency_id, now):
    return document_policy.filter(user, "approve_revision", DocumentRevision.objects.filter(
        document__agency_id=agency_id, status=RevisionStatus.REVIEWED))


def _revision_task(kind):
    def task(r, today):
        return Task(kind, f"{r.document.code} {r.document.title}",
                    _("issue %(n)s, drafted by %(who)s") % {"n": r.issue_number, "who": r.drafted_by or "—"},
                    reverse("documents:revision-detail", args=[r.pk]))
    return task


def _to_read(user, agency_id, now):
    return DistributionEntry.objects.filter(user=user, acknowledged_at__isnull=True,
                                            revision__status=RevisionStatus.EFFECTIVE,
                                            revision__document__agency_id=agency_id)


def _read_task(e, today):
    r = e.revision
    return Task("read", f"{r.document.code} {r.document.title}", _("issue %(n)s in force") % {"n": r.issue_number},
                reverse("documents:revision-detail", args=[r.pk]), _day(e.notified_at))


def _to_answer(user, agency_id, now):
    return improvement_policy.filter(user, "add_correctiveaction", Nonconformity.objects.filter(
        agency_id=agency_id, status=NonconformityStatus.OPEN).exclude(
        Exists(CorrectiveAction.objects.filter(nonconformity=OuterRef("pk")))))


def _answer_task(nc, today):
    return Task("answer", f"{nc.code} · {nc.clause}", nc.description[:160],
                reverse("improvements:nonconformity-respond", args=[nc.pk]), nc.detected_on)


def _to_implement(user, agency_id, now):
    return CorrectiveAction.objects.filter(agency_id=agency_id, owner=user,
                                           nonconformity__status=NonconformityStatus.ACTION_PLANNED)


def _to_verify(user, agency_id, now):
    implemented = CorrectiveAction.objects.filter(agency_id=agency_id,
                                                  nonconformity__status=NonconformityStatus.IMPLEMENTED)
    unassigned = improvement_policy.filter(user, "verify_correctiveaction", implemented.filter(verifier__isnull=True))
    return implemented.filter(Q(verifier=user) | Q(pk__in=unassigned.values("pk")))


def _to_close(user, agency_id, now):
    return improvement_policy.filter(user, "close_correctiveaction", CorrectiveAction.objects.filter(
        agency_id=agency_id, nonconformity__status=NonconformityStatus.VERIFIED_EFFECTIVE))


def _action_task(kind, url_name, date_of):
    def task(a, today):
        due = date_of(a)
        return Task(kind, f"{a.nonconformity.code} · {a.nonconformity.clause}", a.action_plan[:160],
                    reverse(url_name, args=[a.pk]), due, bool(due and due < today), True)
    return task


def _findings_to_record(user, agency_id, now):
    return improvement_policy.filter(user, "add_nonconformity_from_finding", Finding.objects.filter(
        audit__agency_id=agency_id, kind__in=NONCONFORMITY_KINDS).exclude(
        Exists(Nonconformity.objects.filter(finding=OuterRef("pk")))))


def _finding_task(f, today):
    return Task("findings", f"{f.code} · {f.get_kind_display()}", f.description[:160],
                reverse("improvements:finding-nonconformity", args=[f.pk]), _day(f.created_at))


def _review_tasks(user, agency_id, now):
    return document_policy.filter(user, "complete_reviewtask", ReviewTask.objects.filter(
        agency_id=agency_id, status=ReviewTaskStatus.OPEN))


def _review_task(t, today):
    return Task("review_tasks", f"{t.document.code} {t.document.title}",
                _("%(reason)s: %(number)s") % {"reason": t.get_reason_display(), "number": t.external_document.number},
                reverse("documents:reviewtask-detail", args=[t.pk]), t.due_on, t.due_on < today, True)


def _overdue_dossiers(user, agency_id, now):
    membership = user.membership
    if membership is None or membership.unit_id is None:
        return Dossier.objects.none()
    return Dossier.objects.filter(overdue_q(now), agency_id=agency_id, current_unit_id=membership.unit_id)


def _dossier_task(d, today):
    return Task("dossiers", f"{d.code} · {d.admin_procedure.name}", d.applicant,
                reverse("dossiers:dossier-detail", args=[d.pk]), _day(d.due_at), True, True)


def _invitations(user, agency_id, now):
    return Attendance.objects.filter(user=user, status=AttendanceStatus.INVITED,
                                     session__course__agency_id=agency_id, session__date__gte=timezone.localdate(now))


def _invitation_task(a, today):
    s = a.session
    where = f" · {s.place}" if s.place else ""
    return Task("training", s.course.title, f"{s.date:%d/%m/%Y}{where}", reverse("people:session-detail", args=[s.pk]),
                s.date, False, True)


def _review_outputs(user, agency_id, now):
    return ReviewOutput.objects.filter(owner=user, status__in=OPEN_OUTPUTS, review__agency_id=agency_id)


def _review_output_task(o, today):
    return Task("review_outputs", f"{o.get_kind_display()} · {o.review.meeting_on:%d/%m/%Y}", o.description[:160],
                reverse("reviews:review-detail", args=[o.review_id]), o.due_on, o.due_on < today, True)


def _minutes_to_approve(user, agency_id, now):
    return review_policy.filter(user, "approve_review", ManagementReview.objects.filter(
        agency_id=agency_id, status=ReviewStatus.AWAITING_APPROVAL))


def _minutes_task(r, today):
    return Task("review_minutes", _("Management review of %(date)s") % {"date": f"{r.meeting_on:%d/%m/%Y}"},
                r.conclusions[:160], reverse("reviews:review-detail", args=[r.pk]), r.meeting_on)


SECTIONS: tuple[Section, ...] = (
    Section("review", _("Revisions to review"), "search", _to_review, _revision_task("review")),
    Section("approve", _("Revisions to approve"), "check2-all", _to_approve, _revision_task("approve")),
    Section("read", _("Documents to read"), "book", _to_read, _read_task, "documents:reading-list"),
    Section("answer", _("Nonconformities to answer with a corrective action"), "reply", _to_answer, _answer_task,
            "improvements:attention"),
    Section("implement", _("Corrective actions to implement"), "tools", _to_implement,
            _action_task("implement", "improvements:corrective-action-detail", lambda a: a.due_on)),
    Section("verify", _("Corrective actions to verify"), "patch-check", _to_verify,
            _action_task("verify", "improvements:corrective-action-detail", lambda a: a.verification_due_on)),
    Section("close", _("Corrective actions to close"), "check2-square", _to_close,
            _action_task("close", "improvements:corrective-action-detail", lambda a: None)),
    Section("findings", _("Audit findings to record as nonconformities"), "clipboard-plus", _findings_to_record,
            _finding_task, "audits:finding-list"),
    Section("review_tasks", _("Procedures to review after a legal change"), "journal-check", _review_tasks,
            _review_task, "documents:reviewtask-list"),
    Section("dossiers", _("Overdue dossiers of my unit"), "alarm", _overdue_dossiers, _dossier_task,
            "dossiers:dossier-list", "?tab=overdue"),
    Section("training", _("Training sessions I am invited to"), "mortarboard", _invitations, _invitation_task,
            "people:training-list"),
    Section("review_minutes", _("Management review minutes to approve"), "clipboard-check", _minutes_to_approve,
            _minutes_task, "reviews:review-list"),
    Section("review_outputs", _("Management review decisions I carry out"), "flag", _review_outputs,
            _review_output_task, "reviews:review-list"),
)

RELATED = {  # what each section's lines read, so that a section costs one query
    "review": ("document", "drafted_by"), "approve": ("document", "drafted_by"),
    "read": ("revision__document",), "answer": (),
    "implement": ("nonconformity",), "verify": ("nonconformity",), "close": ("nonconformity",),
    "findings": ("audit__programme",), "review_tasks": ("document", "external_document"),
    "dossiers": ("admin_procedure",), "training": ("session__course",), "review_minutes": (),
    "review_outputs": ("review",),
}
ORDER = {"read": ("-notified_at",), "answer": ("detected_on", "id"), "implement": ("due_on", "id"),
         "dossiers": ("due_at", "id"), "review_tasks": ("due_on", "id"), "training": ("session__date", "id"),
         "review_outputs": ("due_on", "id"), "review_minutes": ("meeting_on", "id")}


def _agency_id(user) -> int | None:
    if user is None or not user.is_authenticated:
        return None
    membership = user.membership
    return membership.agency_id if membership else None


@dataclass
class SectionRows:
    section: Section
    count: int
    tasks: list[Task]

    @property
    def list_url(self) -> str:
        return reverse(self.section.list_url) + self.section.list_query if self.section.list_url else ""


def inbox_for_user(user, *, now: dt.datetime | None = None, shown: int = SHOWN) -> list[SectionRows]:
    """The sections with something waiting for ``user``, each with its count and first lines."""
    agency_id = _agency_id(user)
    if agency_id is None:
        return []
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = []
    for section in SECTIONS:
        qs = section.rows(user, agency_id, now)
        count = qs.count()
        if not count:
            continue
        if RELATED[section.kind]:
            qs = qs.select_related(*RELATED[section.kind])
        rows = qs.order_by(*ORDER.get(section.kind, ("pk",)))[:shown]
        result.append(SectionRows(section, count, [section.task(row, today) for row in rows]))
    return result


def inbox_count(user, *, now: dt.datetime | None = None) -> int:
    """How many tasks wait for ``user``: one query (every section's ids as one UNION ALL)."""
    agency_id = _agency_id(user)
    if agency_id is None:
        return 0
    now = now or timezone.now()
    parts = [section.rows(user, agency_id, now).order_by().values("pk") for section in SECTIONS]
    parts = [p for p in parts if not p.query.is_empty()]
    if not parts:
        return 0
    return parts[0].union(*parts[1:], all=True).count()


_BY_KIND = {section.kind: section for section in SECTIONS}


def inbox_for_user_cached(user) -> tuple[dt.datetime, list[SectionRows]]:
    """``inbox_for_user``, kept until the data change (``eiso.core.freshness``), with the instant it
    was computed (the page keys its rendered sections by it)."""
    computed_at, rows = freshness.cached_with_time(
        "inbox", user, lambda: [(s.section.kind, s.count, s.tasks) for s in inbox_for_user(user)],
        inbox_agencies(user))
    return computed_at, [SectionRows(_BY_KIND[kind], count, tasks) for kind, count, tasks in rows]


def inbox_agencies(user) -> list[int]:
    """What the inbox is computed from: the rows of the user's agency alone (every section filters
    by it), so another agency's writes leave its cached copy (``eiso.core.freshness``)."""
    agency_id = _agency_id(user)
    return [agency_id] if agency_id is not None else []


def inbox_count_cached(user) -> int:
    """``inbox_count``, kept until the data of the user's agency change."""
    return freshness.cached("inbox-count", user, lambda: inbox_count(user), inbox_agencies(user))

"""Pages of training: the courses of a year with their chart, a course with its sessions and
results, a session with its invitations and attendance (a briefing's attendance acknowledges its
revision), results with certificates, and the download of a certificate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eiso.core.audit import history_for
from eiso.core.errors import DomainError
from eiso.core.pages import form_page, paged, render_list, require, run_form
from eiso.core.text import is_id, parse_year
from eiso.documents.choices import RevisionStatus
from eiso.documents.models import DocumentRevision
from eiso.organizations import selectors as org_selectors
from eiso.people import selectors, services
from eiso.people.choices import AttendanceStatus
from eiso.people.forms import ATTENDANCE_CHOICES, CourseFilterForm, CourseForm, InviteForm, ResultForm, SessionForm
from eiso.people.views.common import own_agency, people_of


def _year(value: str) -> int:
    return parse_year(value) or timezone.localdate().year


@login_required
def training_list(request):
    user = request.user
    kinds = list(selectors.course_kinds())
    agencies = list(org_selectors.agencies_for_user(user))
    data = request.GET.copy()
    data.setdefault("year", str(_year(request.GET.get("year", ""))))
    filters = CourseFilterForm(data, kinds=kinds, agencies=agencies)
    kwargs = filters.selector_kwargs()
    year = _year(str(kwargs.pop("year", "")))
    courses = selectors.courses_for_user(user, year=year, **kwargs)
    per_kind: dict = {}
    for c in courses.order_by():
        row = per_kind.setdefault(c.kind.name, {"courses": 0, "present": 0, "hours": 0})
        row["courses"] += 1
        row["present"] += c.present_count
        row["hours"] += float(c.hours)
    chart = {"type": "bar", "labels": list(per_kind), "horizontal": True, "datasets": [
        {"label": _("People present"), "data": [r["present"] for r in per_kind.values()]},
        {"label": _("Courses"), "data": [r["courses"] for r in per_kind.values()]}]} if per_kind else None
    return render_list(request, "people/training_list.html", {
        "filters": filters, **paged(request, courses), "year": year, "chart": chart,
        "totals": {"courses": sum(r["courses"] for r in per_kind.values()),
                   "present": sum(r["present"] for r in per_kind.values()),
                   "hours": sum(r["hours"] for r in per_kind.values())},
        "can_add": user.agency is not None and user.has_perm("people.add_course", user.agency),
        "word_agency": user.agency, "show_agency": len(agencies) > 1,
    })


@login_required
def training_create(request):
    user = request.user
    agency = own_agency(user)
    require(request, "people.add_course", agency)
    form = CourseForm(request.POST or None, kinds=selectors.course_kinds())
    if request.method == "POST":
        ok, course = run_form(form, lambda: services.course_create(actor=user, agency=agency, **form.cleaned_data))
        if ok:
            messages.success(request, _("The course was planned; add its sessions and invite the people."))
            return redirect("people:training-detail", course.pk)
    return form_page(request, form, title=_("Plan a training course"), cancel_url=reverse("people:training-list"))


@login_required
def training_update(request, pk):
    user = request.user
    course = selectors.course_get_for_user(user, pk)
    require(request, "people.change_course", course)
    initial = {f: getattr(course, f) for f in services.COURSE_FIELDS}
    form = CourseForm(request.POST or None, kinds=selectors.course_kinds(), initial=initial)
    if request.method == "POST":
        ok, _course = run_form(form, lambda: services.course_update(actor=user, course=course, **form.cleaned_data))
        if ok:
            messages.success(request, _("The course was saved."))
            return redirect("people:training-detail", course.pk)
    return form_page(request, form, title=_("Edit the course"),
                     cancel_url=reverse("people:training-detail", args=[course.pk]))


@login_required
def training_detail(request, pk):
    user = request.user
    course = selectors.course_get_for_user(user, pk)
    can_change = user.has_perm("people.change_course", course)
    results = list(selectors.results_for_user(user, course=course))
    today = timezone.localdate()
    for r in results:
        r.valid_today = r.is_valid_on(today)
    return render(request, "people/training_detail.html", {
        "course": course, "sessions": list(selectors.sessions_of(course)), "results": results,
        "can_change": can_change, "today": today, "history": list(history_for(course)[:10]) if can_change else [],
    })


@login_required
def training_addsession(request, pk):
    user = request.user
    course = selectors.course_get_for_user(user, pk)
    require(request, "people.change_course", course)
    revisions = DocumentRevision.objects.filter(
        document__agency=course.agency, status__in=(RevisionStatus.APPROVED, RevisionStatus.EFFECTIVE)
    ).select_related("document").order_by("document__code", "-issue_number") if course.kind.is_briefing \
        else DocumentRevision.objects.none()
    form = SessionForm(request.POST or None, revisions=revisions, initial={"date": course.start_date})
    if not course.kind.is_briefing:
        del form.fields["revision"]
    if request.method == "POST":
        ok, session = run_form(form, lambda: services.session_create(actor=user, course=course, **form.cleaned_data))
        if ok:
            invited = session.attendance.count()
            messages.success(request, _("The session was added.") + (
                " " + _("%(n)s people concerned by the revision were invited.") % {"n": invited} if invited else ""))
            return redirect("people:session-detail", session.pk)
    return form_page(request, form, title=_("Add a session"), intro=course.title,
                     cancel_url=reverse("people:training-detail", args=[course.pk]))


@login_required
def training_addresult(request, pk):
    user = request.user
    course = selectors.course_get_for_user(user, pk)
    require(request, "people.change_course", course)
    form = ResultForm(request.POST or None, request.FILES or None, people=people_of(course.agency),
                      initial={"issued_on": course.end_date, "person": request.GET.get("person")})
    if request.method == "POST":
        def record():
            data = dict(form.cleaned_data)
            return services.result_record(actor=user, course=course, person=data.pop("person"), **data)
        ok, _result = run_form(form, record)
        if ok:
            messages.success(request, _("The result was recorded."))
            return redirect(reverse("people:training-detail", args=[course.pk]) + "#results")
    return form_page(request, form, title=_("Record a result"), intro=course.title,
                     cancel_url=reverse("people:training-detail", args=[course.pk]))


@login_required
def session_detail(request, pk):
    user = request.user
    session = selectors.session_get_for_user(user, pk)
    can_change = user.has_perm("people.change_course", session)
    rows = list(selectors.attendance_for_user(user, session))
    counts = {s: sum(r.status == s for r in rows) for s in AttendanceStatus.values}
    agency = session.course.agency
    return render(request, "people/session_detail.html", {
        "session": session, "course": session.course, "rows": rows, "counts": counts, "can_change": can_change,
        "held": session.date <= timezone.localdate(), "choices": ATTENDANCE_CHOICES,
        "invite_form": InviteForm(people=people_of(agency),
                                  units=org_selectors.units_for_user(user, agency=str(agency.pk), active="1")
                                  .order_by("name")) if can_change else None,
    })


@login_required
@require_POST
def session_invite(request, pk):
    user = request.user
    session = selectors.session_get_for_user(user, pk)
    require(request, "people.change_course", session)
    agency = session.course.agency
    form = InviteForm(request.POST, people=people_of(agency),
                      units=org_selectors.units_for_user(user, agency=str(agency.pk), active="1"))
    if not form.is_valid():
        messages.error(request, _("Choose people of the agency, or one of its units."))
        return redirect("people:session-detail", session.pk)
    try:
        n = services.attendance_invite(actor=user, session=session, people=form.cleaned_data["people"],
                                       unit=form.cleaned_data["unit"])
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(n)s people invited.") % {"n": n})
    return redirect("people:session-detail", session.pk)


@login_required
@require_POST
def session_attendance(request, pk):
    """The attendance sheet: one radio group per invited person (``status-<user id>``)."""
    user = request.user
    session = selectors.session_get_for_user(user, pk)
    require(request, "people.change_course", session)
    rows = {r.user_id: r.user for r in session.attendance.select_related("user")}
    marks = []
    for key, value in request.POST.items():
        if key.startswith("status-") and is_id(key[7:]) and int(key[7:]) in rows:
            marks.append((rows[int(key[7:])], value))
    try:
        n = services.attendance_record(actor=user, session=session, marks=marks)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Attendance recorded: %(n)s changed.") % {"n": n})
    return redirect("people:session-detail", session.pk)


@login_required
def result_file(request, pk):
    result = selectors.result_get_for_user(request.user, pk)
    if not result.file:
        return redirect("people:training-detail", result.course_id)
    return FileResponse(result.file.open("rb"), as_attachment=False, filename=result.original_name or "certificate.pdf")

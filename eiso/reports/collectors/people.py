"""Training as the Word documents print it: the year's training plan of an agency (courses from
``courses_for_user``, scoped) and the attendance list of a session (rows from
``attendance_for_user``: the reader sees whom their role lets them see)."""

from eiso.people.choices import AttendanceStatus
from eiso.people.selectors import attendance_for_user, courses_for_user
from eiso.reports.collectors.common import agency_head, agency_heading, today
from eiso.reports.content import AttendanceList, AttendanceRow, TrainingPlan, TrainingPlanRow

STATUS = {AttendanceStatus.PRESENT: "Có mặt", AttendanceStatus.ABSENT: "Vắng", AttendanceStatus.INVITED: ""}


def hours(value) -> str:
    text = f"{value.normalize():f}" if value is not None else ""
    return text.replace(".", ",")


def collect_training_plan(user, agency, year: int) -> TrainingPlan:
    rows = []
    for c in courses_for_user(user, year=year, agency=str(agency.pk)):
        dates = c.start_date.strftime("%d/%m/%Y") + (
            f" – {c.end_date:%d/%m/%Y}" if c.end_date != c.start_date else "")
        rows.append(TrainingPlanRow(title=c.title, kind=c.kind.name, provider=c.provider, dates=dates,
                                    hours=hours(c.hours), sessions=c.session_count, present=c.present_count,
                                    invited=c.invited_count))
    return TrainingPlan(agency=agency_heading(agency), year=year, on=today(), rows=tuple(rows),
                        signer=agency_head(user, agency))


def collect_attendance(user, session) -> AttendanceList:
    course = session.course
    rows = []
    for a in attendance_for_user(user, session).prefetch_related("user__memberships__unit"):
        m = next((m for m in a.user.memberships.all() if m.valid_to is None), None)
        rows.append(AttendanceRow(name=a.user.full_name or a.user.username, position=a.user.position,
                                  unit=m.unit.name if m and m.unit else "", status=STATUS.get(a.status, "")))
    briefed = ""
    if session.revision_id:
        document = session.revision.document
        briefed = f"{document.code} {document.title} (lần ban hành {session.revision.issue_number})"
    return AttendanceList(agency=agency_heading(course.agency), course=course.title, kind=course.kind.name,
                          date=session.date, place=session.place, trainer=session.trainer, briefed=briefed,
                          on=min(session.date, today()), rows=tuple(rows))  # dated by the session once held

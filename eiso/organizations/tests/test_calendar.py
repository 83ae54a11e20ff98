"""The agency working calendar: exceptions and office hours (services), the selector that builds
the WorkCalendar, the page, the API and the command line. Fixed dates, no clock."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from eiso.core import workcalendar
from eiso.core.audit import history_for
from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.core.models import AuditEvent
from eiso.core.navigation import build_menu
from eiso.organizations import selectors, services
from eiso.organizations.choices import CalendarExceptionKind
from eiso.organizations.models import AgencyCalendar, CalendarException

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
OFF, WORK = CalendarExceptionKind.EXTRA_DAY_OFF, CalendarExceptionKind.EXTRA_WORKING_DAY
TUESDAY = datetime.date(2026, 3, 10)
SATURDAY = datetime.date(2026, 3, 14)
CALENDAR = reverse("organizations:calendar")
ADD = reverse("organizations:calendarexception-add")
HOURS = reverse("organizations:officehours-update")


def add(actor, agency, day=TUESDAY, kind=OFF, reason="Đại hội công chức", decision="Quyết định số 5/QĐ-STP"):
    return services.calendar_exception_add(
        actor=actor, agency=agency, date=day, kind=kind, reason=reason, decision=decision
    )


def remove_url(exception):
    return reverse("organizations:calendarexception-remove", args=[exception.pk])


@pytest.fixture
def day_off_a(agency_a, a_head):
    return add(a_head, agency_a)


# --- services --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["a_head", "a_secretary", "admin_user"])
def test_head_secretary_and_province_admin_add_exceptions(request, who, agency_a):
    actor = request.getfixturevalue(who)
    exception = add(actor, agency_a)
    assert exception.kind == OFF and exception.decision == "Quyết định số 5/QĐ-STP"
    event = history_for(exception).get(action="create")
    assert event.agency_id == agency_a.pk and event.actor == actor
    assert event.changes["date"] == [None, "2026-03-10"]
    assert not selectors.work_calendar_for(agency_a).is_working_day(TUESDAY)


@pytest.mark.parametrize("who", ["a_staff", "a_unit_head", "b_head", "overseer", "q_overseer"])
def test_others_may_not_change_the_calendar(request, who, agency_a):
    with pytest.raises(Forbidden):
        add(request.getfixturevalue(who), agency_a)
    assert not CalendarException.objects.exists()


def test_exceptions_must_change_something(a_head, agency_a):
    with pytest.raises(ValidationFailed) as sunday:
        add(a_head, agency_a, day=datetime.date(2026, 3, 8))
    assert "date" in sunday.value.errors
    with pytest.raises(ValidationFailed) as holiday:
        add(a_head, agency_a, day=datetime.date(2026, 9, 2))
    assert "Quốc khánh" in str(holiday.value.message)
    with pytest.raises(ValidationFailed):
        add(a_head, agency_a, day=TUESDAY, kind=WORK)
    with pytest.raises(ValidationFailed):
        add(a_head, agency_a, kind="holiday")
    # A make-up Saturday is a working day already; a plain Saturday can be opened.
    with pytest.raises(ValidationFailed):
        add(a_head, agency_a, day=datetime.date(2026, 8, 22), kind=WORK)
    assert add(a_head, agency_a, day=SATURDAY, kind=WORK).kind == WORK


def test_one_exception_per_day(a_head, agency_a, day_off_a):
    with pytest.raises(ValidationFailed) as error:
        add(a_head, agency_a, kind=WORK, day=TUESDAY)
    assert "date" in error.value.errors
    assert CalendarException.objects.count() == 1


def test_reason_and_decision_are_required(a_head, agency_a):
    with pytest.raises(ValidationFailed) as error:
        add(a_head, agency_a, reason="", decision="")
    assert {"reason", "decision"} <= set(error.value.errors)


def test_no_exceptions_for_an_ended_agency(a_head, agency_a):
    agency_a.valid_to = datetime.date(2024, 12, 31)
    agency_a.save(update_fields=["valid_to"])
    with pytest.raises(Conflict):
        add(None, agency_a)


def test_remove_is_audited(a_secretary, day_off_a, agency_a):
    services.calendar_exception_remove(actor=a_secretary, exception=day_off_a)
    assert not CalendarException.objects.exists()
    event = AuditEvent.objects.get(action="delete", content_type__model="calendarexception")
    assert event.agency_id == agency_a.pk and event.changes["reason"] == ["Đại hội công chức", None]
    assert selectors.work_calendar_for(agency_a).is_working_day(TUESDAY)


def test_remove_needs_the_permission(b_head, a_staff, day_off_a):
    for intruder in (b_head, a_staff):
        with pytest.raises(Forbidden):
            services.calendar_exception_remove(actor=intruder, exception=day_off_a)
    assert CalendarException.objects.count() == 1


def test_office_hours(a_head, agency_a, a_staff):
    assert selectors.work_calendar_for(agency_a).hours_per_day == 8
    hours = services.agency_office_hours_set(
        actor=a_head,
        agency=agency_a,
        morning_start=datetime.time(7, 30),
        morning_end=datetime.time(11, 30),
        afternoon_start=datetime.time(13, 30),
        afternoon_end=datetime.time(17),
    )
    assert hours.display == "07:30–11:30, 13:30–17:00"
    calendar = selectors.work_calendar_for(agency_a)
    assert calendar.hours_per_day == workcalendar.Decimal("7.5")
    assert calendar.add_working_days(datetime.datetime(2026, 3, 9, 7, 30, tzinfo=VN), 1) == datetime.datetime(
        2026, 3, 9, 17, tzinfo=VN
    )
    assert AuditEvent.objects.filter(action="create", agency=agency_a).exists()
    services.agency_office_hours_set(
        actor=a_head,
        agency=agency_a,
        morning_start=datetime.time(8),
        morning_end=datetime.time(12),
        afternoon_start=datetime.time(13, 30),
        afternoon_end=datetime.time(17),
    )
    assert AuditEvent.objects.get(action="update", content_type__model="agencycalendar").changes == {
        "morning_start": ["07:30:00", "08:00:00"],
        "morning_end": ["11:30:00", "12:00:00"],
    }
    with pytest.raises(ValidationFailed):
        services.agency_office_hours_set(
            actor=a_head,
            agency=agency_a,
            morning_start=datetime.time(12),
            morning_end=datetime.time(8),
            afternoon_start=datetime.time(13),
            afternoon_end=datetime.time(17),
        )
    with pytest.raises(Forbidden):
        services.agency_office_hours_set(
            actor=a_staff,
            agency=agency_a,
            morning_start=datetime.time(8),
            morning_end=datetime.time(12),
            afternoon_start=datetime.time(13),
            afternoon_end=datetime.time(17),
        )
    assert AgencyCalendar.objects.get().morning_start == datetime.time(8)


# --- the selector -------------------------------------------------------------------------------------


def test_calendars_of_several_agencies_in_two_queries(
    a_head, b_head, agency_a, agency_b, day_off_a, django_assert_num_queries
):
    add(b_head, agency_b, day=SATURDAY, kind=WORK, reason="Làm thêm")
    with django_assert_num_queries(2):
        calendars = selectors.work_calendars_for([agency_a, agency_b])
    a, b = calendars[agency_a.pk], calendars[agency_b.pk]
    assert not a.is_working_day(TUESDAY) and a.is_working_day(datetime.date(2026, 8, 22))
    assert b.is_working_day(TUESDAY) and b.is_working_day(SATURDAY) and not a.is_working_day(SATURDAY)
    assert a.day_name(TUESDAY) == "Đại hội công chức"
    national = selectors.work_calendar_for(None)
    assert national.is_working_day(TUESDAY) and national == workcalendar.WorkCalendar(
        output_tz="Asia/Ho_Chi_Minh"
    )


# --- the page ---------------------------------------------------------------------------------------------


def test_page_shows_the_year(client_for, a_staff, agency_a, day_off_a):
    response = client_for(a_staff).get(CALENDAR, {"year": 2026})
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Ngày Văn hóa Việt Nam",
        "Tết Nguyên Đán",
        "Đại hội công chức",
        "Quyết định số 5/QĐ-STP",
        "eiso-cal-makeup",
        "eiso-cal-agency-off",
        "eiso-cal-holiday",
        "eiso-cal-weekend",
    ):
        assert text in page, text
    assert page.count('class="card h-100"') == 12
    assert ADD not in page and remove_url(day_off_a) not in page  # staff only read


def test_page_of_a_head_has_the_forms(client_for, a_head, agency_a, day_off_a):
    page = client_for(a_head).get(CALENDAR, {"year": 2026, "agency": agency_a.pk}).content.decode()
    assert ADD in page and remove_url(day_off_a) in page and f"{HOURS}?agency={agency_a.pk}" in page


def test_page_of_another_agency_is_404(client_for, b_staff, q_overseer, agency_a):
    for intruder in (b_staff, q_overseer):
        for value in (agency_a.pk, agency_a.code):
            assert client_for(intruder).get(CALENDAR, {"agency": value}).status_code == 404


def test_overseer_reads_the_province(client_for, overseer, agency_a, day_off_a):
    page = client_for(overseer).get(CALENDAR, {"agency": agency_a.code, "year": 2026}).content.decode()
    assert "Đại hội công chức" in page and remove_url(day_off_a) not in page


def test_page_with_junk_parameters(client_for, a_staff):
    client = client_for(a_staff)
    assert client.get(CALENDAR, {"year": "abc"}).status_code == 200
    assert client.get(CALENDAR, {"year": "99999"}).status_code == 200
    assert client.get(CALENDAR, {"agency": "999999"}).status_code == 404
    assert client.get(CALENDAR, {"due-start": "junk", "due-days": "-3"}).status_code == 200


def test_calculator(client_for, a_staff):
    response = client_for(a_staff).get(
        CALENDAR, {"year": 2026, "due-start": "2026-02-13T10:00", "due-days": "3"}
    )
    assert "25/02/2026 10:00" in response.content.decode()
    assert response.context["due"]["due"] == datetime.datetime(2026, 2, 25, 10, tzinfo=VN)


def test_anonymous_is_sent_to_login(client):
    response = client.get(CALENDAR)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_add_through_the_page(client_for, a_head, agency_a):
    response = client_for(a_head).post(
        ADD,
        {
            "agency": agency_a.pk,
            "date": "2026-03-10",
            "kind": OFF,
            "reason": "Hội nghị",
            "decision": "Thông báo 7/TB-STP",
        },
    )
    assert (
        response.status_code == 302 and response["Location"] == f"{CALENDAR}?year=2026&agency={agency_a.pk}"
    )
    assert CalendarException.objects.get().reason == "Hội nghị"


def test_add_with_errors_stays_on_the_form(client_for, a_head, agency_a, agency_b):
    client = client_for(a_head)
    response = client.post(
        ADD, {"agency": agency_a.pk, "date": "2026-03-08", "kind": OFF, "reason": "x", "decision": "y"}
    )
    assert response.status_code == 200 and "08/03/2026" in response.content.decode()
    tampered = client.post(
        ADD, {"agency": agency_b.pk, "date": "2026-03-10", "kind": OFF, "reason": "x", "decision": "y"}
    )
    assert tampered.status_code == 200 and tampered.context["form"].errors["agency"]
    assert not CalendarException.objects.exists()


def test_add_page_without_permission_is_403(client_for, a_staff, overseer):
    for who in (a_staff, overseer):
        assert client_for(who).get(ADD).status_code == 403
        assert client_for(who).post(ADD, {}).status_code == 403


def test_remove_through_the_page(client_for, a_secretary, day_off_a, agency_a):
    response = client_for(a_secretary).post(remove_url(day_off_a))
    assert (
        response.status_code == 302 and response["Location"] == f"{CALENDAR}?year=2026&agency={agency_a.pk}"
    )
    assert not CalendarException.objects.exists()


def test_remove_of_another_agency_is_404_and_without_permission_403(
    client_for, b_head, q_overseer, a_staff, overseer, day_off_a
):
    for intruder in (b_head, q_overseer):
        assert client_for(intruder).post(remove_url(day_off_a)).status_code == 404
    for reader in (a_staff, overseer):
        assert client_for(reader).post(remove_url(day_off_a)).status_code == 403
    assert client_for(a_staff).get(remove_url(day_off_a)).status_code == 405
    assert CalendarException.objects.count() == 1


def test_office_hours_page(client_for, a_head, a_staff, b_head, agency_a):
    assert client_for(a_staff).get(HOURS).status_code == 403
    assert client_for(b_head).get(HOURS, {"agency": agency_a.pk}).status_code == 404
    client = client_for(a_head)
    assert client.get(HOURS).status_code == 200
    bad = client.post(
        HOURS,
        {
            "morning_start": "12:00",
            "morning_end": "08:00",
            "afternoon_start": "13:00",
            "afternoon_end": "17:00",
        },
    )
    assert bad.status_code == 200 and not AgencyCalendar.objects.exists()
    ok = client.post(
        HOURS,
        {
            "morning_start": "07:30",
            "morning_end": "11:30",
            "afternoon_start": "13:00",
            "afternoon_end": "17:00",
        },
    )
    assert ok.status_code == 302 and AgencyCalendar.objects.get(agency=agency_a).morning_start.hour == 7


def test_menu_entry(a_staff):
    items = [item for section in build_menu(a_staff) for item in section["items"]]
    entry = next(item for item in items if str(item["label"]) in ("Working calendar", "Lịch làm việc"))
    assert entry["enabled"] and entry["url"] == CALENDAR


def test_admin_pages(client, django_user_model, day_off_a):
    admin = django_user_model.objects.create_superuser("root", "root@example.gov.vn", "Mk-kiem-thu-2026")
    client.force_login(admin)
    assert client.get("/admin/organizations/calendarexception/").status_code == 200
    assert client.get(f"/admin/organizations/calendarexception/{day_off_a.pk}/change/").status_code == 200
    assert client.get("/admin/organizations/agencycalendar/add/").status_code == 200


# --- the API ---------------------------------------------------------------------------------------------

DUE = "/api/v1/calendar/due"


def test_api_due(api_for, a_staff):
    response = api_for(a_staff).get(DUE, {"start": "2026-02-13T10:00", "days": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["due"] == "2026-02-25T10:00:00+07:00" and body["agency"] == "STP"
    assert (
        api_for(a_staff).get(DUE, {"start": "2026-02-13T10:00", "hours": "2.5"}).json()["due"]
        == "2026-02-13T13:30:00+07:00"
    )


def test_api_due_uses_the_agency_exceptions(api_for, a_staff, b_staff, agency_a, a_head):
    add(a_head, agency_a, day=datetime.date(2026, 2, 23), reason="Nghỉ thêm sau Tết")
    assert (
        api_for(a_staff).get(DUE, {"start": "2026-02-13T10:00", "days": 3}).json()["due"]
        == "2026-02-26T10:00:00+07:00"
    )
    assert (
        api_for(b_staff).get(DUE, {"start": "2026-02-13T10:00", "days": 3}).json()["due"]
        == "2026-02-25T10:00:00+07:00"
    )


def test_api_due_of_another_agency_is_404(api_for, b_staff, q_overseer, overseer, agency_a):
    for intruder in (b_staff, q_overseer):
        response = api_for(intruder).get(DUE, {"start": "2026-02-13", "days": 1, "agency": agency_a.code})
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert api_for(overseer).get(DUE, {"start": "2026-02-13", "days": 1, "agency": "NOPE"}).status_code == 404
    ok = api_for(overseer).get(DUE, {"start": "2026-02-13", "days": 1, "agency": agency_a.code})
    assert ok.status_code == 200 and ok.json()["due"] == "2026-02-13T17:00:00+07:00"


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"start": "13/02/2026", "days": 1}, 400),
        ({"start": "", "days": 1}, 400),
        ({"start": "2026-02-13", "days": -1}, 422),
        ({"start": "2026-02-13", "days": "abc"}, 422),
        ({"start": "2026-02-13", "days": "NaN"}, 422),
        ({"days": 1}, 422),
        ({"start": "2099-12-01", "days": 10_000}, 400),
    ],
)
def test_api_due_bad_input(api_for, a_staff, params, status):
    response = api_for(a_staff).get(DUE, params)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json") and response.json()["message"]


def test_api_due_needs_a_token(client):
    assert client.get(DUE, {"start": "2026-02-13", "days": 1}).status_code == 401


# --- the command line -------------------------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


def test_command_due():
    assert run("due", "--start", "2026-02-13T10:00", "--days", "3") == "2026-02-25T10:00:00+07:00\n"
    assert (
        run("due", "--start", "2026-02-13T10:00", "--days", "1", "--hours", "4")
        == "2026-02-23T15:00:00+07:00\n"
    )
    assert run("due", "--start", "2026-08-21T16:00:00+07:00", "--hours", "2") == "2026-08-22T09:00:00+07:00\n"


def test_command_due_with_an_agency(a_head, agency_a):
    add(a_head, agency_a, day=datetime.date(2026, 2, 23))
    assert (
        run("due", "--start", "2026-02-13T10:00", "--days", "3", "--agency", "STP")
        == "2026-02-26T10:00:00+07:00\n"
    )


def test_command_list(a_head, agency_a):
    add(a_head, agency_a, day=SATURDAY, kind=WORK, reason="Làm bù của Sở", decision="QĐ 9/QĐ-STP")
    national = run("list", "--year", "2026")
    assert "2026-11-24" in national and "Ngày Văn hóa Việt Nam" in national
    off, extra = national.split("\n\n")
    assert "2026-08-31" in off and "2026-08-22" in extra and "Bộ Nội vụ" in extra
    agency = run("list", "--year", "2026", "--agency", "STP")
    assert "2026-03-14" in agency and "Làm bù của Sở — QĐ 9/QĐ-STP" in agency


@pytest.mark.parametrize(
    "args",
    [
        ("due", "--start", "junk", "--days", "3"),
        ("due", "--start", "2026-02-13", "--days", "-1"),
        ("due", "--start", "2026-02-13", "--days", "many"),
        ("due", "--start", "2026-02-13"),
        ("due", "--start", "2026-02-13", "--days", "1", "--agency", "NOPE"),
        ("list", "--year", "20x6"),
        ("list", "--year", "1800"),
        ("list", "--year", "2026", "--agency", "NOPE"),
    ],
)
def test_command_errors(args):
    with pytest.raises(CommandError):
        run(*args)


# --- the national calendar: next year's decreed swaps entered by an administrator ------------------------

NATIONAL = reverse("organizations:nationalcalendar")
FRIDAY_2027, SATURDAY_2027 = datetime.date(2027, 4, 30), datetime.date(2027, 5, 8)  # an example swap


def test_an_administrator_enters_next_years_swap_and_every_agency_counts_it(
        client_for, admin_user, agency_a, agency_b, a_staff):
    before = selectors.work_calendars_for([agency_a, agency_b])
    assert before[agency_a.pk].is_working_day(datetime.date(2027, 4, 29)) and not before[
        agency_b.pk].is_working_day(SATURDAY_2027)
    client = client_for(admin_user, language="en")
    response = client.post(NATIONAL, {"date": "29/04/2027", "kind": "day_off", "decision": "Công văn 1/VPCP 2026"})
    assert response.status_code == 302
    response = client.post(NATIONAL, {"date": "08/05/2027", "kind": "makeup", "replaces": "29/04/2027",
                                      "decision": "Công văn 1/VPCP 2026"})
    assert response.status_code == 302, response.content.decode()[:2000]
    after = selectors.work_calendars_for([agency_a, agency_b])
    for agency in (agency_a, agency_b):  # no release, no per-agency work
        calendar = after[agency.pk]
        assert not calendar.is_working_day(datetime.date(2027, 4, 29))
        assert calendar.day_kind(SATURDAY_2027) == workcalendar.MAKEUP
        assert calendar.day_name(SATURDAY_2027) == "Ngày làm bù (thay cho ngày 29/04/2027)"
        assert calendar.decision_of(SATURDAY_2027) == "Công văn 1/VPCP 2026"
    assert AuditEvent.objects.filter(action="create", object_repr__startswith="08/05/2027").exists()
    page = client_for(a_staff, language="en").get(f"{NATIONAL}?year=2027").content.decode()
    assert 'data-date="2027-05-08" data-kind="makeup"' in page and "nationalcalendar-remove" not in page
    # Removing it is audited and gives the Saturday back.
    assert client.post(reverse("organizations:nationalcalendar-remove"), {"date": "2027-05-08"}).status_code == 302
    assert not selectors.work_calendar_for(agency_a).is_working_day(SATURDAY_2027)
    assert AuditEvent.objects.filter(action="delete", object_repr__startswith="08/05/2027").exists()


def test_the_shipped_days_are_listed_and_an_entered_day_wins_over_one(client_for, admin_user, a_staff):
    page = client_for(a_staff, language="en").get(f"{NATIONAL}?year=2026").content.decode()
    assert 'data-date="2026-01-02" data-kind="decreed_off"' in page and "12729/VPCP-KGVX" in page
    assert 'data-date="2026-01-10" data-kind="makeup"' in page
    # Had the notice been withdrawn: the administrator makes 2/1/2026 a working day again.
    services.national_day_add(actor=admin_user, date=datetime.date(2026, 1, 2), kind="makeup",
                              decision="Công văn hủy bỏ (ví dụ)")
    assert selectors.work_calendar_for(None).is_working_day(datetime.date(2026, 1, 2))


def test_only_administrators_change_the_national_calendar(client_for, a_head, a_secretary, overseer, admin_user):
    for user in (a_head, a_secretary, overseer):
        with pytest.raises(Forbidden):
            services.national_day_add(actor=user, date=FRIDAY_2027, kind="day_off", decision="x")
        assert client_for(user).post(NATIONAL, {"date": "30/04/2027", "kind": "day_off",
                                                "decision": "x"}).status_code == 403
    with pytest.raises(ValidationFailed):  # 1/5 is already a day off
        services.national_day_add(actor=admin_user, date=datetime.date(2027, 5, 1), kind="day_off", decision="x")
    with pytest.raises(ValidationFailed):  # a Monday is already a working day
        services.national_day_add(actor=admin_user, date=datetime.date(2027, 5, 10), kind="makeup", decision="x")

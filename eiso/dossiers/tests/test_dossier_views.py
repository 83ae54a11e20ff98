"""The dossier list (filters, quick tabs, pagination), the dossier page and the list export."""

import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from eiso.dossiers.models import DossierSettings
from eiso.dossiers.selectors.lists import dossier_list_for_user, dossier_tab_counts
from eiso.dossiers.tests.factories.dossiers import NOW, dossier_of_agency_b, dossiers_of_agency_a, t

pytestmark = pytest.mark.django_db


@pytest.fixture
def d(agency_a, unit_a, one_stop_a):
    return dossiers_of_agency_a(agency_a, unit_a, one_stop_a)


def tz():
    return ZoneInfo("Asia/Ho_Chi_Minh")


def codes(qs):
    return sorted(x.code for x in qs)


def test_sample_timing(d):
    assert (d["late"].result, d["early"].result) == ("late", "early")
    assert d["overdue"].due_at == t(2026, 3, 4, 17)
    assert d["due_soon"].due_at == t(2026, 3, 9, 9)  # 7 working hours after NOW, across the weekend
    assert d["later"].due_at == t(2026, 3, 10, 14)
    assert d["waiting"].status == "supplement_requested"


# --- selectors -------------------------------------------------------------------------------------------


def test_quick_tabs(d, a_staff):
    assert codes(dossier_list_for_user(a_staff, now=NOW, tab="open")) == codes(
        [d["overdue"], d["due_soon"], d["later"], d["waiting"]])
    assert codes(dossier_list_for_user(a_staff, now=NOW, tab="overdue")) == [d["overdue"].code]
    assert codes(dossier_list_for_user(a_staff, now=NOW, tab="due_soon")) == [d["due_soon"].code]
    assert dossier_tab_counts(a_staff, now=NOW) == {"all": 6, "open": 4, "due_soon": 1, "overdue": 1}


def test_due_soon_follows_the_agency_setting_in_working_hours(d, agency_a, a_staff):
    # Tue 10/3 14:00 is 19 working hours after Fri 6/3 10:00 (6 on Friday, 8 on Monday, 5 on Tuesday)
    DossierSettings.objects.create(agency=agency_a, due_soon_hours=19)
    assert codes(dossier_list_for_user(a_staff, now=NOW, tab="due_soon")) == codes([d["due_soon"], d["later"]])
    DossierSettings.objects.filter(agency=agency_a).update(due_soon_hours=18)
    assert codes(dossier_list_for_user(a_staff, now=NOW, tab="due_soon")) == [d["due_soon"].code]


def test_the_tabs_follow_the_clock_given(d, a_staff):
    wednesday = t(2026, 3, 4, 16)  # an hour before the "overdue" dossier is due
    assert codes(dossier_list_for_user(a_staff, now=wednesday, tab="due_soon")) == [d["overdue"].code]
    assert dossier_tab_counts(a_staff, now=wednesday)["overdue"] == 0
    counts = dossier_tab_counts(a_staff, now=NOW)
    assert (counts["due_soon"], counts["overdue"]) == (1, 1)
    assert codes(dossier_list_for_user(a_staff, now=NOW, tab="overdue")) == [d["overdue"].code]


def test_a_paused_dossier_is_open_but_never_overdue(d, a_staff):
    late_friday = t(2026, 3, 20, 10)
    assert d["waiting"].code in codes(dossier_list_for_user(a_staff, now=late_friday, tab="open"))
    assert d["waiting"].code not in codes(dossier_list_for_user(a_staff, now=late_friday, tab="overdue"))


def test_tab_counts_kept_per_filter_until_the_data_change(d, a_staff):
    # "All" and "open" are kept between requests: per reader and filters, and until the data change.
    assert dossier_tab_counts(a_staff, now=NOW) == {"all": 6, "open": 4, "due_soon": 1, "overdue": 1}
    one = {"q": d["overdue"].code}
    assert dossier_tab_counts(a_staff, now=NOW, **one) == {"all": 1, "open": 1, "due_soon": 0, "overdue": 1}
    d["overdue"].status = "returned"
    d["overdue"].save(update_fields=["status"])
    assert dossier_tab_counts(a_staff, now=NOW, **one) == {"all": 1, "open": 0, "due_soon": 0, "overdue": 0}
    assert dossier_tab_counts(a_staff, now=NOW) == {"all": 6, "open": 3, "due_soon": 1, "overdue": 0}


def test_filter_choices_are_the_readers_own_and_follow_the_data(d, agency_b, unit_b, a_staff, overseer):
    from eiso.dossiers.forms import DossierFilterForm

    def procedures(user):
        return [label for value, label in DossierFilterForm(user=user).fields["procedure"].choices if value]

    before = procedures(a_staff), procedures(overseer)
    dossier_of_agency_b(agency_b, unit_b)  # a procedure of agency B: the overseer's choice, not A's staff's
    assert procedures(a_staff) == before[0]
    assert [p for p in procedures(overseer) if p not in before[1]] == [
        next(p for p in procedures(overseer) if p.startswith("1.009999"))]


@pytest.mark.parametrize(("filters", "expected"), [
    ({"result": "late"}, ["late"]),
    ({"result": "early"}, ["early"]),
    ({"result": "open"}, ["overdue", "due_soon", "later", "waiting"]),
    ({"status": "returned"}, ["late", "early"]),
    ({"status": "supplement_requested"}, ["waiting"]),
    ({"q": "0003"}, ["overdue"]),
    ({"q": "Phạm Thị"}, ["due_soon"]),
    ({"period": "received", "date_from": "2026-03-04", "date_to": "2026-03-05"}, ["due_soon", "later"]),
    ({"period": "finished", "date_from": "2026-02-01", "date_to": "2026-02-28"}, ["late"]),
    ({"procedure": "tthc"}, ["late", "early", "overdue", "due_soon", "later", "waiting"]),
    ({"procedure": "999999"}, []),
    ({"procedure": "x"}, []),
])
def test_filters(d, a_staff, filters, expected):
    import datetime as dt

    kwargs = {k: (dt.date.fromisoformat(v) if k.startswith("date_") else v) for k, v in filters.items()}
    if kwargs.get("procedure") == "tthc":
        kwargs["procedure"] = str(d["tthc"].pk)
    assert codes(dossier_list_for_user(a_staff, now=NOW, **kwargs)) == codes([d[name] for name in expected])


def test_unit_filter_takes_the_current_unit_or_any_step_unit(d, a_staff, agency_a, one_stop_a):
    from eiso.organizations.tests.factories import UnitFactory

    # every dossier of the procedure passes through the one-stop desk (steps 1 and 3)
    assert len(codes(dossier_list_for_user(a_staff, now=NOW, unit=str(one_stop_a.pk)))) == 6
    other = UnitFactory(agency=agency_a, code="VP", name="Văn phòng")
    assert codes(dossier_list_for_user(a_staff, now=NOW, unit=str(other.pk))) == []
    assert codes(dossier_list_for_user(a_staff, now=NOW, unit="nonsense")) == []


def test_the_list_holds_only_the_users_agencies(d, agency_b, unit_b, a_staff, b_staff, overseer):
    theirs = dossier_of_agency_b(agency_b, unit_b)
    assert theirs.code not in codes(dossier_list_for_user(a_staff, now=NOW))
    assert codes(dossier_list_for_user(b_staff, now=NOW)) == [theirs.code]
    assert len(codes(dossier_list_for_user(overseer, now=NOW))) == 7
    assert codes(dossier_list_for_user(overseer, now=NOW, agency=str(agency_b.pk))) == [theirs.code]
    assert dossier_tab_counts(overseer, now=NOW, agency=str(agency_b.pk))["overdue"] == 1  # due Wed 4/3 17:00


# --- pages -----------------------------------------------------------------------------------------------

clock = time_machine.travel(NOW, tick=False)


@clock
def test_list_page_tabs_and_columns(d, client_for, a_staff):
    response = client_for(a_staff, language="en").get("/dossiers/")
    html = response.content.decode()
    assert response.status_code == 200
    for dossier in ("late", "early", "overdue", "due_soon", "later", "waiting"):
        assert d[dossier].code in html
    assert "Nguyễn Văn An" in html and "Overdue" in html and "Due soon" in html
    overdue = client_for(a_staff, language="en").get("/dossiers/?tab=overdue").content.decode()
    assert d["overdue"].code in overdue and d["due_soon"].code not in overdue and d["late"].code not in overdue


@clock
def test_on_a_phone_a_row_shows_due_date_and_status_without_the_wide_procedure(d, client_for, a_staff):
    """Below 768 px the procedure column is hidden (its code moves under the dossier code), the status
    shows under the due date: code, due, status and result fit on 390 px."""
    html = client_for(a_staff, language="en").get("/dossiers/?tab=overdue").content.decode()
    row = html[html.index(d["overdue"].code):]
    row = row[:row.index("</tr>")]
    cells = row.split("<td")
    procedure = next(c for c in cells if d["overdue"].admin_procedure.name[:20] in c)
    assert 'class="d-none d-md-table-cell' in procedure
    due = next(c for c in cells if d["overdue"].due_at.astimezone(tz()).strftime("%d/%m/%Y") in c)
    assert "d-none" not in due.split(">")[0] and d["overdue"].get_status_display() in due


def test_an_empty_tab_says_nothing_matches_not_that_nothing_was_imported(d, client_for, a_staff, b_staff):
    with time_machine.travel(t(2025, 1, 1, 9), tick=False):  # before any of them was received: none overdue
        empty_tab = client_for(a_staff, language="en").get("/dossiers/?tab=overdue").content.decode()
    assert "No dossier in this tab." in empty_tab and "No dossiers yet" not in empty_tab
    nothing = client_for(b_staff, language="en").get("/dossiers/").content.decode()  # agency B has none here
    assert "No dossiers yet" in nothing


@clock
def test_list_page_filters_and_htmx_partial(d, client_for, a_staff):
    client = client_for(a_staff)
    response = client.get("/dossiers/?result=late", headers={"HX-Request": "true", "HX-Target": "results"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="results"' in html
    assert d["late"].code in html and d["early"].code not in html
    # bad values are ignored, never a 500
    assert client.get("/dossiers/?procedure=abc&unit=%00&date_from=yesterday&tab=nope&page=-3").status_code == 200


@clock
def test_list_page_query_count_does_not_grow_with_rows(d, client_for, a_staff, django_assert_max_num_queries):
    client = client_for(a_staff)
    client.get("/dossiers/")
    # (17: the header's count of "My tasks" is one query on every page)
    with django_assert_max_num_queries(17):
        assert client.get("/dossiers/?tab=open").status_code == 200


@clock
def test_overseer_sees_agencies_and_filters_by_one(d, agency_b, unit_b, client_for, overseer, b_staff):
    theirs = dossier_of_agency_b(agency_b, unit_b)
    html = client_for(overseer).get(f"/dossiers/?agency={agency_b.pk}").content.decode()
    assert theirs.code in html and d["late"].code not in html
    html = client_for(b_staff).get("/dossiers/").content.decode()
    assert theirs.code in html and d["late"].code not in html


@clock
def test_dossier_page(d, client_for, a_staff):
    html = client_for(a_staff, language="en").get(f"/dossiers/{d['overdue'].pk}/").content.decode()
    assert "STP-260302-0003" in html and "Lê Văn Cường" in html and "Đăng ký khai sinh" in html
    assert "Tiếp nhận, kiểm tra hồ sơ" in html and "Thẩm định, trình ký" in html
    assert "Phòng Hành chính tư pháp" in html and "Bộ phận Một cửa" in html
    assert "04/03/2026 17:00" in html  # due
    assert "Overdue" in html and "current" in html
    assert f"/reports/dossiers/{d['overdue'].pk}/control-slip.docx" in html
    assert f"/reports/dossiers/{d['overdue'].pk}/control-slip.pdf" in html
    # staff may read but not issue apology letters
    assert f"/dossiers/{d['overdue'].pk}/apology/" not in html


@clock
def test_dossier_page_of_another_agency_is_404(d, client_for, b_staff, a_head):
    assert client_for(b_staff).get(f"/dossiers/{d['late'].pk}/").status_code == 404
    assert client_for(a_head).get("/dossiers/999999/").status_code == 404
    assert client_for(a_head).get(f"/dossiers/{d['late'].pk}/").status_code == 200


def test_anonymous_is_sent_to_login(d, client):
    response = client.get("/dossiers/")
    assert response.status_code == 302 and "login" in response["Location"]


# --- the list as Excel -----------------------------------------------------------------------------------


@clock
def test_export_of_the_filtered_list(d, client_for, a_staff):
    response = client_for(a_staff).get("/reports/dossiers/list.xlsx?tab=open")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Mã hồ sơ"
    assert sorted(r[0] for r in rows[1:]) == codes([d["overdue"], d["due_soon"], d["later"], d["waiting"]])
    waiting = next(r for r in rows if r[0] == d["waiting"].code)
    assert waiting[8] == "Yêu cầu bổ sung" and waiting[4] == "Đỗ Thị Giang"
    assert waiting[5].strftime("%d/%m/%Y %H:%M") == "02/03/2026 08:00"


@clock
def test_export_holds_only_the_users_agency(d, agency_b, unit_b, client_for, b_staff):
    dossier_of_agency_b(agency_b, unit_b)
    response = client_for(b_staff).get("/reports/dossiers/list.xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["SXD-260302-0001"]

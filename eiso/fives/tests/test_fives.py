"""5S: the default checklist, recording an inspection (scores, refusals that change nothing,
photos of failed items), copy on edit of the checklist, the one-click nonconformity, the ranking
from stored inspections, permissions, pages, API and Word."""

import datetime
import io
import json
import struct
import zipfile
import zlib
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eiso.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from eiso.fives import scoring, selectors, services
from eiso.fives.models import Answer, FivesItem, Inspection
from eiso.fives.tests.factories import answers_failing, make_area, make_inspection, make_programme
from eiso.improvements.models import Nonconformity
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import UnitFactory, make_user

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 64


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def area(agency_a, unit_a):
    make_programme(agency_a, 2026)
    return make_area(agency_a, unit_a)


def _plan(agency, area, inspector, day=datetime.date(2026, 4, 20)):
    return services.inspection_plan(actor=None, agency=agency, area=area, planned_on=day, inspector=inspector)


def test_the_default_checklist_is_shipped_five_s_125_points(agency_a):
    items = selectors.checklist_of(agency_a.pk)
    assert len(items) == 25 and sum(i.points for i in items) == 125
    assert [i.s for i in items[::5]] == ["sort", "set_in_order", "shine", "standardize", "sustain"]


def test_recording_scores_per_s_and_in_total(agency_a, area, a_staff, a_secretary):
    inspection = _plan(agency_a, area, a_staff)
    answers = answers_failing(agency_a, failed=3)  # three "Sàng lọc" items fail: 110/125
    services.inspection_record(actor=a_staff, inspection=inspection, answers=answers,
                               done_on=datetime.date(2026, 4, 21))
    inspection.refresh_from_db()
    assert (inspection.status, inspection.points_scored, inspection.points_max, inspection.percent) == (
        "done", 110, 125, Decimal("88.00"))
    by_s = scoring.scores_by_s(inspection.answers.values_list("s", "score", "points"))
    assert [(x.s, x.percent) for x in by_s][:2] == [("sort", Decimal("40.00")), ("set_in_order", Decimal("100.00"))]
    with pytest.raises(Conflict):  # a recorded inspection is not recorded twice
        services.inspection_record(actor=a_secretary, inspection=inspection, answers=answers)


@pytest.mark.parametrize("spoil", ["missing", "twice", "too_many_points", "contradiction", "unknown", "nothing"])
def test_a_bad_sheet_is_refused_and_changes_nothing(agency_a, area, a_staff, spoil):
    inspection = _plan(agency_a, area, a_staff)
    answers = answers_failing(agency_a)
    if spoil == "missing":
        answers.pop()
    elif spoil == "twice":
        answers.append(dict(answers[0]))
    elif spoil == "too_many_points":
        answers[0] = {"item": answers[0]["item"], "score": 6}
    elif spoil == "contradiction":
        answers[0] = {"item": answers[0]["item"], "passed": True, "score": 2}
    elif spoil == "unknown":
        answers[0] = {"item": 10**9, "passed": True}
    else:
        answers[0] = {"item": answers[0]["item"]}
    with pytest.raises(ValidationFailed) as refused:
        services.inspection_record(actor=a_staff, inspection=inspection, answers=answers)
    assert refused.value.errors["answers"]
    inspection.refresh_from_db()
    assert inspection.status == "planned" and inspection.percent is None and not Answer.objects.exists()


def test_a_graded_item_takes_a_score_within_its_points(agency_a, area, a_secretary, a_staff):
    item = selectors.checklist_of(agency_a.pk)[0]
    own = services.item_update(actor=a_secretary, agency=agency_a, item=item, points=10, graded=True)
    inspection = _plan(agency_a, area, a_staff)
    answers = answers_failing(agency_a)
    answers[[a["item"] for a in answers].index(own.pk)] = {"item": own.pk, "score": 7}
    services.inspection_record(actor=a_staff, inspection=inspection, answers=answers)
    inspection.refresh_from_db()
    assert (inspection.points_scored, inspection.points_max, inspection.percent) == (127, 130, Decimal("97.69"))
    assert Answer.objects.get(inspection=inspection, item=own).passed is False  # 7 of 10: a shortfall


def test_photos_go_with_failed_items_and_are_checked_by_content(agency_a, area, a_staff):
    inspection = _plan(agency_a, area, a_staff)
    answers = answers_failing(agency_a, failed=1)
    failed, passed = answers[0]["item"], answers[1]["item"]
    renamed = SimpleUploadedFile("anh.jpg", b"MZ" * 40)  # an executable named as a photo
    with pytest.raises(ValidationFailed):
        services.inspection_record(actor=a_staff, inspection=inspection, answers=answers, photos={failed: renamed})
    with pytest.raises(ValidationFailed):
        services.inspection_record(actor=a_staff, inspection=inspection, answers=answers,
                                   photos={passed: SimpleUploadedFile("anh.png", PNG)})
    assert not Answer.objects.exists()
    services.inspection_record(actor=a_staff, inspection=inspection, answers=answers,
                               photos={failed: SimpleUploadedFile("anh.jpeg", JPEG)})
    answer = Answer.objects.get(inspection=inspection, item_id=failed)
    assert answer.photo and answer.photo_type == "jpg" and answer.photo_name == "anh.jpeg"
    with pytest.raises(Conflict):
        services.answer_photo_attach(actor=a_staff, answer=Answer.objects.get(inspection=inspection, item_id=passed),
                                     uploaded=SimpleUploadedFile("anh.png", PNG))


def test_who_plans_and_who_fills(agency_a, area, a_staff, a_unit_head, a_secretary, b_head):
    with pytest.raises(Forbidden):
        _plan_as = services.inspection_plan(actor=a_staff, agency=agency_a, area=area,
                                            planned_on=datetime.date(2026, 5, 2), inspector=a_staff)
        del _plan_as
    inspection = services.inspection_plan(actor=a_secretary, agency=agency_a, area=area,
                                          planned_on=datetime.date(2026, 5, 2), inspector=a_staff)
    with pytest.raises(Forbidden):  # not the inspector, not a manager
        services.inspection_record(actor=a_unit_head, inspection=inspection, answers=answers_failing(agency_a))
    with pytest.raises(NotFound):
        selectors.inspection_get_for_user(b_head, inspection.pk)
    with pytest.raises(ValidationFailed):  # an inspector of another agency
        services.inspection_plan(actor=a_secretary, agency=agency_a, area=area, planned_on=datetime.date(2026, 5, 2),
                                 inspector=b_head)


def test_no_programme_no_inspection(agency_a, unit_a, a_staff):
    area = make_area(agency_a, unit_a, name="Kho lưu trữ")
    with pytest.raises(ValidationFailed) as refused:
        _plan(agency_a, area, a_staff, day=datetime.date(2025, 12, 1))
    assert "planned_on" in refused.value.errors


def test_editing_a_default_item_copies_the_set_and_past_scores_stay(agency_a, agency_b, area, a_staff, a_secretary):
    done = make_inspection(agency_a, area, a_staff, failed=1)
    default = selectors.checklist_of(agency_a.pk)[0]
    old_text = default.text
    own = services.item_update(actor=a_secretary, agency=agency_a, item=default, text="Bàn làm việc gọn gàng")
    assert own.agency_id == agency_a.pk and own.copied_from_id == default.pk
    assert FivesItem.objects.filter(agency=agency_a).count() == 25
    default.refresh_from_db()
    assert default.text == old_text and default.agency_id is None
    assert selectors.checklist_of(agency_a.pk)[0].text == "Bàn làm việc gọn gàng"
    assert selectors.checklist_of(agency_b.pk)[0].text == old_text  # B still uses the default set
    assert done.answers.order_by("position").first().text == old_text
    services.item_remove(actor=a_secretary, agency=agency_a, item=own)
    assert len(selectors.checklist_of(agency_a.pk)) == 24
    with pytest.raises(Forbidden):
        services.item_create(actor=a_staff, agency=agency_a, s="sort", text="x")


def test_a_failed_item_becomes_a_nonconformity_in_one_click(agency_a, area, a_staff, a_unit_head):
    inspection = make_inspection(agency_a, area, a_staff, failed=2)
    failed = inspection.answers.filter(passed=False).first()
    nc = services.answer_nonconformity(actor=a_unit_head, answer=failed)
    assert nc.source == "fives" and nc.unit_id == area.unit_id and nc.clause == "7.1.4"
    assert failed.text in nc.description and nc.detected_on == inspection.done_on
    with pytest.raises(Conflict):
        services.answer_nonconformity(actor=a_unit_head, answer=failed)
    with pytest.raises(Conflict):
        services.answer_nonconformity(actor=a_unit_head, answer=inspection.answers.filter(passed=True).first())
    assert Nonconformity.objects.count() == 1


def test_ranking_from_the_inspections_of_the_quarter(agency_a, unit_a, a_staff, a_head):
    other = UnitFactory(agency=agency_a, name="Văn phòng")
    area_a, area_o = make_area(agency_a, unit_a), make_area(agency_a, other, name="Bộ phận một cửa")
    make_inspection(agency_a, area_a, a_staff, day=datetime.date(2026, 1, 10), failed=0)  # 100
    make_inspection(agency_a, area_a, a_staff, day=datetime.date(2026, 3, 30), failed=5)  # 80 → mean 90
    make_inspection(agency_a, area_o, a_staff, day=datetime.date(2026, 2, 1), failed=5)   # 80
    make_inspection(agency_a, area_o, a_staff, day=datetime.date(2026, 3, 31), failed=0)  # 100 → mean 90, later 100
    make_inspection(agency_a, area_a, a_staff, day=datetime.date(2026, 4, 1), failed=25)  # Q2: not counted
    ranked = selectors.ranking_for(a_staff, agency_a.pk, scoring.Period(2026, 1))
    assert [(r.key.pk, r.score, r.rank) for r in ranked] == [(other.pk, Decimal("90.00"), 1),
                                                             (unit_a.pk, Decimal("90.00"), 2)]
    periods, trend = selectors.trend_for(a_head, agency_a.pk, 2026)
    assert {u.pk: v for u, v in trend}[unit_a.pk] == [Decimal("90.00"), Decimal("0.00"), None, None]


# --- pages ----------------------------------------------------------------------------------------

def test_filling_an_inspection_on_the_phone_page(client_for, agency_a, area, a_staff):
    inspection = _plan(agency_a, area, a_staff, day=datetime.date(2026, 5, 4))
    client = client_for(a_staff)
    page = client.get(f"/fives/inspections/{inspection.pk}/fill/")
    assert page.status_code == 200 and 'capture="environment"' in page.content.decode()
    items = selectors.checklist_of(agency_a.pk)
    data = {f"a_{i.pk}": "1" for i in items[1:]} | {"done_on": "04/05/2026", "note": "Gọn gàng"}
    refused = client.post(f"/fives/inspections/{inspection.pk}/fill/", data)  # the first item unanswered
    assert refused.status_code == 400 and not Answer.objects.exists()
    data |= {f"a_{items[0].pk}": "0", f"r_{items[0].pk}": "Bàn bừa bộn",
             f"p_{items[0].pk}": SimpleUploadedFile("ban.png", PNG, content_type="image/png")}
    done = client.post(f"/fives/inspections/{inspection.pk}/fill/", data)
    assert done.status_code == 302
    inspection.refresh_from_db()
    assert inspection.percent == Decimal("96.00")
    answer = Answer.objects.get(inspection=inspection, item=items[0])
    assert answer.remark == "Bàn bừa bộn" and answer.photo
    assert client.get(f"/fives/answers/{answer.pk}/photo/").status_code == 200
    detail = client.get(f"/fives/inspections/{inspection.pk}/").content.decode()
    assert "96,0" in detail or "96.0" in detail


def test_pages_answer(client_for, agency_a, area, a_staff, a_secretary, overseer):
    make_inspection(agency_a, area, a_staff, day=datetime.date(2026, 4, 2), failed=1)
    for user in (a_staff, a_secretary, overseer):
        client = client_for(user)
        for url in ("/fives/", "/fives/?period=2026-Q2", "/fives/inspections/", "/fives/areas/", "/fives/checklist/",
                    "/fives/programmes/", "/fives/?period=garbage"):
            assert client.get(url).status_code == 200, (user.username, url)
    assert area.unit.name in client_for(overseer).get(f"/fives/?period=2026-Q2&agency={agency_a.pk}").content.decode()
    secretary = client_for(a_secretary)
    for url in ("/fives/inspections/new/", "/fives/areas/new/", "/fives/checklist/new/", "/fives/rewards/new/"):
        assert secretary.get(url).status_code == 200, url
        assert client_for(a_staff).get(url).status_code == 403, url


def _real_png() -> bytes:
    """A valid 2×2 PNG (Word embeds it)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _row in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_word_sheet_and_ranking(client_for, agency_a, area, a_staff):
    first = selectors.checklist_of(agency_a.pk)[0].pk
    inspection = make_inspection(agency_a, area, a_staff, day=datetime.date(2026, 4, 2), failed=1,
                                 photos={first: SimpleUploadedFile("ban.png", _real_png())})
    client = client_for(a_staff)
    for url, text in ((f"/reports/fives/inspections/{inspection.pk}.docx", "PHIẾU ĐÁNH GIÁ 5S"),
                      (f"/reports/agencies/{agency_a.pk}/fives-ranking.docx?period=2026-Q2", area.unit.name)):
        response = client.get(url)
        assert response.status_code == 200
        xml = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content) if response.streaming
                                         else response.content)).read("word/document.xml").decode()
        assert text in xml, url
        if "inspections" in url:  # the failed item's photo is printed under the tables
            names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content) if response.streaming
                                               else response.content)).namelist()
            assert "Ảnh các nội dung không đạt" in xml and any(n.startswith("word/media/") for n in names)
            assert "ngày 02 tháng 4 năm 2026" in xml  # dated by the inspection, not by the printing day
    sheet = client.get(f"/reports/agencies/{agency_a.pk}/fives-ranking.xlsx?period=2026-Q2")
    assert sheet.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(sheet.streaming_content) if sheet.streaming
                                                 else sheet.content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[1][:4] == (1, area.unit.name, 96.0, 1)


# --- API ------------------------------------------------------------------------------------------

def test_api_checklist_record_and_ranking(api_for, agency_a, unit_a, area, a_secretary, b_staff):
    client = api_for(a_secretary)
    checklist = client.get("/api/v1/fives/checklist").json()
    assert len(checklist) == 25 and set(checklist[0]) >= {"id", "s", "text", "points"}
    answers = [{"item": row["id"], "passed": i > 0} for i, row in enumerate(checklist)]
    body = {"unit": unit_a.code, "area": area.pk, "date": "2026-04-15", "answers": answers}
    bad = client.post("/api/v1/fives/inspections", json.dumps({**body, "answers": answers[1:]}),
                      content_type="application/json")
    assert bad.status_code == 400 and not Inspection.objects.exists()
    created = client.post("/api/v1/fives/inspections", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert Decimal(str(data["percent"])) == Decimal("96.00") and data["by_s"][0]["possible"] == 25
    ranking = client.get("/api/v1/fives/ranking?period=2026-Q2").json()
    assert ranking["units"][0]["unit"]["name"] == unit_a.name and Decimal(str(ranking["units"][0]["score"])) == 96
    assert client.get("/api/v1/fives/ranking?period=2026-Q9").status_code == 400
    assert api_for(b_staff).get(f"/api/v1/fives/inspections/{data['id']}").status_code == 404
    failed = data["answers"][0]["id"]
    nc = client.post(f"/api/v1/fives/answers/{failed}/nonconformity")
    assert nc.status_code == 201 and nc.json()["code"]
    planned = client.post("/api/v1/fives/inspections", json.dumps({**body, "answers": None, "date": "2026-05-20"}),
                          content_type="application/json")
    assert planned.status_code == 201 and planned.json()["status"] == "planned"


def test_api_rewards_and_areas(api_for, agency_a, unit_a, a_secretary, a_staff):
    client = api_for(a_secretary)
    area = client.post("/api/v1/fives/areas", content_type="application/json",
                       data=json.dumps({"unit": unit_a.code, "name": "Kho lưu trữ", "kind": "archive"}))
    assert area.status_code == 201
    again = client.post("/api/v1/fives/areas", json.dumps({"unit": unit_a.code, "name": "kho lưu trữ"}),
                        content_type="application/json")
    assert again.status_code == 400
    reward = client.post("/api/v1/fives/rewards", json.dumps({"unit": unit_a.code, "period": "2026-Q1",
                                                               "title": "Giấy khen"}), content_type="application/json")
    assert reward.status_code == 201 and reward.json()["period"] == "2026-Q1"
    assert api_for(a_staff).post("/api/v1/fives/rewards", json.dumps(
        {"unit": unit_a.code, "period": "2026-Q1", "title": "x"}), content_type="application/json").status_code == 403


def test_unit_head_of_another_unit_cannot_raise(agency_a, area, a_staff):
    other = UnitFactory(agency=agency_a, name="Phòng khác")
    head = make_user(agency_a, [Role.UNIT_HEAD], unit=other, username="other_head")
    inspection = make_inspection(agency_a, area, a_staff, failed=1)
    with pytest.raises(Forbidden):
        services.answer_nonconformity(actor=head, answer=inspection.answers.filter(passed=False).first())


def test_overseers_compare_the_agencies_and_staff_see_only_theirs(api_for, client_for, agency_a, agency_b, unit_a,
                                                                   unit_b, area, a_staff, b_head, overseer):
    make_inspection(agency_a, area, a_staff, day=datetime.date(2026, 4, 2), failed=5)  # 80
    make_inspection(agency_a, area, a_staff, day=datetime.date(2026, 4, 9), failed=0)  # 100 → 90
    make_programme(agency_b, 2026)
    make_inspection(agency_b, make_area(agency_b, unit_b), b_head, day=datetime.date(2026, 4, 3), failed=1)  # 96
    rows = selectors.agency_scores(overseer, scoring.Period(2026, 2))
    assert [(r["agency_id"], r["score"], r["inspections"]) for r in rows] == [
        (agency_b.pk, Decimal("96.00"), 1), (agency_a.pk, Decimal("90.00"), 2)]
    assert [r["agency_id"] for r in selectors.agency_scores(a_staff, scoring.Period(2026, 2))] == [agency_a.pk]
    assert [r["code"] for r in api_for(overseer).get("/api/v1/fives/scores?period=2026-Q2").json()] == [
        agency_b.code, agency_a.code]
    page = client_for(overseer).get("/fives/?period=2026-Q2").content.decode()
    assert agency_b.name in page and agency_a.name in page


def test_overdue_planned_inspections_show_on_the_attention_page(client_for, agency_a, area, a_staff, a_secretary):
    _plan(agency_a, area, a_staff, day=datetime.date(2026, 4, 30))  # before the frozen 4 May
    assert selectors.inspections_overdue(a_secretary, datetime.date(2026, 5, 4)).count() == 1
    page = client_for(a_secretary).get("/improvements/")
    assert page.status_code == 200 and "/fives/inspections/?status=planned" in page.content.decode()


def test_list_pages_cost_the_same_queries_for_more_rows(client_for, agency_a, area, a_staff):
    client = client_for(a_staff)
    make_inspection(agency_a, area, a_staff, day=datetime.date(2026, 4, 2))
    client.get("/fives/inspections/")
    cache.clear()  # both counts compute the pages' cached figures (eiso.core.freshness)
    with CaptureQueriesContext(connection) as one:
        client.get("/fives/inspections/")
        client.get("/fives/?period=2026-Q2")
    for day in (3, 6, 7, 8, 9):
        make_inspection(agency_a, area, a_staff, day=datetime.date(2026, 4, day))
    cache.clear()
    with CaptureQueriesContext(connection) as six:
        client.get("/fives/inspections/")
        client.get("/fives/?period=2026-Q2")
    assert len(six) == len(one)


def test_the_inspector_finds_the_inspections_to_do_from_the_dashboard(client_for, agency_a, area, a_staff, a_unit_head):
    _plan(agency_a, area, a_staff, day=datetime.date(2026, 5, 6))
    assert "bi-clipboard2-check" in client_for(a_staff).get("/").content.decode()  # the quick link
    assert "bi-clipboard2-check" not in client_for(a_unit_head).get("/").content.decode()


@pytest.mark.parametrize("odd", ["²", "٣"])
def test_a_score_in_other_digits_is_kept_as_text_for_the_service_to_refuse(rf, odd):
    from types import SimpleNamespace

    from eiso.fives.views.inspections import _read_answers

    request = rf.post("/", {"s_7": odd})
    answers, _photos, _typed = _read_answers(request, [SimpleNamespace(pk=7, graded=True)])
    assert answers == [{"item": 7, "score": odd, "remark": ""}]


def test_the_pages_kept_figures_and_rows_follow_the_data(client_for, agency_a, area, a_staff):
    """The ranking's figures and the inspection list's rows are kept until the data change: a repeat
    view reads no inspection row, a new inspection shows at the next view of both."""
    def results(response) -> str:
        return response.content.decode().split('<div id="results"', 1)[1]

    client = client_for(a_staff)
    make_inspection(agency_a, area, a_staff, day=datetime.date(2026, 4, 2))
    first = results(client.get("/fives/inspections/"))
    ranking = client.get("/fives/?period=2026-Q2").context["rows"]
    with CaptureQueriesContext(connection) as again:
        assert results(client.get("/fives/inspections/")) == first
        assert client.get("/fives/?period=2026-Q2").context["rows"] == ranking
    # the page of rows (LIMIT) is neither read nor the ranking's inspections; "my inspections to do" is
    pages_read = [q for q in again.captured_queries if 'FROM "fives_inspection"' in q["sql"]
                  and ("LIMIT" in q["sql"] or '"done_on" BETWEEN' in q["sql"])]
    assert pages_read == []
    make_inspection(agency_a, area, a_staff, day=datetime.date(2026, 4, 9))
    assert "09/04/2026" in results(client.get("/fives/inspections/")) and "09/04/2026" not in first
    assert client.get("/fives/?period=2026-Q2").context["rows"][0][0].inspections == ranking[0][0].inspections + 1

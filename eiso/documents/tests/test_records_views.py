"""The records pages through HTTP: no permission (403), another agency (404), with access, the
overseer reads only, tampered choices refused, bounded queries on list pages."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eiso.core.models import AuditEvent
from eiso.documents.models import FileList, RecordFile, RecordType
from eiso.documents.tests.factories.external import file_list, procedure, record_file, record_type
from eiso.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def url(name, *args):
    return reverse(f"documents:{name}", args=args)


@pytest.fixture
def world(agency_a, unit_a, agency_b, unit_b):
    qt = procedure(agency_a, "QT-05", "Quy trình cấp phiếu lý lịch tư pháp", unit=unit_a)
    rt = record_type(
        agency_a,
        "HS-01",
        name="Sổ theo dõi cấp phiếu lý lịch",
        retention_years=5,
        document=qt,
        responsible_unit=unit_a,
        storage_place="Kho lưu trữ tầng 2",
    )
    fl = file_list(agency_a, unit_a, 2019)
    f = record_file(
        fl, "01.HCTP", title="Hồ sơ cấp phiếu năm 2019", record_type=rt, closed_on=D(2019, 12, 31), retention_years=5
    )
    rt_b = record_type(agency_b, "HS-B1", name="Sổ riêng của Sở Xây dựng")
    fl_b = file_list(agency_b, unit_b, 2019)
    return {"qt": qt, "rt": rt, "fl": fl, "file": f, "rt_b": rt_b, "fl_b": fl_b}


def snapshot():
    return (
        RecordType.objects.count(),
        FileList.objects.count(),
        RecordFile.objects.count(),
        AuditEvent.objects.count(),
        list(RecordFile.objects.order_by("pk").values_list("title", "disposed_on")),
    )


LIST_PAGES = ["recordtype-list", "filelist-list", "records-disposal"]


def id_pages(w):
    return [
        ("recordtype-detail", w["rt"].pk),
        ("recordtype-update", w["rt"].pk),
        ("filelist-detail", w["fl"].pk),
        ("recordfile-create", w["fl"].pk),
        ("recordfile-update", w["file"].pk),
        ("recordfile-dispose", w["file"].pk),
    ]


WRITE_PAGES_NO_ID = ["recordtype-create", "filelist-create"]


def test_anonymous_is_sent_to_login(client, world):
    for path in [*(url(n) for n in LIST_PAGES + WRITE_PAGES_NO_ID), *(url(n, pk) for n, pk in id_pages(world))]:
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), path


def test_staff_read_but_do_not_write(client_for, a_staff, world):
    client = client_for(a_staff)
    for name in LIST_PAGES:
        assert client.get(url(name)).status_code == 200
    for name, pk in id_pages(world)[:3:2]:
        assert client.get(url(name, pk)).status_code == 200
    before = snapshot()
    for path in [
        url("recordtype-create"),
        url("filelist-create"),
        url("recordtype-update", world["rt"].pk),
        url("recordfile-create", world["fl"].pk),
        url("recordfile-update", world["file"].pk),
        url("recordfile-dispose", world["file"].pk),
    ]:
        assert client.get(path).status_code == 403, path
        assert (
            client.post(path, {"code": "X", "title": "X", "note": "x", "disposed_on": "2025-01-01"}).status_code == 403
        ), path
    assert snapshot() == before


def test_another_agency_gets_404(client_for, b_head, world):
    client = client_for(b_head)
    before = snapshot()
    for name, pk in id_pages(world):
        for method in ("get", "post"):
            response = getattr(client, method)(url(name, pk))
            assert response.status_code == 404, (name, method)
            assert "Hồ sơ cấp phiếu năm 2019" not in response.content.decode()
    assert "HS-01" not in client.get(url("recordtype-list")).content.decode()
    assert "01.HCTP" not in client.get(url("records-disposal")).content.decode()
    assert snapshot() == before


def test_overseer_reads_and_changes_nothing(client_for, overseer, world):
    client = client_for(overseer)
    listing = client.get(url("recordtype-list")).content.decode()
    assert "HS-01" in listing and "HS-B1" in listing and url("recordtype-create") not in listing
    disposal = client.get(url("records-disposal")).content.decode()
    assert "01.HCTP" in disposal and url("recordfile-dispose", world["file"].pk) not in disposal
    detail = client.get(url("filelist-detail", world["fl"].pk)).content.decode()
    assert url("recordfile-create", world["fl"].pk) not in detail
    before = snapshot()
    for path in [
        url("recordtype-create"),
        url("filelist-create"),
        url("recordfile-create", world["fl"].pk),
        url("recordfile-dispose", world["file"].pk),
    ]:
        assert client.post(path, {}).status_code == 403
    assert snapshot() == before


def test_manager_creates_record_types_and_file_lists(client_for, a_secretary, agency_a, unit_a, world):
    client = client_for(a_secretary)
    page = client.get(url("recordtype-create")).content.decode()
    assert "QT-05" in page and "HS-B1" not in page
    response = client.post(
        url("recordtype-create"),
        {
            "code": "HS-02",
            "name": "Biên bản kiểm tra",
            "document": world["qt"].pk,
            "retention_years": "10",
            "storage_place": "Phòng HCTP",
            "responsible_unit": unit_a.pk,
        },
    )
    created = RecordType.objects.get(code="HS-02")
    assert response.status_code == 302 and response.url == url("recordtype-detail", created.pk)
    response = client.post(url("recordtype-create"), {"code": "HS-03", "name": "Vĩnh viễn", "permanent": "on"})
    assert response.status_code == 302 and RecordType.objects.get(code="HS-03").retention_years is None
    response = client.post(url("recordtype-create"), {"code": "HS-04", "name": "Thiếu thời hạn"})
    assert response.status_code == 200 and not RecordType.objects.filter(code="HS-04").exists()
    response = client.post(
        url("recordtype-update", created.pk),
        {"code": "HS-02", "name": "Biên bản kiểm tra (sửa)", "retention_years": "10"},
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.name == "Biên bản kiểm tra (sửa)" and created.document is None
    other_unit = UnitFactory(agency=agency_a, name="Phòng Bổ trợ tư pháp")
    response = client.post(url("filelist-create"), {"unit": other_unit.pk, "year": "2025"})
    fl = FileList.objects.get(unit=other_unit)
    assert response.status_code == 302 and response.url == url("filelist-detail", fl.pk)
    response = client.post(url("filelist-create"), {"unit": other_unit.pk, "year": "2025"})
    assert response.status_code == 200 and FileList.objects.filter(unit=other_unit).count() == 1


def test_tampered_choices_are_refused(client_for, a_secretary, unit_b, world):
    client = client_for(a_secretary)
    before = snapshot()
    response = client.post(
        url("recordtype-create"), {"code": "HS-09", "name": "x", "retention_years": "1", "responsible_unit": unit_b.pk}
    )
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    response = client.post(url("filelist-create"), {"unit": unit_b.pk, "year": "2025"})
    assert response.status_code == 200
    response = client.post(
        url("recordfile-create", world["fl"].pk), {"code": "09", "title": "x", "record_type": world["rt_b"].pk}
    )
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert snapshot() == before


def test_unit_head_keeps_their_units_file_list(client_for, a_unit_head, unit_a, world):
    client = client_for(a_unit_head)
    page = client.get(url("filelist-create")).content.decode()
    assert unit_a.name in page
    response = client.post(
        url("recordfile-create", world["fl"].pk),
        {
            "code": "02.HCTP",
            "title": "Hồ sơ chứng thực 2019",
            "record_type": world["rt"].pk,
            "opened_on": "2019-01-02",
            "closed_on": "2019-12-31",
        },
    )
    assert response.status_code == 302
    created = RecordFile.objects.get(code="02.HCTP")
    assert created.retention_years == 5  # from the record type
    response = client.post(
        url("recordfile-update", created.pk),
        {
            "code": "02.HCTP",
            "title": "Hồ sơ chứng thực bản sao 2019",
            "record_type": world["rt"].pk,
            "closed_on": "2019-12-31",
            "permanent": "on",
        },
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.title == "Hồ sơ chứng thực bản sao 2019" and created.retention_years is None
    detail = client.get(url("filelist-detail", world["fl"].pk)).content.decode()
    assert f'id="file-{created.pk}"' in detail and "Hồ sơ chứng thực bản sao 2019" in detail
    assert client.get(url("recordfile-dispose", world["file"].pk)).status_code == 403


def test_disposal_of_a_file_past_retention(client_for, a_head, world):
    client = client_for(a_head)
    page = client.get(url("records-disposal")).content.decode()
    assert "01.HCTP" in page and url("recordfile-dispose", world["file"].pk) in page
    assert client.get(url("recordfile-dispose", world["file"].pk)).status_code == 200
    response = client.post(url("recordfile-dispose", world["file"].pk), {"disposed_on": "", "note": ""})
    assert response.status_code == 200
    response = client.post(
        url("recordfile-dispose", world["file"].pk),
        {"disposed_on": D.today().isoformat(), "note": "Biên bản hủy số 01/BB-STP"},
    )
    assert response.status_code == 302
    world["file"].refresh_from_db()
    assert world["file"].disposed_on == D.today()
    assert client.get(url("records-disposal")).context["page"].paginator.count == 0
    response = client.post(
        url("recordfile-dispose", world["file"].pk), {"disposed_on": D.today().isoformat(), "note": "again"}
    )
    assert response.status_code == 200 and "alert-danger" in response.content.decode()


def test_a_file_still_in_retention_is_not_disposed(client_for, a_head, world):
    young = record_file(world["fl"], "05", closed_on=D.today(), retention_years=10)
    before = snapshot()
    response = client_for(a_head).post(
        url("recordfile-dispose", young.pk), {"disposed_on": D.today().isoformat(), "note": "BB"}
    )
    assert response.status_code == 200 and snapshot() == before


def test_no_inline_scripts_or_styles(client_for, a_secretary, world):
    import re

    client = client_for(a_secretary)
    for path in [*(url(n) for n in LIST_PAGES + WRITE_PAGES_NO_ID), *(url(n, pk) for n, pk in id_pages(world))]:
        page = client.get(path).content.decode()
        assert " style=" not in page and " onclick=" not in page, path
        for tag in re.findall(r"<script[^>]*>", page):
            assert "src=" in tag or 'type="application/json"' in tag, tag


# --- bounded queries -------------------------------------------------------------------------------


def _queries(client, path) -> int:
    cache.clear()  # count computing the page, not reading its cached figures (eiso.core.freshness)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _fill(name, agency, unit, start, count):
    for i in range(start, start + count):
        if name == "recordtype-list":
            record_type(agency, f"RT-{i:03d}", document=procedure(agency, f"QT-R{i:03d}"), responsible_unit=unit)
        elif name == "filelist-list":
            file_list(agency, UnitFactory(agency=agency), 2020 + i % 5)
        else:
            fl = file_list(agency, UnitFactory(agency=agency), 2010)
            record_file(
                fl,
                f"{i:03d}",
                closed_on=D(2010, 12, 31),
                retention_years=2,
                record_type=record_type(agency, f"RD-{i:03d}"),
            )


@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_page_queries_do_not_grow_with_rows(
    client_for, django_assert_max_num_queries, overseer, agency_a, unit_a, name
):
    client = client_for(overseer)
    path = url(name)
    _fill(name, agency_a, unit_a, 0, 2)
    client.get(path)
    few = _queries(client, path)
    _fill(name, agency_a, unit_a, 2, 30)
    with django_assert_max_num_queries(few):
        response = client.get(path)
    assert response.context["page"].paginator.count >= 30


def test_file_list_detail_queries_do_not_grow(client_for, django_assert_max_num_queries, a_secretary, agency_a, unit_a):
    fl = file_list(agency_a, unit_a, 2024)
    for i in range(2):
        record_file(fl, f"A{i}", record_type=record_type(agency_a, f"T-A{i}"))
    client = client_for(a_secretary)
    path = url("filelist-detail", fl.pk)
    client.get(path)
    few = _queries(client, path)
    for i in range(30):
        record_file(
            fl, f"B{i:02d}", record_type=record_type(agency_a, f"T-B{i}"), closed_on=D(2000, 1, 1), retention_years=1
        )
    with django_assert_max_num_queries(few):
        client.get(path)

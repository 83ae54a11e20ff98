"""Records services and selectors: record types, file lists, coded files, retention defaults,
disposal only past retention (never for permanent files), scope between agencies, search."""

import datetime

import pytest

from eiso.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from eiso.core.models import AuditEvent, SearchEntry
from eiso.documents.choices import DocumentKind
from eiso.documents.models import FileList, RecordFile, RecordType
from eiso.documents.selectors import records as selectors
from eiso.documents.services import records as services
from eiso.documents.tests.factories.external import file_list, procedure, record_file, record_type
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import UnitFactory, make_user

pytestmark = pytest.mark.django_db
D = datetime.date


def test_record_type_create_update_audit_and_search(a_secretary, agency_a, unit_a):
    qt = procedure(agency_a, "QT-05")
    rt = services.recordtype_create(
        actor=a_secretary,
        agency=agency_a,
        code=" HS-01 ",
        name="Sổ theo dõi hồ sơ",
        retention_years=5,
        storage_place="Kho lưu trữ tầng 2",
        responsible_unit=unit_a,
        document=qt,
    )
    assert rt.code == "HS-01" and rt.document == qt
    assert AuditEvent.objects.filter(action="create", object_id=str(rt.pk)).exists()
    entry = SearchEntry.objects.get(kind="record", object_id=str(rt.pk))
    assert entry.title == "HS-01 Sổ theo dõi hồ sơ" and entry.url == f"/records/types/{rt.pk}/"
    services.recordtype_update(
        actor=a_secretary, record_type=rt, name="Sổ theo dõi giải quyết hồ sơ", retention_years=None
    )
    rt.refresh_from_db()
    assert rt.retention_years is None
    assert SearchEntry.objects.get(kind="record", object_id=str(rt.pk)).title == "HS-01 Sổ theo dõi giải quyết hồ sơ"
    with pytest.raises(ValidationFailed) as exc:
        services.recordtype_create(actor=a_secretary, agency=agency_a, code="HS-01", name="x")
    assert "code" in exc.value.errors


def test_record_type_links_stay_in_the_agency(a_secretary, agency_a, agency_b, unit_b):
    foreign = procedure(agency_b, "QT-B1")
    form = procedure(agency_a, "BM-01", kind=DocumentKind.FORM)
    for kwargs, field in [
        ({"responsible_unit": unit_b}, "responsible_unit"),
        ({"document": foreign}, "document"),
        ({"document": form}, "document"),
    ]:
        with pytest.raises(ValidationFailed) as exc:
            services.recordtype_create(actor=a_secretary, agency=agency_a, code="HS-09", name="x", **kwargs)
        assert field in exc.value.errors
    assert not RecordType.objects.exists()


def test_who_manages_record_types(a_staff, a_unit_head, b_head, overseer, agency_a):
    for user in (a_staff, a_unit_head, b_head, overseer):
        with pytest.raises(Forbidden):
            services.recordtype_create(actor=user, agency=agency_a, code="HS-01", name="x")


def test_file_lists_per_unit_and_year(a_unit_head, a_secretary, agency_a, unit_a, agency_b, unit_b):
    other_unit = UnitFactory(agency=agency_a)
    fl = services.filelist_create(actor=a_unit_head, agency=agency_a, unit=unit_a, year=2025)
    assert (fl.unit, fl.year) == (unit_a, 2025)
    with pytest.raises(ValidationFailed) as exc:
        services.filelist_create(actor=a_secretary, agency=agency_a, unit=unit_a, year=2025)
    assert exc.value.errors
    with pytest.raises(Forbidden):  # a unit head draws up their own unit's list only
        services.filelist_create(actor=a_unit_head, agency=agency_a, unit=other_unit, year=2025)
    services.filelist_create(actor=a_secretary, agency=agency_a, unit=other_unit, year=2025)
    with pytest.raises(ValidationFailed):
        services.filelist_create(actor=a_secretary, agency=agency_a, unit=unit_b, year=2025)
    with pytest.raises(ValidationFailed):
        services.filelist_create(actor=a_secretary, agency=agency_a, unit=unit_a, year=20255)
    assert FileList.objects.count() == 2


def test_record_file_retention_defaults_from_its_type(a_unit_head, agency_a, unit_a):
    fl = file_list(agency_a, unit_a, 2025)
    ten = record_type(agency_a, "HS-10", retention_years=10)
    permanent = record_type(agency_a, "HS-VV", retention_years=None)
    f1 = services.recordfile_create(
        actor=a_unit_head,
        file_list=fl,
        code="01.HCTP",
        title="Hồ sơ lý lịch tư pháp",
        record_type=ten,
        opened_on=D(2025, 1, 2),
        closed_on=D(2025, 12, 31),
    )
    f2 = services.recordfile_create(
        actor=a_unit_head, file_list=fl, code="02.HCTP", title="Quyết định", record_type=permanent
    )
    f3 = services.recordfile_create(
        actor=a_unit_head, file_list=fl, code="03.HCTP", title="Khác", record_type=ten, retention_years=2
    )
    f4 = services.recordfile_create(actor=a_unit_head, file_list=fl, code="04.HCTP", title="Không loại")
    assert [f.retention_years for f in (f1, f2, f3, f4)] == [10, None, 2, None]
    entry = SearchEntry.objects.get(kind="record", object_id=str(f1.pk))
    assert entry.url == f"/records/file-lists/{fl.pk}/#file-{f1.pk}"
    with pytest.raises(ValidationFailed):
        services.recordfile_create(actor=a_unit_head, file_list=fl, code="01.HCTP", title="trùng mã")
    with pytest.raises(ValidationFailed):
        services.recordfile_create(
            actor=a_unit_head, file_list=fl, code="05.HCTP", title="x", opened_on=D(2025, 5, 1), closed_on=D(2025, 4, 1)
        )
    services.recordfile_update(actor=a_unit_head, file=f4, title="Hồ sơ khác", location="Tủ 3")
    f4.refresh_from_db()
    assert (f4.title, f4.location) == ("Hồ sơ khác", "Tủ 3")


def test_record_file_refuses_another_agencys_record_type(a_unit_head, agency_a, unit_a, agency_b):
    fl = file_list(agency_a, unit_a)
    theirs = record_type(agency_b, "HS-B")
    with pytest.raises(ValidationFailed):
        services.recordfile_create(actor=a_unit_head, file_list=fl, code="01", title="x", record_type=theirs)
    f = record_file(fl)
    with pytest.raises(ValidationFailed):
        services.recordfile_update(actor=a_unit_head, file=f, record_type=theirs)


def test_who_writes_in_a_file_list(a_staff, b_head, overseer, agency_a, unit_a):
    fl = file_list(agency_a, unit_a)
    for user in (a_staff, b_head, overseer):
        with pytest.raises(Forbidden):
            services.recordfile_create(actor=user, file_list=fl, code="01", title="x")
    other_unit_head = make_user(agency_a, [Role.UNIT_HEAD], unit=UnitFactory(agency=agency_a))
    with pytest.raises(Forbidden):
        services.recordfile_create(actor=other_unit_head, file_list=fl, code="01", title="x")
    assert not RecordFile.objects.exists()


# --- disposal --------------------------------------------------------------------------------------


@pytest.fixture
def files(agency_a, unit_a):
    fl = file_list(agency_a, unit_a, 2019)
    return {
        "past": record_file(fl, "01", closed_on=D(2019, 12, 31), retention_years=5),
        "last_day": record_file(fl, "02", closed_on=D(2020, 12, 31), retention_years=5),
        "permanent": record_file(fl, "03", closed_on=D(1990, 1, 1), retention_years=None),
        "open": record_file(fl, "04", closed_on=None, retention_years=1),
        "leap": record_file(fl, "05", closed_on=D(2024, 2, 29), retention_years=1),
    }


def test_records_past_retention(a_staff, b_staff, overseer, files):
    today = D(2025, 12, 31)
    assert list(selectors.records_past_retention(a_staff, today)) == [files["past"], files["leap"]]
    assert set(selectors.records_past_retention(a_staff, D(2026, 1, 1))) == {
        files["past"],
        files["last_day"],
        files["leap"],
    }
    assert files["leap"] not in selectors.records_past_retention(a_staff, D(2025, 2, 28))
    assert files["leap"] in selectors.records_past_retention(a_staff, D(2025, 3, 1))
    assert not selectors.records_past_retention(b_staff, D(2100, 1, 1)).exists()
    assert selectors.records_past_retention(overseer, today).count() == 2


def test_dispose_only_past_retention(a_secretary, files):
    today = D(2025, 12, 31)
    with pytest.raises(Conflict):
        services.recordfile_dispose(actor=a_secretary, file=files["last_day"], note="BB 01", today=today)
    with pytest.raises(Conflict):
        services.recordfile_dispose(actor=a_secretary, file=files["permanent"], note="BB 01", today=D(2200, 1, 1))
    with pytest.raises(Conflict):
        services.recordfile_dispose(actor=a_secretary, file=files["open"], note="BB 01", today=today)
    with pytest.raises(ValidationFailed):
        services.recordfile_dispose(actor=a_secretary, file=files["past"], note=" ", today=today)
    with pytest.raises(ValidationFailed):
        services.recordfile_dispose(
            actor=a_secretary, file=files["past"], note="BB", disposed_on=D(2026, 1, 5), today=today
        )
    done = services.recordfile_dispose(
        actor=a_secretary, file=files["past"], note="Biên bản hủy số 01/BB-STP", today=today
    )
    assert done.disposed_on == today and done.disposal_note == "Biên bản hủy số 01/BB-STP"
    assert AuditEvent.objects.filter(action="dispose", object_id=str(done.pk)).exists()
    assert list(selectors.records_past_retention(a_secretary, today)) == [files["leap"]]
    with pytest.raises(Conflict):
        services.recordfile_dispose(actor=a_secretary, file=files["past"], note="again", today=today)
    with pytest.raises(Conflict):
        services.recordfile_update(actor=a_secretary, file=files["past"], title="changed")


def test_who_disposes(a_unit_head, a_staff, b_head, overseer, files):
    for user in (a_unit_head, a_staff, b_head, overseer):
        with pytest.raises(Forbidden):
            services.recordfile_dispose(actor=user, file=files["past"], note="BB", today=D(2026, 1, 1))


# --- selectors -------------------------------------------------------------------------------------


def test_selectors_are_scoped(a_staff, b_staff, overseer, q_overseer, agency_a, unit_a):
    rt = record_type(agency_a, "HS-01", name="Sổ đăng ký chứng thực")
    fl = file_list(agency_a, unit_a, 2025)
    f = record_file(fl, record_type=rt)
    assert list(selectors.record_types_for_user(a_staff, q="so dang ky")) == [rt]
    assert selectors.record_types_for_user(a_staff).get().file_count == 1
    assert list(selectors.file_lists_for_user(a_staff, year="2025")) == [fl]
    assert selectors.file_lists_for_user(overseer).count() == 1
    for user in (b_staff, q_overseer):
        assert not selectors.record_types_for_user(user).exists()
        assert not selectors.file_lists_for_user(user).exists()
        for get, pk in (
            (selectors.record_type_get_for_user, rt.pk),
            (selectors.file_list_get_for_user, fl.pk),
            (selectors.record_file_get_for_user, f.pk),
        ):
            with pytest.raises(NotFound):
                get(user, pk)
    assert selectors.file_list_years(a_staff) == [2025]

"""The download views: login required, objects only through the selectors (another agency's id is a
404), the right content type and file name, and the right revision."""

import datetime
import io

import docx
import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from eiso.core.downloads import (
    DOCX_CONTENT_TYPE,
    PDF_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    content_disposition,
    filename_for,
)
from eiso.documents.choices import DocumentKind, ExternalDocumentType
from eiso.documents.services import external as external_svc
from eiso.documents.services import records as records_svc
from eiso.documents.services import revisions as svc
from eiso.documents.services.external_import import external_documents_import

pytestmark = pytest.mark.django_db
D = datetime.date


def publish(document, drafter, reviewer, approver, sections=None, summary="Ban hành lần đầu"):
    revision = svc.revision_create(
        actor=drafter, document=document, change_summary=summary, content="Nội dung quy trình"
    )
    if sections:
        svc.revision_update(actor=drafter, revision=revision, sections=sections)
    svc.revision_submit(actor=drafter, revision=revision)
    svc.revision_approve(actor=reviewer, revision=revision)
    svc.revision_approve(actor=approver, revision=revision, today=timezone.localdate())
    revision.refresh_from_db()
    return revision


@pytest.fixture
def world(agency_a, unit_a, a_secretary, a_unit_head, a_head, agency_b, unit_b, b_head):
    procedure = svc.document_create(
        actor=a_secretary,
        agency=agency_a,
        code="QT-05",
        kind=DocumentKind.OPERATIONAL_PROCEDURE,
        title="Quy trình giải quyết Thủ tục đăng ký khai sinh",
        owner_unit=unit_a,
    )
    first = publish(
        procedure,
        a_unit_head,
        a_secretary,
        a_head,
        sections={
            "purpose": "Quy định trình tự đăng ký khai sinh.",
            "scope": "Áp dụng tại Phòng Hành chính tư pháp.",
            "definitions": "- TTHC: Thủ tục hành chính.",
            "content": "5.1 Thành phần hồ sơ\n- Tờ khai đăng ký khai sinh.",
        },
    )
    second = publish(
        procedure,
        a_unit_head,
        a_secretary,
        a_head,
        summary="Cập nhật theo Nghị định 118/2025/NĐ-CP",
        sections={"purpose": "Quy định trình tự đăng ký khai sinh (sửa đổi).", "content": "Lần 2"},
    )
    form = svc.document_create(
        actor=a_secretary,
        agency=agency_a,
        code="BM-01-QT05",
        title="Tờ khai đăng ký khai sinh",
        kind=DocumentKind.FORM,
        owner_unit=unit_a,
        parent=procedure,
    )
    old_law = external_svc.external_document_create(
        actor=a_secretary,
        agency=agency_a,
        number="61/2018/NĐ-CP",
        doc_type=ExternalDocumentType.DECREE,
        title="Về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
        issuer="Chính phủ",
        issued_on=D(2018, 4, 23),
        effective_on=D(2018, 6, 21),
    )
    new_law = external_svc.external_document_create(
        actor=a_secretary,
        agency=agency_a,
        number="118/2025/NĐ-CP",
        doc_type=ExternalDocumentType.DECREE,
        title="Về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông",
        issuer="Chính phủ",
        issued_on=D(2025, 6, 9),
        effective_on=D(2025, 7, 1),
    )
    external_svc.external_document_cite(actor=a_secretary, external=old_law, documents=[procedure])
    external_svc.external_document_cite(actor=a_secretary, external=new_law, documents=[procedure])
    external_svc.external_document_replace(actor=a_secretary, document=old_law, replaced_by=new_law)
    record_type = records_svc.recordtype_create(
        actor=a_secretary,
        agency=agency_a,
        code="HS-QT05-01",
        name="Hồ sơ đăng ký khai sinh",
        retention_years=5,
        storage_place="Tủ hồ sơ Phòng Hành chính tư pháp",
        responsible_unit=unit_a,
        document=procedure,
    )
    file_list = records_svc.filelist_create(actor=a_secretary, agency=agency_a, unit=unit_a, year=2018)
    old_file = records_svc.recordfile_create(
        actor=a_secretary,
        file_list=file_list,
        code="01.HCTP",
        title="Hồ sơ đăng ký khai sinh năm 2018",
        record_type=record_type,
        opened_on=D(2018, 1, 2),
        closed_on=D(2018, 12, 31),
        keeper="Phan Thị Mai",
        location="Tủ 01",
    )
    draft_only = svc.document_create(
        actor=a_secretary,
        agency=agency_a,
        code="QT-09",
        title="Quy trình chứng thực",
        kind=DocumentKind.OPERATIONAL_PROCEDURE,
        owner_unit=unit_a,
    )
    draft = svc.revision_create(actor=a_secretary, document=draft_only, change_summary="Dự thảo")
    bare = svc.document_create(
        actor=a_secretary,
        agency=agency_a,
        code="QT-10",
        title="Quy trình chưa soạn",
        kind=DocumentKind.OPERATIONAL_PROCEDURE,
        owner_unit=unit_a,
    )
    other = svc.document_create(
        actor=b_head,
        agency=agency_b,
        code="QT-B1",
        title="Quy trình cấp giấy phép xây dựng",
        kind=DocumentKind.OPERATIONAL_PROCEDURE,
        owner_unit=unit_b,
    )
    return {
        "procedure": procedure,
        "first": first,
        "second": second,
        "form": form,
        "old_law": old_law,
        "file_list": file_list,
        "old_file": old_file,
        "draft_only": draft_only,
        "draft": draft,
        "bare": bare,
        "other": other,
    }


def docx_text(response) -> str:
    document = docx.Document(io.BytesIO(response.content))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    parts += [c.text for t in document.sections[0].header.tables for r in t.rows for c in r.cells]
    return "\n".join(parts).replace("\u00a0", " ")  # a non-breaking space reads as a space


def sheet_of(response):
    return load_workbook(io.BytesIO(response.content)).active


def routes(w):
    procedure, file_list = w["procedure"].pk, w["file_list"].pk
    return [
        (reverse("reports:document-register-docx"), DOCX_CONTENT_TYPE),
        (reverse("reports:document-register-xlsx"), XLSX_CONTENT_TYPE),
        (reverse("reports:procedure-docx", args=[procedure]), DOCX_CONTENT_TYPE),
        (reverse("reports:procedure-pdf", args=[procedure]), PDF_CONTENT_TYPE),
        (reverse("reports:revision-history-docx", args=[procedure]), DOCX_CONTENT_TYPE),
        (reverse("reports:filelist-docx", args=[file_list]), DOCX_CONTENT_TYPE),
        (reverse("reports:filelist-xlsx", args=[file_list]), XLSX_CONTENT_TYPE),
        (reverse("reports:disposal-xlsx"), XLSX_CONTENT_TYPE),
        (reverse("reports:external-register-xlsx"), XLSX_CONTENT_TYPE),
    ]


# --- no access ------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, world):
    for url, _type in routes(world):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_another_agency_gets_404_for_every_object(client_for, world, b_staff, agency_a):
    client = client_for(b_staff)
    for url, _type in routes(world):
        if "/documents/register" in url or "disposal" in url or "external-documents" in url:
            continue  # no id: they print the user's own agency (below)
        response = client.get(url)
        assert response.status_code == 404, url
        assert "khai sinh" not in response.content.decode(errors="replace")
    for name in (
        "reports:document-register-docx",
        "reports:document-register-xlsx",
        "reports:disposal-xlsx",
        "reports:external-register-xlsx",
    ):
        assert client.get(reverse(name), {"agency": agency_a.pk}).status_code == 404, name
        assert client.get(reverse(name), {"agency": agency_a.code}).status_code == 404, name


def test_registers_without_an_agency_print_the_users_own(client_for, world, b_staff):
    client = client_for(b_staff)
    text = docx_text(client.get(reverse("reports:document-register-docx")))
    assert "QT-B1" in text and "QT-05" not in text and "SỞ XÂY DỰNG" in text
    assert [c.value for c in sheet_of(client.get(reverse("reports:external-register-xlsx")))[2]] == [
        None
    ] * 11


def test_a_revision_of_another_document_is_404(client_for, world, a_staff):
    url = reverse("reports:procedure-docx", args=[world["procedure"].pk])
    client = client_for(a_staff)
    assert client.get(url, {"revision": world["draft"].pk}).status_code == 404
    assert client.get(url, {"revision": "abc"}).status_code == 404
    assert client.get(reverse("reports:procedure-pdf", args=[world["bare"].pk])).status_code == 404


def test_post_is_refused(client_for, world, a_staff):
    assert (
        client_for(a_staff).post(reverse("reports:procedure-docx", args=[world["procedure"].pk])).status_code
        == 405
    )


# --- with access ------------------------------------------------------------------------------------------


def test_every_download_has_its_type_and_name(client_for, world, a_staff):
    client = client_for(a_staff)
    for url, content_type in routes(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == content_type
        disposition = response["Content-Disposition"]
        assert disposition.startswith('attachment; filename="') and "filename*=UTF-8''" in disposition
        assert disposition.split('"')[1].isascii()
        assert int(response["Content-Length"]) == len(response.content) > 0


def test_procedure_docx_prints_the_effective_revision_with_linked_objects(client_for, world, a_staff):
    response = client_for(a_staff).get(reverse("reports:procedure-docx", args=[world["procedure"].pk]))
    text = docx_text(response)
    assert "Lần ban hành: 02" in text and "(sửa đổi)" in text and "HẾT HIỆU LỰC" not in text
    assert "Nghị định 118/2025/NĐ-CP" in text
    assert "Nghị định 61/2018/NĐ-CP" in text and "hết hiệu lực, thay thế bởi 118/2025/NĐ-CP" in text
    assert "BM-01-QT05" in text and "Tờ khai đăng ký khai sinh" in text  # section 6
    assert (
        "HS-QT05-01" in text and "05 năm" in text and "Tủ hồ sơ Phòng Hành chính tư pháp" in text
    )  # section 7
    assert "Phạm Thị Trưởng Phòng" in text and "Lê Văn Thư Ký" in text and "Trần Thị Giám Đốc" in text
    assert (
        "QT-05 Quy trình giải quyết Thủ tục đăng ký khai sinh (lần 2).docx" in response["Content-Disposition"]
        or "QT-05%20Quy%20tr%C3%ACnh" in response["Content-Disposition"]
    )


def test_an_old_revision_is_printed_obsolete(client_for, world, a_staff):
    client = client_for(a_staff)
    url = reverse("reports:procedure-pdf", args=[world["procedure"].pk])
    response = client.get(url, {"revision": world["first"].pk})
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "HẾT HIỆU LỰC" in text and "Đã được thay thế bởi lần ban hành 02" in text
    assert "Lần ban hành: 01" in text and "ĐĂNG KÝ KHAI SINH" in text and "Trang 1/" in text


def test_a_document_with_only_a_draft_prints_the_draft_marked(client_for, world, a_staff):
    text = docx_text(
        client_for(a_staff).get(reverse("reports:procedure-docx", args=[world["draft_only"].pk]))
    )
    assert "DỰ THẢO" in text and "Lần ban hành: 01" in text


def test_revision_history_lists_every_issue(client_for, world, a_staff):
    text = docx_text(
        client_for(a_staff).get(reverse("reports:revision-history-docx", args=[world["procedure"].pk]))
    )
    assert "Cập nhật theo Nghị định 118/2025/NĐ-CP" in text and "Ban hành lần đầu" in text
    assert "Đang hiệu lực" in text and "Đã bị thay thế" in text


def test_register_follows_the_list_filters(client_for, world, a_staff, a_head, unit_a):
    client = client_for(a_staff)
    text = docx_text(client.get(reverse("reports:document-register-docx")))
    assert all(code in text for code in ("QT-05", "BM-01-QT05", "QT-09", "QT-10")) and "QT-B1" not in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and a_head.full_name in text
    sheet = sheet_of(client.get(reverse("reports:document-register-xlsx"), {"kind": "form"}))
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["BM-01-QT05"]
    sheet = sheet_of(
        client.get(reverse("reports:document-register-xlsx"), {"status": "effective", "unit": unit_a.pk})
    )
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == ["QT-05"] and rows[0][5] == 2
    sheet = sheet_of(
        client.get(reverse("reports:document-register-xlsx"), {"q": "chung thuc"})
    )  # diacritics folded
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["QT-09"]


def test_register_query_count_does_not_grow(
    client_for, world, a_secretary, agency_a, unit_a, django_assert_max_num_queries
):
    client = client_for(a_secretary)
    for n in range(20):
        svc.document_create(
            actor=a_secretary,
            agency=agency_a,
            code=f"BM-{n:02d}",
            title=f"Biểu mẫu {n}",
            kind=DocumentKind.FORM,
            owner_unit=unit_a,
        )
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:document-register-docx")).status_code == 200


def test_file_list_disposal_and_external_register(client_for, world, a_staff):
    client = client_for(a_staff)
    text = docx_text(client.get(reverse("reports:filelist-docx", args=[world["file_list"].pk])))
    assert "DANH MỤC HỒ SƠ NĂM 2018" in text and "01.HCTP" in text and "Hết thời hạn bảo quản" in text
    assert "HS-QT05-01 — Hồ sơ đăng ký khai sinh" in text  # grouped under its record type
    sheet = sheet_of(client.get(reverse("reports:filelist-xlsx", args=[world["file_list"].pk])))
    assert sheet["B2"].value == "01.HCTP" and sheet["D2"].value == "05 năm"
    sheet = sheet_of(client.get(reverse("reports:disposal-xlsx")))
    assert sheet["B2"].value == "01.HCTP" and sheet["H2"].value.date() == D(2023, 12, 31)
    sheet = sheet_of(client.get(reverse("reports:external-register-xlsx")))
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["61/2018/NĐ-CP"][8] == "Hết hiệu lực" and rows["61/2018/NĐ-CP"][9] == "118/2025/NĐ-CP"
    assert rows["118/2025/NĐ-CP"][10] == "QT-05"
    sheet = sheet_of(client.get(reverse("reports:external-register-xlsx"), {"status": "in_force"}))
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["118/2025/NĐ-CP"]


def test_the_exported_external_register_imports_back(client_for, world, a_secretary, agency_b, b_head):
    """The .xlsx the register prints is a file the register import reads (another agency's copy)."""
    content = client_for(a_secretary).get(reverse("reports:external-register-xlsx")).content
    result = external_documents_import(
        actor=b_head, agency=agency_b, rows_or_file=io.BytesIO(content), filename="register.xlsx"
    )
    assert result.created == 2
    replaced = agency_b.external_documents.get(number="61/2018/NĐ-CP")
    assert replaced.replaced_by.number == "118/2025/NĐ-CP" and replaced.effective_on == D(2018, 6, 21)


# --- file names ---------------------------------------------------------------------------------------------


def test_content_disposition_has_an_ascii_fallback_and_the_utf8_name():
    header = content_disposition("QT-05 Quy trình đăng ký khai sinh (lần 2).docx")
    assert header == (
        'attachment; filename="QT-05 Quy trinh dang ky khai sinh _lan 2_.docx"; '
        "filename*=UTF-8''QT-05%20Quy%20tr%C3%ACnh%20%C4%91%C4%83ng%20k%C3%BD%20khai%20sinh%20"
        "%28l%E1%BA%A7n%202%29.docx"
    )


def test_file_names_lose_what_windows_refuses():
    assert filename_for("QT-05/VP", 'Quy trình "A"?', extension="docx") == "QT-05-VP Quy trình -A.docx"
    assert filename_for("", extension="pdf") == "eiso.pdf"
    assert len(filename_for("x" * 400, extension="docx")) == 155

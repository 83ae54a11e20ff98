"""The documents API: documents, revisions with files, and the workflow moves. Every endpoint with
no token, no permission, another agency, and access."""

import io
import json

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from eiso.core.models import AuditEvent
from eiso.documents.choices import DocumentKind, RevisionStatus
from eiso.documents.models import Document, DocumentRevision, RevisionFile
from eiso.documents.services import revisions as svc

pytestmark = pytest.mark.django_db

JSON = "application/json"
NOT_FOUND = {"message": "Not found.", "code": "not_found"}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"  # msgids in assertions


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_upload(name="QT-05.docx", text="Trình tự đăng ký kinh doanh hộ cá thể tại Bộ phận Một cửa"):
    return SimpleUploadedFile(name, docx_bytes(text))


def fake_docx(name="QT-05.docx"):
    return SimpleUploadedFile(name, "Đây chỉ là một tệp văn bản đổi tên thành .docx".encode())


def body(response):
    assert response["Content-Type"].startswith(JSON), response.content[:300]
    return json.loads(response.content)


def post(client, path, data=None):
    return client.post(path, json.dumps(data if data is not None else {}), content_type=JSON)


def assert_error(response, status, code=None):
    data = body(response)
    assert response.status_code == status, data
    assert data["message"]
    if code:
        assert data["code"] == code
    return data


@pytest.fixture
def procedure(agency_a, unit_a):
    return svc.document_create(
        actor=None,
        agency=agency_a,
        code="QT-05",
        title="Quy trình đăng ký kinh doanh",
        kind=DocumentKind.OPERATIONAL_PROCEDURE,
        owner_unit=unit_a,
    )


@pytest.fixture
def b_document(agency_b, unit_b):
    return svc.document_create(
        actor=None,
        agency=agency_b,
        code="QT-01",
        title="Quy trình cấp giấy phép xây dựng",
        kind=DocumentKind.OPERATIONAL_PROCEDURE,
        owner_unit=unit_b,
    )


def draft(document, actor, content="Nội dung dự thảo"):
    return svc.revision_create(actor=actor, document=document, change_summary="Ban hành lần đầu", content=content)


# --- authentication ------------------------------------------------------------------------------

ENDPOINTS = [
    ("get", "/api/v1/documents"),
    ("post", "/api/v1/documents"),
    ("get", "/api/v1/documents/1"),
    ("post", "/api/v1/documents/1/revisions"),
    ("get", "/api/v1/revisions/1"),
    ("post", "/api/v1/revisions/1/submit"),
    ("post", "/api/v1/revisions/1/approve"),
    ("post", "/api/v1/revisions/1/return"),
    ("get", "/api/v1/external-documents"),
    ("post", "/api/v1/external-documents"),
    ("get", "/api/v1/external-documents/1"),
    ("get", "/api/v1/search?q=dang+ky"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize("header", [None, "Bearer eiso_not-a-real-token"])
def test_no_or_bad_token_gives_401_json(agency_a, method, path, header):
    client = Client(headers={"Authorization": header} if header else {})
    response = client.get(path) if method == "get" else client.post(path, "{}", content_type=JSON)
    assert_error(response, 401, "unauthenticated")
    assert not Document.objects.exists()


# --- documents: reads ----------------------------------------------------------------------------


def test_document_list_is_scoped(api_for, procedure, b_document, a_staff, b_staff, overseer, q_overseer):
    def codes(user):
        return sorted((d["agency"]["code"], d["code"]) for d in body(api_for(user).get("/api/v1/documents"))["items"])

    assert codes(a_staff) == [("STP", "QT-05")]
    assert codes(b_staff) == [("SXD", "QT-01")]
    assert codes(overseer) == [("STP", "QT-05"), ("SXD", "QT-01")]
    assert codes(q_overseer) == []


def test_document_list_filters_and_pagination(
    api_for, procedure, a_staff, agency_a, unit_a, one_stop_a, a_unit_head, a_secretary, a_head
):
    svc.document_create(
        actor=None,
        agency=agency_a,
        code="BM-01",
        title="Mẫu đơn đề nghị",
        kind=DocumentKind.FORM,
        owner_unit=one_stop_a,
    )
    svc.document_create(
        actor=None, agency=agency_a, code="CSCL", title="Chính sách chất lượng", kind=DocumentKind.POLICY
    )
    revision = draft(procedure, a_unit_head)
    svc.revision_submit(actor=a_unit_head, revision=revision)
    client = api_for(a_staff)

    def codes(**params):
        return [d["code"] for d in body(client.get("/api/v1/documents", params))["items"]]

    assert codes(q="DANG KY kinh doanh") == ["QT-05"]  # folded: no diacritics, any case
    assert codes(q="đăng ký") == ["QT-05"]
    assert codes(kind="form") == ["BM-01"]
    assert codes(unit="MC") == ["BM-01"]
    assert codes(unit=str(unit_a.pk)) == ["QT-05"]
    assert codes(status="draft") == ["QT-05"]
    assert codes(status="effective") == []
    assert sorted(codes(agency="STP")) == ["BM-01", "CSCL", "QT-05"]
    assert codes(agency="SXD") == []
    page = body(client.get("/api/v1/documents", {"limit": 2, "offset": 1}))
    assert page["count"] == 3 and len(page["items"]) == 2
    listed = body(client.get("/api/v1/documents", {"q": "QT-05"}))["items"][0]
    assert listed["has_open_revision"] is True and listed["current_revision"] is None
    assert listed["owner_unit"]["code"] == "HCTP" and listed["kind_label"] == "Operational procedure"
    assert_error(client.get("/api/v1/documents", {"kind": "novel"}), 422, "invalid")
    assert_error(client.get("/api/v1/documents", {"status": "lost"}), 422, "invalid")
    assert_error(client.get("/api/v1/documents", {"limit": 101}), 422, "invalid")


def test_document_list_query_count_is_bounded(
    api_for, agency_a, unit_a, a_staff, a_unit_head, django_assert_max_num_queries
):
    for n in range(30):
        document = svc.document_create(
            actor=None,
            agency=agency_a,
            code=f"QT-{n:02}",
            title=f"Quy trình {n}",
            kind=DocumentKind.OPERATIONAL_PROCEDURE,
            owner_unit=unit_a,
        )
        draft(document, a_unit_head)
    client = api_for(a_staff)
    with django_assert_max_num_queries(10):
        data = body(client.get("/api/v1/documents", {"limit": 100}))
    assert data["count"] == 30


def test_document_detail_with_revisions_and_current(api_for, procedure, a_unit_head, a_secretary, a_head, a_staff):
    first = draft(procedure, a_unit_head)
    svc.revision_submit(actor=a_unit_head, revision=first)
    svc.revision_approve(actor=a_secretary, revision=first)
    svc.revision_approve(actor=a_head, revision=first)
    second = draft(procedure, a_unit_head, content="Sửa đổi thời hạn giải quyết")
    response = api_for(a_staff).get(f"/api/v1/documents/{procedure.pk}")
    data = body(response)
    assert response.status_code == 200
    assert data["code"] == "QT-05" and data["title"] == "Quy trình đăng ký kinh doanh"
    assert data["agency"]["code"] == "STP" and data["owner_unit"]["code"] == "HCTP"
    assert data["current_revision"]["id"] == first.pk and data["current_revision"]["status"] == "effective"
    assert [(r["id"], r["issue_number"], r["status"]) for r in data["revisions"]] == [
        (second.pk, 2, "draft"),
        (first.pk, 1, "effective"),
    ]
    assert data["revisions"][1]["approved_by"]["full_name"] == "Trần Thị Giám Đốc"
    assert data["has_open_revision"] is True
    assert "Quy trình đăng ký kinh doanh".encode() in response.content and b"\\u" not in response.content


def test_document_of_another_agency_reads_like_a_missing_one(api_for, procedure, b_staff, q_overseer):
    for user in (b_staff, q_overseer):
        client = api_for(user)
        other = client.get(f"/api/v1/documents/{procedure.pk}")
        missing = client.get("/api/v1/documents/987654")
        assert other.status_code == missing.status_code == 404
        assert other.content == missing.content and body(other) == NOT_FOUND


# --- documents: create ---------------------------------------------------------------------------

PAYLOAD = {
    "code": "QT-07",
    "title": "Quy trình chứng thực bản sao từ bản chính",
    "kind": "operational_procedure",
    "owner_unit": "HCTP",
}


def test_document_create_exactly_as_the_issue_says(api_for, a_secretary, agency_a, unit_a):
    response = post(api_for(a_secretary), "/api/v1/documents", PAYLOAD)
    data = body(response)
    assert response.status_code == 201, data
    document = Document.objects.get(code="QT-07")
    assert document.agency == agency_a and document.owner_unit == unit_a
    assert data["id"] == document.pk and data["agency"]["code"] == "STP" and data["owner_unit"]["code"] == "HCTP"
    assert data["title"] == "Quy trình chứng thực bản sao từ bản chính" and data["revisions"] == []
    event = AuditEvent.objects.get(action="create", object_id=str(document.pk), content_type__model="document")
    assert event.actor == a_secretary
    # and it is searchable at once, without diacritics
    found = body(api_for(a_secretary).get("/api/v1/search", {"q": "chung thuc ban sao"}))
    assert {"type": "document", "id": document.pk} in [{"type": r["type"], "id": r["id"]} for r in found["results"]]


def test_a_unit_head_creates_documents_of_their_agency(api_for, a_unit_head, agency_a):
    response = post(api_for(a_unit_head), "/api/v1/documents", {**PAYLOAD, "owner_unit": None})
    assert response.status_code == 201, body(response)
    assert Document.objects.get(code="QT-07").agency == agency_a


@pytest.mark.parametrize("who", ["a_staff", "overseer", "q_overseer"])
def test_document_create_without_permission_is_403(request, api_for, who, unit_a):
    user = request.getfixturevalue(who)
    assert_error(post(api_for(user), "/api/v1/documents", PAYLOAD), 403, "forbidden")
    assert not Document.objects.exists()


def test_document_create_refuses_a_unit_of_another_agency_and_bad_bodies(
    api_for, b_head, a_secretary, unit_a, unit_b, procedure
):
    # B's head names A's unit: it does not exist for them.
    data = assert_error(post(api_for(b_head), "/api/v1/documents", PAYLOAD), 400, "invalid")
    assert "owner_unit" in data["errors"] and "HCTP" in data["message"]
    client = api_for(a_secretary)
    data = assert_error(post(client, "/api/v1/documents", {**PAYLOAD, "code": "QT-05"}), 400, "invalid")
    assert "code" in data["errors"]  # duplicate code in the agency, on the field
    assert_error(post(client, "/api/v1/documents", {**PAYLOAD, "kind": "novel"}), 422, "invalid")
    assert_error(post(client, "/api/v1/documents", {**PAYLOAD, "agency": "SXD"}), 422, "invalid")
    assert_error(post(client, "/api/v1/documents", {"code": "X"}), 422, "invalid")
    assert_error(client.post("/api/v1/documents", "{not json", content_type=JSON), 400)
    assert Document.objects.count() == 1


# --- revisions: upload ---------------------------------------------------------------------------


def upload(client, document, *files, summary="Ban hành lần đầu", **extra):
    return client.post(
        f"/api/v1/documents/{document.pk}/revisions",
        {"file": list(files), "change_summary": summary, **extra},
    )


def test_upload_a_real_docx_makes_a_searchable_draft(api_for, procedure, a_unit_head, a_staff, media):
    response = upload(api_for(a_unit_head), procedure, docx_upload(), effective_date="2026-12-01")
    data = body(response)
    assert response.status_code == 201, data
    revision = DocumentRevision.objects.get(pk=data["id"])
    assert revision.status == RevisionStatus.DRAFT and revision.drafted_by == a_unit_head
    assert data["issue_number"] == 1 and data["status"] == "draft" and data["effective_date"] == "2026-12-01"
    assert data["change_summary"] == "Ban hành lần đầu" and data["document"]["code"] == "QT-05"
    [attached] = data["files"]
    assert attached["original_name"] == "QT-05.docx" and attached["file_type"] == "docx"
    assert len(attached["sha256"]) == 64 and attached["size"] > 0
    assert [t["action"] for t in data["transitions"]] == ["create"]
    assert len(stored_files(media)) == 1 and "QT-05" not in stored_files(media)[0].name  # a generated name
    # The text inside the file is found, folded, by any reader of the agency.
    found = body(api_for(a_staff).get("/api/v1/search", {"q": "ho ca the mot cua"}))
    assert [(r["type"], r["id"]) for r in found["results"]] == [("revision", revision.pk)]
    assert "hộ cá thể" in found["results"][0]["snippet"]


def test_upload_several_files(api_for, procedure, a_secretary, media):
    response = upload(
        api_for(a_secretary),
        procedure,
        docx_upload("QT-05.docx"),
        docx_upload("BM-01.docx", "Mẫu tờ khai đăng ký hộ tịch"),
    )
    assert response.status_code == 201, body(response)
    assert [f["original_name"] for f in body(response)["files"]] == ["QT-05.docx", "BM-01.docx"]
    assert len(stored_files(media)) == 2


def test_a_fake_docx_is_refused_and_nothing_is_created(api_for, procedure, a_secretary, media):
    client = api_for(a_secretary)
    data = assert_error(upload(client, procedure, fake_docx()), 400, "invalid")
    assert "QT-05.docx is not a valid" in data["message"] and "content was checked" in data["message"]
    assert data["errors"]["file"]
    # A good file before a bad one: still nothing, not even the good file on disk.
    assert_error(upload(client, procedure, docx_upload("A.docx"), fake_docx("B.docx")), 400, "invalid")
    assert not DocumentRevision.objects.exists() and not RevisionFile.objects.exists()
    assert stored_files(media) == []
    assert not AuditEvent.objects.filter(action__in=["revision_create", "file_add"]).exists()


def test_upload_needs_a_file_and_a_summary(api_for, procedure, a_secretary):
    client = api_for(a_secretary)
    data = assert_error(client.post(f"/api/v1/documents/{procedure.pk}/revisions", {"change_summary": "x"}), 400)
    assert "file" in data["errors"]
    data = assert_error(upload(client, procedure, docx_upload(), summary="  "), 400)
    assert "change_summary" in data["errors"]
    assert_error(upload(client, procedure, docx_upload(), effective_date="31/12/2026"), 422, "invalid")
    assert not DocumentRevision.objects.exists()


def test_a_second_draft_while_one_is_open_is_409(api_for, procedure, a_secretary, media):
    client = api_for(a_secretary)
    assert upload(client, procedure, docx_upload()).status_code == 201
    data = assert_error(upload(client, procedure, docx_upload()), 409, "conflict")
    assert "already has a revision" in data["message"]
    assert DocumentRevision.objects.count() == 1 and len(stored_files(media)) == 1


@pytest.mark.parametrize("who", ["a_staff", "overseer"])
def test_upload_without_permission_is_403(request, api_for, procedure, who, media):
    user = request.getfixturevalue(who)
    assert_error(upload(api_for(user), procedure, docx_upload()), 403, "forbidden")
    assert not DocumentRevision.objects.exists() and stored_files(media) == []


@pytest.mark.parametrize("who", ["b_staff", "b_head", "q_overseer"])
def test_upload_to_another_agencys_document_is_404(request, api_for, procedure, who, media):
    user = request.getfixturevalue(who)
    client = api_for(user)
    other = upload(client, procedure, docx_upload())
    missing = client.post("/api/v1/documents/987654/revisions", {"file": [docx_upload()], "change_summary": "x"})
    assert other.status_code == missing.status_code == 404 and other.content == missing.content
    assert not DocumentRevision.objects.exists() and stored_files(media) == []


# --- revisions: read and move --------------------------------------------------------------------


def test_revision_detail_and_scope(api_for, procedure, a_unit_head, a_staff, overseer, b_staff, q_overseer):
    revision = draft(procedure, a_unit_head)
    for user in (a_staff, overseer):
        data = body(api_for(user).get(f"/api/v1/revisions/{revision.pk}"))
        assert data["id"] == revision.pk and data["content"] == "Nội dung dự thảo"
        assert data["drafted_by"]["full_name"] == "Phạm Thị Trưởng Phòng" and data["agency"]["code"] == "STP"
    for user in (b_staff, q_overseer):
        client = api_for(user)
        other, missing = (
            client.get(f"/api/v1/revisions/{revision.pk}"),
            client.get("/api/v1/revisions/987654"),
        )
        assert other.status_code == missing.status_code == 404 and other.content == missing.content


def test_workflow_submit_review_approve(api_for, procedure, a_unit_head, a_secretary, a_head, a_staff):
    revision = draft(procedure, a_unit_head)
    data = body(post(api_for(a_unit_head), f"/api/v1/revisions/{revision.pk}/submit", {"comment": "Kính trình"}))
    assert data["status"] == "in_review"
    # The secretary's approval is the review; the agency head's is the approval (effective today).
    data = body(post(api_for(a_secretary), f"/api/v1/revisions/{revision.pk}/approve", {}))
    assert data["status"] == "reviewed" and data["reviewed_by"]["full_name"] == "Lê Văn Thư Ký"
    response = api_for(a_head).generic("POST", f"/api/v1/revisions/{revision.pk}/approve")  # no body at all
    data = body(response)
    assert response.status_code == 200, data
    assert data["status"] == "effective" and data["approved_by"]["full_name"] == "Trần Thị Giám Đốc"
    assert [t["action"] for t in data["transitions"]] == ["create", "submit", "review", "approve", "activate"]
    assert data["transitions"][1]["comment"] == "Kính trình"
    assert data["transitions"][1]["actor"]["full_name"] == "Phạm Thị Trưởng Phòng"
    # Now effective: a move not allowed from there is a conflict, with the message.
    for action in ("submit", "approve"):
        error = assert_error(post(api_for(a_head), f"/api/v1/revisions/{revision.pk}/{action}"), 409, "conflict")
        assert "Issue 1 is effective" in error["message"]
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.EFFECTIVE


def test_return_needs_a_comment_and_goes_back_to_draft(api_for, procedure, a_unit_head, a_secretary):
    revision = draft(procedure, a_unit_head)
    svc.revision_submit(actor=a_unit_head, revision=revision)
    client = api_for(a_secretary)
    data = assert_error(post(client, f"/api/v1/revisions/{revision.pk}/return", {"comment": "  "}), 400, "invalid")
    assert "comment" in data["errors"]
    assert_error(client.generic("POST", f"/api/v1/revisions/{revision.pk}/return"), 400, "invalid")
    data = body(post(client, f"/api/v1/revisions/{revision.pk}/return", {"comment": "Bổ sung lưu đồ"}))
    assert data["status"] == "draft" and data["transitions"][-1]["comment"] == "Bổ sung lưu đồ"
    # A draft cannot be returned again, nor approved.
    assert_error(post(api_for(a_secretary), f"/api/v1/revisions/{revision.pk}/return", {"comment": "x"}), 409)


def test_submit_of_an_empty_draft_is_400(api_for, procedure, a_unit_head):
    revision = draft(procedure, a_unit_head, content="")
    data = assert_error(api_for(a_unit_head).generic("POST", f"/api/v1/revisions/{revision.pk}/submit"), 400, "invalid")
    assert "at least one file" in data["message"]


@pytest.mark.parametrize(
    ("who", "action"),
    [
        ("a_staff", "submit"),
        ("a_staff", "approve"),
        ("a_staff", "return"),
        ("overseer", "submit"),
        ("overseer", "approve"),
        ("a_unit_head", "approve"),
    ],
)
def test_moves_without_permission_are_403(request, api_for, procedure, a_unit_head, who, action):
    revision = draft(procedure, a_unit_head)
    if action != "submit":
        svc.revision_submit(actor=a_unit_head, revision=revision)
    before = DocumentRevision.objects.get(pk=revision.pk).status
    user = request.getfixturevalue(who)
    assert_error(post(api_for(user), f"/api/v1/revisions/{revision.pk}/{action}", {"comment": "x"}), 403)
    assert DocumentRevision.objects.get(pk=revision.pk).status == before


@pytest.mark.parametrize("action", ["submit", "approve", "return"])
def test_moves_on_another_agencys_revision_are_404(api_for, procedure, a_unit_head, b_head, action):
    revision = draft(procedure, a_unit_head)
    client = api_for(b_head)
    other = post(client, f"/api/v1/revisions/{revision.pk}/{action}", {"comment": "x"})
    missing = post(client, f"/api/v1/revisions/987654/{action}", {"comment": "x"})
    assert other.status_code == missing.status_code == 404 and other.content == missing.content
    assert DocumentRevision.objects.get(pk=revision.pk).status == RevisionStatus.DRAFT

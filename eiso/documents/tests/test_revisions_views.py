"""The internal document register, document, revision and change request pages through HTTP:
anonymous → login, no permission → 403 and no button, another agency → 404, with access → the page;
forms that refuse bad or tampered input without changing anything; bounded list queries."""

# ruff: noqa: F811  (the fixtures imported from revision_helpers are used as parameters)

import pytest
from django.urls import NoReverseMatch, reverse

from eiso.core.models import AuditEvent
from eiso.documents.choices import ChangeRequestKind, ChangeRequestStatus, DocumentKind, RevisionStatus
from eiso.documents.models import ChangeRequest, Comment, Document, DocumentRevision, ExternalDocument, RevisionFile
from eiso.documents.services import revisions as svc
from eiso.documents.tests.factories.revisions import media, procedure, publish, upload  # noqa: F401
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import UnitFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def objs(procedure, a_unit_head, a_secretary, a_head, a_staff, media):
    """QT-05 with issue 1 in force and issue 2 drafted with a file, a form attached, a change request."""
    effective = publish(procedure, a_unit_head, a_secretary, a_head, summary="Ban hành lần đầu")
    draft = svc.revision_create(actor=a_unit_head, document=procedure, change_summary="Sửa đổi thời hạn giải quyết",
                                content="Nội dung dự thảo bí mật")
    attached = svc.revision_file_add(actor=a_unit_head, revision=draft, uploaded=upload("Dự thảo QT-05.docx"))
    change_request = svc.change_request_create(actor=a_staff, agency=procedure.agency, kind=ChangeRequestKind.AMEND,
                                               document=procedure, reason="Luật mới thay đổi thời hạn")
    return {"document": procedure, "effective": effective, "draft": draft, "file": attached,
            "request": change_request}


def snapshot():
    """Everything a refused request must leave alone."""
    return (Document.objects.count(), DocumentRevision.objects.count(), RevisionFile.objects.count(),
            ChangeRequest.objects.count(), Comment.objects.count(), AuditEvent.objects.count(),
            list(DocumentRevision.objects.order_by("pk").values_list("status", "change_summary", "content")))


def u(name, *args):
    return reverse(f"documents:{name}", args=args)


READ_PAGES = [  # (url name, key of objs or None)
    ("document-list", None),
    ("reading-list", None),
    ("changerequest-list", None),
    ("document-detail", "document"),
    ("revision-detail", "effective"),
    ("revision-detail", "draft"),
    ("revision-file-download", "file"),
    ("changerequest-detail", "request"),
]
WRITE_PAGES = [  # GET forms
    ("document-create", None),
    ("document-update", "document"),
    ("document-revise", "document"),
    ("revision-update", "draft"),
    ("changerequest-create", None),
]
POSTS = [  # (url name, key, data)
    ("revision-upload", "draft", {}),
    ("revision-file-remove", "file", {}),
    ("revision-transition", "draft", {"action": "submit"}),
    ("revision-comment", "draft", {"body": "Góp ý"}),
    ("revision-acknowledge", "effective", {}),
    ("changerequest-decide", "request", {"decision": "approve"}),
]


def url_of(objs, name, key):
    return u(name, objs[key].pk) if key else u(name)


# --- anonymous ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "key"), READ_PAGES + WRITE_PAGES)
def test_anonymous_is_sent_to_login(client, objs, name, key):
    response = client.get(url_of(objs, name, key))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("name", "key", "data"), POSTS)
def test_anonymous_posts_change_nothing(client, objs, name, key, data):
    before = snapshot()
    response = client.post(url_of(objs, name, key), data)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert snapshot() == before


# --- no permission ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "key"), [("document-create", None), ("document-update", "document"),
                                           ("document-revise", "document"), ("revision-update", "draft")])
def test_staff_gets_403_on_write_pages(client_for, objs, a_staff, name, key):
    client = client_for(a_staff)
    before = snapshot()
    assert client.get(url_of(objs, name, key)).status_code == 403
    assert client.post(url_of(objs, name, key), {"code": "X", "title": "X", "kind": "form",
                                                 "content": "x"}).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(("name", "key", "data"), [p for p in POSTS if p[0] not in (
    "revision-comment", "revision-acknowledge")])
def test_staff_cannot_post_workflow_actions(client_for, objs, a_staff, name, key, data):
    before = snapshot()
    assert client_for(a_staff).post(url_of(objs, name, key), data).status_code == 403
    assert snapshot() == before


def test_overseer_reads_but_never_writes(client_for, objs, overseer, agency_a):
    client = client_for(overseer)
    for name, key in READ_PAGES:
        if name != "reading-list":
            assert client.get(url_of(objs, name, key)).status_code == 200, name
    before = snapshot()
    for name, key in WRITE_PAGES:
        if name != "changerequest-create":  # that one files a request in the overseer's own agency
            assert client.get(url_of(objs, name, key)).status_code == 403, name
    for name, key, data in POSTS:
        assert client.post(url_of(objs, name, key), data).status_code == 403, name
    assert snapshot() == before
    page = client.get(u("document-list")).content.decode()
    assert u("document-create") not in page and "Sở Tư pháp" in page


def test_buttons_follow_permissions(client_for, objs, a_staff, a_unit_head, a_secretary, a_head):
    draft = objs["draft"]
    staff_page = client_for(a_staff).get(u("revision-detail", draft.pk)).content.decode()
    assert u("revision-update", draft.pk) not in staff_page
    assert u("revision-upload", draft.pk) not in staff_page
    assert u("revision-file-remove", objs["file"].pk) not in staff_page
    assert 'data-action="submit"' not in staff_page
    assert u("revision-comment", draft.pk) in staff_page  # staff comment on drafts
    drafter_page = client_for(a_unit_head).get(u("revision-detail", draft.pk)).content.decode()
    assert u("revision-update", draft.pk) in drafter_page and u("revision-upload", draft.pk) in drafter_page
    assert 'data-action="submit"' in drafter_page and 'data-action="approve"' not in drafter_page
    assert 'data-action="withdraw"' not in drafter_page  # only the agency head withdraws
    head_page = client_for(a_head).get(u("revision-detail", draft.pk)).content.decode()
    assert 'data-action="withdraw"' in head_page
    # the register: "New document" for managers and unit heads, not for staff
    assert u("document-create") not in client_for(a_staff).get(u("document-list")).content.decode()
    assert u("document-create") in client_for(a_secretary).get(u("document-list")).content.decode()
    assert u("document-create") in client_for(a_unit_head).get(u("document-list")).content.decode()
    # the document page: edit and revise only for those allowed
    doc = objs["document"]
    page = client_for(a_staff).get(u("document-detail", doc.pk)).content.decode()
    assert u("document-update", doc.pk) not in page and u("document-revise", doc.pk) not in page
    assert u("document-update", doc.pk) in client_for(a_secretary).get(u("document-detail", doc.pk)).content.decode()


def test_only_managers_see_the_distribution(client_for, objs, a_staff, a_secretary):
    doc = objs["document"]
    response = client_for(a_staff).get(u("document-detail", doc.pk), {"tab": "distribution"})
    assert response.status_code == 200 and response.context["tab"] == "info"
    assert "distribution" not in [key for key, _label in response.context["tabs"]]
    response = client_for(a_secretary).get(u("document-detail", doc.pk), {"tab": "distribution"})
    assert response.context["tab"] == "distribution"
    assert response.context["pending_count"] >= 4 and "Đặng Văn Chuyên Viên" in response.content.decode()


# --- another agency -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "key"), [p for p in READ_PAGES + WRITE_PAGES if p[1]])
def test_other_agency_gets_404(client_for, objs, b_staff, b_head, q_overseer, name, key):
    for user in (b_staff, b_head, q_overseer):
        response = client_for(user).get(url_of(objs, name, key))
        assert response.status_code == 404, (user.username, name)
        assert "bí mật" not in response.content.decode()


@pytest.mark.parametrize(("name", "key", "data"), POSTS)
def test_other_agency_posts_get_404_and_change_nothing(client_for, objs, b_head, name, key, data):
    before = snapshot()
    assert client_for(b_head).post(url_of(objs, name, key), data).status_code == 404
    assert snapshot() == before


def test_lists_show_only_the_users_scope(client_for, objs, b_staff, b_head, agency_b, unit_b):
    svc.document_create(actor=b_head, agency=agency_b, code="QT-B1", title="Quy trình của Sở Xây dựng",
                        kind=DocumentKind.SYSTEM_PROCEDURE, owner_unit=unit_b)
    client = client_for(b_staff)
    page = client.get(u("document-list")).content.decode()
    assert "QT-B1" in page and "QT-05" not in page and "Quy trình đăng ký khai sinh" not in page
    assert "Luật mới thay đổi thời hạn" not in client.get(u("changerequest-list")).content.decode()
    assert "QT-05" not in client.get(u("reading-list")).content.decode()


def test_tampered_ids_from_another_agency_are_form_errors(client_for, objs, a_secretary, agency_b, unit_b, b_head):
    other = svc.document_create(actor=b_head, agency=agency_b, code="QT-B1", title="Của B",
                                kind=DocumentKind.SYSTEM_PROCEDURE)
    client = client_for(a_secretary)
    before = snapshot()
    response = client.post(u("document-create"), {"code": "QT-99", "title": "Lạ", "kind": DocumentKind.FORM,
                                                  "owner_unit": unit_b.pk, "parent": other.pk})
    assert response.status_code == 200
    assert {"owner_unit", "parent"} <= set(response.context["form"].errors)
    response = client.post(u("changerequest-create"), {"kind": "amend", "document": other.pk, "reason": "x"})
    assert "document" in response.context["form"].errors
    assert snapshot() == before


# --- with access: the register -------------------------------------------------------------------------


def test_register_lists_code_title_issue_date_and_status(client_for, objs, a_staff):
    response = client_for(a_staff).get(u("document-list"))
    assert response.status_code == 200
    page = response.content.decode()
    effective = objs["effective"]
    assert "QT-05" in page and "Quy trình đăng ký khai sinh" in page and "Phòng Hành chính tư pháp" in page
    assert u("revision-detail", effective.pk) in page  # the revision in force, one click away
    assert effective.effective_date.strftime("%d/%m/%Y") in page
    row = response.context["page"].object_list[0]
    assert row.effective_revisions[0].issue_number == 1 and row.has_open_revision


def test_register_search_ignores_diacritics_and_filters(client_for, objs, a_secretary, agency_a, unit_a):
    other_unit = UnitFactory(agency=agency_a, code="VP", name="Văn phòng")
    svc.document_create(actor=a_secretary, agency=agency_a, code="BM-01", title="Mẫu tờ khai đăng ký",
                        kind=DocumentKind.FORM, owner_unit=other_unit, parent=objs["document"])
    svc.document_create(actor=a_secretary, agency=agency_a, code="STCL", title="Sổ tay chất lượng",
                        kind=DocumentKind.MANUAL)
    client = client_for(a_secretary)

    def codes(**params):
        return [d.code for d in client.get(u("document-list"), params).context["page"].object_list]

    assert codes(q="dang ky khai sinh") == ["QT-05"]
    assert codes(q="ĐĂNG KÝ") == ["QT-05", "BM-01"] or set(codes(q="ĐĂNG KÝ")) == {"QT-05", "BM-01"}
    assert codes(kind=DocumentKind.FORM) == ["BM-01"]
    assert codes(unit=str(other_unit.pk)) == ["BM-01"]
    assert codes(status="effective") == ["QT-05"]
    assert set(codes(status="none")) == {"BM-01", "STCL"}
    assert codes(status="draft") == ["QT-05"]
    # junk filter values are ignored, not a 500
    assert client.get(u("document-list"), {"kind": "nonsense", "unit": "abc", "status": "x", "page": "z",
                                           "agency": "9" * 30}).status_code == 200


def test_register_is_in_the_printed_order_policy_objectives_procedures_forms(client_for, objs, a_secretary,
                                                                             agency_a):
    """As the register prints: by kind (policy, objectives, manual, system, operational procedures,
    forms) then code, not by the kind's code (form < objectives < operational_procedure < policy)."""
    for code, kind in (("BM-02", DocumentKind.FORM), ("MTCL", DocumentKind.OBJECTIVES),
                       ("QT-01", DocumentKind.SYSTEM_PROCEDURE), ("CSCL", DocumentKind.POLICY),
                       ("BM-01", DocumentKind.FORM), ("STCL", DocumentKind.MANUAL)):
        svc.document_create(actor=a_secretary, agency=agency_a, code=code, title=f"Tài liệu {code}", kind=kind)
    page = client_for(a_secretary).get(u("document-list")).context["page"]
    assert [d.code for d in page.object_list] == ["CSCL", "MTCL", "STCL", "QT-01", "QT-05", "BM-01", "BM-02"]


def test_register_htmx_gets_only_the_results(client_for, objs, a_staff):
    response = client_for(a_staff).get(u("document-list"), {"q": "khai sinh"},
                                       headers={"HX-Request": "true", "HX-Target": "results"})
    html = response.content.decode()
    assert 'id="results"' in html and "<html" not in html and "QT-05" in html


def test_overseer_sees_every_agency_with_an_agency_filter(client_for, objs, overseer, b_head, agency_b, agency_a):
    svc.document_create(actor=b_head, agency=agency_b, code="QT-B1", title="Quy trình của B",
                        kind=DocumentKind.SYSTEM_PROCEDURE)
    client = client_for(overseer)
    response = client.get(u("document-list"))
    assert {d.code for d in response.context["page"].object_list} == {"QT-05", "QT-B1"}
    assert "agency" in response.context["filters"].fields
    response = client.get(u("document-list"), {"agency": str(agency_b.pk)})
    assert [d.code for d in response.context["page"].object_list] == ["QT-B1"]


def test_register_export_links_keep_the_filters(client_for, objs, a_staff):
    page = client_for(a_staff).get(u("document-list"), {"kind": "operational_procedure", "page": "1"}).content.decode()
    for name in ("reports:document-register-docx", "reports:document-register-xlsx"):
        try:
            target = reverse(name)
        except NoReverseMatch:  # the reports app is not there: no dead link
            assert name.split(":")[1] not in page
            continue
        assert f'href="{target}?kind=operational_procedure"' in page


def test_register_queries_do_not_grow_with_documents(client_for, django_assert_max_num_queries, objs, a_secretary,
                                                     a_unit_head, a_head, agency_a, unit_a):
    client = client_for(a_secretary)
    client.get(u("document-list"))
    for n in range(32):
        document = svc.document_create(actor=a_secretary, agency=agency_a, code=f"BM-{n:02d}",
                                       title=f"Biểu mẫu số {n}", kind=DocumentKind.FORM, owner_unit=unit_a)
        if n % 3 == 0:
            publish(document, a_unit_head, a_secretary, a_head)
    with django_assert_max_num_queries(16):
        response = client.get(u("document-list"))
    assert response.context["page"].paginator.count == 33


# --- with access: document page ---------------------------------------------------------------------------


def test_document_page_shows_current_revision_history_legal_basis_and_forms(client_for, objs, a_staff,
                                                                           a_secretary, agency_a, unit_a):
    doc = objs["document"]
    law = ExternalDocument.objects.create(agency=agency_a, number="118/2025/NĐ-CP", doc_type="decree",
                                          title="Nghị định về thủ tục hành chính", issuer="Chính phủ")
    law.cited_by.add(doc)
    form = svc.document_create(actor=a_secretary, agency=agency_a, code="BM-01-QT05", title="Mẫu tờ khai",
                               kind=DocumentKind.FORM, owner_unit=unit_a, parent=doc)
    client = client_for(a_staff)
    response = client.get(u("document-detail", doc.pk))
    page = response.content.decode()
    assert f'data-current-revision="{objs["effective"].pk}"' in page
    assert "Ban hành lần đầu" in page and "Sửa đổi thời hạn giải quyết" in page  # the history table
    assert "Phạm Thị Trưởng Phòng" in page and "Lê Văn Thư Ký" in page and "Trần Thị Giám Đốc" in page
    assert "118/2025/NĐ-CP" in page
    assert u("document-detail", form.pk) in page
    assert u("revision-detail", objs["draft"].pk) in page  # the revision in progress
    for key, _label in response.context["tabs"]:
        assert client.get(u("document-detail", doc.pk), {"tab": key}).status_code == 200


def test_document_history_tab_shows_transitions_and_changes(client_for, objs, a_secretary):
    doc = objs["document"]
    svc.document_update(actor=a_secretary, document=doc, title="Quy trình đăng ký khai sinh (sửa)")
    page = client_for(a_secretary).get(u("document-detail", doc.pk), {"tab": "history"}).content.decode()
    assert "Quy trình đăng ký khai sinh (sửa)" in page  # the audit of the document
    assert "Lê Văn Thư Ký" in page and "Trần Thị Giám Đốc" in page  # who moved the revisions


def test_document_comments_and_requests_tabs(client_for, objs, a_staff):
    svc.comment_add(actor=a_staff, revision=objs["effective"], body="Đề nghị bổ sung mẫu tờ khai điện tử")
    client = client_for(a_staff)
    doc = objs["document"]
    assert "Đề nghị bổ sung mẫu tờ khai điện tử" in client.get(
        u("document-detail", doc.pk), {"tab": "comments"}).content.decode()
    assert "Luật mới thay đổi thời hạn" in client.get(
        u("document-detail", doc.pk), {"tab": "requests"}).content.decode()


def test_export_links_on_the_document_page_only_when_the_reports_exist(client_for, objs, a_staff):
    doc = objs["document"]
    page = client_for(a_staff).get(u("document-detail", doc.pk)).content.decode()
    for name in ("reports:procedure-docx", "reports:procedure-pdf", "reports:revision-history-docx"):
        try:
            target = reverse(name, args=[doc.pk])
        except NoReverseMatch:
            continue
        assert f'href="{target}"' in page


# --- forms ------------------------------------------------------------------------------------------------


def test_secretary_creates_and_edits_a_document(client_for, agency_a, unit_a, a_secretary):
    client = client_for(a_secretary)
    response = client.post(u("document-create"), {"code": "QT-07", "title": "Quy trình chứng thực",
                                                  "kind": DocumentKind.OPERATIONAL_PROCEDURE, "owner_unit": unit_a.pk})
    document = Document.objects.get(agency=agency_a, code="QT-07")
    assert response.status_code == 302 and response.url == u("document-detail", document.pk)
    response = client.post(u("document-update", document.pk), {
        "code": "QT-07", "title": "Quy trình chứng thực bản sao", "kind": DocumentKind.OPERATIONAL_PROCEDURE,
        "owner_unit": unit_a.pk})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Quy trình chứng thực bản sao"
    assert AuditEvent.objects.filter(object_id=str(document.pk), action="update").exists()


def test_duplicate_code_is_refused_on_the_field(client_for, objs, a_secretary, unit_a):
    before = snapshot()
    response = client_for(a_secretary, language="en").post(
        u("document-create"), {"code": "QT-05", "title": "Trùng", "kind": DocumentKind.FORM})
    assert response.status_code == 200 and response.context["form"].errors["code"]
    assert "already used by another document" in response.content.decode()
    assert snapshot() == before


def test_new_revision_form_and_one_at_a_time(client_for, procedure, a_unit_head, a_staff):
    client = client_for(a_unit_head)
    response = client.post(u("document-revise", procedure.pk), {"change_summary": "Ban hành lần đầu",
                                                                "content": "Bước 1: tiếp nhận hồ sơ"})
    revision = DocumentRevision.objects.get(document=procedure)
    assert response.status_code == 302 and response.url == u("revision-detail", revision.pk)
    assert revision.status == RevisionStatus.DRAFT and revision.drafted_by == a_unit_head
    # a second one waits for the first: the page says so, a POST is refused with the message
    page = client.get(u("document-revise", procedure.pk)).content.decode()
    assert 'data-locked="true"' in page and u("revision-detail", revision.pk) in page
    before = snapshot()
    client.cookies["django_language"] = "en"
    response = client.post(u("document-revise", procedure.pk), {"change_summary": "Lần hai"})
    assert response.status_code == 200 and "finish it first" in response.content.decode()
    assert snapshot() == before


def test_draft_edit_form_saves_sections(client_for, procedure, a_unit_head):
    revision = svc.revision_create(actor=a_unit_head, document=procedure)
    client = client_for(a_unit_head)
    response = client.get(u("revision-update", revision.pk))
    assert "section_purpose" in response.context["form"].fields
    response = client.post(u("revision-update", revision.pk), {
        "change_summary": "Ban hành", "content": "", "effective_date": "2026-12-01",
        "section_purpose": "Quy định trình tự đăng ký khai sinh", "section_scope": "Áp dụng tại Sở",
        "section_definitions": "", "section_content": "Bước 1…"})
    assert response.status_code == 302
    revision.refresh_from_db()
    assert revision.sections == {"purpose": "Quy định trình tự đăng ký khai sinh", "scope": "Áp dụng tại Sở",
                                 "content": "Bước 1…"}
    assert str(revision.effective_date) == "2026-12-01"
    page = client.get(u("revision-detail", revision.pk)).content.decode()
    assert "Quy định trình tự đăng ký khai sinh" in page and "Áp dụng tại Sở" in page


def test_effective_revision_cannot_change_from_the_pages(client_for, objs, a_head, media):
    effective = objs["effective"]
    client = client_for(a_head, language="en")
    page = client.get(u("revision-update", effective.pk)).content.decode()
    assert 'data-locked="true"' in page and "can no longer change" in page
    before = snapshot()
    files_before = sorted(p.name for p in media.rglob("*") if p.is_file())
    response = client.post(u("revision-update", effective.pk), {"change_summary": "Sửa lén", "content": "Khác"})
    assert response.status_code == 200 and "can no longer change" in response.content.decode()
    response = client.post(u("revision-upload", effective.pk), {"file": upload("Khác.docx")})
    assert response.status_code == 200 and "can no longer change" in response.content.decode()
    assert snapshot() == before
    assert sorted(p.name for p in media.rglob("*") if p.is_file()) == files_before


# --- change requests ---------------------------------------------------------------------------------------


def test_anyone_files_a_request_and_a_manager_approves_it(client_for, objs, a_staff, a_secretary, a_head):
    doc = objs["document"]
    # the open draft must finish first; withdraw it so the approval can open a new one
    svc.revision_withdraw(actor=a_head, revision=objs["draft"], comment="Làm lại theo phiếu đề nghị")
    client = client_for(a_staff)
    assert client.get(u("changerequest-create"), {"document": doc.pk}).context["form"].initial["document"] == doc.pk
    response = client.post(u("changerequest-create"), {"kind": "amend", "document": doc.pk,
                                                       "reason": "Nghị định 118/2025 thay thế 61/2018"})
    request = ChangeRequest.objects.get(reason="Nghị định 118/2025 thay thế 61/2018")
    assert response.status_code == 302 and response.url == u("changerequest-detail", request.pk)
    page = client.get(u("changerequest-detail", request.pk)).content.decode()
    assert u("changerequest-decide", request.pk) not in page  # staff do not decide
    manager = client_for(a_secretary)
    assert u("changerequest-decide", request.pk) in manager.get(u("changerequest-detail", request.pk)).content.decode()
    response = manager.post(u("changerequest-decide", request.pk), {"decision": "approve", "decision_note": "Đồng ý"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ChangeRequestStatus.APPROVED
    opened = request.revisions.get()
    assert opened.status == RevisionStatus.DRAFT and opened.document == doc
    assert u("revision-detail", opened.pk) in manager.get(u("changerequest-detail", request.pk)).content.decode()


def test_refusal_needs_a_note_and_changes_nothing_without_it(client_for, objs, a_secretary):
    request = objs["request"]
    before = snapshot()
    response = client_for(a_secretary, language="en").post(u("changerequest-decide", request.pk),
                                                           {"decision": "refuse"})
    assert response.status_code == 200
    assert response.context["decide_form"].errors["decision_note"]
    assert "Give the reason for refusing." in response.content.decode()
    assert snapshot() == before
    response = client_for(a_secretary).post(u("changerequest-decide", request.pk),
                                            {"decision": "refuse", "decision_note": "Chưa cần thiết"})
    request.refresh_from_db()
    assert response.status_code == 302 and request.status == ChangeRequestStatus.REFUSED


def test_issue_request_needs_the_proposed_document(client_for, agency_a, a_staff, unit_a):
    client = client_for(a_staff)
    before = snapshot()
    response = client.post(u("changerequest-create"), {"kind": "issue", "reason": "Thiếu quy trình"})
    assert response.status_code == 200
    assert {"proposed_code", "proposed_title", "proposed_kind"} <= set(response.context["form"].errors)
    assert snapshot() == before
    response = client.post(u("changerequest-create"), {
        "kind": "issue", "reason": "Thiếu quy trình", "proposed_code": "QT-20", "proposed_title": "Quy trình mới",
        "proposed_kind": DocumentKind.OPERATIONAL_PROCEDURE, "proposed_unit": unit_a.pk})
    assert response.status_code == 302
    assert ChangeRequest.objects.filter(proposed_code="QT-20", requested_by=a_staff).exists()


def test_change_request_list_filters(client_for, objs, a_staff, a_secretary, agency_a):
    svc.change_request_create(actor=a_staff, agency=agency_a, kind=ChangeRequestKind.ISSUE, reason="Cần mới",
                              proposed_code="QT-30", proposed_title="Mới", proposed_kind=DocumentKind.FORM)
    client = client_for(a_secretary)
    kinds = [r.kind for r in client.get(u("changerequest-list"), {"kind": "issue"}).context["page"].object_list]
    assert kinds == ["issue"]
    assert client.get(u("changerequest-list"), {"status": "approved"}).context["page"].paginator.count == 0
    assert client.get(u("changerequest-list")).context["page"].paginator.count == 2


# --- documents to read, dashboard ----------------------------------------------------------------------------


def test_reading_list_dashboard_card_and_acknowledgement(client_for, objs, a_staff):
    effective = objs["effective"]
    client = client_for(a_staff)
    response = client.get(u("reading-list"))
    assert [e.revision_id for e in response.context["page"].object_list] == [effective.pk]
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.context["to_read_count"] == 1
    assert 'data-to-read="1"' in dashboard.content.decode()
    assert u("revision-detail", effective.pk) in dashboard.content.decode()
    assert 'data-action="acknowledge"' in client.get(u("revision-detail", effective.pk)).content.decode()
    response = client.post(u("revision-acknowledge", effective.pk), {"next": u("reading-list")})
    assert response.status_code == 302 and response.url == u("reading-list")
    assert client.get(reverse("dashboard")).context["to_read_count"] == 0
    assert effective.distribution.get(user=a_staff).acknowledged_at is not None
    # an outside "next" is ignored
    response = client.post(u("revision-acknowledge", effective.pk), {"next": "https://evil.example/"})
    assert response.url == u("revision-detail", effective.pk)


def test_someone_not_on_the_list_cannot_acknowledge(client_for, objs, agency_a):
    newcomer = make_user(agency_a, [Role.STAFF], username="moi_vao")
    before = snapshot()
    assert client_for(newcomer).post(u("revision-acknowledge", objs["effective"].pk)).status_code == 403
    assert snapshot() == before


def test_reviewers_and_approvers_see_what_waits_for_them(client_for, objs, a_unit_head, a_secretary, a_head,
                                                        a_staff):
    draft = objs["draft"]
    svc.revision_submit(actor=a_unit_head, revision=draft)
    assert [r.pk for r in client_for(a_secretary).get(reverse("dashboard")).context["awaiting_revisions"]] == [
        draft.pk]
    assert client_for(a_head).get(reverse("dashboard")).context["awaiting_revisions"] == []
    assert client_for(a_unit_head).get(reverse("dashboard")).context["awaiting_revisions"] == []  # the drafter
    svc.revision_review(actor=a_secretary, revision=draft)
    assert [r.pk for r in client_for(a_head).get(u("reading-list")).context["awaiting"]] == [draft.pk]
    assert client_for(a_staff).get(reverse("dashboard")).context["awaiting_revisions"] == []

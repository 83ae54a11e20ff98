"""Isolation between agencies is a security boundary.

These tests walk EVERY URL pattern of the web UI and EVERY API route that takes an object id,
put the id of one of agency A's objects in it, and assert that users of agency B and an
overseer/admin of another province never get it (404 or 403, and none of its data), whatever
the method. A user of agency A does get it, so the ids are right and the refusals are scope, not
typos. A new route that takes an id and is not registered below fails the walk: register it
with the object it addresses.
"""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from eiso.audits import services as audit_services
from eiso.audits.models import ChecklistFile, Clause
from eiso.documents.services import external as external_services
from eiso.documents.services import records as records_services
from eiso.documents.services import revisions as document_services
from eiso.documents.services.external import external_document_create
from eiso.documents.services.records import filelist_create
from eiso.documents.tests.revision_helpers import pdf_bytes
from eiso.dossiers.models import Dossier, DossierImport
from eiso.dossiers.services.apology import apology_issue
from eiso.dossiers.services.recording import EventRow, dossier_events_record
from eiso.improvements import services as improvement_services
from eiso.organizations import services
from eiso.organizations.choices import Role, SteeringRole
from eiso.organizations.tests.factories import JobDescriptionFactory, SteeringCommitteeFactory, make_user
from eiso.procedures import services as procedure_services

pytestmark = pytest.mark.django_db

SKIPPED_NAMESPACES = {"admin", "api"}  # admin: staff only (tested below); api: walked separately


class World:
    """Agency A's objects, one of each kind a route can address."""

    def __init__(self, agency_a, unit_a, a_staff, a_head):
        self.agency = agency_a
        self.unit = unit_a
        self.person = a_staff
        self.job = JobDescriptionFactory(agency=agency_a, unit=unit_a, position="Vị trí bí mật của Sở A",
                                         duties="Nhiệm vụ nội bộ A")
        self.committee = SteeringCommitteeFactory(agency=agency_a, name="Ban chỉ đạo ISO bí mật Sở A")
        self.member = services.steering_member_add(actor=None, committee=self.committee, user=a_head,
                                                   role=SteeringRole.HEAD)
        self.exception = services.calendar_exception_add(
            actor=None, agency=agency_a, date=datetime.date(2026, 3, 10), kind="extra_day_off",
            reason="Ngày nghỉ nội bộ bí mật của Sở A", decision="Quyết định số 1/QĐ-STP")
        self.document = document_services.document_create(
            actor=None, agency=agency_a, code="QT-99", title="Quy trình bí mật của Sở A",
            kind="operational_procedure", owner_unit=unit_a)
        self.revision = document_services.revision_create(
            actor=a_head, document=self.document, change_summary="Ban hành", content="Nội dung nội bộ A")
        self.revision_file = document_services.revision_file_add(
            actor=a_head, revision=self.revision,
            uploaded=SimpleUploadedFile("Tệp bí mật của Sở A.pdf", pdf_bytes()))
        self.change_request = document_services.change_request_create(
            actor=a_staff, agency=agency_a, kind="amend", document=self.document,
            reason="Lý do bí mật của Sở A")
        self.external = external_document_create(actor=None, agency=agency_a, number="999/2026/QĐ-STP",
                                                 doc_type="decision", title="Quyết định bí mật của Sở A",
                                                 issuer="Sở Tư pháp")
        self.file_list = filelist_create(actor=None, agency=agency_a, unit=unit_a, year=2026)
        cited = external_document_create(actor=None, agency=agency_a, number="61/2018/NĐ-CP", doc_type="decree",
                                         title="Nghị định trích dẫn bí mật của Sở A", issuer="Chính phủ")
        external_services.external_document_cite(actor=None, external=cited, documents=[self.document])
        external_services.external_document_expire(actor=None, document=cited, expires_on=datetime.date(2026, 7, 1))
        self.review_task = cited.review_tasks.get()
        self.record_type = records_services.recordtype_create(actor=None, agency=agency_a, code="HS-99",
                                                              name="Loại hồ sơ bí mật của Sở A", retention_years=5)
        self.record_file = records_services.recordfile_create(actor=None, file_list=self.file_list, code="99.A",
                                                              title="Tệp hồ sơ bí mật của Sở A")
        # Administrative procedures and dossiers
        self.tthc = procedure_services.admin_procedure_create(
            actor=None, agency=agency_a, code="9.999001", name="Thủ tục bí mật của Sở A", field="Hộ tịch",
            time_limit_days=3, process_document=self.document)
        self.definition, _created = procedure_services.process_definition_set(
            actor=None, document=self.document, steps=[{"name": "Bước bí mật của Sở A", "unit": unit_a, "hours": 24}])
        at = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
        dossier_events_record(actor=None, source="test", rows=[
            EventRow(row=1, code="STP-SECRET-0001", kind="received", at=at, agency_code=agency_a.code,
                     procedure_code="9.999001", applicant="Người nộp bí mật của Sở A"),
            EventRow(row=2, code="STP-SECRET-0001", kind="step_done", at=at + datetime.timedelta(days=1), step=1)])
        self.dossier = Dossier.objects.get(code="STP-SECRET-0001")
        self.apology = apology_issue(actor=None, dossier=self.dossier, reason="Lý do chậm bí mật của Sở A",
                                     new_due_at=self.dossier.due_at + datetime.timedelta(days=7), now=at)
        # Nonconformities, corrective actions, risks
        self.nonconformity = improvement_services.nonconformity_create(
            actor=None, agency=agency_a, source="staff", clause="8.5.1", unit=unit_a,
            description="Sự không phù hợp bí mật của Sở A", detected_on=datetime.date(2026, 3, 2))
        self.corrective_action = improvement_services.correctiveaction_create(
            actor=None, nonconformity=self.nonconformity, root_cause="Nguyên nhân bí mật của Sở A",
            action_plan="Hành động bí mật của Sở A", owner=a_staff, due_on=datetime.date(2026, 4, 1))
        self.risk = improvement_services.risk_create(actor=None, agency=agency_a, likelihood=3, impact=4,
                                                     description="Rủi ro bí mật của Sở A")
        self.dossier_import = DossierImport.objects.create(
            agency=agency_a, original_name="Tệp một cửa bí mật của Sở A.csv", created_by=a_head, status="failed",
            errors=["Lỗi bí mật của Sở A"])
        # Internal audits
        self.exclusion = audit_services.clause_exclusion_create(
            actor=None, agency=agency_a, clause=Clause.objects.get(code="8.3"),
            justification="Lý do loại trừ bí mật của Sở A")
        self.programme = audit_services.programme_create(actor=None, agency=agency_a, year=2026,
                                                         title="Chương trình đánh giá bí mật của Sở A")
        self.programme_entry = audit_services.programme_entry_add(
            actor=None, programme=self.programme, planned_month=5, process="Quá trình bí mật của Sở A")
        auditor = make_user(agency_a, [Role.AUDITOR], full_name="Chuyên gia đánh giá của Sở A")
        self.audit = audit_services.audit_create(
            actor=None, programme=self.programme, title="Cuộc đánh giá bí mật của Sở A",
            start_date=datetime.date(2026, 5, 4), end_date=datetime.date(2026, 5, 5), lead_auditor=auditor,
            units=[unit_a], clauses=[Clause.objects.get(code="7.5")])
        audit_services.checklist_generate(actor=None, audit=self.audit)
        self.checklist_item = self.audit.checklist.first()
        self.checklist_file = ChecklistFile(item=self.checklist_item, original_name="Ảnh bí mật của Sở A.png",
                                            file_type="png", size=16, sha256="0" * 64)
        self.checklist_file.file.save("a.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\0" * 8), save=False)
        self.checklist_file.save()
        fieldwork = audit_services.audit_create(
            actor=None, programme=self.programme, title="Cuộc đánh giá thứ hai của Sở A",
            start_date=datetime.date(2026, 5, 6), end_date=datetime.date(2026, 5, 6), lead_auditor=auditor,
            units=[unit_a], clauses=[Clause.objects.get(code="7.5")])
        audit_services.audit_transition(actor=None, audit=fieldwork, action="start")
        self.finding = audit_services.finding_create(
            actor=None, audit=fieldwork, kind="minor_nc", clause=Clause.objects.get(code="7.5"), unit=unit_a,
            description="Phát hiện bí mật của Sở A")


# url-name (without namespace) prefix → (kwargs for the route, a text of the object that must not leak)
WEB_ROUTES = {
    "agency": lambda w: ({"pk": w.agency.pk}, w.agency.name),
    "unit": lambda w: ({"pk": w.unit.pk}, w.unit.name),
    "user": lambda w: ({"pk": w.person.pk}, w.person.full_name),
    "jobdescription": lambda w: ({"pk": w.job.pk}, w.job.position),
    "steeringcommittee": lambda w: ({"pk": w.committee.pk}, w.committee.name),
    "steeringmember": lambda w: ({"pk": w.committee.pk, "member_pk": w.member.pk}, w.committee.name),
    "calendarexception": lambda w: ({"pk": w.exception.pk}, w.exception.reason),
    "document": lambda w: ({"pk": w.document.pk}, w.document.title),
    "revision": lambda w: ({"pk": w.revision.pk}, w.document.title),
    "revision-file": lambda w: ({"pk": w.revision_file.pk}, w.revision_file.original_name),
    "changerequest": lambda w: ({"pk": w.change_request.pk}, w.change_request.reason),
    "procedure": lambda w: ({"pk": w.document.pk}, w.document.title),  # reports:procedure-docx/-pdf
    "revision-history": lambda w: ({"pk": w.document.pk}, w.document.title),
    "filelist": lambda w: ({"pk": w.file_list.pk}, w.unit.name),
    "externaldocument": lambda w: ({"pk": w.external.pk}, w.external.title),
    "reviewtask": lambda w: ({"pk": w.review_task.pk}, w.document.title),
    "recordtype": lambda w: ({"pk": w.record_type.pk}, w.record_type.name),
    "recordfile": lambda w: ({"pk": w.record_file.pk, "list_pk": w.file_list.pk}, w.record_file.title),
    "dossier": lambda w: ({"pk": w.dossier.pk}, w.dossier.applicant),  # dossiers:dossier-detail/-apology
    "dossier-slip": lambda w: ({"pk": w.dossier.pk}, w.dossier.applicant),  # reports:dossier-slip-docx/-pdf
    "dossier-apology": lambda w: ({"pk": w.dossier.pk}, w.apology.reason),  # reports:dossier-apology-docx/-pdf
    "nonconformity": lambda w: ({"pk": w.nonconformity.pk}, w.nonconformity.description),
    "correctiveaction": lambda w: ({"pk": w.corrective_action.pk}, w.corrective_action.action_plan),
    "risk": lambda w: ({"pk": w.risk.pk}, w.risk.description),
    "dossierimport": lambda w: ({"pk": w.dossier_import.pk}, w.dossier_import.original_name),
    "adminprocedure": lambda w: ({"pk": w.tthc.pk}, w.tthc.name),
    "processdefinition": lambda w: ({"pk": w.document.pk}, w.document.title),  # the operational procedure
    "clauseexclusion": lambda w: ({"pk": w.exclusion.pk}, w.exclusion.justification),
    "programme": lambda w: ({"pk": w.programme.pk}, w.programme.title),
    "programmeentry": lambda w: ({"pk": w.programme_entry.pk}, w.programme_entry.process),
    "audit": lambda w: ({"pk": w.audit.pk}, w.audit.title),
    "checklistitem": lambda w: ({"pk": w.checklist_item.pk}, w.checklist_item.question),
    "checklistfile": lambda w: ({"pk": w.checklist_file.pk}, w.checklist_file.original_name),
    "finding": lambda w: ({"pk": w.finding.pk}, w.finding.description),  # improvements:finding-nonconformity
}

# first path segment after /api/v1/ → (the object's id, a text that must not leak)
API_ROUTES = {
    "agencies": lambda w: (w.agency.pk, w.agency.name),
    "units": lambda w: (w.unit.pk, w.unit.name),
    "users": lambda w: (w.person.pk, w.person.full_name),
    "documents": lambda w: (w.document.pk, w.document.title),
    "revisions": lambda w: (w.revision.pk, w.document.title),
    "external-documents": lambda w: (w.external.pk, w.external.title),
    "nonconformities": lambda w: (w.nonconformity.pk, w.nonconformity.description),
    "corrective-actions": lambda w: (w.corrective_action.pk, w.corrective_action.action_plan),
    "risks": lambda w: (w.risk.pk, w.risk.description),
    "dossiers": lambda w: (w.dossier.code, "Bước bí mật của Sở A"),  # the route takes the dossier's code
    "admin-procedures": lambda w: (w.tthc.pk, w.tthc.name),
    "audits": lambda w: (w.audit.pk, w.audit.title),
}


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from _walk(p.url_patterns, prefix + str(p.pattern), f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(p, URLPattern) and p.pattern.converters:
            yield f"{namespace}{p.name}", prefix + str(p.pattern)


def id_routes():
    return sorted(set(_walk(get_resolver().url_patterns)))


def test_the_walk_finds_the_routes():
    names = [name for name, _ in id_routes()]
    assert "organizations:agency-detail" in names and "organizations:steeringmember-remove" in names


@pytest.fixture
def world(agency_a, unit_a, a_staff, a_head, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {  # uploaded files stay out of var/media
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    return World(agency_a, unit_a, a_staff, a_head)


@pytest.mark.parametrize(("name", "route"), id_routes())
def test_web_route_never_serves_another_agencys_object(name, route, world, client_for, b_staff, b_head,
                                                       q_overseer, a_head, admin_user):
    short = name.split(":")[-1].rsplit("-", 1)[0]
    assert short in WEB_ROUTES, f"{name} ({route}) takes an id: register it in WEB_ROUTES"
    kwargs, secret = WEB_ROUTES[short](world)
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    url = reverse(name, kwargs={k: kwargs[k] for k in params})
    for intruder in (b_staff, b_head, q_overseer):
        client = client_for(intruder)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            allowed = (403, 404, 405)  # 405: the method is refused to everyone (a POST-only action, a GET-only page)
            assert response.status_code in allowed, (intruder.username, method, url, response.status_code)
            assert secret not in response.content.decode(), (intruder.username, method, url)
    # Someone entitled reaches it (GET gives the page, or 405 for POST-only actions).
    owner = admin_user if name.endswith(("-update", "-create")) and short in ("agency", "user") else a_head
    assert client_for(owner).get(url).status_code in (200, 405), (owner.username, url)


def api_id_routes():
    from eiso.api.api import api

    paths = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    for path, methods in paths.items():
        if "{" in path:
            for method in methods:
                yield method.upper(), path


def test_the_api_walk_finds_the_routes():
    assert ("GET", "/api/v1/agencies/{agency_id}") in set(api_id_routes())


@pytest.mark.parametrize(("method", "path"), sorted(set(api_id_routes())))
def test_api_route_never_serves_another_agencys_object(method, path, world, api_for, b_staff, b_head,
                                                       q_overseer, admin_user):
    resource = path.removeprefix("/api/v1/").split("/")[0]
    assert resource in API_ROUTES, f"{method} {path} takes an id: register it in API_ROUTES"
    pk, secret = API_ROUTES[resource](world)
    url = re.sub(r"\{[^}]+\}", str(pk), path)
    for intruder in (b_staff, b_head, q_overseer):
        response = api_for(intruder).generic(method, url, data=b"{}", content_type="application/json")
        assert response.status_code in (403, 404), (intruder.username, method, url, response.status_code)
        assert response["Content-Type"].startswith("application/json")
        assert secret not in response.content.decode()
    if method == "GET":
        assert api_for(admin_user).get(url).status_code == 200


def test_admin_site_is_closed_to_agency_users(world, client_for, b_head):
    response = client_for(b_head).get(f"/admin/organizations/agency/{world.agency.pk}/change/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

"""Agency A's world: one object of each kind a route can address, for the isolation walk and the
scope policy agreement test."""


import datetime

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from eiso.audits import services as audit_services
from eiso.audits.models import ChecklistFile, Clause, ClauseEdition, EditionAdoption
from eiso.core.models import ImportJob
from eiso.documents.services import external as external_services
from eiso.documents.services import records as records_services
from eiso.documents.services import revisions as document_services
from eiso.documents.services.external import external_document_create
from eiso.documents.services.records import filelist_create
from eiso.documents.tests.factories.revisions import pdf_bytes
from eiso.dossiers.models import Dossier, DossierImport
from eiso.dossiers.services.apology import apology_issue
from eiso.dossiers.services.recording import EventRow, dossier_events_record
from eiso.feedback import services as feedback_services
from eiso.feedback.imports import satisfaction_import_rows
from eiso.fives import selectors as fives_selectors
from eiso.fives import services as fives_services
from eiso.improvements import services as improvement_services
from eiso.objectives import services as objective_services
from eiso.organizations import services
from eiso.organizations.choices import Role, SteeringRole
from eiso.organizations.tests.factories import JobDescriptionFactory, SteeringCommitteeFactory, make_user
from eiso.oversight import services as oversight_services
from eiso.people import services as people_services
from eiso.people.models import CourseKind, Onboarding
from eiso.procedures import services as procedure_services
from eiso.reviews import services as review_services
from eiso.rollout import services as rollout_services
from eiso.rollout.announcements import announcement_prepare
from eiso.rollout.transitions import transition_start


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
        self.corrective_action = improvement_services.corrective_action_create(
            actor=None, nonconformity=self.nonconformity, root_cause="Nguyên nhân bí mật của Sở A",
            action_plan="Hành động bí mật của Sở A", owner=a_staff, due_on=datetime.date(2026, 4, 1))
        self.risk = improvement_services.risk_create(actor=None, agency=agency_a, likelihood=3, impact=4,
                                                     description="Rủi ro bí mật của Sở A")
        self.dossier_import = DossierImport.objects.create(
            agency=agency_a, original_name="Tệp một cửa bí mật của Sở A.csv", created_by=a_head, status="failed",
            errors=["Lỗi bí mật của Sở A"])
        self.import_job = ImportJob.objects.create(
            kind="external_documents", agency=agency_a, original_name="Danh mục bí mật của Sở A.csv",
            created_by=a_head, status="failed", errors=["Lỗi bí mật của Sở A"])
        # Internal audits
        self.edition_adoption = EditionAdoption.objects.create(
            agency=agency_a, edition=ClauseEdition.objects.get(code="2015"), adopted_on=datetime.date(2019, 6, 1),
            note="Ghi chú bí mật của Sở A")
        self.exclusion = audit_services.clause_exclusion_create(
            actor=None, agency=agency_a, clause=Clause.objects.get(edition__code="2015", code="8.3"),
            justification="Lý do loại trừ bí mật của Sở A")
        self.programme = audit_services.programme_create(actor=None, agency=agency_a, year=2026,
                                                         title="Chương trình đánh giá bí mật của Sở A")
        self.programme_entry = audit_services.programme_entry_add(
            actor=None, programme=self.programme, planned_month=5, process="Quá trình bí mật của Sở A")
        self.auditor = auditor = make_user(agency_a, [Role.AUDITOR], full_name="Chuyên gia đánh giá của Sở A")
        self.audit = audit_services.audit_create(
            actor=None, programme=self.programme, title="Cuộc đánh giá bí mật của Sở A",
            start_date=datetime.date(2026, 5, 4), end_date=datetime.date(2026, 5, 5), lead_auditor=auditor,
            units=[unit_a], clauses=[Clause.objects.get(edition__code="2015", code="7.5")])
        audit_services.checklist_generate(actor=None, audit=self.audit)
        self.checklist_item = self.audit.checklist.first()
        self.checklist_file = ChecklistFile(item=self.checklist_item, original_name="Ảnh bí mật của Sở A.png",
                                            file_type="png", size=16, sha256="0" * 64)
        self.checklist_file.file.save("a.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\0" * 8), save=False)
        self.checklist_file.save()
        self.fieldwork = fieldwork = audit_services.audit_create(
            actor=None, programme=self.programme, title="Cuộc đánh giá thứ hai của Sở A",
            start_date=datetime.date(2026, 5, 6), end_date=datetime.date(2026, 5, 6), lead_auditor=auditor,
            units=[unit_a], clauses=[Clause.objects.get(edition__code="2015", code="7.5")])
        audit_services.audit_transition(actor=None, audit=fieldwork, action="start")
        self.finding = audit_services.finding_create(
            actor=None, audit=fieldwork, kind="minor_nc",
            clause=Clause.objects.get(edition__code="2015", code="7.5"), unit=unit_a,
            description="Phát hiện bí mật của Sở A")
        # Citizen satisfaction and complaints
        satisfaction_import_rows(actor=None, agency=agency_a, rows=[
            {"dossier_code": "STP-SECRET-0001", "indicator": 7, "score": 1}])
        feedback_services.benchmark_set(actor=None, agency=agency_a, year=2026, sipas=82)
        feedback_services.feedback_settings_update(actor=None, agency=agency_a, complaint_due_days=10)
        self.complaint = feedback_services.complaint_create(
            actor=None, agency=agency_a, received_on=datetime.date(2026, 3, 3), person="Người phản ánh của Sở A",
            content="Phản ánh bí mật của Sở A", dossier=self.dossier, unit=unit_a)
        # Quality objectives
        self.objective = objective_services.objective_create(
            actor=None, agency=agency_a, year=2026, title="Mục tiêu bí mật của Sở A", indicator="manual",
            target=100, frequency="year")
        self.measurement = objective_services.measurement_record(actor=None, objective=self.objective,
                                                                 period_start=datetime.date(2026, 1, 1), value=90,
                                                                 evidence="Hồ sơ A", evidence_file=SimpleUploadedFile(
                                                                     "Bằng chứng bí mật của Sở A.pdf", pdf_bytes()))
        # The rollout plan
        self.rollout = rollout_services.rollout_create(
            actor=None, agency=agency_a, title="Kế hoạch xây dựng HTQLCL bí mật của Sở A",
            started_on=datetime.date(2026, 1, 5), target_on=datetime.date(2026, 12, 31))
        self.phase = self.rollout.phases.first()
        self.registry_item = rollout_services.registry_item_add(
            actor=None, rollout=self.rollout, title="Quy trình bí mật của danh mục Sở A", drafting_unit=unit_a,
            deadline=datetime.date(2026, 6, 30))
        self.gap_survey = rollout_services.gap_survey_create(
            actor=None, rollout=self.rollout, title="Khảo sát bí mật của Sở A", surveyed_on=datetime.date(2026, 1, 20))
        self.gap_assessment = self.gap_survey.assessments.first()
        # 5S: a programme, an area, the agency's own checklist item, an inspection with a failed item
        # and its photo, a reward
        self.fives_programme = fives_services.programme_create(actor=None, agency=agency_a, year=2026,
                                                               title="Chương trình 5S bí mật của Sở A")
        self.fives_area = fives_services.area_create(actor=None, agency=agency_a, unit=unit_a,
                                                     name="Kho bí mật của Sở A")
        self.fives_item = fives_services.item_update(
            actor=None, agency=agency_a, item=fives_selectors.checklist_of(agency_a.pk)[0],
            text="Hạng mục 5S bí mật của Sở A")
        inspection = fives_services.inspection_plan(actor=None, agency=agency_a, area=self.fives_area,
                                                    planned_on=datetime.date(2026, 3, 12), inspector=a_staff)
        self.fives_inspection = fives_services.inspection_record(
            actor=None, inspection=inspection, done_on=datetime.date(2026, 3, 12),
            answers=[{"item": item.pk, "passed": i > 0} for i, item in
                     enumerate(fives_selectors.checklist_of(agency_a.pk))],
            photos={self.fives_item.pk: SimpleUploadedFile("Ảnh 5S bí mật của Sở A.png",
                                                           b"\x89PNG\r\n\x1a\n" + b"\0" * 64)})
        self.fives_answer = self.fives_inspection.answers.get(item=self.fives_item)
        self.fives_planned = fives_services.inspection_plan(actor=None, agency=agency_a, area=self.fives_area,
                                                            planned_on=datetime.date(2026, 6, 12), inspector=a_staff)
        self.fives_reward = fives_services.reward_create(actor=None, agency=agency_a, unit=unit_a, year=2026, quarter=1,
                                                         title="Khen thưởng 5S bí mật của Sở A",
                                                         given_on=datetime.date(2026, 4, 2))
        # Provincial oversight: a plan (of agency A itself, so that A's head reads it) and A's inspection
        self.plan = oversight_services.plan_create(actor=None, agency=agency_a, year=2026, number="KH bí mật của Sở A",
                                                   items=[{"agency": agency_a, "month": 5, "on_site": True}])
        oversight_services.plan_approve(actor=None, plan=self.plan, number="KH bí mật của Sở A",
                                        signed_on=datetime.date(2026, 1, 5))
        self.inspection = self.plan.inspections.get()
        oversight_services.inspection_decide(actor=None, inspection=self.inspection, decision_number="QĐ-KT-A",
                                             decision_on=datetime.date(2026, 5, 4),
                                             team=[{"name": "Trưởng đoàn A", "role": "leader"}])
        oversight_services.inspection_checklist_save(
            actor=None, inspection=self.inspection, inspected_on=datetime.date(2026, 5, 12),
            conclusion="Kết luận kiểm tra bí mật của Sở A",
            results={"scope": {"result": "not_met", "note": "Thiếu quy trình bí mật của Sở A"}})
        self.inspection.refresh_from_db()
        # Management review (started: its inputs are frozen) and one output
        self.review = review_services.review_create(
            actor=None, agency=agency_a, meeting_on=datetime.date(2026, 3, 20), location="Phòng họp bí mật của Sở A",
            participants="Người dự họp bí mật của Sở A")
        review_services.review_start(actor=a_head, review=self.review)
        self.review_output = review_services.output_create(
            actor=None, review=self.review, kind="improvement", description="Quyết định bí mật của Sở A",
            due_on=datetime.date(2026, 6, 30), owner=a_staff)
        # Training and competence
        auditor_kind = CourseKind.objects.get(code="internal_auditor")
        self.course = people_services.course_create(
            actor=None, agency=agency_a, kind=auditor_kind, title="Khóa đào tạo bí mật của Sở A",
            provider="Trung tâm bí mật", start_date=datetime.date(2026, 3, 2), end_date=datetime.date(2026, 3, 3),
            hours=16, validity_months=36)
        self.session = people_services.session_create(actor=None, course=self.course, date=datetime.date(2026, 3, 2),
                                                      place="Phòng học bí mật của Sở A")
        people_services.attendance_invite(actor=None, session=self.session, people=[a_staff])
        self.training_result = people_services.result_record(
            actor=None, course=self.course, person=a_staff, issued_on=datetime.date(2026, 3, 3),
            certificate_number="CC-BI-MAT-A", uploaded=SimpleUploadedFile("Chứng chỉ bí mật của Sở A.pdf", pdf_bytes()))
        self.requirement = people_services.requirement_add(actor=None, agency=agency_a, kind=auditor_kind,
                                                           job_description=self.job, note="Yêu cầu bí mật của Sở A")
        self.holder = people_services.holder_set(actor=None, job_description=self.job, person=a_staff)
        self.gap_action = people_services.gap_action_create(
            actor=None, person=a_staff, kind=auditor_kind, action="Kế hoạch đào tạo bí mật của Sở A",
            due_on=datetime.date(2026, 6, 30))
        self.onboarding = Onboarding.objects.create(agency=agency_a, unit=unit_a, user=a_staff)
        self.onboarding.revisions.set([self.revision])
        people_services.settings_update(actor=None, agency=agency_a, auditor_training_required=False)
        # The conformity announcement and the move to another ISO 9001 edition
        self.announcement = announcement_prepare(actor=None, agency=agency_a,
                                                 processes=["Quy trình nội bộ bí mật của Sở A"])
        self.transition = transition_start(actor=None, agency=agency_a,
                                           to_edition=ClauseEdition.objects.get(code="2026"),
                                           started_on=datetime.date(2026, 11, 2), deadline=datetime.date(2027, 10, 29))
        self.transition_task = self.transition.tasks.order_by("id").first()
        self.transition_task.title = "Việc chuyển đổi bí mật của Sở A"
        self.transition_task.save(update_fields=["title"])

"""``eiso demo`` with the documents loader: every staffed agency gets a realistic document system,
through the services, once."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from eiso.core.models import AuditEvent
from eiso.demo.loaders.document_plans import LEGAL, PLANS, REPLACEMENTS
from eiso.demo.loaders.forms import form_docx
from eiso.documents.choices import ReviewTaskStatus, RevisionStatus
from eiso.documents.models import (
    Comment,
    DistributionEntry,
    Document,
    ExternalDocument,
    FileList,
    RecordFile,
    ReviewTask,
    RevisionFile,
)
from eiso.documents.periods import is_past_retention

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def run_demo() -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("demo", "--no-serve", "--json", stdout=out, stderr=err)
    json.loads(out.getvalue())
    return err.getvalue()


def counts() -> dict[str, int]:
    models = [*apps.get_app_config("documents").get_models(include_auto_created=True), AuditEvent]
    return {model._meta.label: model.objects.count() for model in models}


def test_every_staffed_agency_gets_a_document_system_once():
    err = run_demo()
    assert "Documented information of" in err
    today = timezone.localdate()
    loaded = set(Document.objects.filter(code="CSCL").values_list("agency__code", flat=True))
    with_drafts = {"SKHCN", "STP", "SXD", "STC", "SNV", "P-TRUONGVINH", "P-THANHVINH", "X-KIMLIEN"}
    # Every active demo agency, including those where the system drafts (no secretary or head there).
    assert with_drafts | {"UBNDT", "TTPVHCC"} <= loaded
    for code in loaded:
        documents = Document.objects.filter(agency__code=code)
        assert {"CSCL", "MTCL", "QT-01", "QT-06", "QT-07", "BM-01-QT01"} <= set(
            documents.values_list("code", flat=True)
        )
        for document in documents:  # one effective revision at most, and the register has its issue
            assert document.revisions.filter(status=RevisionStatus.EFFECTIVE).count() <= 1
        assert documents.filter(revisions__status=RevisionStatus.IN_REVIEW).exists()
        if code in with_drafts:
            assert documents.filter(revisions__status=RevisionStatus.DRAFT).exists()
        assert ExternalDocument.objects.filter(agency__code=code).count() >= 12
        assert FileList.objects.filter(agency__code=code, year=today.year).exists()
        procedure = documents.get(code="QT-07")
        assert procedure.legal_basis.exists() and procedure.record_types.exists()
        assert procedure.revisions.get(status=RevisionStatus.EFFECTIVE).sections["content"].startswith("5.1")

    # issue 1 superseded by issue 2, with who drafted, reviewed and approved
    stp = Document.objects.get(agency__code="STP", code="QT-07")
    first, second = stp.revisions.order_by("issue_number")
    assert (first.status, second.status) == (RevisionStatus.SUPERSEDED, RevisionStatus.EFFECTIVE)
    assert second.drafted_by.username == "stp.hctp" and second.reviewed_by.username == "stp.thuky"
    assert second.approved_by.username == "stp.giamdoc"
    assert set(stp.legal_basis.values_list("number", flat=True)) >= {"118/2025/NĐ-CP", "28/2009/QH12"}
    assert "61/2018/NĐ-CP" not in set(stp.legal_basis.values_list("number", flat=True))

    # NĐ 61/2018 replaced by NĐ 118/2025 from 1 July 2025: review tasks, some done, some overdue
    old = ExternalDocument.objects.get(agency__code="STP", number="61/2018/NĐ-CP")
    assert old.status == "expired" and old.replaced_by.number == "118/2025/NĐ-CP"
    tasks = ReviewTask.objects.filter(agency__code="STP")
    assert tasks.filter(status=ReviewTaskStatus.DONE, document=stp).exists()
    assert tasks.filter(status=ReviewTaskStatus.OPEN, due_on__lt=today).exists()

    # forms are real Word files; comments, acknowledgements, records past retention
    attached = RevisionFile.objects.filter(
        revision__document__code="BM-01-QT07", revision__document__agency__code="STP"
    ).first()
    assert attached.file_type == "docx" and "TỜ KHAI YÊU CẦU CẤP PHIẾU LÝ LỊCH TƯ PHÁP" in attached.text
    assert Comment.objects.filter(revision__document__agency__code="STP").exists()
    assert DistributionEntry.objects.filter(acknowledged_at__isnull=False).exists()
    assert DistributionEntry.objects.filter(acknowledged_at__isnull=True).exists()
    old_files = RecordFile.objects.filter(file_list__agency__code="STP", file_list__year=2019)
    assert any(is_past_retention(f.closed_on, f.retention_years, today) and not f.disposed_on for f in old_files)
    assert old_files.filter(disposed_on__isnull=False).exists()

    before = counts()
    assert "nothing to create" in run_demo()
    assert counts() == before


def test_the_legal_catalogue_is_consistent():
    for old, new in REPLACEMENTS:
        assert LEGAL[new].effective_on and LEGAL[old].effective_on < LEGAL[new].effective_on, (old, new)
    for plan in PLANS.values():
        for proc in plan.procedures:
            assert all(number in LEGAL for number in proc.legal), proc.code
    for doc in LEGAL.values():
        assert doc.issued_on is None or doc.effective_on is None or doc.issued_on <= doc.effective_on, doc.number


def test_forms_are_word_documents():
    data = form_docx("Sở Tư pháp tỉnh Nghệ An", "BM-01-QT07", "Tờ khai", ("Họ và tên", "Ngày sinh"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "BM-01-QT07" in xml and "Họ và tên" in xml and "Times New Roman" in archive_styles(data)


def archive_styles(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/styles.xml").decode()

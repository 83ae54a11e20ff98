"""Import jobs over the API: upload, follow, and the refusal's rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eiso.documents.models import ExternalDocument
from eiso.procedures.models import AdminProcedure

pytestmark = pytest.mark.django_db
REGISTER = ("number,type,title,issuer,effective_on\n"
            "61/2018/NĐ-CP,Nghị định,Về cơ chế một cửa,Chính phủ,21/06/2018\n"
            "118/2025/NĐ-CP,Nghị định,Về thủ tục hành chính,Chính phủ,01/07/2025\n")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


def post(api, capture, kind, agency, name, text):
    with capture(execute=True):  # queued on commit; the tests' backend runs it at once
        return api.post("/api/v1/import-jobs", {"kind": kind, "agency": agency,
                                                "file": SimpleUploadedFile(name, text.encode())})


def test_upload_then_follow_an_external_register_import(api_for, a_secretary, agency_a,
                                                        django_capture_on_commit_callbacks):
    api = api_for(a_secretary)
    response = post(api, django_capture_on_commit_callbacks, "external_documents", agency_a.code, "dm.csv", REGISTER)
    assert response.status_code == 202, response.content
    job = api.get(f"/api/v1/import-jobs/{response.json()['id']}").json()
    assert (job["status"], job["result"], job["waiting_for_worker"]) == (
        "done", {"created": 2, "updated": 0, "unchanged": 0}, False)
    assert ExternalDocument.objects.filter(agency=agency_a).count() == 2


def test_a_refused_procedures_file_names_its_rows(api_for, a_secretary, agency_a, unit_a,
                                                  django_capture_on_commit_callbacks):
    bad = "procedure_code,procedure_name,time_limit_days,step_name,unit_code,allowance_hours\n" \
          "1.1,Thủ tục A,3,Tiếp nhận,NOPE,4\n1.2,Thủ tục B,x,Tiếp nhận,HCTP,4\n"
    api = api_for(a_secretary)
    response = post(api, django_capture_on_commit_callbacks, "admin_procedures", agency_a.code, "tthc.csv", bad)
    job = api.get(f"/api/v1/import-jobs/{response.json()['id']}").json()
    assert job["status"] == "failed"
    rows = [e.split(",")[0] for e in job["errors"][1:]]  # "Dòng 2, cột unit_code: …" (the worker speaks Vietnamese)
    assert rows == ["Dòng 2", "Dòng 3"], job["errors"]
    assert not AdminProcedure.objects.exists()


def test_another_agency_cannot_import_or_follow(api_for, a_secretary, b_head, agency_a,
                                                django_capture_on_commit_callbacks):
    response = post(api_for(b_head), django_capture_on_commit_callbacks, "external_documents", agency_a.code,
                    "dm.csv", REGISTER)
    assert response.status_code == 403
    response = post(api_for(a_secretary), django_capture_on_commit_callbacks, "external_documents", agency_a.code,
                    "dm.csv", REGISTER)
    assert api_for(b_head).get(f"/api/v1/import-jobs/{response.json()['id']}").status_code == 404

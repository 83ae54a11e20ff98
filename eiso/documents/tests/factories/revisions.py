"""Shared data for the tests of the document register and revision pages (test_revisions_*.py):
real .docx/.xlsx/.pdf bytes, a temporary MEDIA_ROOT, and documents at each stage of the workflow."""

import datetime
import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from eiso.documents.choices import DocumentKind
from eiso.documents.services import revisions as svc


def docx_bytes(text="Quy trình đăng ký khai sinh cho trẻ em") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(text="Mã hồ sơ") -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = text
    workbook.active["B2"] = "=1+1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_bytes(text="Quy trinh cap phep", pages=2) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for n in range(pages):
        pdf.drawString(72, 720, f"{text} - trang {n + 1}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def upload(name="QT-05.docx", data=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, docx_bytes() if data is None else data)


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a temporary MEDIA_ROOT, which the tests inspect."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}}}
    return root


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def procedure(a_secretary, agency_a, unit_a):
    return svc.document_create(actor=a_secretary, agency=agency_a, code="QT-05",
                               title="Quy trình đăng ký khai sinh", kind=DocumentKind.OPERATIONAL_PROCEDURE,
                               owner_unit=unit_a)


def publish(document, drafter, reviewer, approver, text="Nội dung quy trình", summary="Ban hành lần đầu",
            today=None):
    """A revision taken through the whole workflow, effective ``today``."""
    revision = svc.revision_create(actor=drafter, document=document, change_summary=summary, content=text)
    svc.revision_submit(actor=drafter, revision=revision)
    svc.revision_approve(actor=reviewer, revision=revision)
    svc.revision_approve(actor=approver, revision=revision, today=today or timezone.localdate())
    revision.refresh_from_db()
    return revision


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)

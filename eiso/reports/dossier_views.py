"""Downloads of a dossier's printed forms (process control slip, apology letter) and of the
dossier list as Excel.

Dossiers are reached through ``dossier_get_for_user`` (another agency's id is a 404); the plain
data is built here and handed to the pure generators of ``eiso.reports.dossier_forms``.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from eiso.core.downloads import attachment_response as _attachment
from eiso.core.downloads import content_disposition, filename_for
from eiso.core.errors import NotFound
from eiso.dossiers.choices import DossierStatus
from eiso.dossiers.forms import DossierFilterForm
from eiso.dossiers.selectors import apology_of, dossier_get_for_user, steps_with_units
from eiso.dossiers.selectors.lists import TABS, dossier_list_for_user
from eiso.reports import dossier_forms as forms
from eiso.reports import pdf, word
from eiso.reports.data import _agency_head, agency_heading
from eiso.reports.views import scoped_get

APPLICANT_DESK = "Tổ chức, cá nhân (trả kết quả)"


def _local(value):
    return timezone.localtime(value) if value is not None else None


def _naive(value):
    return timezone.localtime(value).replace(tzinfo=None) if value is not None else None


def collect_slip(dossier) -> forms.ControlSlip:
    """The slip of ``dossier``: one row per hand-over, the giver's unit to the next step's (the
    last step hands the result to the applicant)."""
    steps, units = steps_with_units(dossier)
    rows = []
    for i, step in enumerate(steps):
        following = steps[i + 1] if i + 1 < len(steps) else None
        rows.append(forms.SlipRow(
            number=i + 1,
            giver=units.get(step.unit_id, ""),
            receiver=units.get(following.unit_id, "") if following else APPLICANT_DESK,
            step_name=step.name,
            handed_at=_local(step.finished_at),
            due_at=_local(step.due_at),
            result=step.result,
        ))
    apology = apology_of(dossier)
    return forms.ControlSlip(
        agency=agency_heading(dossier.agency), code=dossier.code, applicant=dossier.applicant,
        procedure=f"{dossier.admin_procedure.name} (mã {dossier.admin_procedure.code})",
        received_at=_local(dossier.received_at), due_at=_local(dossier.due_at), rows=tuple(rows),
        new_due_at=_local(apology.new_due_at) if apology else None)


def collect_apology(user, dossier) -> forms.ApologyLetter:
    apology = apology_of(dossier)
    if apology is None:
        raise NotFound()
    signer = _agency_head(user, dossier.agency)
    return forms.ApologyLetter(
        agency=agency_heading(dossier.agency), code=dossier.code, applicant=dossier.applicant,
        procedure=f"{dossier.admin_procedure.name} (mã {dossier.admin_procedure.code})",
        received_at=_local(dossier.received_at), due_at=_local(dossier.due_at), reason=apology.reason,
        new_due_at=_local(apology.new_due_at), issued_on=_local(apology.issued_at).date(), signer=signer)


@scoped_get(dossier_get_for_user)
def dossier_slip_docx(request, dossier):
    return _attachment(forms.control_slip_docx(collect_slip(dossier)), word.DOCX_CONTENT_TYPE,
                       filename_for("Phiếu kiểm soát", dossier.code, extension="docx"))


@scoped_get(dossier_get_for_user)
def dossier_slip_pdf(request, dossier):
    return _attachment(forms.control_slip_pdf(collect_slip(dossier)), pdf.PDF_CONTENT_TYPE,
                       filename_for("Phiếu kiểm soát", dossier.code, extension="pdf"))


@scoped_get(dossier_get_for_user)
def dossier_apology_docx(request, dossier):
    return _attachment(forms.apology_docx(collect_apology(request.user, dossier)), word.DOCX_CONTENT_TYPE,
                       filename_for("Phiếu xin lỗi", dossier.code, extension="docx"))


@scoped_get(dossier_get_for_user)
def dossier_apology_pdf(request, dossier):
    return _attachment(forms.apology_pdf(collect_apology(request.user, dossier)), pdf.PDF_CONTENT_TYPE,
                       filename_for("Phiếu xin lỗi", dossier.code, extension="pdf"))


STATUS_TEXT = {
    "new": "Mới", "accepted": "Đã tiếp nhận", "not_accepted": "Không tiếp nhận", "in_progress": "Đang giải quyết",
    "supplement_requested": "Yêu cầu bổ sung", "payment_requested": "Chờ thanh toán", "withdrawn": "Rút hồ sơ",
    "stopped": "Dừng xử lý", "processed": "Đã xử lý, chờ trả", "returned": "Đã trả kết quả",
}
assert set(STATUS_TEXT) == set(DossierStatus.values)  # noqa: S101 (a new status must get its printed name)


@login_required
@require_safe
def dossier_list_xlsx(request):
    """The list as filtered on the page (same filters and tab), streamed from the database."""
    filters = DossierFilterForm(request.GET or None, user=request.user)
    tab = request.GET.get("tab", "all")
    tab = tab if tab in TABS else "all"
    now = timezone.now()
    dossiers = dossier_list_for_user(request.user, now=now, tab=tab, **filters.selector_kwargs()).values_list(
        "code", "agency__name", "admin_procedure__code", "admin_procedure__name", "applicant", "received_at",
        "due_at", "finished_at", "status", "result", "current_step", "current_unit__name")
    rows = (
        (code, agency, pcode, pname, applicant, _naive(received), _naive(due), _naive(finished),
         STATUS_TEXT.get(status, status), forms.RESULTS.get(result, ""), step or "", unit or "")
        for code, agency, pcode, pname, applicant, received, due, finished, status, result, step, unit
        in dossiers.iterator(chunk_size=2000)
    )
    spool = forms.dossier_list_xlsx(rows, title="Danh sách hồ sơ")
    response = FileResponse(spool, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition(
        filename_for("Danh sách hồ sơ", timezone.localdate(now).strftime("%d-%m-%Y"), extension="xlsx"))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

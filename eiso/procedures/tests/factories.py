"""A TTHC with a 3-step process (3 working days = 24 h: 4 h + 16 h + 4 h), for tests of any app."""

from decimal import Decimal

from eiso.documents.services.revisions import document_create
from eiso.procedures.services import admin_procedure_create, process_definition_set


def procedure_with_process(agency, *, one_stop=None, unit=None, code="1.004227",
                           name="Đăng ký khai sinh có yếu tố nước ngoài", days=3, document_code="QT-HT-01"):
    document = document_create(actor=None, agency=agency, code=document_code, kind="operational_procedure",
                               title=f"Quy trình giải quyết TTHC {name}", owner_unit=unit)
    procedure = admin_procedure_create(actor=None, agency=agency, code=code, name=name, field="Hộ tịch",
                                       time_limit_days=Decimal(days), process_document=document)
    definition, _created = process_definition_set(actor=None, document=document, steps=[
        {"name": "Tiếp nhận, kiểm tra hồ sơ", "unit": one_stop, "hours": 4, "form": "BM-01"},
        {"name": "Thẩm định, trình ký", "unit": unit, "hours": 16, "form": "BM-02"},
        {"name": "Trả kết quả", "unit": one_stop, "hours": 4, "form": "BM-03"},
    ])
    return procedure, definition

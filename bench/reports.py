"""Word/PDF output bench (`make bench`, or `python bench/reports.py` alone).

Times the pure layouts of eiso.reports on plain data (no database, no HTTP): the Word output of
one procedure, of the internal document register of 500 documents, and the PDF of the procedure.
Targets (issue 3): procedure .docx median under 300 ms, register of 500 documents under 2 s.
Figures are printed, never enforced.
"""

import datetime
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eiso.reports.content import (  # noqa: E402
    AgencyHeading,
    DocumentRegister,
    FormRef,
    ProcedureData,
    RecordRef,
    Reference,
    RegisterRow,
    Signer,
    Step,
)
from eiso.reports.layouts.procedure_docx import procedure_docx  # noqa: E402
from eiso.reports.layouts.procedure_pdf import procedure_pdf  # noqa: E402
from eiso.reports.layouts.registers import document_register_docx  # noqa: E402
from eiso.reports.layouts.spreadsheets import document_register_xlsx  # noqa: E402

D = datetime.date
AGENCY = AgencyHeading("Sở Tư pháp tỉnh Nghệ An", "UBND tỉnh Nghệ An", "Nghệ An")
KINDS = ("Quy trình hệ thống", "Quy trình nội bộ", "Biểu mẫu", "Hướng dẫn", "Bản mô tả công việc")
UNITS = ("Văn phòng Sở", "Phòng Hành chính tư pháp", "Phòng Bổ trợ tư pháp", "Bộ phận Một cửa")


def procedure() -> ProcedureData:
    """A procedure of the usual size: two to three pages, 8 steps, forms and records."""
    content = "\n".join([
        "5.1 Cơ sở pháp lý", "- Luật Lý lịch tư pháp số 28/2009/QH12;",
        "- Nghị định số 118/2025/NĐ-CP về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông.",
        "5.2 Thành phần hồ sơ",
        *(f"- Thành phần hồ sơ thứ {i}: bản chụp giấy tờ tùy thân, tờ khai theo mẫu, văn bản ủy quyền;"
          for i in range(1, 7)),
        "5.3 Thời hạn giải quyết", "Không quá 10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.",
        "5.4 Phí, lệ phí", "200.000 đồng/Phiếu.",
    ])
    return ProcedureData(
        agency=AGENCY, code="QT-07", title="Quy trình cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        issue_number=2, effective_date=D(2025, 9, 15),
        purpose="Quy định trình tự, thời hạn và trách nhiệm giải quyết thủ tục cấp Phiếu lý lịch tư pháp.",
        scope="Áp dụng đối với Bộ phận Một cửa, Phòng Hành chính tư pháp và Lãnh đạo Sở Tư pháp.",
        definitions="- TTHC: Thủ tục hành chính.\n- BPMC: Bộ phận Một cửa.\n- LLTP: Lý lịch tư pháp.",
        content=content,
        references=tuple(Reference(f"{n}/2025/NĐ-CP", "Về thực hiện thủ tục hành chính theo cơ chế một cửa, một "
                                   "cửa liên thông", "Nghị định") for n in range(110, 116)),
        steps=tuple(Step(f"B{i}", "Tiếp nhận, kiểm tra, thẩm định hồ sơ và chuyển bước tiếp theo", "Chuyên viên "
                         "Phòng Hành chính tư pháp", "01 ngày", f"BM-0{i % 3 + 1}-QT07") for i in range(1, 9)),
        forms=tuple(FormRef(f"BM-0{i}-QT07", "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp") for i in range(1, 4)),
        records=tuple(RecordRef(f"HS-QT07-0{i}", "Hồ sơ cấp Phiếu lý lịch tư pháp", "Phòng Hành chính tư pháp",
                                "10 năm") for i in range(1, 4)),
        drafted_by=Signer("Đặng Quốc Bảo", "Trưởng phòng"), reviewed_by=Signer("Lê Thị Thanh Hương", "Chuyên viên"),
        approved_by=Signer("Nguyễn Văn Hùng", "Giám đốc Sở"),
        change_summary="Cập nhật theo Nghị định số 118/2025/NĐ-CP.",
    )


def register(n: int = 500) -> DocumentRegister:
    rows = tuple(RegisterRow(code=f"QT-{i:03d}" if i % 3 else f"BM-{i % 9 + 1:02d}-QT{i // 3:03d}",
                             title=f"Quy trình giải quyết thủ tục hành chính về hộ tịch, chứng thực, lý lịch tư "
                                   f"pháp số {i}", kind=KINDS[i % len(KINDS)], unit=UNITS[i % len(UNITS)],
                             issue_number=1 + i % 4, effective_date=D(2023 + i % 3, 1 + i % 12, 1 + i % 28))
                 for i in range(1, n + 1))
    return DocumentRegister(agency=AGENCY, rows=rows, on=D(2026, 3, 5), signer=Signer("Nguyễn Văn Hùng"))


def measure(function, data, rounds: int, warmup: int) -> tuple[list[float], int]:
    for _ in range(warmup):
        function(data)
    times, size = [], 0
    for _ in range(rounds):
        started = time.perf_counter()
        size = len(function(data))
        times.append((time.perf_counter() - started) * 1000)
    return times, size


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    rounds = int(os.environ.get("BENCH_REPORT_ROUNDS", "20"))
    print("\n=== eISO Word/PDF output (pure layouts, plain data, one process) ===", flush=True)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}, Python "
          f"{platform.python_version()}; {rounds} timed rounds after warm-up\n")
    cases = [
        ("procedure .docx (1 procedure, 3 pages)", procedure_docx, procedure(), 300.0),
        ("register .docx (500 documents)", document_register_docx, register(500), 2000.0),
        ("procedure .pdf (1 procedure)", procedure_pdf, procedure(), None),
        ("register .xlsx (500 documents)", document_register_xlsx, register(500), None),
    ]
    header = f"{'output':<42}{'median ms':>10}{'p95 ms':>9}{'min ms':>9}{'size KB':>9}  target"
    print(header)
    print("-" * (len(header) + 14))
    for label, function, data, target in cases:
        many = "register" in label
        times, size = measure(function, data, max(5, rounds // 2) if many else rounds, 1 if many else 3)
        median = statistics.median(times)
        verdict = "-" if target is None else (
            f"under {target:g} ms: {'met' if median < target else 'NOT met'}" if target < 1000 else
            f"under {target / 1000:g} s: {'met' if median < target else 'NOT met'}")
        print(f"{label:<42}{median:>10.1f}{p95(times):>9.1f}{min(times):>9.1f}{size / 1024:>9.1f}  {verdict}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

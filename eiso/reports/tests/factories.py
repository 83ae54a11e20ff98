"""Plain data for the layout tests: no database."""

import datetime

from eiso.reports.content import (
    MARK_OBSOLETE,
    AgencyHeading,
    DisposalList,
    DisposalRow,
    DocumentRegister,
    ExternalRegister,
    ExternalRow,
    FileListData,
    FileRow,
    FormRef,
    HistoryRow,
    ProcedureData,
    RecordRef,
    Reference,
    RegisterRow,
    RevisionHistory,
    Signer,
    Step,
)

D = datetime.date
AGENCY = AgencyHeading(name="Sở Tư pháp tỉnh Nghệ An", parent_name="UBND tỉnh Nghệ An", place="Nghệ An")

CONTENT = """5.1 Cơ sở pháp lý
- Luật Hộ tịch số 60/2014/QH13;
- Nghị định số 123/2015/NĐ-CP quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch.
5.2 Thành phần hồ sơ
- Tờ khai đăng ký khai sinh theo mẫu (BM-01-QT05);
- Giấy chứng sinh hoặc văn bản của người làm chứng xác nhận về việc sinh.
5.3 Thời hạn giải quyết
Ngay trong ngày tiếp nhận hồ sơ; trường hợp nhận hồ sơ sau 15 giờ mà không giải quyết được ngay thì trả \
kết quả trong ngày làm việc tiếp theo.
5.4 Lệ phí
Miễn lệ phí đối với đăng ký khai sinh đúng hạn."""


def procedure(**overrides) -> ProcedureData:
    values = {
        "agency": AGENCY,
        "code": "QT-05/HCTP",
        "title": "Quy trình giải quyết Thủ tục đăng ký khai sinh",
        "issue_number": 2,
        "effective_date": D(2025, 7, 1),
        "purpose": "Quy định trình tự, thủ tục và trách nhiệm giải quyết Thủ tục đăng ký khai sinh, bảo đảm "
        "đúng thời hạn, công khai, minh bạch.",
        "scope": "Áp dụng đối với Bộ phận Một cửa và Phòng Hành chính tư pháp thuộc Sở Tư pháp.",
        "definitions": "- TTHC: Thủ tục hành chính.\n- BPMC: Bộ phận Một cửa.",
        "content": CONTENT,
        "references": (
            Reference("60/2014/QH13", "Luật Hộ tịch", "Luật"),
            Reference(
                "118/2025/NĐ-CP",
                "Về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên "
                "thông tại Bộ phận Một cửa và Cổng Dịch vụ công quốc gia",
                "Nghị định",
            ),
            Reference(
                "61/2018/NĐ-CP",
                "Về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
                "Nghị định",
                status="hết hiệu lực",
            ),
        ),
        "steps": (
            Step(
                "B1",
                "Tiếp nhận, kiểm tra hồ sơ, lập Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
                "Công chức BPMC",
                "02 giờ",
                "BM-01-QT05",
            ),
            Step(
                "B2",
                "Thẩm định hồ sơ, trình ký",
                "Chuyên viên Phòng HCTP",
                "04 giờ",
                "Dự thảo Giấy khai sinh",
            ),
            Step("B3", "Ký duyệt", "Lãnh đạo Sở", "01 giờ", "Giấy khai sinh"),
            Step("B4", "Trả kết quả, lưu hồ sơ", "Công chức BPMC", "01 giờ", "Sổ theo dõi hồ sơ"),
        ),
        "forms": (
            FormRef("BM-01-QT05", "Tờ khai đăng ký khai sinh"),
            FormRef("BM-02-QT05", "Sổ theo dõi hồ sơ"),
        ),
        "records": (
            RecordRef("HS-QT05-01", "Hồ sơ đăng ký khai sinh", "Phòng Hành chính tư pháp", "Vĩnh viễn"),
            RecordRef("HS-QT05-02", "Sổ theo dõi hồ sơ", "Bộ phận Một cửa", "05 năm"),
        ),
        "drafted_by": Signer("Phan Thị Mai", "Chuyên viên"),
        "reviewed_by": Signer("Đặng Quốc Bảo", "Trưởng phòng Hành chính tư pháp"),
        "approved_by": Signer("Nguyễn Văn Hùng", "Giám đốc Sở"),
        "change_summary": "Cập nhật theo Nghị định 118/2025/NĐ-CP thay thế Nghị định 61/2018/NĐ-CP.",
    }
    values.update(overrides)
    return ProcedureData(**values)


def obsolete_procedure() -> ProcedureData:
    return procedure(
        issue_number=1,
        effective_date=D(2023, 3, 1),
        mark=MARK_OBSOLETE,
        mark_note="Đã được thay thế bởi lần ban hành 02 (hiệu lực 01/07/2025)",
    )


KINDS = ("Quy trình nội bộ", "Biểu mẫu", "Quy trình hệ thống", "Hướng dẫn")


def register(n: int = 25) -> DocumentRegister:
    rows = tuple(
        RegisterRow(
            code=f"QT-{i:02d}" if i % 3 else f"BM-{i:02d}-QT{i // 3:02d}",
            title=f"Quy trình giải quyết thủ tục đăng ký khai sinh, kết hôn, chứng thực bản sao số {i}",
            kind=KINDS[i % 4],
            unit="Phòng Hành chính tư pháp",
            issue_number=1 + i % 3,
            effective_date=D(2025, 1 + i % 12, 1 + i % 28),
        )
        for i in range(1, n + 1)
    )
    return DocumentRegister(
        agency=AGENCY, rows=rows, on=D(2026, 3, 5), signer=Signer("Nguyễn Văn Hùng", "Giám đốc")
    )


def history() -> RevisionHistory:
    return RevisionHistory(
        agency=AGENCY,
        code="QT-05/HCTP",
        title="Quy trình đăng ký khai sinh",
        on=D(2026, 3, 5),
        rows=(
            HistoryRow(
                2,
                D(2025, 7, 1),
                "Cập nhật theo Nghị định 118/2025/NĐ-CP",
                "Phan Thị Mai",
                "Đặng Quốc Bảo",
                "Nguyễn Văn Hùng",
                "Đang hiệu lực",
            ),
            HistoryRow(
                1,
                D(2023, 3, 1),
                "Ban hành lần đầu",
                "Phan Thị Mai",
                "Đặng Quốc Bảo",
                "Nguyễn Văn Hùng",
                "Hết hiệu lực (đã thay thế)",
            ),
        ),
    )


def file_list() -> FileListData:
    rows = (
        FileRow(
            "01.HCTP",
            "Hồ sơ đăng ký khai sinh năm 2026",
            "Vĩnh viễn",
            "Phan Thị Mai",
            "Tủ 01, ngăn 2",
            heading="QT-05 Đăng ký khai sinh",
        ),
        FileRow(
            "02.HCTP",
            "Sổ theo dõi hồ sơ đăng ký khai sinh",
            "05 năm",
            "Phan Thị Mai",
            "Tủ 01, ngăn 3",
            heading="QT-05 Đăng ký khai sinh",
        ),
        FileRow(
            "03.HCTP",
            "Hồ sơ cấp Phiếu lý lịch tư pháp",
            "10 năm",
            "Đặng Quốc Bảo",
            "Kho lưu trữ Sở",
            note="Hết hạn bảo quản",
            heading="QT-07 Lý lịch tư pháp",
        ),
    )
    return FileListData(
        agency=AGENCY,
        unit="Phòng Hành chính tư pháp",
        year=2026,
        rows=rows,
        on=D(2026, 1, 15),
        approved_by=Signer("Nguyễn Văn Hùng", "Giám đốc Sở"),
        prepared_by=Signer("Đặng Quốc Bảo", "Trưởng phòng"),
    )


def disposal() -> DisposalList:
    return DisposalList(
        agency=AGENCY,
        on=D(2026, 3, 5),
        rows=(
            DisposalRow(
                "02.HCTP",
                "Sổ theo dõi hồ sơ đăng ký khai sinh năm 2019",
                "Phòng Hành chính tư pháp",
                2019,
                "05 năm",
                D(2019, 12, 31),
                D(2024, 12, 31),
                "Tủ 01, ngăn 3",
            ),
        ),
    )


def external() -> ExternalRegister:
    return ExternalRegister(
        agency=AGENCY,
        on=D(2026, 3, 5),
        rows=(
            ExternalRow(
                "61/2018/NĐ-CP",
                "Nghị định",
                "Về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
                "Chính phủ",
                D(2018, 4, 23),
                D(2018, 6, 21),
                D(2025, 6, 30),
                "Hết hiệu lực",
                "118/2025/NĐ-CP",
                "QT-05/HCTP",
            ),
            ExternalRow(
                "118/2025/NĐ-CP",
                "Nghị định",
                "Về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa "
                "liên thông tại Bộ phận Một cửa và Cổng Dịch vụ công quốc gia",
                "Chính phủ",
                D(2025, 6, 9),
                D(2025, 7, 1),
                None,
                "Còn hiệu lực",
                "",
                "QT-05/HCTP",
            ),
        ),
    )

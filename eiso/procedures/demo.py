"""The demo TTHC catalogue: what each agency of the demo province resolves, and how.

Per agency, the administrative procedures (TTHC) of its fields with their national codes,
statutory limits and fees, grouped by the operational procedure (``QT-xx``) that resolves them.
The groups reuse the operational procedures of ``eiso.documents.demo`` (their step tables match
section 5.7 written there); a few fields get a new operational procedure here, published through
the documents services; and in every agency some fields are deliberately left without an
effective procedure (none, or only a draft), so the coverage page shows a gap. The process of
STP's QT-07 keeps the allowances its text states (0.5 + 7 + 1 + 0.5 = 9 working days) against
a statutory limit of 10 days, so the allowance warning shows.

The names are those of the national TTHC database as best known when this was written; the
codes follow its format (``1.004227``) and MUST be verified against csdl.dichvucong.gov.vn
before anyone relies on them. The People's Committee of the province and the provincial service
centre have no catalogue here: the TTHC they sign or receive belong to the departments.

Everything goes through the services as the system (``actor=None``). ``load()`` is idempotent:
TTHC are looked up by code, documents by code, and ``process_definition_set`` writes nothing
when the steps are unchanged.
"""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from eiso.documents import demo as documents_demo
from eiso.documents.choices import DocumentKind
from eiso.documents.models import Document, ExternalDocument
from eiso.organizations.choices import AgencyLevel, UnitKind
from eiso.organizations.models import Agency
from eiso.procedures import services
from eiso.procedures.choices import OnlineLevel, ProcedureLevel
from eiso.procedures.models import AdminProcedure

FULL, PARTIAL, NONE = OnlineLevel.FULL, OnlineLevel.PARTIAL, OnlineLevel.NONE
FREE = "Không thu phí, lệ phí."


@dataclass(frozen=True)
class T:
    """One TTHC: national code (to verify), name, fee, online level, relative dossier volume."""

    code: str
    name: str
    fee: str = FREE
    online: str = PARTIAL
    volume: int = 10


@dataclass(frozen=True)
class Group:
    """TTHC of one field with the same statutory limit, resolved by one operational procedure.

    ``document``: the ``QT-xx`` that resolves them (None: no procedure yet); ``title``: set when
    this loader creates that procedure. ``steps``: (action, unit code, working days); the unit
    code ``ONE_STOP``/``LEAD``/``SPEC`` stands for the agency's one-stop desk, leadership and
    ``unit``. ``bottleneck``: the step that runs late most often in the dossiers demo.
    """

    field: str
    days: Decimal
    unit: str
    tthc: tuple[T, ...]
    document: str | None = None
    title: str = ""
    steps: tuple[tuple[str, str, Decimal], ...] = ()
    legal: tuple[str, ...] = ()
    bottleneck: int = 2


def d(value) -> Decimal:
    return Decimal(str(value))


RECEIVE = "Tiếp nhận, kiểm tra hồ sơ, cập nhật vào Hệ thống thông tin, lập Giấy tiếp nhận và hẹn trả kết quả"
EXAMINE = "Thẩm định hồ sơ, dự thảo kết quả giải quyết"
SIGN = "Xem xét, ký duyệt kết quả"
RETURN = "Trả kết quả cho tổ chức, cá nhân, thu phí, lệ phí (nếu có)"


def standard_steps(days: Decimal, *, sign: str = "LEAD") -> tuple[tuple[str, str, Decimal], ...]:
    """The usual four steps adding up exactly to ``days``: desk, specialist, signature, desk."""
    if days <= 1:
        desk, signing = days / 8, days / 4
    else:
        desk, signing = d("0.5"), d(1) if days >= 5 else d("0.5")
    return ((RECEIVE, "ONE_STOP", desk), (EXAMINE, "SPEC", days - 2 * desk - signing), (SIGN, sign, signing),
            (RETURN, "ONE_STOP", desk))


# --- the catalogue ------------------------------------------------------------------------------------

BTP = "Bộ Tư pháp"
STP = (
    Group("Lý lịch tư pháp", d(10), "HCTP", (
        T("2.000488", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
          "200.000 đồng/Phiếu; sinh viên, người có công với cách mạng: 100.000 đồng/Phiếu", FULL, 120),
        T("2.000505", "Cấp Phiếu lý lịch tư pháp cho cơ quan tiến hành tố tụng", FREE, PARTIAL, 8),
        T("2.000635", "Cấp Phiếu lý lịch tư pháp cho cơ quan nhà nước, tổ chức chính trị, tổ chức chính trị - xã hội",
          FREE, PARTIAL, 6),
    ), "QT-07", steps=((RECEIVE, "ONE_STOP", d("0.5")),
                       ("Tra cứu, xác minh thông tin lý lịch tư pháp, dự thảo Phiếu", "SPEC", d(7)),
                       ("Ký Phiếu lý lịch tư pháp", "LEAD", d(1)), (RETURN, "ONE_STOP", d("0.5"))),
        legal=("28/2009/QH12",)),
    Group("Công chứng", d(10), "BTTP", (
        T("2.000789", "Đăng ký hoạt động Văn phòng công chứng", "1.000.000 đồng/hồ sơ", PARTIAL, 3),
        T("2.000837", "Thay đổi nội dung đăng ký hoạt động của Văn phòng công chứng", "500.000 đồng/hồ sơ",
          PARTIAL, 3),
        T("1.001756", "Đăng ký hành nghề và cấp Thẻ công chứng viên", "100.000 đồng/hồ sơ", PARTIAL, 3),
        T("1.001800", "Cấp lại Thẻ công chứng viên", "100.000 đồng/hồ sơ", FULL, 2),
        T("2.000913", "Chuyển đổi Văn phòng công chứng do công chứng viên thành lập", "500.000 đồng/hồ sơ",
          PARTIAL, 1),
        T("2.000955", "Hợp nhất Văn phòng công chứng", "500.000 đồng/hồ sơ", NONE, 1),
    ), "QT-08", steps=((RECEIVE, "ONE_STOP", d("0.5")), ("Thẩm định hồ sơ, dự thảo văn bản", "SPEC", d(8)),
                       ("Ký duyệt", "LEAD", d(1)), (RETURN, "ONE_STOP", d("0.5"))),
        legal=("53/2014/QH13", "46/2024/QH15")),
    Group("Luật sư", d(10), "BTTP", (
        T("1.002055", "Đăng ký hoạt động của tổ chức hành nghề luật sư", "100.000 đồng/hồ sơ", PARTIAL, 4),
        T("1.002032", "Thay đổi nội dung đăng ký hoạt động của tổ chức hành nghề luật sư", "50.000 đồng/hồ sơ",
          PARTIAL, 4),
        T("1.002010", "Đăng ký hoạt động của chi nhánh của tổ chức hành nghề luật sư", "100.000 đồng/hồ sơ",
          PARTIAL, 2),
        T("1.002079", "Đăng ký hành nghề luật sư với tư cách cá nhân", "100.000 đồng/hồ sơ", PARTIAL, 2),
        T("1.002153", "Đăng ký hoạt động của Chi nhánh, công ty luật nước ngoài", "100.000 đồng/hồ sơ", NONE, 1),
    ), "QT-09", steps=((RECEIVE, "ONE_STOP", d("0.5")), ("Thẩm định hồ sơ", "SPEC", d(8)),
                       ("Ký Giấy đăng ký hoạt động", "LEAD", d(1)), (RETURN, "ONE_STOP", d("0.5"))),
        legal=("65/2006/QH11",)),
    Group("Đấu giá tài sản", d(5), "BTTP", (
        T("2.002024", "Đăng ký hoạt động của doanh nghiệp đấu giá tài sản", "1.000.000 đồng/hồ sơ", PARTIAL, 2),
        T("2.002025", "Thay đổi nội dung đăng ký hoạt động của doanh nghiệp đấu giá tài sản",
          "500.000 đồng/hồ sơ", PARTIAL, 2),
        T("2.002028", "Cấp Thẻ đấu giá viên", "200.000 đồng/hồ sơ", PARTIAL, 2),
    ), "QT-11", "Quy trình giải quyết thủ tục hành chính lĩnh vực đấu giá tài sản"),
    # the gaps: a draft procedure only, or none yet
    Group("Tư vấn pháp luật", d(5), "BTTP", (
        T("2.000894", "Đăng ký hoạt động của Trung tâm tư vấn pháp luật", FREE, PARTIAL, 2),
        T("2.000899", "Thay đổi nội dung đăng ký hoạt động của Trung tâm tư vấn pháp luật", FREE, PARTIAL, 1),
    ), "QT-10"),
    Group("Giám định tư pháp", d(20), "BTTP", (
        T("1.008727", "Bổ nhiệm giám định viên tư pháp", FREE, PARTIAL, 1),
        T("1.008728", "Miễn nhiệm giám định viên tư pháp", FREE, PARTIAL, 1),
    )),
    Group("Thừa phát lại", d(10), "BTTP", (
        T("2.002180", "Đăng ký hoạt động Văn phòng Thừa phát lại", "1.000.000 đồng/hồ sơ", NONE, 1),
        T("2.002183", "Thay đổi nội dung đăng ký hoạt động của Văn phòng Thừa phát lại", "500.000 đồng/hồ sơ",
          NONE, 1),
    )),
)

SXD = (
    Group("Hoạt động xây dựng", d(20), "QLXD", (
        T("1.009972", "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II",
          "150.000 đồng/giấy phép", PARTIAL, 12),
        T("1.009974", "Cấp giấy phép xây dựng sửa chữa, cải tạo đối với công trình cấp đặc biệt, cấp I, cấp II",
          "150.000 đồng/giấy phép", PARTIAL, 4),
        T("1.009975", "Cấp giấy phép di dời đối với công trình cấp đặc biệt, cấp I, cấp II",
          "150.000 đồng/giấy phép", PARTIAL, 1),
        T("1.009976", "Cấp điều chỉnh giấy phép xây dựng đối với công trình cấp đặc biệt, cấp I, cấp II",
          "150.000 đồng/giấy phép", PARTIAL, 3),
    ), "QT-07", steps=((RECEIVE, "ONE_STOP", d("0.5")),
                       ("Kiểm tra thực địa, thẩm định hồ sơ, dự thảo giấy phép", "SPEC", d(17)),
                       ("Ký giấy phép", "LEAD", d(2)), (RETURN, "ONE_STOP", d("0.5"))),
        legal=("50/2014/QH13", "62/2020/QH14", "175/2024/NĐ-CP")),
    Group("Hoạt động xây dựng", d(20), "QLXD", (
        T("1.009994", "Thẩm định Báo cáo nghiên cứu khả thi đầu tư xây dựng, điều chỉnh Báo cáo nghiên cứu khả "
                      "thi đầu tư xây dựng", "Theo quy định của Bộ Tài chính", PARTIAL, 6),
        T("1.009996", "Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở, điều chỉnh thiết kế xây dựng "
                      "triển khai sau thiết kế cơ sở", "Theo quy định của Bộ Tài chính", PARTIAL, 8),
    ), "QT-08", steps=((RECEIVE, "ONE_STOP", d("0.5")),
                       ("Thẩm định hồ sơ, lấy ý kiến cơ quan liên quan", "SPEC", d(17)),
                       ("Ký Thông báo kết quả thẩm định", "LEAD", d(2)), (RETURN, "ONE_STOP", d("0.5"))),
        legal=("50/2014/QH13", "62/2020/QH14", "175/2024/NĐ-CP"), bottleneck=2),
    Group("Hoạt động xây dựng", d(20), "QLXD", (
        T("1.009982", "Cấp chứng chỉ hành nghề hoạt động xây dựng lần đầu hạng II, hạng III",
          "300.000 đồng/chứng chỉ", FULL, 10),
        T("1.009983", "Cấp điều chỉnh hạng chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III",
          "300.000 đồng/chứng chỉ", FULL, 3),
        T("1.009984", "Cấp chuyển đổi chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III",
          "300.000 đồng/chứng chỉ", FULL, 1),
        T("1.009985", "Cấp lại chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III",
          "150.000 đồng/chứng chỉ", FULL, 3),
    ), "QT-09", steps=((RECEIVE, "ONE_STOP", d("0.5")), ("Sát hạch, xét cấp chứng chỉ", "SPEC", d(17)),
                       ("Ký chứng chỉ", "LEAD", d(2)), (RETURN, "ONE_STOP", d("0.5")))),
    Group("Đường bộ", d(5), "VTPT", (
        T("1.002856", "Cấp Giấy phép kinh doanh vận tải bằng xe ô tô", "200.000 đồng/giấy phép", FULL, 6),
        T("1.002861", "Cấp lại Giấy phép kinh doanh vận tải bằng xe ô tô khi có sự thay đổi nội dung",
          "200.000 đồng/giấy phép", FULL, 3),
        T("1.002859", "Cấp phù hiệu xe ô tô kinh doanh vận tải", FREE, FULL, 14),
        T("1.002864", "Cấp lại phù hiệu xe ô tô kinh doanh vận tải", FREE, FULL, 4),
    ), "QT-11", "Quy trình cấp giấy phép kinh doanh vận tải và phù hiệu xe ô tô", bottleneck=3),
    # the gaps
    Group("Hoạt động xây dựng", d(20), "QLXD", (
        T("1.009986", "Cấp chứng chỉ năng lực hoạt động xây dựng lần đầu hạng II, hạng III",
          "1.000.000 đồng/chứng chỉ", FULL, 3),
        T("1.009987", "Cấp lại chứng chỉ năng lực hoạt động xây dựng hạng II, hạng III", "500.000 đồng/chứng chỉ",
          FULL, 1),
        T("1.009988", "Điều chỉnh, bổ sung chứng chỉ năng lực hoạt động xây dựng hạng II, hạng III",
          "1.000.000 đồng/chứng chỉ", FULL, 1),
    ), "QT-10"),
    Group("Quy hoạch xây dựng, kiến trúc", d(15), "QHKT", (
        T("1.008432", "Cung cấp thông tin về quy hoạch xây dựng thuộc thẩm quyền của Sở Xây dựng", FREE, PARTIAL, 3),
        T("1.008455", "Cấp chứng chỉ hành nghề kiến trúc", "300.000 đồng/chứng chỉ", PARTIAL, 1),
        T("1.008456", "Cấp lại chứng chỉ hành nghề kiến trúc", "150.000 đồng/chứng chỉ", PARTIAL, 1),
    )),
)

SKHCN = (
    Group("Tiêu chuẩn Đo lường Chất lượng", d(5), "TDC", (
        T("1.000024", "Tiếp nhận hồ sơ công bố hợp quy dựa trên kết quả chứng nhận của tổ chức chứng nhận", FREE,
          FULL, 14),
        T("1.000025", "Tiếp nhận hồ sơ công bố hợp quy dựa trên kết quả tự đánh giá của tổ chức, cá nhân", FREE,
          FULL, 8),
        T("2.001501", "Đăng ký kiểm tra nhà nước về chất lượng hàng hóa nhập khẩu thuộc trách nhiệm của Bộ Khoa "
                      "học và Công nghệ", FREE, FULL, 6),
    ), "QT-07", steps=((RECEIVE, "ONE_STOP", d("0.5")), ("Kiểm tra hồ sơ, dự thảo Thông báo tiếp nhận", "SPEC",
                                                          d("3.5")),
                       ("Ký Thông báo tiếp nhận", "LEAD", d("0.5")), (RETURN, "ONE_STOP", d("0.5"))),
        legal=("68/2006/QH11", "05/2007/QH12")),
    Group("Hoạt động khoa học và công nghệ", d(15), "QLKH", (
        T("1.003720", "Cấp Giấy chứng nhận đăng ký hoạt động lần đầu cho tổ chức khoa học và công nghệ",
          "Theo quy định của Bộ Tài chính", PARTIAL, 3),
        T("1.003727", "Cấp thay đổi nội dung, cấp lại Giấy chứng nhận đăng ký hoạt động của tổ chức khoa học và "
                      "công nghệ", "Theo quy định của Bộ Tài chính", PARTIAL, 2),
        T("1.003734", "Cấp Giấy chứng nhận đăng ký hoạt động lần đầu cho văn phòng đại diện, chi nhánh của tổ "
                      "chức khoa học và công nghệ", "Theo quy định của Bộ Tài chính", PARTIAL, 1),
        T("1.003741", "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ", FREE, PARTIAL, 1),
    ), "QT-08", steps=((RECEIVE, "ONE_STOP", d("0.5")), ("Thẩm định hồ sơ", "SPEC", d(13)),
                       ("Ký Giấy chứng nhận", "LEAD", d(1)), (RETURN, "ONE_STOP", d("0.5"))),
        legal=("29/2013/QH13", "08/2014/NĐ-CP")),
    Group("An toàn bức xạ và hạt nhân", d(15), "TDC", (
        T("1.004398", "Cấp giấy phép tiến hành công việc bức xạ - Sử dụng thiết bị X-quang chẩn đoán trong y tế",
          "Theo quy định của Bộ Tài chính", PARTIAL, 6),
        T("1.004400", "Gia hạn giấy phép tiến hành công việc bức xạ - Sử dụng thiết bị X-quang chẩn đoán trong y "
                      "tế", "Theo quy định của Bộ Tài chính", PARTIAL, 3),
        T("1.004402", "Sửa đổi, bổ sung giấy phép tiến hành công việc bức xạ - Sử dụng thiết bị X-quang chẩn đoán "
                      "trong y tế", "Theo quy định của Bộ Tài chính", PARTIAL, 1),
        T("1.004404", "Cấp lại giấy phép tiến hành công việc bức xạ - Sử dụng thiết bị X-quang chẩn đoán trong y "
                      "tế", "Theo quy định của Bộ Tài chính", PARTIAL, 1),
        T("1.004406", "Cấp chứng chỉ nhân viên bức xạ cho người phụ trách an toàn cơ sở X-quang chẩn đoán trong y "
                      "tế", "Theo quy định của Bộ Tài chính", PARTIAL, 3),
    ), "QT-09", steps=((RECEIVE, "ONE_STOP", d("0.5")), ("Thẩm định hồ sơ, kiểm tra thực tế", "SPEC", d(13)),
                       ("Ký giấy phép", "LEAD", d(1)), (RETURN, "ONE_STOP", d("0.5"))),
        legal=("18/2008/QH12",), bottleneck=2),
    Group("Bưu chính", d(10), "CDS", (
        T("1.003960", "Cấp giấy phép bưu chính", "Theo quy định của Bộ Tài chính", FULL, 2),
        T("1.003965", "Sửa đổi, bổ sung giấy phép bưu chính", "Theo quy định của Bộ Tài chính", FULL, 1),
        T("1.003970", "Cấp văn bản xác nhận thông báo hoạt động bưu chính", "Theo quy định của Bộ Tài chính", FULL,
          3),
        T("1.003975", "Cấp lại giấy phép bưu chính khi hết hạn", "Theo quy định của Bộ Tài chính", FULL, 1),
    ), "QT-11", "Quy trình cấp giấy phép bưu chính, xác nhận thông báo hoạt động bưu chính"),
    # the gaps
    Group("Tiêu chuẩn Đo lường Chất lượng", d(5), "TDC", (
        T("1.000031", "Tiếp nhận bản công bố hợp chuẩn của tổ chức, cá nhân", FREE, FULL, 3),
        T("1.000035", "Đăng ký công bố hợp chuẩn dựa trên kết quả tự đánh giá", FREE, FULL, 2),
    ), "QT-10"),
    Group("Sở hữu trí tuệ, chuyển giao công nghệ", d(15), "QLKH", (
        T("1.004557", "Đăng ký hợp đồng chuyển giao công nghệ (trừ trường hợp thuộc thẩm quyền của Bộ Khoa học "
                      "và Công nghệ)", "Theo quy định của Bộ Tài chính", PARTIAL, 2),
        T("1.004560", "Đăng ký gia hạn, sửa đổi, bổ sung nội dung chuyển giao công nghệ", "Theo quy định của Bộ "
                      "Tài chính", PARTIAL, 1),
        T("1.004563", "Cấp Giấy chứng nhận đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ không sử dụng "
                      "ngân sách nhà nước", FREE, PARTIAL, 1),
    )),
)

STC = (
    Group("Thành lập và hoạt động của doanh nghiệp", d(3), "DKKD", (
        T("2.001610", "Đăng ký thành lập doanh nghiệp tư nhân", "50.000 đồng/lần; miễn khi đăng ký qua mạng", FULL,
          8),
        T("2.002040", "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên",
          "50.000 đồng/lần; miễn khi đăng ký qua mạng", FULL, 20),
        T("2.002041", "Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên",
          "50.000 đồng/lần; miễn khi đăng ký qua mạng", FULL, 10),
        T("2.002042", "Đăng ký thành lập công ty cổ phần", "50.000 đồng/lần; miễn khi đăng ký qua mạng", FULL, 10),
        T("2.002043", "Đăng ký thành lập công ty hợp danh", "50.000 đồng/lần; miễn khi đăng ký qua mạng", FULL, 1),
    ), "QT-07", steps=((RECEIVE, "ONE_STOP", d("0.5")),
                       ("Xem xét tính hợp lệ, cấp Giấy chứng nhận đăng ký doanh nghiệp", "SPEC", d(2)),
                       (RETURN, "ONE_STOP", d("0.5"))),
        legal=("59/2020/QH14", "168/2025/NĐ-CP")),
    Group("Thành lập và hoạt động của doanh nghiệp", d(3), "DKKD", (
        T("2.002046", "Đăng ký thay đổi địa chỉ trụ sở chính của doanh nghiệp", "50.000 đồng/lần", FULL, 12),
        T("2.002047", "Đăng ký đổi tên doanh nghiệp", "50.000 đồng/lần", FULL, 4),
        T("2.002048", "Đăng ký thay đổi người đại diện theo pháp luật của công ty", "50.000 đồng/lần", FULL, 10),
        T("2.002049", "Đăng ký thay đổi vốn điều lệ, tỷ lệ vốn góp", "50.000 đồng/lần", FULL, 10),
        T("2.002050", "Thông báo thay đổi ngành, nghề kinh doanh", FREE, FULL, 14),
    ), "QT-08", steps=((RECEIVE, "ONE_STOP", d("0.5")), ("Xem xét hồ sơ, cập nhật thay đổi", "SPEC", d(2)),
                       (RETURN, "ONE_STOP", d("0.5"))),
        legal=("59/2020/QH14", "168/2025/NĐ-CP")),
    Group("Tin học và thống kê tài chính", d(2), "QLNS", (
        T("1.000346", "Đăng ký mã số đơn vị có quan hệ với ngân sách", FREE, FULL, 6),
        T("1.000347", "Đăng ký mã số dự án đầu tư xây dựng cơ bản có quan hệ với ngân sách", FREE, FULL, 6),
        T("1.000348", "Thay đổi thông tin đăng ký mã số đơn vị có quan hệ với ngân sách", FREE, FULL, 3),
    ), "QT-09", steps=((RECEIVE, "ONE_STOP", d("0.5")), ("Kiểm tra, cấp mã số trên hệ thống", "SPEC", d(1)),
                       (RETURN, "ONE_STOP", d("0.5"))),
        legal=("185/2015/TT-BTC",)),
    Group("Thành lập và hoạt động của doanh nghiệp", d(3), "DKKD", (
        T("2.002054", "Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo", FREE, FULL,
          10),
        T("2.002055", "Đăng ký giải thể doanh nghiệp", FREE, FULL, 5),
        T("2.002056", "Chấm dứt hoạt động chi nhánh, văn phòng đại diện, địa điểm kinh doanh", FREE, FULL, 4),
    ), "QT-11", "Quy trình đăng ký tạm ngừng kinh doanh, giải thể doanh nghiệp",
        steps=((RECEIVE, "ONE_STOP", d("0.5")), ("Xem xét hồ sơ, cập nhật tình trạng pháp lý", "SPEC", d(2)),
               (RETURN, "ONE_STOP", d("0.5")))),
    # the gaps
    Group("Quản lý vốn đầu tư", d(20), "QLNS", (
        T("2.002160", "Thẩm tra, phê duyệt quyết toán dự án hoàn thành sử dụng vốn đầu tư công", FREE, NONE, 2),
    ), "QT-10"),
    Group("Đầu tư tại Việt Nam", d(15), "THQH", (
        T("1.009645", "Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận chủ trương đầu "
                      "tư", FREE, PARTIAL, 2),
        T("1.009646", "Điều chỉnh Giấy chứng nhận đăng ký đầu tư", FREE, PARTIAL, 2),
        T("1.009650", "Chấm dứt hoạt động dự án đầu tư", FREE, PARTIAL, 1),
    )),
)

SNV = (
    Group("Việc làm", d(5), "VLATLD", (
        T("1.000105", "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
          "Theo Nghị quyết của HĐND tỉnh", FULL, 8),
        T("1.000459", "Cấp lại giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
          "Theo Nghị quyết của HĐND tỉnh", FULL, 2),
        T("2.000205", "Gia hạn giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
          "Theo Nghị quyết của HĐND tỉnh", FULL, 3),
        T("2.000192", "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động", FREE, FULL, 3),
    ), "QT-07", steps=((RECEIVE, "ONE_STOP", d("0.5")), ("Thẩm định hồ sơ", "SPEC", d(3)),
                       ("Ký giấy phép", "LEAD", d(1)), (RETURN, "ONE_STOP", d("0.5"))),
        legal=("45/2019/QH14", "152/2020/NĐ-CP", "70/2023/NĐ-CP")),
    Group("Người có công", d(12), "NCC", (
        T("1.010819", "Giải quyết chế độ trợ cấp một lần đối với thân nhân khi người có công với cách mạng từ trần",
          FREE, PARTIAL, 10),
        T("1.010820", "Giải quyết chế độ mai táng phí, trợ cấp một lần khi người có công đang hưởng trợ cấp hằng "
                      "tháng từ trần", FREE, PARTIAL, 8),
        T("1.010821", "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", FREE, PARTIAL, 4),
        T("1.010822", "Di chuyển hồ sơ khi người hưởng trợ cấp ưu đãi thay đổi nơi thường trú", FREE, PARTIAL, 2),
        T("1.010823", "Giải quyết chế độ ưu đãi đối với con đẻ của người hoạt động kháng chiến bị nhiễm chất độc "
                      "hóa học", FREE, PARTIAL, 2),
    ), "QT-08", steps=((RECEIVE, "ONE_STOP", d("0.5")), ("Thẩm định hồ sơ, dự thảo quyết định", "SPEC", d(10)),
                       ("Ký quyết định", "LEAD", d(1)), (RETURN, "ONE_STOP", d("0.5"))),
        legal=("02/2020/UBTVQH14", "131/2021/NĐ-CP"), bottleneck=2),
    Group("Tổ chức phi chính phủ", d(30), "TCBC", (
        T("1.003827", "Thành lập hội", FREE, PARTIAL, 2),
        T("1.003822", "Phê duyệt điều lệ hội", FREE, PARTIAL, 2),
        T("1.003807", "Đổi tên hội", FREE, PARTIAL, 1),
        T("1.003783", "Hội tự giải thể", FREE, PARTIAL, 1),
        T("1.003757", "Cho phép hội đặt văn phòng đại diện", FREE, PARTIAL, 1),
    ), "QT-11", "Quy trình giải quyết thủ tục hành chính về hội"),
    # the gaps
    Group("Việc làm", d(20), "VLATLD", (
        T("1.001978", "Giải quyết hưởng trợ cấp thất nghiệp", FREE, PARTIAL, 12),
        T("1.001973", "Tạm dừng hưởng trợ cấp thất nghiệp", FREE, PARTIAL, 2),
    )),
    Group("Tôn giáo Chính phủ", d(30), "XDCQ", (
        T("1.001090", "Đăng ký hoạt động tín ngưỡng", FREE, NONE, 1),
        T("1.001085", "Đăng ký bổ sung hoạt động tín ngưỡng", FREE, NONE, 1),
        T("1.001078", "Thông báo danh mục hoạt động tôn giáo đối với tổ chức có địa bàn hoạt động tôn giáo ở nhiều "
                      "xã trong một tỉnh", FREE, NONE, 1),
    )),
    Group("Thi đua, khen thưởng", d(20), "TCBC", (
        T("1.000775", "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", FREE, NONE, 3),
        T("1.000780", "Tặng danh hiệu Tập thể lao động xuất sắc", FREE, NONE, 1),
    )),
)

HT = ("60/2014/QH13", "123/2015/NĐ-CP")
CT = ("23/2015/NĐ-CP",)
COMMUNE = (
    Group("Hộ tịch", d("0.5"), "VP", (
        T("1.001193", "Đăng ký khai sinh", "Miễn lệ phí đăng ký khai sinh đúng hạn", FULL, 40),
        T("1.001021", "Đăng ký khai sinh có yếu tố nước ngoài", "Theo Nghị quyết của HĐND tỉnh", PARTIAL, 2),
        T("1.000689", "Đăng ký lại khai sinh", "Theo Nghị quyết của HĐND tỉnh", PARTIAL, 4),
    ), "QT-07", steps=((RECEIVE, "ONE_STOP", d("0.125")), ("Kiểm tra, ghi Sổ hộ tịch, trình ký", "SPEC",
                                                            d("0.25")),
                       ("Ký Giấy khai sinh", "LEAD", d("0.0625")), (RETURN, "ONE_STOP", d("0.0625"))),
        legal=HT, bottleneck=3),
    Group("Hộ tịch", d("0.5"), "VP", (
        T("1.000894", "Đăng ký kết hôn", "Miễn lệ phí", PARTIAL, 12),
        T("1.004746", "Đăng ký kết hôn có yếu tố nước ngoài", "Theo Nghị quyết của HĐND tỉnh", NONE, 1),
    ), "QT-08", steps=((RECEIVE, "ONE_STOP", d("0.125")),
                       ("Kiểm tra điều kiện kết hôn, ghi Sổ hộ tịch", "SPEC", d("0.25")),
                       ("Ký Giấy chứng nhận kết hôn", "LEAD", d("0.0625")),
                       ("Trao Giấy chứng nhận kết hôn cho hai bên nam, nữ", "ONE_STOP", d("0.0625"))),
        legal=HT),
    Group("Chứng thực", d("0.5"), "VP", (
        T("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt "
                      "Nam cấp hoặc chứng nhận", "2.000 đồng/trang; từ trang thứ ba 1.000 đồng/trang", FULL, 90),
        T("2.000908", "Cấp bản sao từ sổ gốc", "Theo Nghị quyết của HĐND tỉnh", PARTIAL, 6),
    ), "QT-09", steps=((RECEIVE, "ONE_STOP", d("0.125")), ("Đối chiếu bản sao với bản chính", "SPEC", d("0.25")),
                       ("Ký chứng thực, đóng dấu", "LEAD", d("0.0625")),
                       ("Ghi sổ chứng thực, trả kết quả", "ONE_STOP", d("0.0625"))),
        legal=CT),
    Group("Chứng thực", d("0.5"), "VP", (
        T("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", "10.000 đồng/trường hợp", PARTIAL, 20),
        T("2.000843", "Chứng thực chữ ký người dịch mà người dịch là cộng tác viên dịch thuật",
          "10.000 đồng/trường hợp", PARTIAL, 2),
        T("2.000942", "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch", "30.000 đồng/hợp đồng",
          NONE, 2),
    ), "QT-10", steps=((RECEIVE, "ONE_STOP", d("0.125")), ("Kiểm tra giấy tờ, người yêu cầu ký trước mặt",
                                                            "SPEC", d("0.25")),
                       ("Ký chứng thực", "LEAD", d("0.0625")), ("Ghi sổ chứng thực, trả kết quả", "ONE_STOP",
                                                                d("0.0625"))),
        legal=CT),
    Group("Hoạt động xây dựng", d(15), "ECON", (
        T("1.009991", "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "75.000 đồng/giấy phép", PARTIAL, 10),
        T("1.009992", "Cấp giấy phép xây dựng sửa chữa, cải tạo đối với nhà ở riêng lẻ", "75.000 đồng/giấy phép",
          PARTIAL, 3),
        T("1.009993", "Cấp điều chỉnh giấy phép xây dựng đối với nhà ở riêng lẻ", "15.000 đồng/giấy phép", PARTIAL,
          1),
    ), "QT-12", "Quy trình cấp giấy phép xây dựng đối với nhà ở riêng lẻ", bottleneck=2),
    # the gaps: QT-11 (khai tử) is only a draft; the rest have none yet
    Group("Hộ tịch", d("0.5"), "VP", (
        T("1.000656", "Đăng ký khai tử", "Miễn lệ phí", FULL, 8),
        T("1.004859", "Đăng ký lại khai tử", "Theo Nghị quyết của HĐND tỉnh", PARTIAL, 1),
    ), "QT-11"),
    Group("Hộ tịch", d(3), "VP", (
        T("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", "Theo Nghị quyết của HĐND tỉnh", FULL, 15),
        T("1.004884", "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", "Theo Nghị quyết của HĐND tỉnh",
          PARTIAL, 4),
    )),
    Group("Thành lập và hoạt động của hộ kinh doanh", d(3), "ECON", (
        T("2.000575", "Đăng ký thành lập hộ kinh doanh", "Theo Nghị quyết của HĐND tỉnh", FULL, 6),
        T("2.000720", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "Theo Nghị quyết của HĐND tỉnh", FULL, 3),
    )),
    Group("Bảo trợ xã hội", d(15), "VHXH", (
        T("1.001776", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng, hỗ trợ kinh phí chăm sóc, nuôi "
                      "dưỡng hằng tháng", FREE, PARTIAL, 4),
        T("1.001758", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", FREE, PARTIAL, 2),
    )),
)

CATALOGUES = {
    "STP": STP, "SXD": SXD, "SKHCN": SKHCN, "STC": STC, "SNV": SNV,
    "P-TRUONGVINH": COMMUNE, "P-THANHVINH": COMMUNE, "X-KIMLIEN": COMMUNE,
}


def mismatched() -> list[tuple[str, str]]:
    """(agency, document) of the processes whose allowances deliberately miss the limit."""
    return [(agency, g.document) for agency, groups in CATALOGUES.items() for g in groups
            if g.steps and sum(s[2] for s in g.steps) != g.days]


# --- the loader -----------------------------------------------------------------------------------------


def _days_text(days: Decimal) -> str:
    if days < 1:
        return f"{days * 8:g} giờ làm việc".replace(".", ",")
    return f"{days:g} ngày làm việc".replace(".", ",")


class _AgencyCatalogue:
    def __init__(self, agency: Agency, groups: tuple[Group, ...], today: datetime.date, created: Counter):
        self.agency, self.groups, self.today, self.created = agency, groups, today, created
        self.level = ProcedureLevel.COMMUNE if agency.level == AgencyLevel.COMMUNE_PC else ProcedureLevel.PROVINCE
        self.units = {u.code: u for u in agency.units.filter(is_active=True)}
        self.one_stop = next((u for u in self.units.values() if u.kind == UnitKind.ONE_STOP), None)
        self.lead = next((u for u in self.units.values() if u.kind == UnitKind.LEADERSHIP), None)
        self.documents = {doc.code: doc for doc in Document.objects.filter(
            agency=agency, kind=DocumentKind.OPERATIONAL_PROCEDURE)}
        self.existing = set(AdminProcedure.objects.filter(agency=agency).values_list("code", flat=True))
        self.externals = {e.number: e for e in ExternalDocument.objects.filter(agency=agency)}

    def unit(self, code: str, group: Group):
        if code == "ONE_STOP":
            return self.one_stop
        if code == "LEAD":
            return self.lead
        code = group.unit if code == "SPEC" else code
        if code == "ECON":
            return self.units.get("KTHTDT") or self.units.get("KT")
        return self.units.get(code)

    def steps(self, group: Group) -> list[dict]:
        return [{"name": name, "unit": self.unit(unit, group), "hours": days * 8,
                 "form": f"BM-{i:02d}-{group.document.replace('-', '')}" if i == 1 else "",
                 "result": "Phiếu kiểm soát quá trình giải quyết hồ sơ" if i == 1 else ""}
                for i, (name, unit, days) in enumerate(group.steps or standard_steps(group.days), start=1)]

    def new_document(self, group: Group) -> Document | None:
        """The operational procedure this loader adds for ``group`` (published through the
        documents demo's helper, so it reads like the others)."""
        plan = documents_demo.PLANS.get(self.agency.code)
        if plan is None:
            return None
        helper = documents_demo._AgencyDocuments(self.agency, plan, self.today, self.created)
        spec = self.unit(group.unit, group)
        steps = group.steps or standard_steps(group.days)
        lines = []
        for name, unit, days in steps:
            unit_obj = self.unit(unit, group)
            lines.append(f"{name} ({unit_obj.name if unit_obj else 'Bộ phận Một cửa'}; {_days_text(days)}).")
        content = documents_demo.tthc(
            legal="Nghị định số 118/2025/NĐ-CP và các văn bản quy phạm pháp luật chuyên ngành.",
            dossier=("Theo thành phần hồ sơ của từng thủ tục hành chính đã được công bố.",),
            limit=f"{_days_text(group.days)} kể từ ngày nhận đủ hồ sơ hợp lệ.",
            fee="Theo quy định của từng thủ tục hành chính.", steps=tuple(lines))
        document = helper.document(group.document, group.title, DocumentKind.OPERATIONAL_PROCEDURE,
                                   spec.code if spec else None)
        sections = {"purpose": f"Quy định trình tự, thời hạn giải quyết các thủ tục hành chính lĩnh vực "
                               f"{group.field.lower()}.",
                    "scope": "Áp dụng đối với Bộ phận Một cửa, "
                             f"{spec.name if spec else 'đơn vị chuyên môn'} và Lãnh đạo cơ quan.",
                    "definitions": documents_demo.DEFINITIONS, "content": content}
        helper.publish(document, unit_code=spec.code if spec else None, content=content, sections=sections,
                       summary="Ban hành lần đầu", effective=min(plan.start, self.today))
        return document

    def load(self) -> None:
        for group in self.groups:
            document = self.documents.get(group.document) if group.document else None
            if group.title and document is None:
                document = self.new_document(group)
                if document is not None:
                    self.documents[document.code] = document
                    self.created["operational procedures"] += 1
            if document is not None and (group.steps or group.title):
                _definition, created = services.process_definition_set(actor=None, document=document,
                                                                       steps=self.steps(group))
                self.created["processes"] += created
            basis = [self.externals[n] for n in group.legal if n in self.externals]
            for t in group.tthc:
                if t.code in self.existing:
                    continue
                services.admin_procedure_create(
                    actor=None, agency=self.agency, code=t.code, name=t.name, field=group.field,
                    level=self.level, time_limit_days=group.days, fees=t.fee, online_level=t.online,
                    process_document=document, legal_basis=basis)
                self.existing.add(t.code)
                self.created["TTHC"] += 1


def load(out: Callable[[str], None] | None = None) -> list[dict]:
    """Create the TTHC catalogue and processes of every demo agency where missing; no logins."""
    log = out or (lambda _message: None)
    today = timezone.localdate()
    created: Counter[str] = Counter()
    for agency in Agency.objects.filter(code__in=CATALOGUES, valid_to__isnull=True).order_by("code"):
        with transaction.atomic():
            _AgencyCatalogue(agency, CATALOGUES[agency.code], today, created).load()
    wanted = ("TTHC", "processes", "operational procedures")
    if any(created[k] for k in wanted):
        log("Administrative procedures: " + ", ".join(f"{created[k]} {k}" for k in wanted) + ".")
    else:
        log("Administrative procedures already loaded: nothing to create.")
    return []

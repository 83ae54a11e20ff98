"""The demo document systems: what each agency of the demo province keeps in eISO.

For every current agency: the quality policy and objectives, the six system procedures of the
TCVN ISO 9001:2015 model, operational procedures for the administrative procedures of its field
(with forms as real .docx files), revision histories (issue 1 superseded by issue 2 where a law
changed), a revision in review and a new draft with staff comments, acknowledgements, a change
request, the external register with real Vietnamese legal documents (some replaced, so review
tasks are open, some overdue), record types and file lists (an old one with files past retention).

Everything goes through the services, as the people of the demo province where someone fits the
role and as the system (``actor=None``) otherwise. ``load()`` is idempotent: an agency whose
quality policy (``CSCL``) exists is left alone; each agency loads in one transaction.
"""

import datetime
import functools
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from eiso.documents.choices import ChangeRequestKind, DocumentKind, ReviewTaskStatus
from eiso.documents.models import Document, ExternalDocument, RecordType, ReviewTask
from eiso.documents.services import external as external_services
from eiso.documents.services import records as records_services
from eiso.documents.services import revisions as services
from eiso.organizations.choices import Role
from eiso.organizations.models import Agency, Membership

D = datetime.date
K = DocumentKind

# --- the legal documents ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Legal:
    number: str
    doc_type: str
    title: str
    issuer: str
    issued_on: datetime.date | None = None
    effective_on: datetime.date | None = None
    status: str = "in_force"
    note: str = ""


CP, QH, TTG = "Chính phủ", "Quốc hội", "Thủ tướng Chính phủ"
LEGAL = {doc.number: doc for doc in (
    Legal("TCVN ISO 9001:2015", "standard", "Hệ thống quản lý chất lượng - Các yêu cầu", "Bộ Khoa học và Công nghệ"),
    Legal("19/2014/QĐ-TTg", "decision", "Về việc áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN "
          "ISO 9001:2008 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước", TTG,
          D(2014, 3, 5), D(2014, 4, 20), status="partly_amended",
          note="Được sửa đổi, bổ sung bởi Quyết định số 101/2018/QĐ-TTg."),
    Legal("101/2018/QĐ-TTg", "decision", "Sửa đổi, bổ sung một số điều của Quyết định số 19/2014/QĐ-TTg ngày 05 "
          "tháng 3 năm 2014 của Thủ tướng Chính phủ về việc áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn "
          "quốc gia TCVN ISO 9001:2008 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước",
          TTG, D(2018, 12, 21), D(2019, 2, 15)),
    Legal("26/2014/TT-BKHCN", "circular", "Quy định chi tiết thi hành Quyết định số 19/2014/QĐ-TTg ngày 05 tháng 3 "
          "năm 2014 của Thủ tướng Chính phủ về việc áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia "
          "TCVN ISO 9001:2008 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước",
          "Bộ Khoa học và Công nghệ", D(2014, 10, 10), D(2014, 12, 1)),
    Legal("61/2018/NĐ-CP", "decree", "Về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục "
          "hành chính", CP, D(2018, 4, 23), D(2018, 6, 21),
          note="Được sửa đổi, bổ sung bởi Nghị định số 107/2021/NĐ-CP."),
    Legal("107/2021/NĐ-CP", "decree", "Sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 "
          "năm 2018 của Chính phủ về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành "
          "chính", CP, D(2021, 12, 6), D(2021, 12, 6)),
    Legal("118/2025/NĐ-CP", "decree", "Về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông tại "
          "Bộ phận Một cửa và Cổng Dịch vụ công quốc gia", CP, D(2025, 6, 9), D(2025, 7, 1)),
    Legal("30/2020/NĐ-CP", "decree", "Về công tác văn thư", CP, D(2020, 3, 5), D(2020, 3, 5)),
    Legal("45/2020/NĐ-CP", "decree", "Về thực hiện thủ tục hành chính trên môi trường điện tử", CP, D(2020, 4, 8),
          D(2020, 5, 22)),
    Legal("63/2010/NĐ-CP", "decree", "Về kiểm soát thủ tục hành chính", CP, D(2010, 6, 8), D(2010, 8, 14),
          note="Được sửa đổi, bổ sung bởi Nghị định số 92/2017/NĐ-CP."),
    Legal("92/2017/NĐ-CP", "decree", "Sửa đổi, bổ sung một số điều của các nghị định liên quan đến kiểm soát thủ "
          "tục hành chính", CP, D(2017, 8, 7), D(2017, 9, 25)),
    Legal("01/2011/QH13", "law", "Luật Lưu trữ", QH, D(2011, 11, 11), D(2012, 7, 1)),
    Legal("33/2024/QH15", "law", "Luật Lưu trữ", QH, D(2024, 6, 21), D(2025, 7, 1)),
    Legal("20/2008/NĐ-CP", "decree", "Về tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành "
          "chính", CP, D(2008, 2, 14)),
    # justice
    Legal("28/2009/QH12", "law", "Luật Lý lịch tư pháp", QH, D(2009, 6, 17), D(2010, 7, 1)),
    Legal("53/2014/QH13", "law", "Luật Công chứng", QH, D(2014, 6, 20), D(2015, 1, 1)),
    Legal("46/2024/QH15", "law", "Luật Công chứng", QH, D(2024, 11, 26), D(2025, 7, 1)),
    Legal("65/2006/QH11", "law", "Luật Luật sư", QH, D(2006, 6, 29), D(2007, 1, 1),
          note="Được sửa đổi, bổ sung bởi Luật số 20/2012/QH13."),
    Legal("60/2014/QH13", "law", "Luật Hộ tịch", QH, D(2014, 11, 20), D(2016, 1, 1)),
    Legal("123/2015/NĐ-CP", "decree", "Quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch", CP,
          D(2015, 11, 15), D(2016, 1, 1)),
    Legal("23/2015/NĐ-CP", "decree", "Về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký "
          "và chứng thực hợp đồng, giao dịch", CP, D(2015, 2, 16), D(2015, 4, 10)),
    # construction
    Legal("50/2014/QH13", "law", "Luật Xây dựng", QH, D(2014, 6, 18), D(2015, 1, 1),
          note="Được sửa đổi, bổ sung bởi Luật số 62/2020/QH14."),
    Legal("62/2020/QH14", "law", "Luật sửa đổi, bổ sung một số điều của Luật Xây dựng", QH, D(2020, 6, 17),
          D(2021, 1, 1)),
    Legal("15/2021/NĐ-CP", "decree", "Quy định chi tiết một số nội dung về quản lý dự án đầu tư xây dựng", CP,
          D(2021, 3, 3), D(2021, 3, 3)),
    Legal("175/2024/NĐ-CP", "decree", "Quy định chi tiết một số điều và biện pháp thi hành Luật Xây dựng về quản lý "
          "hoạt động xây dựng", CP, D(2024, 12, 30), D(2024, 12, 30)),
    # science and technology
    Legal("68/2006/QH11", "law", "Luật Tiêu chuẩn và Quy chuẩn kỹ thuật", QH, D(2006, 6, 29), D(2007, 1, 1)),
    Legal("05/2007/QH12", "law", "Luật Chất lượng sản phẩm, hàng hóa", QH, D(2007, 11, 21), D(2008, 7, 1)),
    Legal("29/2013/QH13", "law", "Luật Khoa học và Công nghệ", QH, D(2013, 6, 18), D(2014, 1, 1)),
    Legal("08/2014/NĐ-CP", "decree", "Quy định chi tiết và hướng dẫn thi hành một số điều của Luật Khoa học và "
          "Công nghệ", CP, D(2014, 1, 27)),
    Legal("18/2008/QH12", "law", "Luật Năng lượng nguyên tử", QH, D(2008, 6, 3), D(2009, 1, 1)),
    # finance and business registration
    Legal("59/2020/QH14", "law", "Luật Doanh nghiệp", QH, D(2020, 6, 17), D(2021, 1, 1)),
    Legal("01/2021/NĐ-CP", "decree", "Về đăng ký doanh nghiệp", CP, D(2021, 1, 4), D(2021, 1, 4)),
    Legal("168/2025/NĐ-CP", "decree", "Về đăng ký doanh nghiệp", CP, D(2025, 6, 30), D(2025, 7, 1)),
    Legal("185/2015/TT-BTC", "circular", "Hướng dẫn đăng ký, cấp mã số, thay đổi, chuyển đổi và sử dụng mã số đơn vị "
          "có quan hệ với ngân sách", "Bộ Tài chính", D(2015, 11, 17)),
    # home affairs, labour and people with meritorious services
    Legal("45/2019/QH14", "law", "Bộ luật Lao động", QH, D(2019, 11, 20), D(2021, 1, 1)),
    Legal("152/2020/NĐ-CP", "decree", "Quy định về người lao động nước ngoài làm việc tại Việt Nam và tuyển dụng, "
          "quản lý người lao động Việt Nam làm việc cho tổ chức, cá nhân nước ngoài tại Việt Nam", CP,
          D(2020, 12, 30), D(2021, 2, 15), status="partly_amended",
          note="Được sửa đổi, bổ sung bởi Nghị định số 70/2023/NĐ-CP."),
    Legal("70/2023/NĐ-CP", "decree", "Sửa đổi, bổ sung một số điều của Nghị định số 152/2020/NĐ-CP", CP,
          D(2023, 9, 18), D(2023, 9, 18)),
    Legal("02/2020/UBTVQH14", "other", "Pháp lệnh Ưu đãi người có công với cách mạng", "Ủy ban Thường vụ Quốc hội",
          D(2020, 12, 9), D(2021, 7, 1)),
    Legal("131/2021/NĐ-CP", "decree", "Quy định chi tiết và biện pháp thi hành Pháp lệnh Ưu đãi người có công với "
          "cách mạng", CP, D(2021, 12, 30), D(2022, 2, 15)),
)}

# old → new: the old one is replaced (its citing procedures get a review task) when both are registered
REPLACEMENTS = (
    ("61/2018/NĐ-CP", "118/2025/NĐ-CP"),
    ("107/2021/NĐ-CP", "118/2025/NĐ-CP"),
    ("01/2011/QH13", "33/2024/QH15"),
    ("53/2014/QH13", "46/2024/QH15"),
    ("15/2021/NĐ-CP", "175/2024/NĐ-CP"),
    ("01/2021/NĐ-CP", "168/2025/NĐ-CP"),
)
REPLACED_BY = dict(REPLACEMENTS)
COMMON_LEGAL = ("TCVN ISO 9001:2015", "19/2014/QĐ-TTg", "101/2018/QĐ-TTg", "26/2014/TT-BKHCN", "61/2018/NĐ-CP",
                "107/2021/NĐ-CP", "118/2025/NĐ-CP", "30/2020/NĐ-CP", "45/2020/NĐ-CP", "63/2010/NĐ-CP",
                "92/2017/NĐ-CP", "01/2011/QH13", "33/2024/QH15")
ONE_STOP = "61/2018/NĐ-CP"

# --- the procedures ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Form:
    title: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Revised:
    """Issue 2 of a procedure: why, from when, and which cited documents it swaps."""

    summary: str
    effective: datetime.date
    swaps: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Proc:
    number: int
    title: str
    unit: str | None  # owning unit code; None: the office
    purpose: str
    scope: str
    content: str
    legal: tuple[str, ...] = ()
    forms: tuple[Form, ...] = ()
    record: tuple[str, int | None] | None = None  # (name, retention years; None: permanent)
    revised: Revised | None = None
    draft_only: bool = False
    kind: str = K.OPERATIONAL_PROCEDURE

    @property
    def code(self) -> str:
        return f"QT-{self.number:02d}"


DEFINITIONS = ("- TCVN ISO 9001:2015: Tiêu chuẩn quốc gia Hệ thống quản lý chất lượng - Các yêu cầu.\n"
               "- HTQLCL: Hệ thống quản lý chất lượng.\n- TTHC: Thủ tục hành chính.\n"
               "- Bộ phận Một cửa: Bộ phận tiếp nhận và trả kết quả giải quyết thủ tục hành chính.\n"
               "- Hệ thống thông tin: Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh.")


def tthc(*, legal: str, dossier: tuple[str, ...], limit: str, fee: str, steps: tuple[str, ...],
         place: str = "Bộ phận Một cửa hoặc nộp trực tuyến trên Cổng Dịch vụ công quốc gia.") -> str:
    """Section 5 of an operational procedure, as agencies write it."""
    lines = ["5.1 Cơ sở pháp lý", legal, "5.2 Thành phần hồ sơ", *(f"- {d}" for d in dossier),
             "5.3 Số lượng hồ sơ", "01 (một) bộ.", "5.4 Thời hạn giải quyết", limit,
             "5.5 Nơi tiếp nhận và trả kết quả", place, "5.6 Phí, lệ phí", fee,
             "5.7 Trình tự xử lý công việc", *(f"- Bước {i}: {s}" for i, s in enumerate(steps, start=1))]
    return "\n".join(lines)


def _system(number: int, title: str, purpose: str, content: str, legal: tuple[str, ...], forms: tuple[Form, ...],
            record: tuple[str, int | None]) -> Proc:
    return Proc(number, title, None, purpose,
                "Áp dụng đối với toàn bộ hoạt động thuộc phạm vi Hệ thống quản lý chất lượng của cơ quan.",
                content, legal, forms, record, kind=K.SYSTEM_PROCEDURE)


ISO_BASIS = ("TCVN ISO 9001:2015", "101/2018/QĐ-TTg", "26/2014/TT-BKHCN")
SYSTEM_PROCEDURES = (
    _system(1, "Quy trình kiểm soát thông tin dạng văn bản",
            "Quy định thống nhất cách thức soạn thảo, xem xét, phê duyệt, ban hành, phân phối, sửa đổi và kiểm soát "
            "tài liệu, hồ sơ của Hệ thống quản lý chất lượng, bảo đảm các đơn vị luôn sử dụng tài liệu có hiệu lực.",
            "5.1 Soạn thảo, xem xét và phê duyệt tài liệu\n- Đơn vị có nhu cầu lập Phiếu đề nghị ban hành, sửa đổi, "
            "hủy bỏ tài liệu (BM-01-QT01) gửi Thư ký ISO.\n- Trưởng đơn vị chủ trì soạn thảo; Thư ký ISO xem xét sự "
            "phù hợp với TCVN ISO 9001:2015; Thủ trưởng cơ quan phê duyệt.\n5.2 Ban hành và phân phối\nTài liệu "
            "được phê duyệt được cập nhật vào Danh mục tài liệu nội bộ và phân phối trên phần mềm ISO điện tử; "
            "người nhận xác nhận đã đọc. Tài liệu hết hiệu lực được đánh dấu \"HẾT HIỆU LỰC\" và thu hồi.\n"
            "5.3 Tài liệu có nguồn gốc bên ngoài\nThư ký ISO cập nhật văn bản quy phạm pháp luật liên quan; khi văn "
            "bản được sửa đổi, thay thế, các quy trình viện dẫn phải được rà soát, cập nhật trong thời hạn 03 "
            "tháng kể từ ngày văn bản mới có hiệu lực.\n5.4 Kiểm soát hồ sơ\nHằng năm các đơn vị lập Danh mục hồ sơ "
            "(BM-02-QT01); hồ sơ hết thời hạn bảo quản được thống kê, tiêu hủy theo quy định.",
            (*ISO_BASIS, "30/2020/NĐ-CP", "01/2011/QH13"),
            (Form("Phiếu đề nghị ban hành, sửa đổi, hủy bỏ tài liệu",
                  ("Đơn vị đề nghị", "Tên tài liệu", "Mã hiệu", "Nội dung đề nghị", "Lý do")),
             Form("Danh mục hồ sơ", ("Đơn vị", "Năm", "Mã hồ sơ", "Tên hồ sơ", "Thời hạn bảo quản", "Người lập"))),
            ("Hồ sơ ban hành, sửa đổi tài liệu", 10)),
    _system(2, "Quy trình đánh giá nội bộ",
            "Quy định việc lập kế hoạch, thực hiện và báo cáo đánh giá nội bộ nhằm xác định Hệ thống quản lý chất "
            "lượng phù hợp và được áp dụng, duy trì có hiệu lực.",
            "5.1 Lập chương trình đánh giá\nThư ký ISO lập Kế hoạch đánh giá nội bộ hằng năm (BM-01-QT02), ít nhất "
            "01 lần/năm, trình Trưởng Ban chỉ đạo ISO phê duyệt.\n5.2 Thực hiện đánh giá\n- Chuyên gia đánh giá "
            "không đánh giá công việc của chính đơn vị mình.\n- Phát hiện được ghi nhận, phân loại: không phù hợp "
            "nặng, không phù hợp nhẹ, khuyến nghị.\n5.3 Báo cáo và theo dõi\nTrưởng đoàn lập Báo cáo đánh giá nội "
            "bộ (BM-02-QT02); mỗi điểm không phù hợp phải có Phiếu yêu cầu hành động khắc phục.",
            ISO_BASIS,
            (Form("Kế hoạch đánh giá nội bộ", ("Mục đích", "Phạm vi", "Chuẩn mực", "Thời gian", "Đoàn đánh giá")),
             Form("Báo cáo đánh giá nội bộ", ("Đơn vị được đánh giá", "Điều khoản", "Phát hiện", "Kết luận"))),
            ("Hồ sơ đánh giá nội bộ", 5)),
    _system(3, "Quy trình kiểm soát đầu ra không phù hợp",
            "Bảo đảm kết quả giải quyết thủ tục hành chính không phù hợp được nhận biết và kiểm soát để ngăn ngừa "
            "việc chuyển giao cho tổ chức, cá nhân.",
            "5.1 Nhận biết\nKết quả sai sót, hồ sơ giải quyết quá hạn, phản ánh của người dân là đầu ra không phù "
            "hợp.\n5.2 Xử lý\nĐơn vị giải quyết khắc phục ngay, ghi Phiếu theo dõi (BM-01-QT03); hồ sơ quá hạn "
            "phải có Phiếu xin lỗi và hẹn lại ngày trả kết quả.\n5.3 Báo cáo\nThư ký ISO tổng hợp hằng quý, báo "
            "cáo lãnh đạo.", ISO_BASIS,
            (Form("Phiếu theo dõi kết quả đầu ra không phù hợp",
                  ("Mô tả sự không phù hợp", "Nguyên nhân", "Biện pháp xử lý", "Người thực hiện", "Ngày hoàn thành")),),
            ("Sổ theo dõi đầu ra không phù hợp", 3)),
    _system(4, "Quy trình hành động khắc phục",
            "Quy định cách thức xác định nguyên nhân và thực hiện hành động khắc phục sự không phù hợp, ngăn ngừa "
            "tái diễn.",
            "5.1 Yêu cầu khắc phục\nSự không phù hợp từ đánh giá nội bộ, khiếu nại, kiểm tra được ghi vào Phiếu yêu "
            "cầu hành động khắc phục (BM-01-QT04).\n5.2 Phân tích nguyên nhân và thực hiện\nTrưởng đơn vị phân tích "
            "nguyên nhân gốc rễ, đề xuất hành động, thời hạn hoàn thành.\n5.3 Kiểm tra hiệu lực\nThư ký ISO kiểm "
            "tra hiệu lực của hành động khắc phục và đóng phiếu.", ISO_BASIS,
            (Form("Phiếu yêu cầu hành động khắc phục",
                  ("Nguồn phát hiện", "Mô tả sự không phù hợp", "Nguyên nhân", "Hành động khắc phục", "Thời hạn",
                   "Kiểm tra hiệu lực")),),
            ("Hồ sơ hành động khắc phục", 5)),
    _system(5, "Quy trình quản lý rủi ro và cơ hội",
            "Xác định, đánh giá và xử lý các rủi ro, cơ hội có thể ảnh hưởng đến việc đạt được kết quả dự kiến của "
            "Hệ thống quản lý chất lượng.",
            "5.1 Nhận diện\nMỗi đơn vị nhận diện rủi ro, cơ hội của các quá trình do mình chủ trì.\n5.2 Đánh giá\n"
            "Mức độ rủi ro = Khả năng xảy ra × Mức độ ảnh hưởng (thang điểm 1-5); rủi ro từ 10 điểm trở lên phải có "
            "biện pháp xử lý.\n5.3 Theo dõi\nSổ đăng ký rủi ro và cơ hội (BM-01-QT05) được xem xét ít nhất 01 "
            "lần/năm.", ISO_BASIS,
            (Form("Sổ đăng ký rủi ro và cơ hội",
                  ("Quá trình", "Rủi ro/Cơ hội", "Khả năng", "Ảnh hưởng", "Biện pháp", "Người chịu trách nhiệm")),),
            ("Sổ đăng ký rủi ro và cơ hội", 5)),
    _system(6, "Quy trình xem xét của lãnh đạo",
            "Quy định việc lãnh đạo cơ quan xem xét Hệ thống quản lý chất lượng định kỳ để bảo đảm sự phù hợp, "
            "thỏa đáng, có hiệu lực và định hướng chiến lược.",
            "5.1 Chuẩn bị\nThư ký ISO tổng hợp đầu vào theo điều 9.3.2 TCVN ISO 9001:2015: kết quả đánh giá nội bộ, "
            "mức độ hài lòng, kết quả giải quyết TTHC, tình trạng hành động khắc phục, rủi ro và cơ hội.\n5.2 Họp "
            "xem xét\nTổ chức ít nhất 01 lần/năm, do Thủ trưởng cơ quan chủ trì; lập Biên bản (BM-01-QT06).\n5.3 "
            "Đầu ra\nCác quyết định về cơ hội cải tiến, nhu cầu thay đổi và nguồn lực được giao thực hiện, theo dõi "
            "đến khi hoàn thành.", ISO_BASIS,
            (Form("Biên bản họp xem xét của lãnh đạo", ("Thời gian", "Thành phần", "Nội dung xem xét", "Kết luận",
                                                        "Phân công thực hiện")),),
            ("Hồ sơ họp xem xét của lãnh đạo", 10)),
)

_TN = "Tiếp nhận, kiểm tra hồ sơ, cập nhật vào Hệ thống thông tin, lập Giấy tiếp nhận hồ sơ và hẹn trả kết quả " \
      "(Bộ phận Một cửa; 0,5 ngày làm việc)."
_TKQ = "Trả kết quả cho tổ chức, cá nhân, thu phí, lệ phí (nếu có) và lưu hồ sơ (Bộ phận Một cửa)."
ONE_STOP_FEE_FREE = "Không thu phí, lệ phí."

STP = (
    Proc(7, "Quy trình cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
         "HCTP", "Quy định trình tự, thời hạn và trách nhiệm giải quyết thủ tục cấp Phiếu lý lịch tư pháp, bảo đảm "
         "đúng pháp luật, đúng thời hạn.",
         "Áp dụng đối với Bộ phận Một cửa, Phòng Hành chính tư pháp và Lãnh đạo Sở Tư pháp.",
         tthc(legal="Luật Lý lịch tư pháp số 28/2009/QH12; Nghị định về thực hiện thủ tục hành chính theo cơ chế "
                    "một cửa, một cửa liên thông.",
              dossier=("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (BM-01-QT07);",
                       "Bản chụp Căn cước hoặc Hộ chiếu còn giá trị sử dụng của người được cấp Phiếu;",
                       "Văn bản ủy quyền (trường hợp ủy quyền làm thủ tục)."),
              limit="Không quá 10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ; trường hợp phải xác minh thì không "
                    "quá 15 ngày.",
              fee="200.000 đồng/Phiếu; sinh viên, người có công với cách mạng: 100.000 đồng/Phiếu.",
              steps=(_TN, "Tra cứu, xác minh thông tin lý lịch tư pháp, dự thảo Phiếu (Phòng Hành chính tư pháp; 7 "
                          "ngày làm việc).",
                     "Ký Phiếu lý lịch tư pháp (Lãnh đạo Sở; 1 ngày làm việc).", _TKQ)),
         ("28/2009/QH12", ONE_STOP, "45/2020/NĐ-CP"),
         (Form("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
               ("Họ và tên", "Ngày, tháng, năm sinh", "Nơi sinh", "Số Căn cước/Hộ chiếu", "Nơi thường trú",
                "Mục đích yêu cầu cấp Phiếu", "Số lượng Phiếu yêu cầu cấp")),
          Form("Sổ theo dõi cấp Phiếu lý lịch tư pháp", ("Số thứ tự", "Họ và tên", "Ngày nhận", "Ngày trả",
                                                          "Số Phiếu"))),
         ("Hồ sơ cấp Phiếu lý lịch tư pháp", 10),
         revised=Revised("Cập nhật căn cứ pháp lý theo Nghị định số 118/2025/NĐ-CP thay thế Nghị định số "
                         "61/2018/NĐ-CP; bổ sung tiếp nhận hồ sơ trực tuyến toàn trình.", D(2025, 9, 15),
                         ((ONE_STOP, "118/2025/NĐ-CP"),))),
    Proc(8, "Quy trình đăng ký hoạt động Văn phòng công chứng", "BTTP",
         "Quy định trình tự giải quyết thủ tục đăng ký hoạt động Văn phòng công chứng.",
         "Áp dụng đối với Bộ phận Một cửa, Phòng Bổ trợ tư pháp và Lãnh đạo Sở Tư pháp.",
         tthc(legal="Luật Công chứng số 53/2014/QH13.",
              dossier=("Đơn đề nghị đăng ký hoạt động Văn phòng công chứng;",
                       "Quyết định cho phép thành lập Văn phòng công chứng;",
                       "Giấy tờ chứng minh về trụ sở của Văn phòng công chứng."),
              limit="10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.", fee="Theo quy định của Bộ Tài chính.",
              steps=(_TN, "Thẩm định hồ sơ, dự thảo Giấy đăng ký hoạt động (Phòng Bổ trợ tư pháp; 8 ngày làm "
                          "việc).", "Ký duyệt (Lãnh đạo Sở; 1 ngày làm việc).", _TKQ)),
         ("53/2014/QH13", ONE_STOP),
         (Form("Đơn đề nghị đăng ký hoạt động Văn phòng công chứng",
               ("Tên Văn phòng công chứng", "Địa chỉ trụ sở", "Trưởng Văn phòng", "Danh sách công chứng viên")),),
         ("Hồ sơ đăng ký hoạt động Văn phòng công chứng", None)),
    Proc(9, "Quy trình đăng ký hoạt động của tổ chức hành nghề luật sư", "BTTP",
         "Quy định trình tự giải quyết thủ tục đăng ký hoạt động của văn phòng luật sư, công ty luật.",
         "Áp dụng đối với Bộ phận Một cửa, Phòng Bổ trợ tư pháp và Lãnh đạo Sở Tư pháp.",
         tthc(legal="Luật Luật sư số 65/2006/QH11 (sửa đổi, bổ sung năm 2012).",
              dossier=("Đơn đề nghị đăng ký hoạt động;", "Dự thảo Điều lệ (đối với công ty luật);",
                       "Bản sao Chứng chỉ hành nghề luật sư, Thẻ luật sư;", "Giấy tờ chứng minh về trụ sở."),
              limit="10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.", fee="100.000 đồng/hồ sơ.",
              steps=(_TN, "Thẩm định hồ sơ (Phòng Bổ trợ tư pháp; 8 ngày làm việc).",
                     "Ký Giấy đăng ký hoạt động (Lãnh đạo Sở; 1 ngày làm việc).", _TKQ)),
         ("65/2006/QH11", ONE_STOP),
         (Form("Đơn đề nghị đăng ký hoạt động của tổ chức hành nghề luật sư",
               ("Tên tổ chức hành nghề luật sư", "Hình thức", "Địa chỉ trụ sở", "Người đại diện theo pháp luật")),),
         ("Hồ sơ đăng ký hoạt động tổ chức hành nghề luật sư", None)),
    Proc(10, "Quy trình đăng ký hoạt động Trung tâm tư vấn pháp luật", "BTTP",
         "Quy định trình tự giải quyết thủ tục đăng ký hoạt động Trung tâm tư vấn pháp luật.",
         "Áp dụng đối với Bộ phận Một cửa và Phòng Bổ trợ tư pháp.", "Đang soạn thảo.", draft_only=True),
)

SXD = (
    Proc(7, "Quy trình cấp giấy phép xây dựng đối với công trình cấp đặc biệt, cấp I, cấp II", "QLXD",
         "Quy định trình tự, thời hạn giải quyết thủ tục cấp giấy phép xây dựng thuộc thẩm quyền của Sở Xây dựng.",
         "Áp dụng đối với Bộ phận Một cửa, Phòng Quản lý hoạt động xây dựng và Lãnh đạo Sở Xây dựng.",
         tthc(legal="Luật Xây dựng số 50/2014/QH13, được sửa đổi, bổ sung bởi Luật số 62/2020/QH14; các nghị định "
                    "hướng dẫn thi hành.",
              dossier=("Đơn đề nghị cấp giấy phép xây dựng (BM-01-QT07);",
                       "Bản sao giấy tờ chứng minh quyền sử dụng đất;",
                       "Bản vẽ thiết kế xây dựng và kết quả thẩm định thiết kế;",
                       "Bản kê khai năng lực, kinh nghiệm của tổ chức thiết kế."),
              limit="20 ngày kể từ ngày nhận đủ hồ sơ hợp lệ.", fee="Theo Nghị quyết của Hội đồng nhân dân tỉnh.",
              steps=(_TN, "Kiểm tra thực địa, thẩm định hồ sơ, dự thảo giấy phép (Phòng Quản lý hoạt động xây "
                          "dựng; 17 ngày).", "Ký giấy phép (Lãnh đạo Sở; 2 ngày).", _TKQ)),
         ("50/2014/QH13", "62/2020/QH14", "15/2021/NĐ-CP", ONE_STOP),
         (Form("Đơn đề nghị cấp giấy phép xây dựng",
               ("Tên chủ đầu tư", "Địa điểm xây dựng", "Loại, cấp công trình", "Diện tích xây dựng",
                "Tổng diện tích sàn", "Chiều cao công trình")),),
         ("Hồ sơ cấp giấy phép xây dựng", None),
         revised=Revised("Cập nhật theo Nghị định số 175/2024/NĐ-CP thay thế Nghị định số 15/2021/NĐ-CP.",
                         D(2025, 3, 15), (("15/2021/NĐ-CP", "175/2024/NĐ-CP"),))),
    Proc(8, "Quy trình thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở", "QLXD",
         "Quy định trình tự thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở tại Sở Xây dựng.",
         "Áp dụng đối với Bộ phận Một cửa, Phòng Quản lý hoạt động xây dựng và Lãnh đạo Sở Xây dựng.",
         tthc(legal="Luật Xây dựng số 50/2014/QH13, được sửa đổi, bổ sung bởi Luật số 62/2020/QH14.",
              dossier=("Tờ trình thẩm định thiết kế xây dựng;", "Hồ sơ thiết kế xây dựng;",
                       "Báo cáo kết quả thẩm tra thiết kế (nếu có)."),
              limit="30 ngày đối với công trình cấp I, cấp đặc biệt; 20 ngày đối với công trình cấp II, cấp III.",
              fee="Phí thẩm định thiết kế theo quy định của Bộ Tài chính.",
              steps=(_TN, "Thẩm định hồ sơ, lấy ý kiến cơ quan liên quan (Phòng Quản lý hoạt động xây dựng).",
                     "Ký Thông báo kết quả thẩm định (Lãnh đạo Sở).", _TKQ)),
         ("50/2014/QH13", "62/2020/QH14", "15/2021/NĐ-CP", ONE_STOP),
         (Form("Tờ trình thẩm định thiết kế xây dựng", ("Tên công trình", "Chủ đầu tư", "Địa điểm",
                                                          "Loại, cấp công trình", "Danh mục hồ sơ kèm theo")),),
         ("Hồ sơ thẩm định thiết kế xây dựng", 20)),
    Proc(9, "Quy trình cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III", "QLXD",
         "Quy định trình tự cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III cho cá nhân.",
         "Áp dụng đối với Bộ phận Một cửa, Phòng Quản lý hoạt động xây dựng và Hội đồng xét cấp chứng chỉ.",
         tthc(legal="Luật Xây dựng số 50/2014/QH13, được sửa đổi, bổ sung bởi Luật số 62/2020/QH14.",
              dossier=("Đơn đề nghị cấp chứng chỉ hành nghề;", "Văn bằng do cơ sở đào tạo hợp pháp cấp;",
                       "Bản khai kinh nghiệm công việc chuyên môn."),
              limit="20 ngày kể từ ngày nhận đủ hồ sơ hợp lệ.", fee="300.000 đồng/chứng chỉ.",
              steps=(_TN, "Sát hạch, xét cấp chứng chỉ (Hội đồng xét cấp chứng chỉ; 17 ngày).",
                     "Ký chứng chỉ (Lãnh đạo Sở; 2 ngày).", _TKQ)),
         ("50/2014/QH13", "62/2020/QH14", "15/2021/NĐ-CP", ONE_STOP),
         (Form("Đơn đề nghị cấp chứng chỉ hành nghề hoạt động xây dựng",
               ("Họ và tên", "Số Căn cước", "Trình độ chuyên môn", "Lĩnh vực đề nghị cấp", "Hạng đề nghị")),),
         ("Hồ sơ cấp chứng chỉ hành nghề hoạt động xây dựng", 10),
         revised=Revised("Cập nhật theo Nghị định số 175/2024/NĐ-CP và Nghị định số 118/2025/NĐ-CP.",
                         D(2025, 9, 15), (("15/2021/NĐ-CP", "175/2024/NĐ-CP"), (ONE_STOP, "118/2025/NĐ-CP")))),
    Proc(10, "Quy trình cấp chứng chỉ năng lực hoạt động xây dựng hạng II, hạng III", "QLXD",
         "Quy định trình tự cấp chứng chỉ năng lực hoạt động xây dựng cho tổ chức.",
         "Áp dụng đối với Bộ phận Một cửa và Phòng Quản lý hoạt động xây dựng.", "Đang soạn thảo.", draft_only=True),
)

SKHCN = (
    Proc(7, "Quy trình tiếp nhận hồ sơ công bố hợp quy sản phẩm, hàng hóa", "TDC",
         "Quy định trình tự tiếp nhận, xử lý hồ sơ công bố hợp quy của tổ chức, cá nhân sản xuất, kinh doanh.",
         "Áp dụng đối với Bộ phận Một cửa và Phòng Tiêu chuẩn Đo lường Chất lượng.",
         tthc(legal="Luật Tiêu chuẩn và Quy chuẩn kỹ thuật số 68/2006/QH11; Luật Chất lượng sản phẩm, hàng hóa số "
                    "05/2007/QH12.",
              dossier=("Bản công bố hợp quy;", "Giấy chứng nhận hợp quy do tổ chức chứng nhận cấp hoặc báo cáo tự "
                                               "đánh giá;", "Bản mô tả chung về sản phẩm, hàng hóa."),
              limit="05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.", fee=ONE_STOP_FEE_FREE,
              steps=(_TN, "Kiểm tra hồ sơ, dự thảo Thông báo tiếp nhận (Phòng TĐC; 3,5 ngày làm việc).",
                     "Ký Thông báo tiếp nhận (Lãnh đạo Sở; 0,5 ngày làm việc).", _TKQ)),
         ("68/2006/QH11", "05/2007/QH12", ONE_STOP),
         (Form("Bản công bố hợp quy", ("Tên tổ chức, cá nhân", "Địa chỉ", "Tên sản phẩm, hàng hóa",
                                       "Số hiệu quy chuẩn kỹ thuật", "Phương thức đánh giá")),),
         ("Hồ sơ công bố hợp quy", 5),
         revised=Revised("Cập nhật căn cứ Nghị định số 118/2025/NĐ-CP; rút ngắn thời gian kiểm tra hồ sơ.",
                         D(2025, 9, 15), ((ONE_STOP, "118/2025/NĐ-CP"),))),
    Proc(8, "Quy trình cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", "QLKH",
         "Quy định trình tự cấp Giấy chứng nhận đăng ký hoạt động cho tổ chức khoa học và công nghệ.",
         "Áp dụng đối với Bộ phận Một cửa và Phòng Quản lý khoa học.",
         tthc(legal="Luật Khoa học và Công nghệ số 29/2013/QH13; Nghị định số 08/2014/NĐ-CP.",
              dossier=("Đơn đăng ký hoạt động khoa học và công nghệ;", "Quyết định thành lập tổ chức;",
                       "Điều lệ tổ chức và hoạt động;", "Hồ sơ nhân lực, trụ sở."),
              limit="15 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.", fee="Theo quy định của Bộ Tài chính.",
              steps=(_TN, "Thẩm định hồ sơ (Phòng Quản lý khoa học; 13 ngày làm việc).",
                     "Ký Giấy chứng nhận (Lãnh đạo Sở; 1 ngày làm việc).", _TKQ)),
         ("29/2013/QH13", "08/2014/NĐ-CP", ONE_STOP),
         (Form("Đơn đăng ký hoạt động khoa học và công nghệ",
               ("Tên tổ chức", "Cơ quan quyết định thành lập", "Lĩnh vực hoạt động", "Địa chỉ trụ sở")),),
         ("Hồ sơ đăng ký hoạt động khoa học và công nghệ", None)),
    Proc(9, "Quy trình cấp giấy phép tiến hành công việc bức xạ (sử dụng thiết bị X-quang chẩn đoán trong y tế)",
         "TDC", "Quy định trình tự cấp giấy phép sử dụng thiết bị X-quang chẩn đoán trong y tế.",
         "Áp dụng đối với Bộ phận Một cửa và Phòng Tiêu chuẩn Đo lường Chất lượng.",
         tthc(legal="Luật Năng lượng nguyên tử số 18/2008/QH12.",
              dossier=("Đơn đề nghị cấp giấy phép;", "Báo cáo đánh giá an toàn bức xạ;",
                       "Chứng chỉ nhân viên bức xạ của người phụ trách an toàn."),
              limit="15 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.", fee="Theo quy định của Bộ Tài chính.",
              steps=(_TN, "Thẩm định hồ sơ, kiểm tra thực tế (Phòng TĐC).", "Ký giấy phép (Lãnh đạo Sở).", _TKQ)),
         ("18/2008/QH12", ONE_STOP),
         (Form("Đơn đề nghị cấp giấy phép tiến hành công việc bức xạ",
               ("Tên cơ sở", "Địa chỉ", "Thiết bị X-quang", "Người phụ trách an toàn bức xạ")),),
         ("Hồ sơ cấp giấy phép tiến hành công việc bức xạ", 10)),
    Proc(10, "Quy trình tiếp nhận bản công bố hợp chuẩn", "TDC",
         "Quy định trình tự tiếp nhận bản công bố hợp chuẩn.", "Áp dụng đối với Phòng TĐC.", "Đang soạn thảo.",
         draft_only=True),
)

_DKDN = ("59/2020/QH14", "01/2021/NĐ-CP", ONE_STOP)
STC = (
    Proc(7, "Quy trình đăng ký thành lập doanh nghiệp", "DKKD",
         "Quy định trình tự đăng ký thành lập doanh nghiệp tư nhân, công ty trách nhiệm hữu hạn, công ty cổ phần, "
         "công ty hợp danh.",
         "Áp dụng đối với Bộ phận Một cửa và Phòng Đăng ký kinh doanh.",
         tthc(legal="Luật Doanh nghiệp số 59/2020/QH14; Nghị định về đăng ký doanh nghiệp.",
              dossier=("Giấy đề nghị đăng ký doanh nghiệp;", "Điều lệ công ty (trừ doanh nghiệp tư nhân);",
                       "Danh sách thành viên hoặc cổ đông sáng lập;",
                       "Bản sao giấy tờ pháp lý của cá nhân, tổ chức thành lập."),
              limit="03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.",
              fee="50.000 đồng/lần; miễn lệ phí khi đăng ký qua mạng thông tin điện tử.",
              place="Nộp trực tuyến trên Cổng thông tin quốc gia về đăng ký doanh nghiệp hoặc tại Bộ phận Một cửa.",
              steps=(_TN, "Xem xét tính hợp lệ, cấp Giấy chứng nhận đăng ký doanh nghiệp (Phòng Đăng ký kinh doanh; "
                          "2 ngày làm việc).", _TKQ)),
         _DKDN,
         (Form("Giấy đề nghị đăng ký doanh nghiệp", ("Tên doanh nghiệp", "Loại hình", "Địa chỉ trụ sở chính",
                                                     "Ngành, nghề kinh doanh", "Vốn điều lệ",
                                                     "Người đại diện theo pháp luật")),),
         ("Hồ sơ đăng ký doanh nghiệp", None),
         revised=Revised("Cập nhật theo Nghị định số 168/2025/NĐ-CP về đăng ký doanh nghiệp và Nghị định số "
                         "118/2025/NĐ-CP.", D(2025, 8, 1),
                         (("01/2021/NĐ-CP", "168/2025/NĐ-CP"), (ONE_STOP, "118/2025/NĐ-CP")))),
    Proc(8, "Quy trình đăng ký thay đổi nội dung đăng ký doanh nghiệp", "DKKD",
         "Quy định trình tự đăng ký thay đổi nội dung Giấy chứng nhận đăng ký doanh nghiệp.",
         "Áp dụng đối với Bộ phận Một cửa và Phòng Đăng ký kinh doanh.",
         tthc(legal="Luật Doanh nghiệp số 59/2020/QH14; Nghị định về đăng ký doanh nghiệp.",
              dossier=("Thông báo thay đổi nội dung đăng ký doanh nghiệp;",
                       "Nghị quyết, quyết định của chủ sở hữu hoặc Hội đồng thành viên về việc thay đổi."),
              limit="03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.", fee="50.000 đồng/lần.",
              steps=(_TN, "Xem xét hồ sơ, cập nhật thay đổi (Phòng Đăng ký kinh doanh; 2 ngày làm việc).", _TKQ)),
         _DKDN,
         (Form("Thông báo thay đổi nội dung đăng ký doanh nghiệp",
               ("Tên doanh nghiệp", "Mã số doanh nghiệp", "Nội dung thay đổi", "Ngày quyết định thay đổi")),),
         ("Hồ sơ thay đổi nội dung đăng ký doanh nghiệp", None)),
    Proc(9, "Quy trình cấp mã số đơn vị có quan hệ với ngân sách", "QLNS",
         "Quy định trình tự đăng ký, cấp mã số đơn vị có quan hệ với ngân sách.",
         "Áp dụng đối với Bộ phận Một cửa và Phòng Quản lý ngân sách.",
         tthc(legal="Thông tư số 185/2015/TT-BTC của Bộ Tài chính.",
              dossier=("Tờ khai đăng ký mã số đơn vị có quan hệ với ngân sách;",
                       "Bản sao quyết định thành lập đơn vị."),
              limit="02 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.", fee=ONE_STOP_FEE_FREE,
              steps=(_TN, "Kiểm tra, cấp mã số trên hệ thống (Phòng Quản lý ngân sách; 1 ngày làm việc).", _TKQ)),
         ("185/2015/TT-BTC", ONE_STOP),
         (Form("Tờ khai đăng ký mã số đơn vị có quan hệ với ngân sách",
               ("Tên đơn vị", "Cơ quan chủ quản", "Địa chỉ", "Loại hình đơn vị")),),
         ("Hồ sơ cấp mã số đơn vị có quan hệ với ngân sách", 10)),
    Proc(10, "Quy trình thẩm tra quyết toán dự án hoàn thành", "QLNS",
         "Quy định trình tự thẩm tra, phê duyệt quyết toán dự án hoàn thành.", "Áp dụng đối với Phòng Quản lý "
         "ngân sách.", "Đang soạn thảo.", draft_only=True),
)

SNV = (
    Proc(7, "Quy trình cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam", "VLATLD",
         "Quy định trình tự cấp giấy phép lao động cho người lao động nước ngoài.",
         "Áp dụng đối với Bộ phận Một cửa và Phòng Việc làm - An toàn lao động.",
         tthc(legal="Bộ luật Lao động số 45/2019/QH14; Nghị định số 152/2020/NĐ-CP, được sửa đổi, bổ sung bởi Nghị "
                    "định số 70/2023/NĐ-CP.",
              dossier=("Văn bản đề nghị cấp giấy phép lao động của người sử dụng lao động;",
                       "Giấy chứng nhận sức khỏe;", "Phiếu lý lịch tư pháp;",
                       "Văn bản chứng minh là nhà quản lý, giám đốc điều hành, chuyên gia hoặc lao động kỹ thuật."),
              limit="05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.", fee="Theo Nghị quyết của HĐND tỉnh.",
              steps=(_TN, "Thẩm định hồ sơ (Phòng Việc làm - An toàn lao động; 3 ngày làm việc).",
                     "Ký giấy phép (Lãnh đạo Sở; 1 ngày làm việc).", _TKQ)),
         ("45/2019/QH14", "152/2020/NĐ-CP", "70/2023/NĐ-CP", ONE_STOP),
         (Form("Văn bản đề nghị cấp giấy phép lao động", ("Tên người sử dụng lao động", "Họ tên người lao động",
                                                          "Quốc tịch", "Số hộ chiếu", "Vị trí công việc",
                                                          "Thời hạn làm việc")),),
         ("Hồ sơ cấp giấy phép lao động", 10)),
    Proc(8, "Quy trình giải quyết chế độ trợ cấp một lần đối với thân nhân người có công với cách mạng từ trần",
         "NCC", "Quy định trình tự giải quyết chế độ trợ cấp một lần khi người có công với cách mạng từ trần.",
         "Áp dụng đối với Bộ phận Một cửa và Phòng Người có công.",
         tthc(legal="Pháp lệnh Ưu đãi người có công với cách mạng số 02/2020/UBTVQH14; Nghị định số "
                    "131/2021/NĐ-CP.",
              dossier=("Bản khai của thân nhân;", "Bản sao trích lục khai tử;",
                       "Văn bản ủy quyền (nếu có)."),
              limit="12 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.", fee=ONE_STOP_FEE_FREE,
              steps=(_TN, "Thẩm định hồ sơ, dự thảo quyết định (Phòng Người có công; 10 ngày làm việc).",
                     "Ký quyết định (Lãnh đạo Sở; 1 ngày làm việc).", _TKQ)),
         ("02/2020/UBTVQH14", "131/2021/NĐ-CP", ONE_STOP),
         (Form("Bản khai của thân nhân người có công từ trần", ("Họ tên người khai", "Quan hệ với người có công",
                                                                  "Họ tên người có công", "Ngày từ trần")),),
         ("Hồ sơ giải quyết chế độ người có công", None)),
    Proc(9, "Quy trình thẩm định hồ sơ đề nghị nâng ngạch công chức", "CCVC",
         "Quy định trình tự thẩm định hồ sơ nâng ngạch công chức.", "Áp dụng đối với Phòng Công chức, viên chức.",
         "Đang soạn thảo.", draft_only=True),
)

TTPVHCC = (
    Proc(7, "Quy trình tiếp nhận, số hóa hồ sơ và trả kết quả giải quyết thủ tục hành chính", "TNTKQ",
         "Quy định việc tiếp nhận, số hóa hồ sơ, kết quả giải quyết TTHC và trả kết quả tại Trung tâm.",
         "Áp dụng đối với Bộ phận tiếp nhận và trả kết quả của Trung tâm và các sở, ngành cử công chức làm việc.",
         tthc(legal="Nghị định số 118/2025/NĐ-CP; Nghị định số 45/2020/NĐ-CP.",
              dossier=("Hồ sơ theo quy định của từng thủ tục hành chính.",),
              limit="Theo thời hạn của từng thủ tục hành chính.", fee="Theo quy định của từng thủ tục hành chính.",
              steps=("Hướng dẫn, tiếp nhận hồ sơ, số hóa thành phần hồ sơ (Bộ phận tiếp nhận; ngay khi tiếp nhận).",
                     "Chuyển hồ sơ điện tử đến cơ quan giải quyết (Bộ phận tiếp nhận; trong ngày).",
                     "Nhận kết quả, số hóa kết quả và trả cho tổ chức, cá nhân (Bộ phận tiếp nhận).")),
         ("118/2025/NĐ-CP", "45/2020/NĐ-CP"),
         (Form("Phiếu kiểm soát quá trình giải quyết hồ sơ", ("Mã hồ sơ", "Tên thủ tục", "Bước", "Người giao",
                                                               "Người nhận", "Thời gian", "Kết quả")),),
         ("Sổ theo dõi hồ sơ", 5)),
    Proc(8, "Quy trình tiếp nhận và xử lý phản ánh, kiến nghị của tổ chức, cá nhân", "HCTH",
         "Quy định việc tiếp nhận, xử lý phản ánh, kiến nghị về giải quyết TTHC tại Trung tâm.",
         "Áp dụng đối với Phòng Hành chính - Tổng hợp và Bộ phận tiếp nhận và trả kết quả.",
         tthc(legal="Nghị định số 20/2008/NĐ-CP; Nghị định số 118/2025/NĐ-CP.",
              dossier=("Phản ánh, kiến nghị bằng văn bản, qua điện thoại, Cổng Dịch vụ công hoặc hộp thư góp ý.",),
              limit="10 ngày làm việc kể từ ngày tiếp nhận.", fee=ONE_STOP_FEE_FREE,
              steps=("Tiếp nhận, phân loại phản ánh, kiến nghị (Phòng Hành chính - Tổng hợp).",
                     "Chuyển cơ quan có thẩm quyền xử lý, theo dõi kết quả.",
                     "Thông báo kết quả cho tổ chức, cá nhân, công khai trên Cổng thông tin.")),
         ("20/2008/NĐ-CP", "118/2025/NĐ-CP"), (), ("Hồ sơ xử lý phản ánh, kiến nghị", 5)),
)

UBNDT = (
    Proc(7, "Quy trình công bố danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của tỉnh", "KSTT",
         "Quy định trình tự dự thảo, trình Chủ tịch UBND tỉnh công bố danh mục thủ tục hành chính.",
         "Áp dụng đối với Phòng Kiểm soát thủ tục hành chính và các sở, ngành có thủ tục hành chính.",
         tthc(legal="Nghị định số 63/2010/NĐ-CP, được sửa đổi, bổ sung bởi Nghị định số 92/2017/NĐ-CP.",
              dossier=("Tờ trình của sở, ngành kèm dự thảo Quyết định công bố.",),
              limit="05 ngày làm việc trước ngày văn bản quy phạm pháp luật có quy định về TTHC có hiệu lực.",
              fee=ONE_STOP_FEE_FREE, place="Văn phòng UBND tỉnh.",
              steps=("Kiểm soát chất lượng dự thảo (Phòng Kiểm soát TTHC; 3 ngày làm việc).",
                     "Trình Chủ tịch UBND tỉnh ký Quyết định công bố (Lãnh đạo Văn phòng; 1 ngày làm việc).",
                     "Công khai trên Cơ sở dữ liệu quốc gia về TTHC (Phòng Kiểm soát TTHC).")),
         ("63/2010/NĐ-CP", "92/2017/NĐ-CP", ONE_STOP), (), ("Hồ sơ công bố thủ tục hành chính", 10)),
    Proc(8, "Quy trình tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính", "KSTT",
         "Quy định trình tự tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính.",
         "Áp dụng đối với Phòng Kiểm soát thủ tục hành chính.",
         tthc(legal="Nghị định số 20/2008/NĐ-CP; Nghị định số 63/2010/NĐ-CP.",
              dossier=("Phản ánh, kiến nghị của cá nhân, tổ chức.",), limit="10 ngày làm việc.",
              fee=ONE_STOP_FEE_FREE, place="Văn phòng UBND tỉnh; Hệ thống tiếp nhận, trả lời phản ánh, kiến nghị.",
              steps=("Tiếp nhận, phân loại (Phòng Kiểm soát TTHC).", "Chuyển cơ quan có thẩm quyền xử lý.",
                     "Theo dõi, đôn đốc và công khai kết quả.")),
         ("20/2008/NĐ-CP", "63/2010/NĐ-CP"), (), ("Hồ sơ xử lý phản ánh, kiến nghị", 5)),
)

_HT = "60/2014/QH13", "123/2015/NĐ-CP", ONE_STOP
COMMUNE = (
    Proc(7, "Quy trình đăng ký khai sinh", "PVHCC",
         "Quy định trình tự đăng ký khai sinh tại UBND cấp xã, bảo đảm giải quyết ngay trong ngày.",
         "Áp dụng đối với Trung tâm Phục vụ hành chính công và công chức tư pháp - hộ tịch.",
         tthc(legal="Luật Hộ tịch số 60/2014/QH13; Nghị định số 123/2015/NĐ-CP.",
              dossier=("Tờ khai đăng ký khai sinh (BM-01-QT07);", "Giấy chứng sinh hoặc văn bản của người làm chứng;",
                       "Giấy tờ tùy thân của người đi đăng ký."),
              limit="Ngay trong ngày tiếp nhận hồ sơ; nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc "
                    "tiếp theo.", fee="Miễn lệ phí đăng ký khai sinh đúng hạn.",
              steps=(_TN, "Kiểm tra, ghi Sổ hộ tịch, trình ký Giấy khai sinh (Công chức tư pháp - hộ tịch).",
                     "Ký Giấy khai sinh (Chủ tịch hoặc Phó Chủ tịch UBND).", _TKQ)),
         _HT, (Form("Tờ khai đăng ký khai sinh", ("Họ, chữ đệm, tên người được khai sinh", "Ngày, tháng, năm sinh",
                                                  "Giới tính", "Nơi sinh", "Họ tên cha", "Họ tên mẹ",
                                                  "Người đi khai sinh")),),
         ("Hồ sơ đăng ký khai sinh", None)),
    Proc(8, "Quy trình đăng ký kết hôn", "PVHCC", "Quy định trình tự đăng ký kết hôn tại UBND cấp xã.",
         "Áp dụng đối với Trung tâm Phục vụ hành chính công và công chức tư pháp - hộ tịch.",
         tthc(legal="Luật Hộ tịch số 60/2014/QH13; Nghị định số 123/2015/NĐ-CP.",
              dossier=("Tờ khai đăng ký kết hôn;", "Giấy xác nhận tình trạng hôn nhân (trường hợp cư trú nơi khác)."),
              limit="Ngay trong ngày; trường hợp cần xác minh không quá 05 ngày làm việc.",
              fee="Miễn lệ phí.", steps=(_TN, "Kiểm tra điều kiện kết hôn, ghi Sổ hộ tịch (Công chức tư pháp - "
                                              "hộ tịch).", "Ký Giấy chứng nhận kết hôn (Chủ tịch UBND).",
                                         "Tổ chức trao Giấy chứng nhận kết hôn cho hai bên nam, nữ.")),
         _HT, (Form("Tờ khai đăng ký kết hôn", ("Họ tên bên nữ", "Họ tên bên nam", "Ngày sinh", "Nơi cư trú",
                                                "Số giấy tờ tùy thân")),),
         ("Hồ sơ đăng ký kết hôn", None)),
    Proc(9, "Quy trình chứng thực bản sao từ bản chính giấy tờ, văn bản", "PVHCC",
         "Quy định trình tự chứng thực bản sao từ bản chính tại UBND cấp xã.",
         "Áp dụng đối với Trung tâm Phục vụ hành chính công.",
         tthc(legal="Nghị định số 23/2015/NĐ-CP.", dossier=("Bản chính giấy tờ, văn bản và bản sao cần chứng thực.",),
              limit="Trong ngày làm việc; nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo.",
              fee="2.000 đồng/trang; từ trang thứ ba trở lên 1.000 đồng/trang, tối đa 200.000 đồng/bản.",
              steps=("Tiếp nhận, đối chiếu bản sao với bản chính (Trung tâm PVHCC).",
                     "Ký chứng thực, đóng dấu (Chủ tịch hoặc Phó Chủ tịch UBND).", "Ghi sổ chứng thực, trả kết quả.")),
         ("23/2015/NĐ-CP", ONE_STOP), (), ("Sổ chứng thực bản sao từ bản chính", 2)),
    Proc(10, "Quy trình chứng thực chữ ký trong các giấy tờ, văn bản", "PVHCC",
         "Quy định trình tự chứng thực chữ ký tại UBND cấp xã.", "Áp dụng đối với Trung tâm Phục vụ hành chính công.",
         tthc(legal="Nghị định số 23/2015/NĐ-CP.",
              dossier=("Giấy tờ tùy thân còn giá trị sử dụng;", "Giấy tờ, văn bản cần chứng thực chữ ký."),
              limit="Trong ngày làm việc.", fee="10.000 đồng/trường hợp.",
              steps=("Tiếp nhận, kiểm tra giấy tờ; người yêu cầu ký trước mặt người tiếp nhận.",
                     "Ký chứng thực (Chủ tịch hoặc Phó Chủ tịch UBND).", "Ghi sổ chứng thực, trả kết quả.")),
         ("23/2015/NĐ-CP", ONE_STOP), (), ("Sổ chứng thực chữ ký", 20)),
    Proc(11, "Quy trình đăng ký khai tử", "PVHCC", "Quy định trình tự đăng ký khai tử.",
         "Áp dụng đối với Trung tâm Phục vụ hành chính công.", "Đang soạn thảo.", draft_only=True),
)

# --- the agencies -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What one agency keeps. ``start``: when its documented system took effect (issue 1)."""

    start: datetime.date
    procedures: tuple[Proc, ...]
    legal: tuple[str, ...] = ()  # besides COMMON_LEGAL
    office: str = "VP"  # the unit owning the system documents
    old_file_list: int | None = None  # a past year's file list of the office, with files past retention
    scope_note: str = ""
    extra: dict = field(default_factory=dict)


COMMUNE_LEGAL = ("60/2014/QH13", "123/2015/NĐ-CP", "23/2015/NĐ-CP")
PLANS = {
    "UBNDT": Plan(D(2024, 1, 15), UBNDT, ("20/2008/NĐ-CP",)),
    "SKHCN": Plan(D(2023, 6, 1), SKHCN, ("68/2006/QH11", "05/2007/QH12", "29/2013/QH13", "08/2014/NĐ-CP",
                                         "18/2008/QH12"), old_file_list=2019),
    "STP": Plan(D(2023, 6, 1), STP, ("28/2009/QH12", "53/2014/QH13", "46/2024/QH15", "65/2006/QH11",
                                     *COMMUNE_LEGAL), old_file_list=2019),
    "SXD": Plan(D(2023, 7, 1), SXD, ("50/2014/QH13", "62/2020/QH14", "15/2021/NĐ-CP", "175/2024/NĐ-CP"),
                old_file_list=2019),
    "STC": Plan(D(2025, 6, 1), STC, ("59/2020/QH14", "01/2021/NĐ-CP", "168/2025/NĐ-CP", "185/2015/TT-BTC")),
    "SNV": Plan(D(2025, 6, 1), SNV, ("45/2019/QH14", "152/2020/NĐ-CP", "70/2023/NĐ-CP", "02/2020/UBTVQH14",
                                     "131/2021/NĐ-CP")),
    "TTPVHCC": Plan(D(2025, 9, 1), TTPVHCC, ("20/2008/NĐ-CP",), office="HCTH"),
    "P-TRUONGVINH": Plan(D(2025, 9, 15), COMMUNE, COMMUNE_LEGAL),
    "P-THANHVINH": Plan(D(2025, 10, 1), COMMUNE, COMMUNE_LEGAL),
    "X-KIMLIEN": Plan(D(2025, 10, 1), COMMUNE, COMMUNE_LEGAL),
}

# --- the Word files of the forms ------------------------------------------------------------------------------


@functools.cache
def _form_template() -> bytes:
    """An empty A4 page in Times New Roman 13 pt with the margins of NĐ 30/2020 (styled once)."""
    from docx.shared import Mm, Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def form_docx(agency_name: str, code: str, title: str, fields: tuple[str, ...]) -> bytes:
    """A printable form: agency, code, title, one dotted line per field, place for the signature."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document(io.BytesIO(_form_template()))
    top = document.add_table(rows=1, cols=2)
    left, right = top.rows[0].cells
    left.paragraphs[0].add_run(agency_name.upper()).bold = True
    right.paragraphs[0].add_run(code).bold = True
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    national = document.add_paragraph()
    national.alignment = WD_ALIGN_PARAGRAPH.CENTER
    national.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n").bold = True
    national.add_run("Độc lập - Tự do - Hạnh phúc").bold = True
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title.upper())
    run.bold, run.font.size = True, Pt(14)
    for label in fields:
        document.add_paragraph(f"{label}: " + "." * max(20, 90 - 2 * len(label)))
    signature = document.add_paragraph("\n…, ngày … tháng … năm …\nNGƯỜI LẬP\n(Ký, ghi rõ họ tên)")
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- the loader ----------------------------------------------------------------------------------------------


def _memberships(agency):
    return Membership.objects.filter(agency=agency, valid_to__isnull=True, user__is_active=True).select_related(
        "user", "unit").prefetch_related("role_rows")


class _AgencyDocuments:
    def __init__(self, agency: Agency, plan: Plan, today: datetime.date, created: Counter):
        self.agency, self.plan, self.today, self.created = agency, plan, today, created
        self.units = {u.code: u for u in agency.units.filter(is_active=True)}
        people = list(_memberships(agency))
        self.members = [m.user for m in people]
        self.head = next((m.user for m in people if Role.AGENCY_HEAD in m.roles), None)
        self.secretary = next((m.user for m in people if Role.QMS_SECRETARY in m.roles), None)
        self.unit_heads = {m.unit.code: m.user for m in people if Role.UNIT_HEAD in m.roles and m.unit}
        self.staff = [m.user for m in people if Role.STAFF in m.roles]
        self.externals: dict[str, ExternalDocument] = {}
        self.documents: dict[str, Document] = {}

    # people
    def drafter(self, unit_code: str | None):
        return self.unit_heads.get(unit_code or self.plan.office) or self.secretary

    def reviewer(self, drafter):
        return self.secretary if self.secretary is not None and self.secretary != drafter else None

    # documents and revisions
    def document(self, code: str, title: str, kind: str, unit_code: str | None, parent=None) -> Document:
        document = services.document_create(actor=self.secretary, agency=self.agency, code=code, title=title,
                                            kind=kind, owner_unit=self.units.get(unit_code or self.plan.office),
                                            parent=parent)
        self.documents[code] = document
        self.created["documents"] += 1
        return document

    def revision(self, document, *, drafter, content: str, summary: str, effective: datetime.date,
                 sections: dict | None = None, files: tuple[tuple[str, bytes], ...] = ()):
        revision = services.revision_create(actor=drafter, document=document, change_summary=summary,
                                            content=content, effective_date=effective)
        if sections:
            revision = services.revision_update(actor=drafter, revision=revision, sections=sections)
        for name, data in files:
            services.revision_file_add(actor=drafter, revision=revision, uploaded=SimpleUploadedFile(name, data))
            self.created["files"] += 1
        self.created["revisions"] += 1
        return revision

    def publish(self, document, *, unit_code: str | None, content: str, summary: str, effective: datetime.date,
                sections: dict | None = None, files=()):
        drafter = self.drafter(unit_code)
        revision = self.revision(document, drafter=drafter, content=content, summary=summary, effective=effective,
                                 sections=sections, files=files)
        services.revision_submit(actor=drafter, revision=revision)
        services.revision_approve(actor=self.reviewer(drafter), revision=revision)
        return services.revision_approve(actor=self.head, revision=revision, today=self.today)

    # the register
    def legal_register(self) -> None:
        numbers = [*COMMON_LEGAL, *(n for n in self.plan.legal if n not in COMMON_LEGAL)]
        for number in numbers:
            doc = LEGAL[number]
            self.externals[number] = external_services.external_document_create(
                actor=self.secretary, agency=self.agency, number=doc.number, doc_type=doc.doc_type, title=doc.title,
                issuer=doc.issuer, issued_on=doc.issued_on, effective_on=doc.effective_on, status=doc.status,
                note=doc.note)
            self.created["external documents"] += 1

    def cited(self, number: str) -> str:
        """What a procedure taking effect at the start cites for ``number``: its replacement when
        that was already in force then."""
        new = REPLACED_BY.get(number)
        if new and new in self.externals and LEGAL[new].effective_on and LEGAL[new].effective_on <= self.plan.start:
            return self.cited(new)
        return number

    # the whole system
    def load(self) -> None:
        plan, start = self.plan, self.plan.start
        self.legal_register()
        name = self.agency.short_name or self.agency.name
        policy = self.document("CSCL", "Chính sách chất lượng", K.POLICY, None)
        self.publish(policy, unit_code=None, effective=start, summary="Ban hành lần đầu", content=(
            f"{name} cam kết xây dựng, áp dụng, duy trì và cải tiến thường xuyên Hệ thống quản lý chất lượng theo "
            "TCVN ISO 9001:2015; giải quyết thủ tục hành chính công khai, minh bạch, đúng pháp luật và đúng hạn; "
            "lấy sự hài lòng của người dân, doanh nghiệp làm thước đo chất lượng phục vụ; mỗi cán bộ, công chức "
            "hiểu và thực hiện chính sách chất lượng này."))
        objectives = self.document("MTCL", "Mục tiêu chất lượng", K.OBJECTIVES, None)
        self.publish(objectives, unit_code=None, effective=start, summary=f"Mục tiêu chất lượng năm {start.year}",
                     content=self.objectives_text(start.year))
        this_year = D(self.today.year, 1, 5)
        if this_year > start and this_year <= self.today:
            self.publish(objectives, unit_code=None, effective=this_year,
                         summary=f"Mục tiêu chất lượng năm {self.today.year}",
                         content=self.objectives_text(self.today.year))
        citations: dict[str, list[Document]] = {}
        for proc in (*SYSTEM_PROCEDURES, *plan.procedures):
            self.procedure(proc, citations)
        for number, documents in citations.items():
            external_services.external_document_cite(actor=self.secretary, external=self.externals[number],
                                                     documents=documents)
        for old, new in REPLACEMENTS:
            if old in self.externals and new in self.externals:
                external_services.external_document_replace(actor=self.secretary, document=self.externals[old],
                                                            replaced_by=self.externals[new])
        for proc in plan.procedures:
            if proc.revised and not proc.draft_only and proc.revised.effective > start:
                self.revise(proc, citations)
        self.work_in_progress()
        self.records()

    def objectives_text(self, year: int) -> str:
        return (f"Mục tiêu chất lượng năm {year}:\n"
                "1. 100% hồ sơ thủ tục hành chính được giải quyết đúng hạn; không có hồ sơ quá hạn không có Phiếu "
                "xin lỗi và hẹn lại ngày trả kết quả.\n"
                "2. Tỷ lệ người dân, doanh nghiệp hài lòng về giải quyết thủ tục hành chính đạt từ 95% trở lên.\n"
                "3. 100% quy trình được rà soát, cập nhật trong 03 tháng kể từ khi văn bản pháp luật viện dẫn thay "
                "đổi.\n4. 100% hành động khắc phục hoàn thành đúng thời hạn.\n"
                "5. Tỷ lệ hồ sơ nộp trực tuyến đạt từ 80% trở lên.")

    def procedure(self, proc: Proc, citations: dict[str, list[Document]]) -> None:
        document = self.document(proc.code, proc.title, proc.kind, proc.unit)
        sections = {"purpose": proc.purpose, "scope": proc.scope, "definitions": DEFINITIONS,
                    "content": proc.content}
        if proc.draft_only:
            drafter = self.drafter(proc.unit)
            revision = self.revision(document, drafter=drafter, content=proc.content, sections=sections,
                                     summary="Dự thảo ban hành lần đầu", effective=None)
            self.comment(revision, "Đề nghị bổ sung thành phần hồ sơ nộp trực tuyến và quy định số hóa kết quả.")
            return
        self.publish(document, unit_code=proc.unit, content=proc.content, sections=sections,
                     summary="Ban hành lần đầu", effective=self.plan.start)
        for number in proc.legal:
            cited = self.cited(number)
            if cited in self.externals:
                citations.setdefault(cited, []).append(document)
        for i, form in enumerate(proc.forms, start=1):
            code = f"BM-{i:02d}-QT{proc.number:02d}"
            form_doc = self.document(code, form.title, K.FORM, proc.unit, parent=document)
            data = form_docx(self.agency.name, code, form.title, form.fields)
            self.publish(form_doc, unit_code=proc.unit, content=f"Biểu mẫu {form.title}", summary="Ban hành lần đầu",
                         effective=self.plan.start, files=((f"{code}.docx", data),))
        if proc.record:
            record_name, years = proc.record
            unit = self.units.get(proc.unit or self.plan.office)
            records_services.recordtype_create(
                actor=self.secretary, agency=self.agency, code=f"HS-{proc.code}", name=record_name,
                retention_years=years, storage_place=f"Tủ hồ sơ {unit.name}" if unit else "", responsible_unit=unit,
                document=document)
            self.created["record types"] += 1

    def revise(self, proc: Proc, citations: dict[str, list[Document]]) -> None:
        document = self.documents[proc.code]
        sections = {"purpose": proc.purpose, "scope": proc.scope, "definitions": DEFINITIONS,
                    "content": proc.content + f"\n5.8 Nội dung sửa đổi\n{proc.revised.summary}"}
        self.publish(document, unit_code=proc.unit, content=proc.content, sections=sections,
                     summary=proc.revised.summary, effective=proc.revised.effective)
        closer = self.drafter(proc.unit)
        for old, new in proc.revised.swaps:
            old, new = self.cited(old), self.cited(new)
            if old == new or old not in self.externals:
                continue
            citations[old] = [d for d in citations.get(old, []) if d.pk != document.pk]
            external_services.external_document_cite(actor=self.secretary, external=self.externals[old],
                                                     documents=citations[old])
            citations.setdefault(new, []).append(document)
            external_services.external_document_cite(actor=self.secretary, external=self.externals[new],
                                                     documents=citations[new])
            for task in ReviewTask.objects.filter(document=document, external_document=self.externals[old],
                                                  status=ReviewTaskStatus.OPEN):
                external_services.review_task_complete(
                    actor=closer, task=task,
                    outcome=f"Đã sửa đổi {proc.code}, ban hành lần 02 hiệu lực từ "
                            f"{proc.revised.effective:%d/%m/%Y}, viện dẫn {new}.")
                self.created["review tasks done"] += 1

    def comment(self, revision, body: str) -> None:
        author = next((u for u in self.staff), None) or next(iter(self.unit_heads.values()), None)
        if author is not None:
            services.comment_add(actor=author, revision=revision, body=body)
            self.created["comments"] += 1

    def work_in_progress(self) -> None:
        """QT-01 issue 2 in review (the new archives law), acknowledgements, a change request."""
        qt01 = self.documents["QT-01"]
        drafter = self.drafter(None)
        revision = self.revision(
            qt01, drafter=drafter, effective=None, summary="Cập nhật theo Luật Lưu trữ số 33/2024/QH15; bổ sung "
            "quy định quản lý tài liệu, hồ sơ điện tử trên phần mềm ISO điện tử.",
            content="Dự thảo sửa đổi Quy trình kiểm soát thông tin dạng văn bản.")
        services.revision_submit(actor=drafter, revision=revision)
        self.comment(revision, "Đề nghị quy định rõ thời hạn xác nhận đã đọc tài liệu mới là 05 ngày làm việc.")
        policy = self.documents["CSCL"].revisions.get(status="effective")
        objectives = self.documents["MTCL"].revisions.get(status="effective")
        for i, user in enumerate(self.members):
            for revision, every in ((policy, 1), (objectives, 2)):
                if i % every:
                    continue
                entry = revision.distribution.filter(user=user, acknowledged_at__isnull=True).first()
                if entry is not None:
                    services.distribution_acknowledge(actor=user, entry=entry)
                    self.created["acknowledgements"] += 1
        operational = [p for p in self.plan.procedures if not p.draft_only]
        if self.staff and operational:
            target = self.documents[operational[-1].code]
            services.change_request_create(
                actor=self.staff[0], agency=self.agency, kind=ChangeRequestKind.AMEND, document=target,
                reason="Thành phần hồ sơ trong quy trình chưa cập nhật việc khai thác dữ liệu dân cư, người dân "
                       "vẫn phải nộp bản sao giấy tờ đã có trong Cơ sở dữ liệu quốc gia về dân cư.",
                proposal="Bỏ yêu cầu nộp bản sao giấy tờ tùy thân; bổ sung bước tra cứu Cơ sở dữ liệu quốc gia về "
                         "dân cư.")
            self.created["change requests"] += 1

    def records(self) -> None:
        """This year's file list of every unit keeping records, and an old one past retention."""
        by_unit: dict[int, list[RecordType]] = {}
        for record_type in RecordType.objects.filter(agency=self.agency).select_related("responsible_unit"):
            if record_type.responsible_unit_id:
                by_unit.setdefault(record_type.responsible_unit_id, []).append(record_type)
        year = self.today.year
        actor = self.secretary
        for types in by_unit.values():
            unit = types[0].responsible_unit
            file_list = records_services.filelist_create(actor=actor, agency=self.agency, unit=unit, year=year)
            self.created["file lists"] += 1
            for n, record_type in enumerate(sorted(types, key=lambda t: t.code), start=1):
                keeper = self.unit_heads.get(unit.code) or self.secretary
                records_services.recordfile_create(
                    actor=actor, file_list=file_list, code=f"{unit.code}.{n:02d}", record_type=record_type,
                    title=f"{record_type.name} năm {year}", opened_on=D(year, 1, 2),
                    keeper=keeper.full_name if keeper else "", location=record_type.storage_place)
                self.created["record files"] += 1
        old_year = self.plan.old_file_list
        office = self.units.get(self.plan.office)
        if old_year and office is not None:
            file_list = records_services.filelist_create(actor=actor, agency=self.agency, unit=office, year=old_year)
            self.created["file lists"] += 1
            closed = D(old_year, 12, 31)
            files = []
            for code, title, years in (
                    (f"{office.code}.01", f"Sổ đăng ký văn bản đến năm {old_year}", 5),
                    (f"{office.code}.02", f"Hồ sơ đánh giá nội bộ năm {old_year}", 5),
                    (f"{office.code}.03", f"Hồ sơ khảo sát sự hài lòng của người dân năm {old_year}", 3),
                    (f"{office.code}.04", f"Hồ sơ họp xem xét của lãnh đạo năm {old_year}", 10),
                    (f"{office.code}.05", f"Hồ sơ công bố Hệ thống quản lý chất lượng năm {old_year}", None)):
                files.append(records_services.recordfile_create(
                    actor=actor, file_list=file_list, code=code, title=title, opened_on=D(old_year, 1, 2),
                    closed_on=closed, retention_years=years, keeper=self.secretary.full_name if self.secretary else "",
                    location=f"Kho lưu trữ cơ quan, giá {old_year % 100:02d}"))
                self.created["record files"] += 1
            disposal_day = D(self.today.year, 1, 20)
            if files[2].retention_years and D(old_year + files[2].retention_years, 12, 31) < disposal_day <= self.today:
                records_services.recordfile_dispose(
                    actor=actor, file=files[2], disposed_on=disposal_day, today=self.today,
                    note=f"Biên bản hủy tài liệu hết giá trị số 01/BB-{self.agency.code} ngày "
                         f"{disposal_day:%d/%m/%Y}")
                self.created["disposed files"] += 1


def load(out: Callable[[str], None] | None = None) -> list[dict]:
    """Create the document system of every demo agency that has none yet; return no logins."""
    log = out or (lambda _message: None)
    today = timezone.localdate()
    created: Counter[str] = Counter()
    agencies = Agency.objects.filter(code__in=PLANS, valid_to__isnull=True).order_by("code")
    loaded = []
    for agency in agencies:
        if Document.objects.filter(agency=agency, code="CSCL").exists():
            continue
        with transaction.atomic():
            documents = _AgencyDocuments(agency, PLANS[agency.code], today, created)
            documents.load()  # where the demo has no secretary or head, the system drafts and approves
        loaded.append(agency.code)
    if loaded:
        log(f"Documented information of {', '.join(loaded)}: "
            + ", ".join(f"{n} {what}" for what, n in created.items()) + ".")
    else:
        log("Documented information already loaded: nothing to create.")
    return []

"""The demo province: Nghệ An after the 2025 reorganisation, loaded through the services.

Everything is created by ``eiso.organizations.services`` with ``actor=None`` (the system), so
the audit trail of a demo installation is the real one. ``load()`` is idempotent: it looks
objects up by their natural keys (codes, usernames, decision numbers) and only creates what is
missing; the two 2025 mergers run only on the first load.

Passwords are not in the code: each demo user's password is derived from ``SECRET_KEY`` with
HMAC, so repeated loads print the same working password and each installation has its own.
"""

import base64
import datetime
import hashlib
import hmac
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from eiso.organizations import services
from eiso.organizations.choices import AgencyLevel, Role, SteeringRole, UnitKind
from eiso.organizations.models import Agency, JobDescription, SteeringCommittee, Unit, User

D = datetime.date
R = Role

# --- the shape of the data ----------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    username: str
    full_name: str
    position: str
    unit: str | None
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Job:
    unit: str | None
    code: str
    position: str
    duties: str
    authority: str
    competence: str
    reports_to: str


@dataclass(frozen=True)
class Committee:
    decision_number: str
    decision_date: datetime.date
    signer: str
    members: tuple[tuple[str, str, str], ...]  # (username, SteeringRole, duties)
    name: str = ""


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    short_name: str
    level: str
    valid_from: datetime.date | None
    parent: str | None = "UBNDT"
    address: str = ""
    staff_since: datetime.date = D(2019, 7, 1)
    units: tuple[tuple[str, str, str], ...] = ()  # (code, name, UnitKind)
    people: tuple[Person, ...] = ()
    jobs: tuple[Job, ...] = ()
    committee: Committee | None = None


@dataclass(frozen=True)
class MergeSpec:
    """Sources become ``target`` on ``effective`` (agencies_merge); then duplicated offices are
    folded into one and the former heads of the absorbed agencies become deputies."""

    target: AgencySpec
    sources: tuple[AgencySpec, ...]
    effective: datetime.date
    # username: (roles, position) of people whose place changes after the merger
    after_merge: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)


# --- shared texts ---------------------------------------------------------------------------------

COMMITTEE_DUTIES = {
    SteeringRole.HEAD: "Chỉ đạo chung việc xây dựng, áp dụng, duy trì và cải tiến HTQLCL theo TCVN ISO "
                       "9001:2015; chủ trì họp xem xét của lãnh đạo",
    SteeringRole.DEPUTY: "Giúp Trưởng ban điều hành hoạt động của Ban; chỉ đạo đánh giá nội bộ và hành "
                         "động khắc phục",
    SteeringRole.SECRETARY: "Thường trực Ban; kiểm soát tài liệu, hồ sơ của HTQLCL; tổng hợp, báo cáo tiến "
                            "độ hằng tháng",
    SteeringRole.MEMBER: "Tổ chức áp dụng HTQLCL tại đơn vị phụ trách; rà soát quy trình, biểu mẫu của "
                         "đơn vị",
}

UNITS_DEPARTMENT = (
    ("LD", "Ban Giám đốc", UnitKind.LEADERSHIP),
    ("VP", "Văn phòng Sở", UnitKind.OFFICE),
    ("TT", "Thanh tra Sở", UnitKind.SPECIALIST),
    ("MC", "Bộ phận Một cửa", UnitKind.ONE_STOP),
)


def _commune_units(kind: str) -> tuple[tuple[str, str, str], ...]:
    economy = ("KTHTDT", "Phòng Kinh tế, Hạ tầng và Đô thị") if kind == "phường" else ("KT", "Phòng Kinh tế")
    return (
        ("LD", f"Lãnh đạo UBND {kind}", UnitKind.LEADERSHIP),
        ("VP", f"Văn phòng HĐND và UBND {kind}", UnitKind.OFFICE),
        (*economy, UnitKind.SPECIALIST),
        ("VHXH", "Phòng Văn hóa - Xã hội", UnitKind.SPECIALIST),
        ("PVHCC", f"Trung tâm Phục vụ hành chính công {kind}", UnitKind.ONE_STOP),
    )


def _iso_focal_job(unit: str, reports_to: str) -> Job:
    return Job(
        unit, f"MTCV-{unit}-01", "Chuyên viên đầu mối ISO (Thư ký Ban chỉ đạo ISO)",
        "Tham mưu xây dựng, áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo TCVN ISO "
        "9001:2015; kiểm soát tài liệu và hồ sơ của HTQLCL, cập nhật Danh mục tài liệu nội bộ và Danh mục "
        "hồ sơ; theo dõi văn bản quy phạm pháp luật thay đổi để đề nghị cập nhật quy trình trong thời hạn "
        "03 tháng; lập kế hoạch đánh giá nội bộ hằng năm, tổng hợp đầu vào họp xem xét của lãnh đạo; theo "
        "dõi việc thực hiện hành động khắc phục.",
        "Đề nghị các phòng sửa đổi, bổ sung quy trình, biểu mẫu; yêu cầu cung cấp hồ sơ phục vụ đánh giá "
        "nội bộ; kiến nghị lãnh đạo xử lý sự không phù hợp chậm khắc phục.",
        "Tốt nghiệp đại học; đã qua lớp đào tạo nhận thức và chuyên gia đánh giá nội bộ TCVN ISO "
        "9001:2015; kỹ năng tổng hợp, soạn thảo văn bản; sử dụng thành thạo tin học văn phòng.",
        reports_to,
    )


def _one_stop_job(unit: str, code: str, reports_to: str, field_of_work: str) -> Job:
    return Job(
        unit, code, "Công chức tiếp nhận và trả kết quả giải quyết TTHC",
        f"Hướng dẫn tổ chức, cá nhân chuẩn bị hồ sơ TTHC lĩnh vực {field_of_work}; tiếp nhận, kiểm tra tính "
        "đầy đủ, hợp lệ của hồ sơ và cập nhật vào Hệ thống thông tin giải quyết TTHC tỉnh; lập Giấy tiếp "
        "nhận hồ sơ và hẹn trả kết quả; chuyển hồ sơ cho bộ phận giải quyết kèm Phiếu kiểm soát quá trình "
        "giải quyết hồ sơ; trả kết quả, thu phí, lệ phí theo quy định; lưu sổ theo dõi hồ sơ.",
        "Yêu cầu bổ sung hồ sơ một lần bằng văn bản; từ chối tiếp nhận hồ sơ không đủ điều kiện (lập Phiếu "
        "từ chối tiếp nhận); đề nghị bộ phận giải quyết gửi Phiếu xin lỗi và hẹn lại ngày trả kết quả khi "
        "hồ sơ có nguy cơ quá hạn.",
        "Tốt nghiệp đại học chuyên ngành phù hợp; nắm vững Nghị định 118/2025/NĐ-CP về thực hiện TTHC theo "
        "cơ chế một cửa, một cửa liên thông; kỹ năng giao tiếp, ứng xử văn minh với người dân; thành thạo "
        "Hệ thống thông tin giải quyết TTHC.",
        reports_to,
    )


# --- the province -----------------------------------------------------------------------------------

PROVINCE_CODE = "NAN"
PROVINCE_NAME = "Tỉnh Nghệ An"
MERGE_DATE = D(2025, 3, 1)  # Nghị quyết 190/2025/QH15: the departments of the provinces were merged
COMMUNE_DATE = D(2025, 7, 1)  # two-level local government: districts gone, communes and wards merged

UBNDT = AgencySpec(
    "UBNDT", "Ủy ban nhân dân tỉnh Nghệ An", "UBND tỉnh Nghệ An", AgencyLevel.PROVINCE_PC, None, parent=None,
    units=(
        ("LD", "Lãnh đạo UBND tỉnh", UnitKind.LEADERSHIP),
        ("VP", "Văn phòng UBND tỉnh", UnitKind.OFFICE),
        ("KSTT", "Phòng Kiểm soát thủ tục hành chính", UnitKind.SPECIALIST),
        ("TTTH", "Trung tâm Tin học - Công báo", UnitKind.OTHER),
    ),
    people=(
        Person("admin", "Trương Công Minh",
               "Chuyên viên Trung tâm Tin học - Công báo, quản trị hệ thống eISO", "TTTH", (R.ADMIN,)),
    ),
)

SKHCN = AgencySpec(
    "SKHCN", "Sở Khoa học và Công nghệ tỉnh Nghệ An", "Sở KH&CN", AgencyLevel.DEPARTMENT, D(2008, 4, 1),
    units=(
        *UNITS_DEPARTMENT,
        ("TDC", "Phòng Tiêu chuẩn Đo lường Chất lượng", UnitKind.SPECIALIST),
        ("QLKH", "Phòng Quản lý khoa học", UnitKind.SPECIALIST),
        ("CDS", "Phòng Chuyển đổi số và Bưu chính viễn thông", UnitKind.SPECIALIST),
    ),
    people=(
        Person("skhcn.giamdoc", "Trần Quốc Thành", "Giám đốc Sở", "LD", (R.AGENCY_HEAD, R.STEERING_MEMBER)),
        Person("skhcn.thuky", "Phạm Thị Thu Trang", "Chuyên viên Văn phòng Sở, đầu mối ISO", "VP",
               (R.QMS_SECRETARY, R.STEERING_MEMBER)),
        Person("skhcn.tdc", "Lê Thị Minh Hằng", "Trưởng phòng Tiêu chuẩn Đo lường Chất lượng", "TDC",
               (R.OVERSEER, R.UNIT_HEAD, R.STEERING_MEMBER)),
        Person("skhcn.thanhtra", "Nguyễn Đình Khánh", "Chánh Thanh tra Sở", "TT", (R.OVERSEER, R.AUDITOR)),
    ),
    jobs=(
        _iso_focal_job("VP", "Chánh Văn phòng Sở"),
        Job("TDC", "MTCV-TDC-01", "Chuyên viên theo dõi áp dụng HTQLCL trong cơ quan hành chính",
            "Theo dõi, hướng dẫn các cơ quan hành chính trên địa bàn tỉnh xây dựng, áp dụng, duy trì và "
            "cải tiến HTQLCL theo TCVN ISO 9001:2015; tiếp nhận thông báo công bố HTQLCL phù hợp; tổng hợp "
            "tình hình áp dụng của các cơ quan; dự thảo kế hoạch và tham gia đoàn kiểm tra hằng năm; tổng "
            "hợp báo cáo UBND tỉnh và Bộ Khoa học và Công nghệ trước ngày 15 tháng 12.",
            "Đề nghị cơ quan được kiểm tra cung cấp hồ sơ HTQLCL; kiến nghị biện pháp khắc phục sau kiểm "
            "tra; đề xuất đưa cơ quan vào kế hoạch kiểm tra tại chỗ.",
            "Tốt nghiệp đại học kỹ thuật hoặc quản lý; có chứng chỉ chuyên gia đánh giá HTQLCL TCVN ISO "
            "9001:2015; hiểu biết Quyết định 19/2014/QĐ-TTg và Thông tư 26/2014/TT-BKHCN.",
            "Trưởng phòng Tiêu chuẩn Đo lường Chất lượng"),
        Job("TT", "MTCV-TT-01", "Thanh tra viên",
            "Thanh tra, kiểm tra việc chấp hành pháp luật về khoa học và công nghệ, tiêu chuẩn, đo lường, "
            "chất lượng; tham gia đánh giá nội bộ HTQLCL của Sở (không đánh giá công việc của Thanh tra "
            "Sở); giải quyết khiếu nại, tố cáo theo phân công.",
            "Yêu cầu đối tượng thanh tra cung cấp thông tin, tài liệu; lập biên bản vi phạm hành chính; "
            "kiến nghị xử lý sau thanh tra.",
            "Tốt nghiệp đại học; ngạch thanh tra viên; có chứng chỉ bồi dưỡng nghiệp vụ thanh tra và "
            "chuyên gia đánh giá nội bộ.",
            "Chánh Thanh tra Sở"),
    ),
    committee=Committee("38/QĐ-SKHCN", D(2023, 2, 20), "Trần Quốc Thành", (
        ("skhcn.giamdoc", SteeringRole.HEAD, COMMITTEE_DUTIES[SteeringRole.HEAD]),
        ("skhcn.tdc", SteeringRole.DEPUTY, COMMITTEE_DUTIES[SteeringRole.DEPUTY]),
        ("skhcn.thuky", SteeringRole.SECRETARY, COMMITTEE_DUTIES[SteeringRole.SECRETARY]),
    )),
)

STP = AgencySpec(
    "STP", "Sở Tư pháp tỉnh Nghệ An", "Sở Tư pháp", AgencyLevel.DEPARTMENT, D(2008, 4, 1),
    units=(
        *UNITS_DEPARTMENT,
        ("HCTP", "Phòng Hành chính tư pháp", UnitKind.SPECIALIST),
        ("BTTP", "Phòng Bổ trợ tư pháp", UnitKind.SPECIALIST),
        ("VBPL", "Phòng Xây dựng và Kiểm tra văn bản quy phạm pháp luật", UnitKind.SPECIALIST),
    ),
    people=(
        Person("stp.giamdoc", "Nguyễn Văn Hùng", "Giám đốc Sở", "LD", (R.AGENCY_HEAD, R.STEERING_MEMBER)),
        Person("stp.phogiamdoc", "Trần Thị Lan Anh", "Phó Giám đốc Sở", "LD", (R.STEERING_MEMBER,)),
        Person("stp.thuky", "Lê Thị Thanh Hương", "Chuyên viên Văn phòng Sở, đầu mối ISO", "VP",
               (R.QMS_SECRETARY, R.STEERING_MEMBER)),
        Person("stp.hctp", "Đặng Quốc Bảo", "Trưởng phòng Hành chính tư pháp", "HCTP",
               (R.UNIT_HEAD, R.STEERING_MEMBER)),
        Person("stp.lylich", "Phan Thị Mai", "Chuyên viên Phòng Hành chính tư pháp", "HCTP", (R.STAFF,)),
        Person("stp.motcua", "Hồ Thị Ngọc Ánh", "Chuyên viên Bộ phận Một cửa", "MC", (R.STAFF,)),
        Person("stp.thanhtra", "Cao Văn Tuấn", "Chánh Thanh tra Sở", "TT", (R.UNIT_HEAD, R.AUDITOR)),
    ),
    jobs=(
        _iso_focal_job("VP", "Chánh Văn phòng Sở"),
        Job("HCTP", "MTCV-HCTP-01", "Trưởng phòng Hành chính tư pháp",
            "Tổ chức thực hiện công tác lý lịch tư pháp, hộ tịch, quốc tịch, chứng thực, bồi thường nhà "
            "nước; phân công và kiểm tra việc giải quyết hồ sơ TTHC thuộc lĩnh vực phụ trách; chủ trì xây "
            "dựng, rà soát các quy trình nội bộ giải quyết TTHC của phòng; chịu trách nhiệm về hồ sơ và "
            "hành động khắc phục của phòng.",
            "Phân công công việc cho công chức trong phòng; ký thẩm định hồ sơ theo ủy quyền; đề xuất sửa "
            "đổi quy trình, biểu mẫu.",
            "Tốt nghiệp đại học Luật trở lên; ngạch chuyên viên chính hoặc tương đương; ít nhất 05 năm "
            "công tác trong ngành tư pháp; có chứng chỉ bồi dưỡng kiến thức quản lý nhà nước.",
            "Giám đốc Sở"),
        Job("HCTP", "MTCV-HCTP-02", "Chuyên viên cấp Phiếu lý lịch tư pháp",
            "Thẩm định hồ sơ đề nghị cấp Phiếu lý lịch tư pháp; tra cứu, xác minh thông tin tại cơ sở dữ "
            "liệu lý lịch tư pháp và cơ quan liên quan; dự thảo Phiếu lý lịch tư pháp trình lãnh đạo ký; "
            "cập nhật thông tin bản án, quyết định vào cơ sở dữ liệu; lưu hồ sơ theo quy trình.",
            "Đề nghị cơ quan Công an, Tòa án cung cấp thông tin xác minh; đề nghị bổ sung hồ sơ khi chưa "
            "đầy đủ.",
            "Tốt nghiệp đại học Luật; nắm vững Luật Lý lịch tư pháp và văn bản hướng dẫn; sử dụng thành "
            "thạo phần mềm quản lý lý lịch tư pháp.",
            "Trưởng phòng Hành chính tư pháp"),
        _one_stop_job("MC", "MTCV-MC-01", "Chánh Văn phòng Sở", "tư pháp"),
    ),
    committee=Committee("125/QĐ-STP", D(2024, 3, 15), "Nguyễn Văn Hùng", (
        ("stp.giamdoc", SteeringRole.HEAD, COMMITTEE_DUTIES[SteeringRole.HEAD]),
        ("stp.phogiamdoc", SteeringRole.DEPUTY, COMMITTEE_DUTIES[SteeringRole.DEPUTY]),
        ("stp.thuky", SteeringRole.SECRETARY, COMMITTEE_DUTIES[SteeringRole.SECRETARY]),
        ("stp.hctp", SteeringRole.MEMBER, COMMITTEE_DUTIES[SteeringRole.MEMBER]),
    )),
)

SXD = AgencySpec(
    "SXD", "Sở Xây dựng tỉnh Nghệ An", "Sở Xây dựng", AgencyLevel.DEPARTMENT, D(2008, 4, 1),
    units=(
        *UNITS_DEPARTMENT,
        ("QLXD", "Phòng Quản lý hoạt động xây dựng", UnitKind.SPECIALIST),
        ("QHKT", "Phòng Quy hoạch - Kiến trúc", UnitKind.SPECIALIST),
        ("VTPT", "Phòng Quản lý vận tải, phương tiện và người lái", UnitKind.SPECIALIST),
    ),
    people=(
        Person("sxd.giamdoc", "Hoàng Minh Tuấn", "Giám đốc Sở", "LD", (R.AGENCY_HEAD, R.STEERING_MEMBER)),
        Person("sxd.thuky", "Nguyễn Thị Thu Hà", "Phó Chánh Văn phòng Sở, đầu mối ISO", "VP",
               (R.QMS_SECRETARY, R.STEERING_MEMBER)),
        Person("sxd.qlxd", "Trịnh Văn Phúc", "Trưởng phòng Quản lý hoạt động xây dựng", "QLXD",
               (R.UNIT_HEAD, R.STEERING_MEMBER)),
        Person("sxd.thamdinh", "Bùi Thị Hải Yến", "Chuyên viên Phòng Quản lý hoạt động xây dựng", "QLXD",
               (R.STAFF,)),
        Person("sxd.danhgia", "Đinh Thị Phương", "Chuyên viên Thanh tra Sở, chuyên gia đánh giá nội bộ", "TT",
               (R.AUDITOR, R.STAFF)),
    ),
    jobs=(
        _iso_focal_job("VP", "Chánh Văn phòng Sở"),
        Job("QLXD", "MTCV-QLXD-01", "Trưởng phòng Quản lý hoạt động xây dựng",
            "Tổ chức thẩm định báo cáo nghiên cứu khả thi, thiết kế xây dựng triển khai sau thiết kế cơ "
            "sở; cấp giấy phép xây dựng công trình thuộc thẩm quyền của Sở; cấp chứng chỉ hành nghề hoạt "
            "động xây dựng hạng II, III; kiểm tra công tác nghiệm thu công trình; chịu trách nhiệm về quy "
            "trình và hồ sơ của phòng.",
            "Phân công, kiểm soát tiến độ giải quyết hồ sơ; ký văn bản thông báo kết quả thẩm định theo ủy "
            "quyền; đề xuất tạm dừng thi công công trình vi phạm.",
            "Tốt nghiệp đại học chuyên ngành xây dựng trở lên; ngạch chuyên viên chính; chứng chỉ hành "
            "nghề thiết kế hoặc giám sát hạng II trở lên.",
            "Giám đốc Sở"),
        Job("QLXD", "MTCV-QLXD-02", "Chuyên viên thẩm định dự án, thiết kế xây dựng",
            "Tiếp nhận hồ sơ từ Bộ phận Một cửa; thẩm định hồ sơ thiết kế xây dựng, dự toán; dự thảo thông "
            "báo kết quả thẩm định; ghi Phiếu kiểm soát quá trình giải quyết hồ sơ đúng thời gian được "
            "giao; lưu hồ sơ thẩm định.",
            "Đề nghị chủ đầu tư bổ sung, giải trình hồ sơ; đề xuất mời tổ chức tư vấn thẩm tra.",
            "Tốt nghiệp đại học kỹ thuật xây dựng; sử dụng phần mềm dự toán và đọc bản vẽ kỹ thuật.",
            "Trưởng phòng Quản lý hoạt động xây dựng"),
        _one_stop_job("MC", "MTCV-MC-01", "Chánh Văn phòng Sở", "xây dựng, giao thông"),
    ),
    committee=Committee("86/QĐ-SXD", D(2023, 5, 22), "Hoàng Minh Tuấn", (
        ("sxd.giamdoc", SteeringRole.HEAD, COMMITTEE_DUTIES[SteeringRole.HEAD]),
        ("sxd.thuky", SteeringRole.SECRETARY, COMMITTEE_DUTIES[SteeringRole.SECRETARY]),
        ("sxd.qlxd", SteeringRole.MEMBER, COMMITTEE_DUTIES[SteeringRole.MEMBER]),
    )),
)

# Sở Tài chính and Sở Kế hoạch và Đầu tư became the new Sở Tài chính on 1 March 2025.
STC = MergeSpec(
    target=AgencySpec(
        "STC", "Sở Tài chính tỉnh Nghệ An", "Sở Tài chính", AgencyLevel.DEPARTMENT, MERGE_DATE,
        jobs=(
            _iso_focal_job("VP", "Chánh Văn phòng Sở"),
            Job("QLNS", "MTCV-QLNS-01", "Chuyên viên quản lý ngân sách",
                "Tham mưu lập dự toán, phân bổ và điều hành ngân sách địa phương; thẩm tra quyết toán ngân "
                "sách của các xã, phường; theo dõi, tổng hợp tình hình thu, chi ngân sách; dự thảo báo cáo "
                "tháng, quý, năm.",
                "Đề nghị các đơn vị dự toán cung cấp số liệu; đề xuất tạm dừng cấp phát khi chi sai chế độ.",
                "Tốt nghiệp đại học chuyên ngành tài chính, kế toán; nắm vững Luật Ngân sách nhà nước; "
                "thành thạo phần mềm TABMIS.",
                "Trưởng phòng Quản lý ngân sách"),
            Job("DKKD", "MTCV-DKKD-01", "Chuyên viên đăng ký doanh nghiệp",
                "Tiếp nhận và xử lý hồ sơ đăng ký thành lập, thay đổi nội dung đăng ký, tạm ngừng, giải "
                "thể doanh nghiệp trên Hệ thống thông tin quốc gia về đăng ký doanh nghiệp; trả kết quả "
                "đúng hạn 03 ngày làm việc; cập nhật tình trạng pháp lý của doanh nghiệp.",
                "Ra thông báo yêu cầu sửa đổi, bổ sung hồ sơ; đề xuất thu hồi Giấy chứng nhận đăng ký "
                "doanh nghiệp theo quy định.",
                "Tốt nghiệp đại học kinh tế hoặc luật; nắm vững Luật Doanh nghiệp và Nghị định về đăng ký "
                "doanh nghiệp.",
                "Trưởng phòng Đăng ký kinh doanh"),
        ),
        committee=Committee("42/QĐ-STC", D(2025, 4, 10), "Lê Văn Quang", (
            ("stc.giamdoc", SteeringRole.HEAD, COMMITTEE_DUTIES[SteeringRole.HEAD]),
            ("skhdt.giamdoc", SteeringRole.DEPUTY, COMMITTEE_DUTIES[SteeringRole.DEPUTY]),
            ("stc.thuky", SteeringRole.SECRETARY, COMMITTEE_DUTIES[SteeringRole.SECRETARY]),
            ("stc.ngansach", SteeringRole.MEMBER, COMMITTEE_DUTIES[SteeringRole.MEMBER]),
            ("skhdt.dkkd", SteeringRole.MEMBER, COMMITTEE_DUTIES[SteeringRole.MEMBER]),
        )),
    ),
    sources=(
        AgencySpec(
            "STC-CU", "Sở Tài chính tỉnh Nghệ An", "Sở Tài chính (trước 01/3/2025)", AgencyLevel.DEPARTMENT,
            D(2008, 4, 1), staff_since=D(2016, 9, 1),
            units=(
                *UNITS_DEPARTMENT,
                ("QLNS", "Phòng Quản lý ngân sách", UnitKind.SPECIALIST),
                ("TCHCSN", "Phòng Tài chính hành chính sự nghiệp", UnitKind.SPECIALIST),
                ("GCS", "Phòng Quản lý giá và công sản", UnitKind.SPECIALIST),
            ),
            people=(
                Person("stc.giamdoc", "Lê Văn Quang", "Giám đốc Sở", "LD",
                       (R.AGENCY_HEAD, R.STEERING_MEMBER)),
                Person("stc.thuky", "Nguyễn Thị Huyền", "Chuyên viên Văn phòng Sở, đầu mối ISO", "VP",
                       (R.QMS_SECRETARY, R.STEERING_MEMBER)),
                Person("stc.ngansach", "Hồ Sỹ Long", "Trưởng phòng Quản lý ngân sách", "QLNS",
                       (R.UNIT_HEAD, R.STEERING_MEMBER)),
                Person("stc.chuyenvien", "Trần Thị Bích Ngọc", "Chuyên viên Phòng Quản lý ngân sách", "QLNS",
                       (R.STAFF,)),
            ),
        ),
        AgencySpec(
            "SKHDT", "Sở Kế hoạch và Đầu tư tỉnh Nghệ An", "Sở KH&ĐT", AgencyLevel.DEPARTMENT, D(2008, 4, 1),
            staff_since=D(2017, 3, 1),
            units=(
                *UNITS_DEPARTMENT,
                ("DKKD", "Phòng Đăng ký kinh doanh", UnitKind.SPECIALIST),
                ("THQH", "Phòng Tổng hợp, quy hoạch", UnitKind.SPECIALIST),
            ),
            people=(
                Person("skhdt.giamdoc", "Phạm Đức Thịnh", "Giám đốc Sở Kế hoạch và Đầu tư", "LD",
                       (R.AGENCY_HEAD, R.STEERING_MEMBER)),
                Person("skhdt.dkkd", "Vương Thị Kim Oanh", "Trưởng phòng Đăng ký kinh doanh", "DKKD",
                       (R.UNIT_HEAD, R.AUDITOR, R.STEERING_MEMBER)),
                Person("skhdt.motcua", "Chu Văn Nam", "Chuyên viên Bộ phận Một cửa", "MC", (R.STAFF,)),
            ),
        ),
    ),
    effective=MERGE_DATE,
    after_merge={"skhdt.giamdoc": ((R.STEERING_MEMBER,), "Phó Giám đốc Sở Tài chính")},
)

# Sở Nội vụ absorbed Sở Lao động – Thương binh và Xã hội on 1 March 2025.
SNV = MergeSpec(
    target=AgencySpec(
        "SNV", "Sở Nội vụ tỉnh Nghệ An", "Sở Nội vụ", AgencyLevel.DEPARTMENT, MERGE_DATE,
        jobs=(
            _iso_focal_job("VP", "Chánh Văn phòng Sở"),
            Job("CCVC", "MTCV-CCVC-01", "Chuyên viên quản lý công chức, viên chức",
                "Tham mưu tuyển dụng, sử dụng, quản lý công chức, viên chức; thẩm định hồ sơ nâng ngạch, "
                "thăng hạng, nâng lương trước hạn; tổng hợp danh sách, chất lượng đội ngũ công chức cấp "
                "xã; quản lý cơ sở dữ liệu cán bộ, công chức của tỉnh.",
                "Đề nghị cơ quan, đơn vị bổ sung hồ sơ; đề xuất từ chối hồ sơ không đủ điều kiện.",
                "Tốt nghiệp đại học luật, hành chính hoặc quản trị nhân lực; nắm vững Luật Cán bộ, công "
                "chức và Luật Viên chức.",
                "Trưởng phòng Công chức, viên chức"),
            Job("VLATLD", "MTCV-VLATLD-01", "Chuyên viên việc làm và an toàn lao động",
                "Giải quyết hồ sơ cấp, gia hạn, cấp lại giấy phép lao động cho người lao động nước ngoài; "
                "xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép; theo dõi tai nạn lao "
                "động và tổng hợp báo cáo định kỳ.",
                "Đề nghị người sử dụng lao động bổ sung, giải trình; đề xuất thu hồi giấy phép lao động.",
                "Tốt nghiệp đại học; nắm vững Bộ luật Lao động và văn bản hướng dẫn; ngoại ngữ tiếng Anh "
                "trình độ B1 trở lên.",
                "Trưởng phòng Việc làm - An toàn lao động"),
        ),
        committee=Committee("57/QĐ-SNV", D(2025, 4, 25), "Ngô Thị Thanh Tâm", (
            ("snv.giamdoc", SteeringRole.HEAD, COMMITTEE_DUTIES[SteeringRole.HEAD]),
            ("sldtbxh.giamdoc", SteeringRole.DEPUTY, COMMITTEE_DUTIES[SteeringRole.DEPUTY]),
            ("snv.thuky", SteeringRole.SECRETARY, COMMITTEE_DUTIES[SteeringRole.SECRETARY]),
        )),
    ),
    sources=(
        AgencySpec(
            "SNV-CU", "Sở Nội vụ tỉnh Nghệ An", "Sở Nội vụ (trước 01/3/2025)", AgencyLevel.DEPARTMENT,
            D(2008, 4, 1), staff_since=D(2018, 1, 2),
            units=(
                *UNITS_DEPARTMENT,
                ("TCBC", "Phòng Tổ chức, biên chế và tổ chức phi chính phủ", UnitKind.SPECIALIST),
                ("CCVC", "Phòng Công chức, viên chức", UnitKind.SPECIALIST),
                ("XDCQ", "Phòng Xây dựng chính quyền và công tác thanh niên", UnitKind.SPECIALIST),
            ),
            people=(
                Person("snv.giamdoc", "Ngô Thị Thanh Tâm", "Giám đốc Sở", "LD",
                       (R.AGENCY_HEAD, R.STEERING_MEMBER)),
                Person("snv.thuky", "Đoàn Minh Đức", "Chuyên viên Văn phòng Sở, đầu mối ISO", "VP",
                       (R.QMS_SECRETARY, R.STEERING_MEMBER)),
            ),
        ),
        AgencySpec(
            "SLDTBXH", "Sở Lao động – Thương binh và Xã hội tỉnh Nghệ An", "Sở LĐ-TB&XH",
            AgencyLevel.DEPARTMENT, D(2008, 4, 1), staff_since=D(2015, 10, 1),
            units=(
                *UNITS_DEPARTMENT,
                ("VLATLD", "Phòng Việc làm - An toàn lao động", UnitKind.SPECIALIST),
                ("NCC", "Phòng Người có công", UnitKind.SPECIALIST),
                ("GDNN", "Phòng Giáo dục nghề nghiệp", UnitKind.SPECIALIST),
            ),
            people=(
                Person("sldtbxh.giamdoc", "Nguyễn Bá Sơn", "Giám đốc Sở Lao động – Thương binh và Xã hội",
                       "LD", (R.AGENCY_HEAD, R.STEERING_MEMBER)),
                Person("sldtbxh.vieclam", "Lê Thị Hoài Thương", "Trưởng phòng Việc làm - An toàn lao động",
                       "VLATLD", (R.UNIT_HEAD, R.AUDITOR)),
                Person("sldtbxh.nguoicocong", "Phạm Văn Lực", "Chuyên viên Phòng Người có công", "NCC",
                       (R.STAFF,)),
            ),
        ),
    ),
    effective=MERGE_DATE,
    after_merge={"sldtbxh.giamdoc": ((R.STEERING_MEMBER,), "Phó Giám đốc Sở Nội vụ")},
)

TTPVHCC = AgencySpec(
    "TTPVHCC", "Trung tâm Phục vụ hành chính công tỉnh Nghệ An", "Trung tâm PVHCC tỉnh",
    AgencyLevel.SERVICE_CENTRE, COMMUNE_DATE, staff_since=COMMUNE_DATE,
    units=(
        ("LD", "Ban Giám đốc Trung tâm", UnitKind.LEADERSHIP),
        ("HCTH", "Phòng Hành chính - Tổng hợp", UnitKind.OFFICE),
        ("TNTKQ", "Bộ phận tiếp nhận và trả kết quả", UnitKind.ONE_STOP),
    ),
    people=(
        Person("ttpvhcc.tiepnhan", "Trần Thị Quỳnh Như", "Viên chức Bộ phận tiếp nhận và trả kết quả",
               "TNTKQ", (R.STAFF,)),
    ),
)

P_TRUONGVINH = AgencySpec(
    "P-TRUONGVINH", "Ủy ban nhân dân phường Trường Vinh", "UBND phường Trường Vinh", AgencyLevel.COMMUNE_PC,
    COMMUNE_DATE, address="Phường Trường Vinh, tỉnh Nghệ An", staff_since=COMMUNE_DATE,
    units=_commune_units("phường"),
    people=(
        Person("truongvinh.chutich", "Nguyễn Hữu Thắng", "Chủ tịch UBND phường", "LD",
               (R.AGENCY_HEAD, R.STEERING_MEMBER)),
        Person("truongvinh.thuky", "Lê Thị Diệu Linh", "Công chức Văn phòng - Thống kê, đầu mối ISO", "VP",
               (R.QMS_SECRETARY, R.STEERING_MEMBER)),
        Person("truongvinh.kinhte", "Hồ Thị Thanh Loan", "Trưởng phòng Kinh tế, Hạ tầng và Đô thị", "KTHTDT",
               (R.UNIT_HEAD, R.AUDITOR)),
        Person("truongvinh.motcua", "Phan Văn Đạt", "Công chức Tư pháp - Hộ tịch, Trung tâm PVHCC phường",
               "PVHCC", (R.STAFF,)),
    ),
    jobs=(
        _one_stop_job("PVHCC", "MTCV-PVHCC-01", "Giám đốc Trung tâm Phục vụ hành chính công phường",
                      "tư pháp - hộ tịch, chứng thực, đất đai"),
        Job("VP", "MTCV-VP-01", "Công chức Văn phòng - Thống kê",
            "Tham mưu tổng hợp, theo dõi chương trình công tác của UBND phường; làm đầu mối xây dựng, áp "
            "dụng HTQLCL theo TCVN ISO 9001:2015; quản lý văn bản đến, văn bản đi, lưu trữ hồ sơ; thống "
            "kê, báo cáo định kỳ.",
            "Đề nghị các phòng cung cấp số liệu, hồ sơ; trình Chủ tịch UBND phường ban hành, sửa đổi quy "
            "trình.",
            "Tốt nghiệp đại học hành chính, luật hoặc quản trị văn phòng; đã qua bồi dưỡng nhận thức TCVN "
            "ISO 9001:2015.",
            "Chánh Văn phòng HĐND và UBND phường"),
    ),
    committee=Committee("15/QĐ-UBND", D(2025, 8, 20), "Nguyễn Hữu Thắng", (
        ("truongvinh.chutich", SteeringRole.HEAD, COMMITTEE_DUTIES[SteeringRole.HEAD]),
        ("truongvinh.thuky", SteeringRole.SECRETARY, COMMITTEE_DUTIES[SteeringRole.SECRETARY]),
        ("truongvinh.kinhte", SteeringRole.MEMBER, COMMITTEE_DUTIES[SteeringRole.MEMBER]),
    ), name="Ban chỉ đạo ISO phường Trường Vinh"),
)

P_THANHVINH = AgencySpec(
    "P-THANHVINH", "Ủy ban nhân dân phường Thành Vinh", "UBND phường Thành Vinh", AgencyLevel.COMMUNE_PC,
    COMMUNE_DATE, address="Phường Thành Vinh, tỉnh Nghệ An", staff_since=COMMUNE_DATE,
    units=_commune_units("phường"),
    people=(
        Person("thanhvinh.chutich", "Võ Văn Hải", "Chủ tịch UBND phường", "LD", (R.AGENCY_HEAD,)),
        Person("thanhvinh.thuky", "Nguyễn Thị Phương Thảo", "Công chức Văn phòng - Thống kê, đầu mối ISO",
               "VP", (R.QMS_SECRETARY,)),
        Person("thanhvinh.hotich", "Đậu Thị Hằng", "Công chức Tư pháp - Hộ tịch, Trung tâm PVHCC phường",
               "PVHCC", (R.STAFF,)),
    ),
)

X_KIMLIEN = AgencySpec(
    "X-KIMLIEN", "Ủy ban nhân dân xã Kim Liên", "UBND xã Kim Liên", AgencyLevel.COMMUNE_PC, COMMUNE_DATE,
    address="Xã Kim Liên, tỉnh Nghệ An", staff_since=COMMUNE_DATE,
    units=_commune_units("xã"),
    people=(
        Person("kimlien.chutich", "Hoàng Nghĩa Hiếu", "Chủ tịch UBND xã", "LD", (R.AGENCY_HEAD,)),
        Person("kimlien.motcua", "Trần Thị Thu Sen", "Công chức Văn phòng - Thống kê, Trung tâm PVHCC xã",
               "PVHCC", (R.STAFF, R.QMS_SECRETARY)),
    ),
)

# In load order: a parent before its children, sources before their merger.
PROVINCE: tuple[AgencySpec | MergeSpec, ...] = (
    UBNDT, SKHCN, STP, SXD, STC, SNV, TTPVHCC, P_TRUONGVINH, P_THANHVINH, X_KIMLIEN,
)


# --- passwords ------------------------------------------------------------------------------------------

def demo_password(username: str) -> str:
    """This installation's password of a demo user: HMAC-SHA256 of the username keyed by
    SECRET_KEY, base32, 12 characters in three groups (passes Django's validators)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"demo:{username}".encode(), hashlib.sha256).digest()
    code = base64.b32encode(digest).decode().lower()[:12]
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


# --- the loader ---------------------------------------------------------------------------------------

class _Loader:
    def __init__(self, log: Callable[[str], None]):
        self.log = log
        self.created: Counter[str] = Counter()

    def agency(self, spec: AgencySpec, province) -> Agency:
        agency = Agency.objects.filter(code=spec.code).first()
        if agency is None:
            parent = Agency.objects.get(code=spec.parent) if spec.parent else None
            agency = services.agency_create(
                actor=None, code=spec.code, name=spec.name, short_name=spec.short_name, level=spec.level,
                parent=parent, province=province, address=spec.address, valid_from=spec.valid_from,
            )
            self.created["agencies"] += 1
            self.log(f"  + {spec.code:<14} {spec.name}")
        self.contents(agency, spec)
        return agency

    def contents(self, agency: Agency, spec: AgencySpec) -> None:
        existing = set(agency.units.values_list("code", flat=True))
        for code, name, kind in spec.units:
            if code not in existing:
                services.unit_create(actor=None, agency=agency, code=code, name=name, kind=kind)
                self.created["units"] += 1
        for person in spec.people:
            self.person(agency, spec, person)
        for job in spec.jobs:
            if not JobDescription.objects.filter(agency=agency, code=job.code).exists():
                services.job_description_create(
                    actor=None, agency=agency, unit=self.unit(agency, job.unit), code=job.code,
                    position=job.position, duties=job.duties, authority=job.authority,
                    competence=job.competence, reports_to=job.reports_to,
                )
                self.created["job descriptions"] += 1
        if spec.committee:
            self.committee(agency, spec.committee)

    @staticmethod
    def unit(agency: Agency, code: str | None) -> Unit | None:
        return agency.units.get(code=code) if code else None

    def person(self, agency: Agency, spec: AgencySpec, person: Person) -> None:
        if User.objects.filter(username__iexact=person.username).exists():
            return
        services.user_create(
            actor=None, username=person.username, full_name=person.full_name, agency=agency,
            roles=list(person.roles), email=f"{person.username}@example.gov.vn",
            password=demo_password(person.username), unit=self.unit(agency, person.unit),
            position=person.position, valid_from=max(filter(None, (spec.valid_from, spec.staff_since))),
        )
        self.created["people"] += 1

    def committee(self, agency: Agency, spec: Committee) -> None:
        committee = SteeringCommittee.objects.filter(agency=agency,
                                                     decision_number=spec.decision_number).first()
        if committee is None:
            committee = services.steering_committee_create(
                actor=None, agency=agency,
                name=spec.name or f"Ban chỉ đạo ISO {agency.short_name or agency.name}",
                decision_number=spec.decision_number, decision_date=spec.decision_date,
                decision_signer=spec.signer,
            )
            self.created["steering committees"] += 1
        present = set(committee.members.values_list("user__username", flat=True))
        for username, role, duties in spec.members:
            if username not in present:
                services.steering_member_add(actor=None, committee=committee, role=role, duties=duties,
                                             user=User.objects.get(username=username))
                self.created["committee members"] += 1

    def merger(self, spec: MergeSpec, province) -> Agency:
        target = Agency.objects.filter(code=spec.target.code).first()
        if target is None:
            sources = [self.agency(source, province) for source in spec.sources]
            parent = Agency.objects.get(code=spec.target.parent) if spec.target.parent else None
            target = services.agencies_merge(
                actor=None, sources=sources, code=spec.target.code, name=spec.target.name,
                short_name=spec.target.short_name, level=spec.target.level, parent=parent,
                effective_date=spec.effective, address=spec.target.address,
            )
            self.fold_duplicate_units(target, sources)
            for username, (roles, position) in spec.after_merge.items():
                user = User.objects.get(username=username)
                services.membership_change(actor=None, user=user, roles=list(roles),
                                           unit=user.membership.unit)
                services.user_update(actor=None, user=user, position=position)
            self.created["agencies"] += 1
            self.log(f"  + {spec.target.code:<14} {spec.target.name} "
                     f"(merged from {', '.join(s.code for s in sources)} on {spec.effective:%d/%m/%Y})")
        self.contents(target, spec.target)
        return target

    @staticmethod
    def fold_duplicate_units(target: Agency, sources: list[Agency]) -> None:
        """agencies_merge copies every unit; the offices both sources had (SKHDT-VP beside VP…)
        become one: their people move to the first source's unit and the copy is closed."""
        units = {u.code: u for u in target.units.all()}
        for source in sources:
            prefix = f"{source.code}-"
            for code, duplicate in units.items():
                keep = units.get(code.removeprefix(prefix))
                if not code.startswith(prefix) or keep is None:
                    continue
                for membership in duplicate.memberships.filter(valid_to__isnull=True).select_related("user"):
                    services.membership_change(actor=None, user=membership.user, unit=keep,
                                               roles=sorted(membership.roles))
                services.unit_update(actor=None, unit=duplicate, is_active=False)


def _people() -> list[str]:
    usernames = []
    for spec in PROVINCE:
        for agency in (spec.sources + (spec.target,)) if isinstance(spec, MergeSpec) else (spec,):
            usernames.extend(p.username for p in agency.people)
    return usernames


def logins() -> list[dict]:
    """Each demo user with this installation's password and their current agency, unit and roles."""
    order = list(Role.values)
    users = {u.username: u for u in User.objects.filter(username__in=_people())}
    result = []
    for username in _people():
        user = users.get(username)
        membership = user.membership if user else None
        if membership is None:
            continue
        result.append({
            "username": username,
            "password": demo_password(username),
            "full_name": user.full_name,
            "position": user.position,
            "agency": membership.agency.code,
            "agency_name": membership.agency.name,
            "unit": membership.unit.code if membership.unit else None,
            "roles": sorted(membership.roles, key=order.index),
        })
    return result


def load(out: Callable[[str], None] | None = None) -> list[dict]:
    """Create whatever of the demo province is missing; return the demo logins."""
    log = out or (lambda _message: None)
    loader = _Loader(log)
    if not User.objects.filter(username__in=_people()).exists():
        log(f"Loading the demo province: {len(_people())} people, each password hashed at full strength "
            "(about a second each)…")
    with transaction.atomic():
        province = services.province_ensure(code=PROVINCE_CODE, name=PROVINCE_NAME, actor=None)
        log(f"{PROVINCE_NAME} ({PROVINCE_CODE}):")
        for spec in PROVINCE:
            if isinstance(spec, MergeSpec):
                loader.merger(spec, province)
            else:
                loader.agency(spec, province)
    if loader.created:
        log("Created " + ", ".join(f"{n} {what}" for what, n in loader.created.items()) + ".")
    else:
        log("Already loaded: nothing to create.")
    return logins()

"""A 5S inspection sheet and a quarter's ranking of an agency's units, as the Word layouts print
them. Everything is read through the fives selectors (scoped)."""

from decimal import Decimal

from eiso.fives import scoring
from eiso.fives.choices import InspectionStatus, S
from eiso.fives.selectors import answers_of, ranking_for, rewards_for_user
from eiso.organizations.choices import Role
from eiso.organizations.selectors import users_for_user
from eiso.reports.collectors.common import agency_head, agency_heading, name, signer, today
from eiso.reports.content import FivesAnswerRow, FivesInspectionSheet, FivesRanking, FivesRankRow, FivesSection

# The five S as agencies write them (the same in every locale: it is the printed form's wording).
S_VI = {S.SORT: "Sàng lọc", S.SET_IN_ORDER: "Sắp xếp", S.SHINE: "Sạch sẽ", S.STANDARDIZE: "Săn sóc",
        S.SUSTAIN: "Sẵn sàng"}
STATUS_VI = {"planned": "Đã lên lịch, chưa đánh giá", "done": "Đã đánh giá", "cancelled": "Đã hủy"}
KIND_VI = {"reward": "Khen thưởng", "recognition": "Biểu dương", "reminder": "Nhắc nhở"}


def pct(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value).quantize(Decimal('0.1'))} %".replace(".", ",")


MAX_PHOTOS = 30
MAX_PHOTO_BYTES = 5 * 1024 * 1024


def _photo(answer, budget: list[int]) -> bytes | None:
    """The bytes of a failed item's JPEG/PNG photo, while the sheet's budget of photos lasts."""
    if not answer.photo or answer.photo_type not in ("jpg", "png") or budget[0] <= 0:
        return None
    try:
        with answer.photo.open("rb") as stream:
            data = stream.read(MAX_PHOTO_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_PHOTO_BYTES:
        return None
    budget[0] -= 1
    return data


def collect_inspection(user, inspection) -> FivesInspectionSheet:
    answers = list(answers_of(inspection))
    sections = []
    budget = [MAX_PHOTOS]
    for i, score in enumerate(scoring.scores_by_s((a.s, a.score, a.points) for a in answers), start=1):
        rows = tuple(FivesAnswerRow(text=a.text, points=a.points, score=a.score, passed=a.passed, remark=a.remark,
                                    photo=bool(a.photo), photo_bytes=_photo(a, budget))
                     for a in answers if a.s == score.s)
        sections.append(FivesSection(name=f"{i}. {S_VI[score.s]}", scored=score.scored, possible=score.possible,
                                     percent=pct(score.percent), answers=rows))
    total = (f"{inspection.points_scored}/{inspection.points_max} điểm — {pct(inspection.percent)}"
             if inspection.percent is not None else "Chưa đánh giá")
    head = users_for_user(user, agency=str(inspection.agency_id), role=Role.UNIT_HEAD).filter(
        memberships__unit=inspection.unit, memberships__valid_to__isnull=True).first()
    # A recorded inspection is dated by its day, not by the day the sheet is printed.
    on = inspection.day if inspection.status == InspectionStatus.DONE and inspection.day else today()
    return FivesInspectionSheet(
        agency=agency_heading(inspection.agency), on=on, unit=inspection.unit.name, area=inspection.area.name,
        day=inspection.day, inspector=name(inspection.inspector), status=STATUS_VI.get(inspection.status, ""),
        sections=tuple(sections), total=total, note=inspection.note, unit_head=signer(head))


def collect_ranking(user, agency, period: scoring.Period) -> FivesRanking:
    rows = tuple(FivesRankRow(rank=r.rank, unit=r.name, score=pct(r.score), inspections=r.inspections,
                              latest=f"{pct(r.latest)} ({r.latest_day:%d/%m/%Y})", score_value=r.score,
                              latest_value=r.latest, latest_day=r.latest_day)
                 for r in ranking_for(user, agency.pk, period))
    rewards = tuple(f"{KIND_VI.get(w.kind, '')}: {w.unit.name} — {w.title}" + (f" ({w.decision})" if w.decision else "")
                    for w in rewards_for_user(user, agency=str(agency.pk), year=period.year, quarter=period.quarter))
    return FivesRanking(agency=agency_heading(agency), on=today(), period=f"Quý {period.quarter} năm {period.year}",
                        rows=rows, rewards=rewards, signer=agency_head(user, agency))

"""A management review's minutes: the meeting, its inputs (the frozen snapshot once the meeting
started, else compiled now) and its outputs. The review comes from ``review_get_for_user``
(scoped); the inputs are rendered by the reviews app's own presentation, in Vietnamese."""

from django.utils import translation

from eiso.reports.collectors.common import agency_heading, signer
from eiso.reports.content import MinutesSection, MinutesTable, ReviewMinutes, ReviewOutputRow
from eiso.reviews.inputs import compile_inputs
from eiso.reviews.presentation import period_label, sections
from eiso.reviews.selectors import outputs_of


def _section(s) -> MinutesSection:
    return MinutesSection(
        title=s.title,
        lines=tuple(f"{f.label}: {f.value}" for f in s.figures),
        tables=tuple(MinutesTable(headers=tuple(t.headers),
                                  rows=tuple(tuple(str(c["text"]) for c in row) for row in t.rows)) for t in s.tables),
        note=s.note if s.note else ("Chưa nhập." if s.note is not None else ""))


def collect_minutes(user, review) -> ReviewMinutes:
    inputs = review.inputs if review.inputs is not None else compile_inputs(user, review)
    with translation.override("vi"):
        parts = tuple(_section(s) for s in sections(inputs))
        outputs = tuple(ReviewOutputRow(kind=o.get_kind_display(), description=o.description,
                                        owner=o.owner.full_name if o.owner_id else "",
                                        due_on=o.due_on.strftime("%d/%m/%Y"),
                                        status=str(o.get_status_display()))
                        for o in outputs_of(review))
    approved = ""
    if review.approved_on:
        approved = f"Biên bản đã được Thủ trưởng cơ quan phê duyệt ngày {review.approved_on:%d/%m/%Y}."
    return ReviewMinutes(
        agency=agency_heading(review.agency), on=review.meeting_on, location=review.location,
        chair=signer(review.chair), secretary=signer(review.created_by),
        participants=tuple(p.strip() for p in review.participants.splitlines() if p.strip()),
        period=period_label(inputs), frozen=review.inputs is not None, sections=parts, outputs=outputs,
        no_action_needed=review.no_action_needed, conclusions=review.conclusions, approved=approved)

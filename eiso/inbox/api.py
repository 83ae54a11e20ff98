"""The task list over the API: what waits for the caller, the same sections as the page."""


from ninja import Field, Router, Schema

from eiso.inbox import selectors
from eiso.organizations.api import ERRORS, Day

router = Router(tags=["inbox"])


class TaskOut(Schema):
    title: str
    detail: str
    url: str
    due: Day | None = Field(description="The deadline if `deadline`, else the day it began waiting.")
    overdue: bool
    deadline: bool


class SectionOut(Schema):
    kind: str
    label: str
    count: int
    tasks: list[TaskOut]


class InboxOut(Schema):
    total: int
    sections: list[SectionOut]


@router.get("/my-tasks", response={200: InboxOut, **ERRORS}, summary="What waits for me")
def inbox(request):
    """Everything waiting for the caller in their agency (revisions to review or approve, documents
    to read, corrective actions to answer, implement, verify or close, audit findings to record,
    procedures to review after a legal change, overdue dossiers of their unit); each section lists
    its first 20 tasks with the address of the page where they are acted on."""
    sections = selectors.inbox_for_user(request.auth)
    return {"total": sum(s.count for s in sections),
            "sections": [{"kind": s.section.kind, "label": str(s.section.label), "count": s.count,
                          "tasks": [t.__dict__ for t in s.tasks]} for s in sections]}

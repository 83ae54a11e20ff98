"""Racing workflow moves on PostgreSQL end without a deadlock: every move locks the document row
first and then only the revision rows it means (``of=("self",)``, ``FOR NO KEY UPDATE``), never the
agency row, so two moves of one document queue up and moves of different documents do not touch.
Approving (which supersedes the issue in force), withdrawing the issue in force, the daily
activation and comments race here, on several documents of one agency at once; the losers get a
Conflict, never a deadlock error, and never are two revisions in force."""

import datetime

import pytest
from django.db import connection

from eiso.core.errors import Conflict
from eiso.documents.choices import DocumentKind, RevisionStatus
from eiso.documents.models import DocumentRevision
from eiso.documents.services import revisions as svc
from eiso.documents.tests.test_revisions_concurrency import race

DAY = datetime.date(2026, 12, 1)
DOCUMENTS = 4
ROUNDS = 3

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks and deadlock detection are PostgreSQL's; SQLite has one database-wide "
                              "write lock, so its writers queue and cannot deadlock"),
]


def published(document, people, content):
    revision = svc.revision_create(actor=people["drafter"], document=document, content=content)
    svc.revision_submit(actor=people["drafter"], revision=revision)
    svc.revision_review(actor=people["reviewer"], revision=revision)
    return revision


def test_racing_moves_never_deadlock(agency_a, unit_a, a_unit_head, a_secretary, a_head):
    people = {"drafter": a_unit_head, "reviewer": a_secretary, "head": a_head}
    failures = []
    for round_number in range(ROUNDS):
        calls = []
        for n in range(DOCUMENTS):
            document = svc.document_create(actor=a_secretary, agency=agency_a, code=f"QT-{round_number}-{n}",
                                           title="Quy trình", kind=DocumentKind.OPERATIONAL_PROCEDURE,
                                           owner_unit=unit_a)
            in_force = published(document, people, "Lần 1")
            svc.revision_approve(actor=a_head, revision=in_force, today=DAY)
            due = published(document, people, "Lần 2")
            calls += [
                lambda r=due: svc.revision_approve(actor=a_head, revision=r, today=DAY),
                lambda r=in_force: svc.revision_withdraw(actor=a_head, revision=r, comment="Bãi bỏ"),
                lambda r=in_force: svc.comment_add(actor=a_secretary, revision=r, body="Ý kiến"),
            ]
        calls.append(lambda: svc.revisions_activate_due(today=DAY))
        outcomes = race(*calls)
        failures += [o for o in outcomes if o != "ok" and not isinstance(o, Conflict)]
    assert failures == []
    for document_id in DocumentRevision.objects.values_list("document_id", flat=True).distinct():
        in_force = DocumentRevision.objects.filter(document_id=document_id, status=RevisionStatus.EFFECTIVE)
        assert in_force.count() <= 1
    assert DocumentRevision.objects.filter(status=RevisionStatus.EFFECTIVE).exists()


def test_a_move_in_progress_does_not_hold_up_comments_or_other_documents(agency_a, unit_a, a_unit_head,
                                                                         a_secretary, a_head):
    """While one move holds its locks, a comment on the revision (a row pointing at it, and an audit
    event pointing at the agency) and a move of another document of the agency go through at once."""
    import threading

    from django.db import transaction

    people = {"drafter": a_unit_head, "reviewer": a_secretary, "head": a_head}
    documents = [svc.document_create(actor=a_secretary, agency=agency_a, code=f"QT-{n}", title="Quy trình",
                                     kind=DocumentKind.OPERATIONAL_PROCEDURE, owner_unit=unit_a) for n in (1, 2)]
    held, other = published(documents[0], people, "Lần 1"), published(documents[1], people, "Lần 1")
    locked, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                svc._lock(held)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert locked.wait(timeout=10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            svc.comment_add(actor=a_secretary, revision=held, body="Ý kiến trong lúc duyệt")
            svc.revision_approve(actor=a_head, revision=other, today=DAY)
    finally:
        release.set()
        thread.join(timeout=30)
    assert held.comments.count() == 1
    assert DocumentRevision.objects.get(pk=other.pk).status == RevisionStatus.EFFECTIVE

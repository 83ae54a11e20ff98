"""Exactly one effective revision per document, even when two people (or a person and the daily
job) act at the same moment: the loser gets a Conflict (or the database refuses with an
IntegrityError), never a second effective revision and never an unexpected error."""

import datetime
import threading
import time

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction

from eiso.core.errors import Conflict
from eiso.documents.choices import DocumentKind, RevisionAction, RevisionStatus
from eiso.documents.models import DocumentRevision
from eiso.documents.services import revisions as svc
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import make_user

DAY = datetime.date(2026, 12, 1)


def _busy_wait(call):
    """Run ``call``, waiting while another connection holds the write lock.

    A file database (production: WAL, BEGIN IMMEDIATE, a 20 s busy timeout) makes the second
    writer wait for the first, and PostgreSQL blocks on the row lock. The in-memory SQLite
    database of the test run shares one cache between connections, where a held lock is
    reported at once ("database table is locked") instead of waited for: retry in that case
    only, which is the wait the production database does (the transaction was rolled back).
    """
    deadline = time.monotonic() + 20
    while True:
        try:
            return call()
        except OperationalError as exc:
            in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
            if not (in_memory and "locked" in str(exc)) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def race(*calls):
    """Run the calls at the same moment, each in its own thread with its own database connection;
    returns what each one ended with: "ok" or the exception."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            _busy_wait(call)
            outcomes[i] = "ok"
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def assert_one_winner(outcomes):
    assert outcomes.count("ok") == 1, outcomes
    loser = next(o for o in outcomes if o != "ok")
    assert isinstance(loser, Conflict | IntegrityError), repr(loser)


@pytest.fixture
def world(agency_a, unit_a, a_unit_head, a_secretary, a_head):
    second_head = make_user(agency_a, [Role.AGENCY_HEAD], username="a_deputy", full_name="Phó Giám Đốc")
    document = svc.document_create(actor=a_secretary, agency=agency_a, code="QT-05", title="Quy trình",
                                   kind=DocumentKind.OPERATIONAL_PROCEDURE, owner_unit=unit_a)
    first = svc.revision_create(actor=a_unit_head, document=document, content="Lần 1")
    svc.revision_submit(actor=a_unit_head, revision=first)
    svc.revision_review(actor=a_secretary, revision=first)
    svc.revision_approve(actor=a_head, revision=first, today=DAY)
    return {"document": document, "heads": (a_head, second_head), "drafter": a_unit_head, "reviewer": a_secretary}


def reviewed(world, effective_date=None):
    revision = svc.revision_create(actor=world["drafter"], document=world["document"], content="Lần sau",
                                   effective_date=effective_date)
    svc.revision_submit(actor=world["drafter"], revision=revision)
    svc.revision_review(actor=world["reviewer"], revision=revision)
    return revision


def effective_count(document):
    return DocumentRevision.objects.filter(document=document, status=RevisionStatus.EFFECTIVE).count()


@pytest.mark.django_db(transaction=True)
def test_two_heads_approving_at_once(world):
    revision = reviewed(world)
    outcomes = race(*[
        (lambda head=head: svc.revision_transition(actor=head, revision=revision, action=RevisionAction.APPROVE,
                                                    today=DAY))
        for head in world["heads"]])
    assert_one_winner(outcomes)
    assert effective_count(world["document"]) == 1
    assert DocumentRevision.objects.get(pk=revision.pk).status == RevisionStatus.EFFECTIVE
    assert revision.transitions.filter(action=RevisionAction.ACTIVATE).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_daily_job_and_a_head_activating_at_once(world):
    revision = reviewed(world, effective_date=DAY)
    svc.revision_approve(actor=world["heads"][0], revision=revision, today=DAY - datetime.timedelta(days=3))
    assert DocumentRevision.objects.get(pk=revision.pk).status == RevisionStatus.APPROVED
    outcomes = race(
        lambda: svc.revision_transition(actor=None, revision=revision, action=RevisionAction.ACTIVATE, today=DAY),
        lambda: svc.revision_transition(actor=world["heads"][1], revision=revision, action=RevisionAction.ACTIVATE,
                                        today=DAY),
    )
    assert_one_winner(outcomes)
    assert effective_count(world["document"]) == 1
    assert revision.transitions.filter(action=RevisionAction.ACTIVATE).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_daily_jobs_at_once(world):
    revision = reviewed(world, effective_date=DAY)
    svc.revision_approve(actor=world["heads"][0], revision=revision, today=DAY - datetime.timedelta(days=3))
    results = []
    outcomes = race(*[lambda: results.append(svc.revisions_activate_due(today=DAY)) for _ in range(2)])
    assert outcomes == ["ok", "ok"]  # the job that comes second skips what is already in force
    assert sorted(results) == [0, 1]
    assert effective_count(world["document"]) == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_effective_revision(world):
    document = world["document"]
    assert effective_count(document) == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentRevision.objects.create(document=document, issue_number=9, status=RevisionStatus.EFFECTIVE)
    second = reviewed(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentRevision.objects.filter(pk=second.pk).update(status=RevisionStatus.EFFECTIVE)
    assert effective_count(document) == 1

"""The external register's services: the QĐ 19/2014 review rule (3 months after the new document
takes effect, clamped at month ends), idempotence, scope between agencies, permissions, audit and
search."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.core.models import AuditEvent, SearchEntry
from eiso.core.search import search_query
from eiso.documents.choices import DocumentKind, ExternalDocumentStatus, ReviewReason, ReviewTaskStatus
from eiso.documents.models import ExternalDocument, ReviewTask
from eiso.documents.periods import add_months, is_past_retention, retention_cutoff, review_due_on
from eiso.documents.selectors import external as selectors
from eiso.documents.services import external as services
from eiso.documents.tests.factories.external import external, procedure

D = datetime.date


# --- add_months: a pure function -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2025, 7, 1), 3, D(2025, 10, 1)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),  # no 30 February: the month's last day
        (D(2027, 11, 30), 3, D(2028, 2, 29)),  # leap year
        (D(2025, 11, 29), 3, D(2026, 2, 28)),
        (D(2025, 8, 31), 3, D(2025, 11, 30)),
        (D(2025, 10, 31), 3, D(2026, 1, 31)),  # across the year
        (D(2025, 12, 31), 2, D(2026, 2, 28)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2025, 3, 31), -1, D(2025, 2, 28)),
        (D(2025, 1, 15), -13, D(2023, 12, 15)),
        (D(2025, 5, 17), 0, D(2025, 5, 17)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2200, 12, 31)), st.integers(min_value=-240, max_value=240))
def test_add_months_lands_in_the_right_month_and_never_past_its_end(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or (result.day < day.day and (result + datetime.timedelta(days=1)).day == 1)


def test_review_is_due_three_months_after_the_change():
    assert review_due_on(D(2025, 7, 1)) == D(2025, 10, 1)
    assert review_due_on(D(2025, 11, 30)) == D(2026, 2, 28)


@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)),
    st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)),
    st.integers(min_value=0, max_value=75),
)
def test_the_retention_cutoff_agrees_with_the_rule(today, closed_on, years):
    """The database filter (``closed_on < cutoff``) says exactly what the rule says."""
    assert (closed_on < retention_cutoff(today, years)) == is_past_retention(closed_on, years, today)


@pytest.mark.parametrize(
    ("closed_on", "years", "today", "past"),
    [
        (D(2020, 12, 31), 5, D(2026, 1, 1), True),
        (D(2020, 12, 31), 5, D(2025, 12, 31), False),  # the last day of retention: not yet
        (D(2024, 2, 29), 1, D(2025, 3, 1), True),
        (D(2024, 2, 29), 1, D(2025, 2, 28), False),
        (D(2000, 1, 1), None, D(2100, 1, 1), False),  # permanent
        (None, 5, D(2100, 1, 1), False),  # still open
    ],
)
def test_is_past_retention(closed_on, years, today, past):
    assert is_past_retention(closed_on, years, today) is past


# --- the register ----------------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytest.fixture
def decree_61(agency_a):
    return external(
        agency_a,
        "61/2018/NĐ-CP",
        effective_on=D(2018, 6, 21),
        title="Về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
    )


@pytest.fixture
def decree_118(agency_a):
    return external(
        agency_a,
        "118/2025/NĐ-CP",
        effective_on=D(2025, 7, 1),
        title="Về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông",
    )


@pytest.fixture
def qt_a(agency_a, unit_a):
    return [
        procedure(agency_a, "QT-01", "Quy trình cấp phiếu lý lịch tư pháp", unit=unit_a),
        procedure(agency_a, "QT-02", "Quy trình chứng thực bản sao", kind=DocumentKind.SYSTEM_PROCEDURE),
    ]


@pytest.mark.django_db
def test_create_audits_and_indexes(a_secretary, agency_a):
    doc = services.external_document_create(
        actor=a_secretary,
        agency=agency_a,
        number=" 118/2025/NĐ-CP ",
        doc_type="decree",
        title="Về thực hiện thủ tục hành chính theo cơ chế một cửa",
        issuer="Chính phủ",
        effective_on=D(2025, 7, 1),
    )
    assert doc.number == "118/2025/NĐ-CP" and doc.status == ExternalDocumentStatus.IN_FORCE
    assert AuditEvent.objects.filter(object_id=str(doc.pk), action="create").exists()
    entry = SearchEntry.objects.get(kind="external", object_id=str(doc.pk))
    assert entry.title == "118/2025/NĐ-CP — Về thực hiện thủ tục hành chính theo cơ chế một cửa"
    assert entry.url == f"/external-documents/{doc.pk}/"
    hits, total = search_query("mot cua thu tuc", agency_ids=[agency_a.pk], kinds=["external"])
    assert total == 1 and hits[0].object_id == str(doc.pk)


@pytest.mark.django_db
def test_create_refuses_a_duplicate_number_and_bad_dates(a_secretary, agency_a, decree_61):
    with pytest.raises(ValidationFailed) as exc:
        services.external_document_create(
            actor=a_secretary, agency=agency_a, number="61/2018/NĐ-CP", doc_type="decree", title="x", issuer="Chính phủ"
        )
    assert "number" in exc.value.errors
    with pytest.raises(ValidationFailed):
        services.external_document_create(
            actor=a_secretary,
            agency=agency_a,
            number="1/2025/TT-BTP",
            doc_type="circular",
            title="x",
            issuer="Bộ Tư pháp",
            effective_on=D(2025, 5, 1),
            expires_on=D(2025, 4, 1),
        )
    assert ExternalDocument.objects.filter(agency=agency_a).count() == 1


@pytest.mark.django_db
def test_only_managers_of_the_agency_write(a_staff, a_unit_head, b_head, overseer, agency_a, decree_61):
    for user in (a_staff, a_unit_head, b_head, overseer):
        with pytest.raises(Forbidden):
            services.external_document_create(
                actor=user, agency=agency_a, number="9/2025/NĐ-CP", doc_type="decree", title="x", issuer="Chính phủ"
            )
        with pytest.raises(Forbidden):
            services.external_document_update(actor=user, document=decree_61, title="y")
    assert ExternalDocument.objects.count() == 1


@pytest.mark.django_db
def test_replacement_opens_a_review_task_per_citing_procedure_due_three_months_later(
    a_secretary, decree_61, decree_118, qt_a
):
    services.external_document_cite(actor=a_secretary, external=decree_61, documents=qt_a)
    services.external_document_replace(actor=a_secretary, document=decree_61, replaced_by=decree_118)
    decree_61.refresh_from_db()
    assert decree_61.status == ExternalDocumentStatus.EXPIRED
    assert decree_61.replaced_by == decree_118
    assert decree_61.expires_on == D(2025, 7, 1)  # it stops when the replacement takes effect
    tasks = ReviewTask.objects.order_by("document__code")
    assert [(t.document.code, t.reason, t.trigger_date, t.due_on, t.status) for t in tasks] == [
        ("QT-01", ReviewReason.REPLACED, D(2025, 7, 1), D(2025, 10, 1), ReviewTaskStatus.OPEN),
        ("QT-02", ReviewReason.REPLACED, D(2025, 7, 1), D(2025, 10, 1), ReviewTaskStatus.OPEN),
    ]
    assert all(t.agency_id == decree_61.agency_id for t in tasks)
    assert AuditEvent.objects.filter(action="replace", object_id=str(decree_61.pk)).count() == 1
    assert AuditEvent.objects.filter(action="review_open").count() == 2


@pytest.mark.django_db
def test_repeating_a_change_creates_nothing_new(a_secretary, decree_61, decree_118, qt_a):
    services.external_document_cite(actor=a_secretary, external=decree_61, documents=qt_a)
    services.external_document_replace(actor=a_secretary, document=decree_61, replaced_by=decree_118)
    events = AuditEvent.objects.count()
    services.external_document_replace(actor=a_secretary, document=decree_61, replaced_by=decree_118)
    services.external_document_update(actor=a_secretary, document=decree_61, status="expired")
    assert ReviewTask.objects.count() == 2
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_month_end_due_dates(a_secretary, agency_a, decree_61, qt_a):
    late_november = external(agency_a, "30/2025/NĐ-CP", effective_on=D(2025, 11, 30))
    services.external_document_cite(actor=a_secretary, external=decree_61, documents=qt_a[:1])
    services.external_document_replace(actor=a_secretary, document=decree_61, replaced_by=late_november)
    assert ReviewTask.objects.get().due_on == D(2026, 2, 28)


@pytest.mark.django_db
def test_expiry_is_due_three_months_after_the_expiry_date(a_secretary, decree_61, qt_a):
    services.external_document_cite(actor=a_secretary, external=decree_61, documents=qt_a)
    services.external_document_expire(actor=a_secretary, document=decree_61, expires_on=D(2027, 11, 30))
    decree_61.refresh_from_db()
    assert decree_61.status == ExternalDocumentStatus.EXPIRED and decree_61.expires_on == D(2027, 11, 30)
    assert {(t.reason, t.due_on) for t in ReviewTask.objects.all()} == {(ReviewReason.EXPIRED, D(2028, 2, 29))}
    services.external_document_expire(actor=a_secretary, document=decree_61, expires_on=D(2027, 11, 30))
    assert ReviewTask.objects.count() == 2


@pytest.mark.django_db
def test_amendment_is_due_three_months_after_it_takes_effect(a_secretary, agency_a, decree_118, qt_a):
    amending = external(agency_a, "190/2025/NĐ-CP", effective_on=D(2025, 8, 31))
    services.external_document_cite(actor=a_secretary, external=decree_118, documents=qt_a)
    services.external_document_amend(actor=a_secretary, document=decree_118, amended_by=amending, effective_on=None)
    decree_118.refresh_from_db()
    assert decree_118.status == ExternalDocumentStatus.PARTLY_AMENDED
    assert {(t.reason, t.trigger_date, t.due_on) for t in ReviewTask.objects.all()} == {
        (ReviewReason.AMENDED, D(2025, 8, 31), D(2025, 11, 30))
    }
    event = AuditEvent.objects.get(action="amend")
    assert event.changes["amended_by"] == [None, "190/2025/NĐ-CP"]
    # the same amendment again: nothing new; once the reviews are done, a later amendment reopens them
    services.external_document_amend(
        actor=a_secretary, document=decree_118, amended_by=amending, effective_on=D(2025, 8, 31)
    )
    assert ReviewTask.objects.filter(status="open").count() == 2
    for task in ReviewTask.objects.all():
        services.review_task_complete(actor=a_secretary, task=task, outcome="Đã rà soát, không cần sửa")
    later = external(agency_a, "20/2026/NĐ-CP", effective_on=D(2026, 3, 1))
    services.external_document_amend(actor=a_secretary, document=decree_118, amended_by=later, effective_on=None)
    assert {(t.status, t.due_on) for t in ReviewTask.objects.all()} == {("open", D(2026, 6, 1))}
    assert ReviewTask.objects.count() == 2


@pytest.mark.django_db
def test_an_expired_document_is_not_amended(a_secretary, agency_a, decree_61, decree_118):
    services.external_document_replace(actor=a_secretary, document=decree_61, replaced_by=decree_118)
    with pytest.raises(Conflict):
        services.external_document_amend(
            actor=a_secretary, document=decree_61, amended_by=decree_118, effective_on=D(2025, 9, 1)
        )


@pytest.mark.django_db
def test_update_that_expires_or_replaces_opens_the_tasks(a_secretary, agency_a, decree_61, decree_118, qt_a):
    services.external_document_cite(actor=a_secretary, external=decree_61, documents=qt_a[:1])
    services.external_document_update(actor=a_secretary, document=decree_61, replaced_by=decree_118)
    decree_61.refresh_from_db()
    assert decree_61.status == ExternalDocumentStatus.EXPIRED
    assert [(t.reason, t.due_on) for t in ReviewTask.objects.all()] == [(ReviewReason.REPLACED, D(2025, 10, 1))]
    other = external(agency_a, "5/2020/TT-BTP", doc_type="circular", effective_on=D(2020, 3, 1))
    services.external_document_cite(actor=a_secretary, external=other, documents=qt_a[1:])
    services.external_document_update(actor=a_secretary, document=other, status="expired", expires_on=D(2026, 1, 15))
    assert ReviewTask.objects.get(external_document=other).due_on == D(2026, 4, 15)
    amended = external(agency_a, "7/2021/TT-BTP", doc_type="circular", effective_on=D(2021, 3, 1))
    services.external_document_cite(actor=a_secretary, external=amended, documents=qt_a[1:])
    services.external_document_update(actor=a_secretary, document=amended, status="partly_amended")
    assert ReviewTask.objects.get(external_document=amended).reason == ReviewReason.AMENDED


@pytest.mark.django_db
def test_a_status_change_with_no_citing_procedure_opens_nothing(a_secretary, decree_61):
    services.external_document_update(actor=a_secretary, document=decree_61, status="expired", expires_on=D(2025, 7, 1))
    assert not ReviewTask.objects.exists()


@pytest.mark.django_db
def test_citing_a_document_already_replaced_opens_the_review(a_secretary, decree_61, decree_118, qt_a):
    services.external_document_replace(actor=a_secretary, document=decree_61, replaced_by=decree_118)
    assert not ReviewTask.objects.exists()
    services.external_document_cite(actor=a_secretary, external=decree_61, documents=qt_a[:1])
    assert [(t.document.code, t.due_on) for t in ReviewTask.objects.all()] == [("QT-01", D(2025, 10, 1))]
    services.external_document_cite(actor=a_secretary, external=decree_61, documents=qt_a[:1])
    assert ReviewTask.objects.count() == 1


@pytest.mark.django_db
def test_cite_sets_the_procedures_and_audits(a_secretary, decree_118, qt_a):
    services.external_document_cite(actor=a_secretary, external=decree_118, documents=qt_a)
    services.external_document_cite(actor=a_secretary, external=decree_118, documents=qt_a[1:])
    assert list(decree_118.cited_by.values_list("code", flat=True)) == ["QT-02"]
    changes = [e.changes["cited_by"] for e in AuditEvent.objects.filter(action="cite").order_by("id")]
    assert changes == [[[], ["QT-01", "QT-02"]], [["QT-01", "QT-02"], ["QT-02"]]]


# --- between agencies ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_citing_another_agencys_procedure_is_refused(a_secretary, agency_b, decree_118, qt_a):
    foreign = procedure(agency_b, "QT-B1", "Quy trình cấp giấy phép xây dựng")
    with pytest.raises(ValidationFailed) as exc:
        services.external_document_cite(actor=a_secretary, external=decree_118, documents=[qt_a[0], foreign])
    assert "documents" in exc.value.errors
    assert not decree_118.cited_by.exists()


@pytest.mark.django_db
def test_citing_a_form_is_refused(a_secretary, agency_a, decree_118):
    form = procedure(agency_a, "BM-01", "Tờ khai", kind=DocumentKind.FORM)
    with pytest.raises(ValidationFailed):
        services.external_document_cite(actor=a_secretary, external=decree_118, documents=[form])


@pytest.mark.django_db
def test_citing_another_agencys_legal_document_is_refused(a_secretary, b_head, agency_b, qt_a):
    theirs = external(agency_b, "61/2018/NĐ-CP")
    with pytest.raises(Forbidden):
        services.external_document_cite(actor=a_secretary, external=theirs, documents=qt_a)
    with pytest.raises(ValidationFailed):
        services.external_document_cite(actor=b_head, external=theirs, documents=qt_a)
    assert not theirs.cited_by.exists()


@pytest.mark.django_db
def test_replacing_with_another_agencys_document_is_refused(a_secretary, agency_b, decree_61, qt_a):
    services.external_document_cite(actor=a_secretary, external=decree_61, documents=qt_a)
    theirs = external(agency_b, "118/2025/NĐ-CP", effective_on=D(2025, 7, 1))
    for call in (
        lambda: services.external_document_replace(actor=a_secretary, document=decree_61, replaced_by=theirs),
        lambda: services.external_document_update(actor=a_secretary, document=decree_61, replaced_by=theirs),
        lambda: services.external_document_amend(
            actor=a_secretary, document=decree_61, amended_by=theirs, effective_on=D(2025, 7, 1)
        ),
        lambda: services.external_document_create(
            actor=a_secretary,
            agency=decree_61.agency,
            number="x",
            doc_type="law",
            title="x",
            issuer="x",
            replaced_by=theirs,
        ),
    ):
        with pytest.raises(ValidationFailed):
            call()
    decree_61.refresh_from_db()
    assert decree_61.status == ExternalDocumentStatus.IN_FORCE and decree_61.replaced_by is None
    assert not ReviewTask.objects.exists()


@pytest.mark.django_db
def test_a_document_cannot_replace_itself_or_close_a_loop(a_secretary, decree_61, decree_118):
    with pytest.raises(ValidationFailed):
        services.external_document_replace(actor=a_secretary, document=decree_61, replaced_by=decree_61)
    services.external_document_replace(actor=a_secretary, document=decree_61, replaced_by=decree_118)
    with pytest.raises(ValidationFailed):
        services.external_document_replace(actor=a_secretary, document=decree_118, replaced_by=decree_61)


# --- review tasks ----------------------------------------------------------------------------------


@pytest.fixture
def task(a_secretary, decree_61, decree_118, qt_a):
    services.external_document_cite(actor=a_secretary, external=decree_61, documents=qt_a[:1])
    services.external_document_replace(actor=a_secretary, document=decree_61, replaced_by=decree_118)
    return ReviewTask.objects.get()


@pytest.mark.django_db
def test_completing_a_review_needs_an_outcome_and_happens_once(a_unit_head, task):
    with pytest.raises(ValidationFailed):
        services.review_task_complete(actor=a_unit_head, task=task, outcome="  ")
    done = services.review_task_complete(actor=a_unit_head, task=task, outcome="Đã sửa QT-01, ban hành lần 3")
    assert done.status == ReviewTaskStatus.DONE and done.done_by == a_unit_head and done.done_at
    assert AuditEvent.objects.filter(action="review_complete", object_id=str(task.pk)).exists()
    with pytest.raises(Conflict):
        services.review_task_complete(actor=a_unit_head, task=task, outcome="again")


@pytest.mark.django_db
def test_who_completes_a_review(a_staff, b_head, overseer, a_head, task):
    for user in (a_staff, b_head, overseer):
        with pytest.raises(Forbidden):
            services.review_task_complete(actor=user, task=task, outcome="x")
    services.review_task_complete(actor=a_head, task=task, outcome="Không cần sửa")


# --- selectors -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_register_selector_scope_and_folded_search(a_staff, b_staff, overseer, q_overseer, decree_61, decree_118):
    assert set(selectors.external_documents_for_user(a_staff)) == {decree_61, decree_118}
    assert not selectors.external_documents_for_user(b_staff).exists()
    assert not selectors.external_documents_for_user(q_overseer).exists()
    assert selectors.external_documents_for_user(overseer).count() == 2
    assert list(selectors.external_documents_for_user(a_staff, q="118/2025/nd-cp")) == [decree_118]
    assert list(selectors.external_documents_for_user(a_staff, q="MOT CUA LIEN THONG TRONG")) == [decree_61]
    assert selectors.external_documents_for_user(a_staff, status="expired").count() == 0
    assert selectors.external_documents_for_user(a_staff, doc_type="decree").count() == 2
    from eiso.core.errors import NotFound

    with pytest.raises(NotFound):
        selectors.external_document_get_for_user(b_staff, decree_61.pk)


@pytest.mark.django_db
def test_review_task_selectors(a_staff, b_staff, task):
    assert list(selectors.review_tasks_for_user(a_staff, status="open")) == [task]
    assert list(selectors.review_tasks_for_user(a_staff, overdue="1", today=D(2025, 10, 1))) == []
    assert list(selectors.review_tasks_for_user(a_staff, overdue="1", today=D(2025, 10, 2))) == [task]
    assert selectors.review_tasks_for_user(a_staff, today=D(2025, 10, 2)).get().is_overdue
    assert not selectors.review_tasks_for_user(b_staff).exists()
    assert selectors.review_task_counts(a_staff, today=D(2025, 10, 2)) == {"open": 1, "overdue": 1}


@pytest.mark.django_db
def test_procedures_citing_documents_no_longer_in_force(
    a_secretary, a_staff, b_staff, agency_a, decree_61, decree_118, qt_a
):
    services.external_document_cite(actor=a_secretary, external=decree_61, documents=qt_a[:1])
    services.external_document_cite(actor=a_secretary, external=decree_118, documents=qt_a)
    assert not selectors.procedures_citing_no_longer_in_force(a_staff).exists()
    services.external_document_replace(actor=a_secretary, document=decree_61, replaced_by=decree_118)
    outdated = list(selectors.procedures_citing_no_longer_in_force(a_staff))
    assert outdated == [qt_a[0]]
    assert outdated[0].outdated_basis == [decree_61] and outdated[0].open_review_count == 1
    assert not selectors.procedures_citing_no_longer_in_force(b_staff).exists()

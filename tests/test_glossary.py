"""One vocabulary: every audit action has a label, and the audit trail reads as text."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from eiso.audits.choices import AuditAction
from eiso.core.audit import audit_record
from eiso.core.glossary import ACTION_LABELS
from eiso.core.models import AuditEvent
from eiso.core.templatetags.eiso_ui import audit_rows
from eiso.documents.choices import RevisionAction
from eiso.feedback.choices import ComplaintAction
from eiso.improvements.choices import NonconformityAction
from eiso.reviews.choices import ReviewAction

ROOT = Path(__file__).resolve().parent.parent / "eiso"
# action="create", action='end', action="import" if … else "update" (an argparse action is not one)
LITERAL = re.compile(r"""\baction\s*=\s*(["'][a-z_]+["'](?:\s+if\s+[^\n]+?\s+else\s+["'][a-z_]+["'])?)""")
FSTRING = re.compile(r"""\baction\s*=\s*f["']([^"']+)["']""")
# The f-strings that build action codes, with the enum whose values fill them.
KNOWN_FSTRINGS = {"revision_{action}": ("revision_", RevisionAction), "review_{action}": ("review_", ReviewAction)}
# Services that pass an enum member through (``audit_record(action=action)``).
PASSED_ENUMS = [AuditAction, NonconformityAction, ComplaintAction]
NOT_AUDIT = {"store_true", "store_false", "store", "append", "count"}


def written_action_codes() -> set[str]:
    codes: set[str] = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for expression in LITERAL.findall(text):
            codes.update(c for c in re.findall(r"""["']([a-z_]+)["']""", expression) if c not in NOT_AUDIT)
        for template in FSTRING.findall(text):
            assert template in KNOWN_FSTRINGS, f"{path}: an action code built as f\"{template}\": add it here"
            prefix, enum = KNOWN_FSTRINGS[template]
            codes.update(prefix + value for value in enum.values)
    for enum in PASSED_ENUMS:
        codes.update(enum.values)
    return codes


def test_the_collector_finds_the_codes_of_the_services():
    codes = written_action_codes()
    assert {"file_add", "revision_submit", "verify_effective", "apology_issue", "import", "store_true"} - codes \
        == {"store_true"}


def test_every_action_code_written_anywhere_has_a_label():
    missing = sorted(written_action_codes() - set(ACTION_LABELS))
    assert missing == []


def _revision(actor, agency, unit):
    from eiso.documents.choices import DocumentKind
    from eiso.documents.services import revisions as services

    document = services.document_create(actor=None, agency=agency, code="QT-05", title="Quy trình khai sinh",
                                        kind=DocumentKind.OPERATIONAL_PROCEDURE, owner_unit=unit)
    return services.revision_create(actor=None, document=document, change_summary="Ban hành", content="Nội dung")


@pytest.mark.django_db
def test_audit_rows_read_as_text_not_codes(admin_user, agency_a, unit_a):
    revision = _revision(admin_user, agency_a, unit_a)
    event = audit_record(actor=admin_user, action="revision_update", obj=revision, changes={
        "sections": [{}, {"purpose": "Quy định trình tự", "scope": "Áp dụng tại Sở"}],
        "status": ["draft", "in_review"],
    })
    with translation.override("vi"):
        rows = [{k: str(v) for k, v in row.items()} for row in audit_rows(AuditEvent.objects.get(pk=event.pk))]
    text = repr(rows)
    assert "{" not in text.replace("{'field'", "").replace("{'", "") and "purpose" not in text
    assert "in_review" not in text and "draft" not in text
    assert any(row["field"].endswith("1. Mục đích") and row["after"] == "Quy định trình tự" for row in rows)


@pytest.mark.django_db
def test_import_counts_and_raw_ids_read_as_text(admin_user, agency_a):
    event = audit_record(actor=admin_user, action="import", obj=agency_a, changes={
        "external_documents": [None, {"created": 3, "updated": 1, "unchanged": 0}]})
    with translation.override("en"):
        rows = audit_rows(event)
    assert [(str(r["field"]), str(r["after"])) for r in rows] == [
        ("External documents", "Added: 3; Updated: 1; Unchanged: 0")]


@pytest.mark.django_db
def test_the_audit_trail_page_shows_labels_not_codes(client, admin_user, agency_a, unit_a):
    revision = _revision(admin_user, agency_a, unit_a)
    audit_record(actor=admin_user, action="file_add", obj=revision, changes={"file": [None, "quy-trinh.docx"]})
    audit_record(actor=admin_user, action="verify_effective", obj=revision)
    client.force_login(admin_user)
    with translation.override("vi"):
        page = client.get("/audit-events/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    shown = re.sub(r'value="[^"]*"', "", page)  # the filter's option values are codes, their text is not
    assert "file_add" not in shown and "verify_effective" not in shown
    assert "quy-trinh.docx" in shown


@pytest.mark.django_db
def test_the_audit_trail_filters_by_dates_person_and_object_type(client, admin_user, a_staff, agency_a, unit_a):
    import datetime

    import time_machine

    from eiso.organizations.selectors import audit_events_for_user

    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        audit_record(actor=a_staff, action="update", obj=unit_a, changes={"name": ["A", "B"]})
    with time_machine.travel(datetime.datetime(2026, 5, 20, 9, 0, tzinfo=datetime.UTC), tick=False):
        audit_record(actor=admin_user, action="update", obj=agency_a, changes={"name": ["C", "D"]})
    everything = audit_events_for_user(admin_user).filter(at__year=2026, at__month__in=[3, 5])
    assert everything.count() == 2
    march = audit_events_for_user(admin_user, date_from=datetime.date(2026, 3, 10), date_to=datetime.date(2026, 3, 10))
    assert [e.object_id for e in march] == [str(unit_a.pk)]
    assert [e.actor_id for e in audit_events_for_user(admin_user, actor=str(a_staff.pk))] == [a_staff.pk]
    assert {e.content_type.model for e in audit_events_for_user(admin_user, model="organizations.agency")} \
        == {"agency"}
    client.force_login(admin_user)
    page = client.get("/audit-events/", {"date_from": "10/03/2026", "date_to": "10/03/2026"})
    assert [e.object_id for e in page.context["page"]] == [str(unit_a.pk)]
    refused = client.get("/audit-events/", {"date_from": "03/31/2026"})
    assert refused.status_code == 200 and refused.context["filters"].errors["date_from"]


def test_printed_statuses_and_kinds_are_the_pages_labels():
    """Word and Excel print the choices' own labels in Vietnamese: "Đang giải quyết" on screen is
    "Đang giải quyết" in Excel, an observation is the same word on screen and in the report."""
    from eiso.audits.choices import FindingKind
    from eiso.dossiers.choices import DossierStatus
    from eiso.reports import vocabulary

    mappings = {name: value for name, value in vars(vocabulary).items()
                if isinstance(value, vocabulary.VietnameseLabels)}
    assert len(mappings) >= 10
    with translation.override("vi"):
        for mapping in mappings.values():
            screen = {code: str(label) for code, label in mapping._choices.choices}
            assert dict(mapping.items()) == screen
        assert vocabulary.DOSSIER_STATUSES["in_progress"] == str(DossierStatus.IN_PROGRESS.label) == "Đang giải quyết"
        assert vocabulary.FINDING_KINDS["observation"] == str(FindingKind.OBSERVATION.label)
    with translation.override("en"):  # printed in Vietnamese whatever the reader's language
        assert vocabulary.FINDING_KINDS["observation"] == "Điểm lưu ý"


@pytest.mark.django_db
def test_the_menu_names_the_page_it_opens_and_tthc_columns_say_so(client, a_head):
    client.force_login(a_head)
    with translation.override("vi"):
        page = client.get("/", HTTP_ACCEPT_LANGUAGE="vi")
        menu = {str(item["label"]): item["url"] for section in page.context["nav_menu"] for item in section["items"]}
        records = client.get(menu["Hồ sơ công việc"]).content.decode()
        assert '<h1 class="h3 mb-3">Hồ sơ công việc</h1>' in records
        dossiers = client.get("/dossiers/")
    assert str(dossiers.context["filters"].fields["procedure"].label) == "Thủ tục hành chính"


@pytest.mark.django_db
def test_the_api_describes_status_codes_with_the_pages_labels(client):
    schema = client.get("/api/v1/openapi.json").content.decode("utf-8")
    assert "in_review (Đang xem xét)" in schema and "action_planned (" in schema

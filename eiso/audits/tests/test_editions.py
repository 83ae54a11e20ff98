"""ISO 9001 editions: the shipped libraries, the correspondence between editions, an agency's move
to a later edition re-linking its open audits, and the pages and API that show them."""

import datetime

import pytest
from django.urls import reverse

from eiso.audits import clauses, selectors, services
from eiso.audits.models import Clause, ClauseEdition, ClauseExclusion, Finding
from eiso.core.errors import Forbidden, ValidationFailed

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 1)


def test_three_editions_are_shipped_with_titles_and_2026_is_provisional():
    editions = {e.code: e for e in ClauseEdition.objects.all()}
    assert set(editions) == {"2008", "2015", "2026"}
    assert editions["2026"].provisional and not editions["2015"].provisional
    codes_2008 = list(selectors.clauses(editions["2008"]).values_list("code", flat=True))
    # the six procedures ISO 9001:2008 made mandatory are clauses of its library
    assert {"4.2.3", "4.2.4", "8.2.2", "8.3", "8.5.2", "8.5.3"} <= set(codes_2008)
    assert codes_2008.index("4.2.4") < codes_2008.index("5.1") < codes_2008.index("8.5.3")
    codes_2026 = list(selectors.clauses(editions["2026"]).values_list("code", flat=True))
    assert codes_2026.index("6.1") < codes_2026.index("6.1.2") < codes_2026.index("6.1.3") < codes_2026.index("6.2")
    assert Clause.objects.get(edition__code="2026", code="6.1.2").title == "Hành động giải quyết rủi ro"


def test_every_clause_of_an_edition_has_a_place_in_the_next():
    for older, newer in (("2008", "2015"), ("2015", "2026")):
        mapping = clauses.relink_map(older, newer)
        assert set(mapping) == {row["code"] for row in clauses.library(older)}
        assert set(mapping.values()) <= {row["code"] for row in clauses.library(newer)}


def test_correspondence_2008_to_2015_moves_the_old_numbers():
    mapping = clauses.relink_map("2008", "2015")
    assert mapping["8.2.2"] == "9.2"  # internal audit
    assert mapping["5.6"] == "9.3"  # management review
    assert mapping["8.5.2"] == "10.2"  # corrective action
    assert mapping["8.5.3"] == "6.1"  # preventive action → risks and opportunities
    rows = {row["to"]: row for row in clauses.correspondence("2008", "2015") if row["from"] is None}
    assert {"4.1", "4.2", "10.1"} <= set(rows) and all(r["change"] == clauses.NEW for r in rows.values())


def test_transition_2015_to_2026_asks_for_the_known_changes():
    tasks = {task["clause"]: task for task in clauses.transition_tasks("2015", "2026")}
    assert set(tasks) == {"4.1", "4.2", "5.1", "6.1", "6.1.2", "6.1.3", "7.3"}
    assert "khí hậu" in tasks["4.1"]["title"]
    assert "văn hóa chất lượng" in tasks["5.1"]["title"]
    assert tasks["6.1.2"]["change"] == clauses.NEW
    assert list(tasks) == sorted(tasks, key=clauses.sort_key)


def test_editions_chain_2008_to_2026():
    mapping = clauses.relink_map("2008", "2026")
    assert mapping["8.2.2"] == "9.2" and mapping["8.5.3"] == "6.1"
    kinds = {row["to"]: row["change"] for row in clauses.correspondence("2008", "2026")}
    assert kinds["6.1.2"] == clauses.NEW
    with pytest.raises(ValueError):
        clauses.correspondence("2026", "2015")


def test_sort_key_orders_three_levels():
    assert sorted(["10.1", "4.2.4", "4.2", "6.1.3", "6.1"], key=clauses.sort_key) == [
        "4.2", "4.2.4", "6.1", "6.1.3", "10.1"]


def test_moving_to_2026_relinks_open_audits_and_keeps_closed_ones(a_secretary, agency_a, finding, started):
    assert selectors.current_edition(agency_a).code == "2015"
    design = Clause.objects.get(edition__code="2015", code="8.3")
    services.clause_exclusion_create(actor=a_secretary, agency=agency_a, clause=design, justification="Không thiết kế")
    new = ClauseEdition.objects.get(code="2026")
    adoption = services.edition_adopt(actor=a_secretary, agency=agency_a, edition=new, adopted_on=DAY,
                                      note="Chuyển đổi")
    assert selectors.current_edition(agency_a) == new
    finding.refresh_from_db()
    assert (finding.clause.edition.code, finding.clause.code) == ("2026", "8.5")
    assert {c.edition.code for c in started.clauses.all()} == {"2026"}
    assert {i.clause.edition.code for i in started.checklist.exclude(clause=None)} == {"2026"}
    assert ClauseExclusion.objects.get(agency=agency_a).clause.edition.code == "2026"
    assert adoption.relinked["findings"] == 1 and adoption.relinked["exclusions"] == 1
    # the forms now offer the clauses of 2026, less the one not applicable
    codes = set(selectors.applicable_clauses(agency_a).values_list("code", flat=True))
    assert "6.1.2" in codes and "8.3" not in codes


def test_a_closed_audit_keeps_the_edition_it_was_run_against(a_secretary, auditor, agency_a, finding, started):
    services.audit_transition(actor=auditor, audit=started, action="report", conclusion="Phù hợp")
    services.audit_transition(actor=a_secretary, audit=started, action="close")
    services.edition_adopt(actor=a_secretary, agency=agency_a, edition=ClauseEdition.objects.get(code="2026"),
                           adopted_on=DAY)
    assert Finding.objects.get(pk=finding.pk).clause.edition.code == "2015"


def test_moving_backwards_or_by_a_stranger_is_refused(a_secretary, a_staff, b_head, agency_a):
    with pytest.raises(ValidationFailed, match="already follows"):
        services.edition_adopt(actor=a_secretary, agency=agency_a, edition=ClauseEdition.objects.get(code="2015"),
                               adopted_on=DAY)
    with pytest.raises(ValidationFailed, match="later edition"):
        services.edition_adopt(actor=a_secretary, agency=agency_a, edition=ClauseEdition.objects.get(code="2008"),
                               adopted_on=DAY)
    for actor in (a_staff, b_head):
        with pytest.raises(Forbidden):
            services.edition_adopt(actor=actor, agency=agency_a, edition=ClauseEdition.objects.get(code="2026"),
                                   adopted_on=DAY)
    assert selectors.current_edition(agency_a).code == "2015"


def test_editions_page_shows_the_correspondence(client_for, a_staff):
    page = client_for(a_staff).get(reverse("audits:edition-list") + "?edition=2015&to=2026")
    assert page.status_code == 200
    body = page.content.decode()
    assert "6.1.2" in body and "Hành động giải quyết rủi ro" in body
    assert client_for(a_staff).get(reverse("audits:edition-list") + "?edition=2026").status_code == 200


def test_clause_editions_api(api_for, a_staff):
    answer = api_for(a_staff).get("/api/v1/clause-editions")
    assert answer.status_code == 200
    editions = {e["code"]: e for e in answer.json()}
    assert editions["2026"]["provisional"] is True
    assert len(editions["2015"]["clauses"]) == 28
    corr = api_for(a_staff).get("/api/v1/clause-editions/correspondence?from_edition=2008&to_edition=2015").json()
    assert {"from_clause": "8.2.2", "to_clause": "9.2"}.items() <= next(
        r for r in corr["rows"] if r["from_clause"] == "8.2.2").items()
    assert api_for(a_staff).get(
        "/api/v1/clause-editions/correspondence?from_edition=2026&to_edition=2015").status_code == 400
    assert api_for(a_staff).get(
        "/api/v1/clause-editions/correspondence?from_edition=1999&to_edition=2015").status_code == 404

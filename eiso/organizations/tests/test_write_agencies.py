"""Which agency a write counts for (``eiso.core.freshness``): its own, only when known for sure."""

import pytest

from eiso.core import freshness
from eiso.organizations.models import SteeringMember
from eiso.organizations.tests.factories import SteeringCommitteeFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(monkeypatch):
    counted = []
    monkeypatch.setattr(freshness, "data_written", lambda agency_id=None: counted.append(agency_id))
    return counted


def test_a_row_counts_for_its_agency_when_the_write_cannot_have_moved_it(written, agency_a, agency_b):
    written.clear()  # (the fixtures' writes)
    unit = UnitFactory(agency=agency_a)
    unit.name = "Phòng Một cửa"
    unit.save(update_fields=["name"])
    unit.delete()
    assert written == [agency_a.pk, agency_a.pk, agency_a.pk]


def test_a_whole_row_saved_or_moved_counts_for_every_agency(written, agency_a, agency_b):
    unit = UnitFactory(agency=agency_a)
    written.clear()
    unit.save()  # which fields changed is not known
    unit.agency = agency_b
    unit.save(update_fields=["agency"])  # moved: agency A's readers see it go
    assert written == [None, None]


def test_a_path_through_a_relation_counts_only_when_it_is_loaded(written, agency_a, a_staff, a_head):
    committee = SteeringCommitteeFactory(agency=agency_a)
    written.clear()
    SteeringMember.objects.create(committee=committee, user=a_staff)  # the committee is at hand
    SteeringMember.objects.create(committee_id=committee.pk, user=a_head)  # it would take a query
    assert written == [agency_a.pk, None]


def test_an_agency_s_own_row_and_many_to_many_changes_count_for_every_agency(written, agency_a, agency_b):
    written.clear()
    agency_a.name = "Sở Tư pháp tỉnh"
    agency_a.save(update_fields=["name"])  # its name shows in other agencies' pages
    agency_b.predecessors.add(agency_a)
    assert written == [None, None]

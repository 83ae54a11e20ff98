"""Input that makes sense: an audit takes place in its programme's year (issue 10)."""

import datetime

import pytest

from eiso.audits import services
from eiso.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def test_an_audit_outside_its_programmes_year_is_refused_naming_the_date(programme, a_secretary, auditor, unit_a):
    with pytest.raises(ValidationFailed) as refused:
        services.audit_create(actor=a_secretary, programme=programme, title="Đánh giá năm sau",
                              start_date=datetime.date(2027, 3, 1), end_date=datetime.date(2027, 3, 2),
                              lead_auditor=auditor, units=[unit_a])
    assert "start_date" in refused.value.errors and "2026" in refused.value.errors["start_date"][0]


def test_moving_an_audit_out_of_its_year_is_refused(audit, a_secretary, auditor, unit_a):
    with pytest.raises(ValidationFailed) as refused:
        services.audit_update(actor=a_secretary, audit=audit, title=audit.title,
                              start_date=datetime.date(2026, 12, 30), end_date=datetime.date(2027, 1, 2),
                              lead_auditor=auditor, units=[unit_a])
    assert list(refused.value.errors) == ["end_date"]

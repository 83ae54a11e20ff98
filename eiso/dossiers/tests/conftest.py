"""What the dossier tests share: the TTHC of agency A, timed by a process through its one-stop desk and unit."""

import pytest

from eiso.procedures.tests.factories import procedure_with_process


@pytest.fixture
def tthc(agency_a, unit_a, one_stop_a):
    return procedure_with_process(agency_a, one_stop=one_stop_a, unit=unit_a)[0]

"""The pure core of competence: validity of a training on a day and the cell of the matrix."""

import datetime

from eiso.people.choices import CellStatus
from eiso.people.competence import Evidence, add_months, attendance_valid_until, best, cell

D = datetime.date


def test_add_months_keeps_the_day_or_takes_the_last_of_a_shorter_month():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2026, 11, 15), 3) == D(2027, 2, 15)
    assert add_months(D(2026, 3, 2), 36) == D(2029, 3, 2)


def test_attendance_counts_for_the_course_validity_or_for_good():
    assert attendance_valid_until(D(2026, 3, 2), None) is None
    assert attendance_valid_until(D(2026, 3, 2), 12) == D(2027, 3, 1)


def test_a_certificate_counts_up_to_and_including_its_last_valid_day():
    e = Evidence(1, D(2026, 6, 30), "ĐGNB 2023", D(2023, 7, 1))
    assert cell([e], 1, D(2026, 6, 30)).status == CellStatus.HELD
    past = cell([e], 1, D(2026, 7, 1))
    assert past.status == CellStatus.EXPIRED and past.evidence == e and not past.counts


def test_no_training_of_the_kind_is_a_gap_and_the_plan_is_carried():
    other = Evidence(2, None, "Nhận thức", D(2025, 1, 1))
    c = cell([other], 1, D(2026, 1, 1), planned="Học lớp ĐGNB by 30/06/2026")
    assert c.status == CellStatus.GAP and c.evidence is None and c.planned.startswith("Học lớp")


def test_the_longest_valid_training_wins_and_no_end_beats_any_date():
    old = Evidence(1, D(2026, 12, 31), "A", D(2024, 1, 1))
    new = Evidence(1, D(2028, 12, 31), "B", D(2025, 1, 1))
    forever = Evidence(1, None, "C", D(2020, 1, 1))
    assert best([old, new], 1, D(2026, 1, 1)) == (new, True)
    assert best([old, new, forever], 1, D(2026, 1, 1)) == (forever, True)
    # Everything expired: the latest expiry is shown, and it does not count.
    assert best([old, new], 1, D(2029, 1, 1)) == (new, False)


def test_an_expired_certificate_beside_a_valid_one_does_not_hide_it():
    expired = Evidence(1, D(2025, 1, 1), "A", D(2022, 1, 1))
    valid = Evidence(1, D(2027, 1, 1), "B", D(2024, 1, 1))
    assert cell([expired, valid], 1, D(2026, 1, 1)).evidence == valid

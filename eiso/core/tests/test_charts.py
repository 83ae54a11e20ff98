from hypothesis import given
from hypothesis import strategies as st

from eiso.core.charts import percent_axis, percent_axis_min


def test_high_rates_get_an_axis_that_shows_their_difference():
    # 87.7 % and 95.6 % on a 0–100 axis look the same; from 80 they do not
    assert percent_axis_min([87.7, 95.6]) == 80
    assert percent_axis_min([95.6, 99.1]) == 90
    assert percent_axis_min([100, 100]) == 90
    assert percent_axis_min([85.0]) == 80  # exactly 5 below is enough
    assert percent_axis_min([84.9]) == 70


def test_spread_rates_and_no_rates_keep_zero():
    assert percent_axis_min([12.5, 96.0]) == 0
    assert percent_axis_min([49.9]) == 0
    assert percent_axis_min([]) == 0
    assert percent_axis_min([None, None]) == 0


def test_missing_rates_are_skipped():
    assert percent_axis_min([None, 91.0, None, 97.3]) == 80


def test_axis_bounds():
    assert percent_axis([87.7, 95.6]) == {"min": 80, "max": 100}


@given(st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=100)), max_size=30))
def test_every_value_stays_above_the_axis_min(values):
    low = percent_axis_min(values)
    assert 0 <= low <= 90 and low % 10 == 0
    present = [v for v in values if v is not None]
    if present:
        assert min(present) - low >= 5 or low == 0

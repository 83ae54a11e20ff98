"""The 5S arithmetic: percentages, scores per S, quarters, the mean rule and the ranking's ties."""

import datetime
from decimal import Decimal

from eiso.fives import scoring

D = datetime.date


def test_percent_and_scores_per_s_in_the_s_order():
    assert scoring.percent(120, 125) == Decimal("96.00") and scoring.percent(0, 0) is None
    assert scoring.percent(1, 3) == Decimal("33.33") and scoring.percent(2, 3) == Decimal("66.67")
    by_s = scoring.scores_by_s([("shine", 5, 5), ("sort", 0, 5), ("sort", 5, 5), ("shine", 3, 5)])
    assert [(x.s, x.scored, x.possible, x.failed) for x in by_s] == [("sort", 5, 10, 1), ("shine", 8, 10, 1)]
    assert by_s[1].percent == Decimal("80.00")
    assert scoring.total(by_s) == (13, 20, Decimal("65.00"))


def test_periods():
    p = scoring.parse_period("2026-Q1")
    assert (p.start, p.end, p.code, p.label) == (D(2026, 1, 1), D(2026, 3, 31), "2026-Q1", "Q1/2026")
    assert scoring.parse_period("2026-q4").end == D(2026, 12, 31)
    assert scoring.parse_period("2026-Q2").end == D(2026, 6, 30)
    for bad in ("", "2026", "2026-Q5", "2026-Q0", "1999-Q1", "abc", "2026-Q1x"):
        assert scoring.parse_period(bad) is None, bad
    assert scoring.period_of(D(2026, 4, 1)) == scoring.Period(2026, 2)
    assert scoring.Period(2026, 1).previous() == scoring.Period(2025, 4)


def test_unit_score_is_the_mean_of_its_inspections_not_of_their_points():
    # 100 % on a 5-item sheet and 50 % on a 125-point sheet: the mean of percentages is 75 %,
    # whereas pooling the points would give 52 %.
    inspections = [(D(2026, 1, 5), 1, Decimal("100")), (D(2026, 2, 5), 2, Decimal("50"))]
    ranked = scoring.ranking([("u", "Phòng A", inspections)])
    assert ranked[0].score == Decimal("75.00") and ranked[0].inspections == 2 and ranked[0].latest == Decimal("50")


def test_ranking_best_first_and_a_tie_goes_to_the_better_latest_inspection():
    rows = [
        # mean 80: latest (15/03) 70
        ("a", "Phòng A", [(D(2026, 1, 10), 1, Decimal("90")), (D(2026, 3, 15), 2, Decimal("70"))]),
        # mean 80: latest (20/03) 85 → ahead of A
        ("b", "Phòng B", [(D(2026, 3, 20), 3, Decimal("85")), (D(2026, 2, 1), 4, Decimal("75"))]),
        ("c", "Phòng C", [(D(2026, 2, 2), 5, Decimal("95"))]),
        ("d", "Phòng D", []),  # no inspection: not ranked
    ]
    ranked = scoring.ranking(rows)
    assert [(r.key, r.rank) for r in ranked] == [("c", 1), ("b", 2), ("a", 3)]


def test_latest_is_by_day_then_by_record_and_full_ties_share_a_rank():
    same_day = [(D(2026, 3, 1), 7, Decimal("60")), (D(2026, 3, 1), 9, Decimal("100"))]  # #9 recorded last
    ranked = scoring.ranking([("x", "Phòng X", same_day), ("y", "Phòng Y", [(D(2026, 3, 2), 1, Decimal("80"))]),
                              ("z", "Phòng Z", [(D(2026, 1, 2), 2, Decimal("80"))])])
    assert ranked[0].key == "x" and ranked[0].latest == Decimal("100")  # 80 mean, latest 100
    assert [(r.key, r.rank) for r in ranked[1:]] == [("y", 2), ("z", 2)]  # identical: same rank, by name
